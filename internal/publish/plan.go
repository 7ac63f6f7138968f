package publish

import (
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"loa/internal/diag"
)

// Kind is what a publish does with one path.
type Kind int

const (
	New       Kind = iota // not in the folder yet: copy
	Changed               // loa's, different or unknown content: copy over it
	Replace               // foreign and different, Force given: copy over it
	Unchanged             // loa's, same content: leave
	Adopt                 // foreign but identical to the build: record as loa's
	Stale                 // loa's, no longer in the build: remove
	Kept                  // was loa's but changed since: leave, no longer loa's
	Foreign               // not loa's, not in the build: leave
	Conflict              // foreign and different, no Force: stop
)

var kindNames = [...]string{"new", "changed", "replace", "unchanged", "adopt", "stale", "kept", "foreign", "conflict"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// writes reports whether the kind copies a file.
func (k Kind) writes() bool { return k == New || k == Changed || k == Replace }

// Action is the plan for one path.
type Action struct {
	Kind   Kind
	File   File   // the build's file, or for Stale, Kept and Foreign the one in the folder
	Reason string // for Conflict and Kept: why, in words
}

// Plan is what a publish will do, one Action per path, sorted by path.
type Plan struct {
	Actions []Action
}

// present describes a path found in the target folder.
type present struct {
	Size   int64
	Dir    bool   // a folder (symlinks count as files: loa never follows them)
	SHA256 string // filled in only where the plan needs it, "" if unknown
}

// makePlan decides what to do with every path. build is the site to
// publish; owned are the files loa published into the folder before (SHA256
// "" when an interrupted run may or may not have replaced it); dir is what the
// folder holds, with hashes for the files that are in the build but not
// owned, or owned and not in the build (see needsHash). It is a pure
// function so that every case has a table test.
func makePlan(build *Manifest, owned map[string]File, dir map[string]present, force bool) *Plan {
	p := &Plan{}
	inBuild := make(map[string]bool, len(build.Files))
	for _, f := range build.Files {
		inBuild[f.Path] = true
		p.Actions = append(p.Actions, planBuildFile(f, owned, dir, force))
	}
	for name, o := range owned {
		if inBuild[name] {
			continue
		}
		e, ok := dir[name]
		switch {
		case !ok || e.Dir:
			// Already gone (or replaced by a folder someone made): nothing of loa's is left.
		case o.SHA256 == "" || e.SHA256 == o.SHA256:
			p.Actions = append(p.Actions, Action{Kind: Stale, File: File{Path: name, Size: e.Size, SHA256: e.SHA256}})
		default:
			p.Actions = append(p.Actions, Action{Kind: Kept, File: File{Path: name, Size: e.Size},
				Reason: "changed since loa published it"})
		}
	}
	for name, e := range dir {
		if e.Dir || inBuild[name] {
			continue
		}
		if _, ok := owned[name]; ok {
			continue
		}
		p.Actions = append(p.Actions, Action{Kind: Foreign, File: File{Path: name, Size: e.Size}})
	}
	sort.Slice(p.Actions, func(i, j int) bool { return p.Actions[i].File.Path < p.Actions[j].File.Path })
	return p
}

func planBuildFile(f File, owned map[string]File, dir map[string]present, force bool) Action {
	for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
		if e, ok := dir[d]; ok && !e.Dir {
			return Action{Kind: Conflict, File: f, Reason: fmt.Sprintf("%s is a file in the folder but the build needs a folder there", d)}
		}
	}
	e, exists := dir[f.Path]
	if !exists {
		return Action{Kind: New, File: f}
	}
	if e.Dir {
		return Action{Kind: Conflict, File: f, Reason: "is a folder in the folder but a file in the build"}
	}
	if o, ok := owned[f.Path]; ok {
		if o.SHA256 == f.SHA256 && o.Size == f.Size && e.Size == f.Size {
			return Action{Kind: Unchanged, File: f}
		}
		return Action{Kind: Changed, File: f}
	}
	switch {
	case e.SHA256 == f.SHA256:
		return Action{Kind: Adopt, File: f}
	case force:
		return Action{Kind: Replace, File: f}
	default:
		return Action{Kind: Conflict, File: f, Reason: "exists but was not published by loa, and differs from the build"}
	}
}

// needsHash reports whether makePlan needs the hash of the folder's file at
// name: to tell a foreign copy identical to the build from a different one,
// and to make sure a stale file is still what loa wrote before removing it.
func needsHash(name string, e present, build *Manifest, owned map[string]File) bool {
	if e.Dir {
		return false
	}
	b, inBuild := build.Lookup(name)
	o, isOwned := owned[name]
	if inBuild {
		return !isOwned && b.Size == e.Size
	}
	return isOwned && o.SHA256 != "" && o.Size == e.Size
}

// Count returns how many actions are of kind k, and their bytes.
func (p *Plan) Count(k Kind) (n int, bytes int64) {
	for _, a := range p.Actions {
		if a.Kind == k {
			n++
			bytes += a.File.Size
		}
	}
	return n, bytes
}

// Conflicts returns the actions that stop a publish.
func (p *Plan) Conflicts() []Action {
	return p.filter(func(a Action) bool { return a.Kind == Conflict })
}

func (p *Plan) filter(keep func(Action) bool) []Action {
	var out []Action
	for _, a := range p.Actions {
		if keep(a) {
			out = append(out, a)
		}
	}
	return out
}

// Writes returns the files to copy in the order that keeps every page's
// assets in place before the page: new assets, changed assets, new pages,
// changed pages; pages deepest first, so a list page is replaced after the
// pages it links to.
func (p *Plan) Writes() []Action {
	w := p.filter(func(a Action) bool { return a.Kind.writes() })
	rank := func(a Action) int {
		r := 0
		if isPage(a.File.Path) {
			r = 2
		}
		if a.Kind != New {
			r++
		}
		return r
	}
	sort.SliceStable(w, func(i, j int) bool {
		a, b := w[i], w[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if da, db := depth(a.File.Path), depth(b.File.Path); isPage(a.File.Path) && da != db {
			return da > db
		}
		return a.File.Path < b.File.Path
	})
	return w
}

// Removals returns the stale files to remove, pages first so that no page
// still served refers to an asset that is already gone.
func (p *Plan) Removals() []Action {
	r := p.filter(func(a Action) bool { return a.Kind == Stale })
	sort.SliceStable(r, func(i, j int) bool {
		pi, pj := isPage(r[i].File.Path), isPage(r[j].File.Path)
		if pi != pj {
			return pi
		}
		return r[i].File.Path < r[j].File.Path
	})
	return r
}

// Idle reports whether the plan neither writes nor removes anything.
func (p *Plan) Idle() bool {
	for _, a := range p.Actions {
		if a.Kind.writes() || a.Kind == Stale {
			return false
		}
	}
	return true
}

func isPage(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".html" || ext == ".htm"
}

func depth(name string) int { return strings.Count(name, "/") }

// WriteList prints one line per action that changes something or needs
// attention (everything but unchanged and foreign), in execution order, for
// --dry-run.
func (p *Plan) WriteList(w io.Writer) {
	// File names come from the site and the target folder: escaped, so
	// that none can act on the terminal or forge a line.
	for _, a := range p.Writes() {
		fmt.Fprintf(w, "%-9s %s (%s)\n", a.Kind, diag.Printable(a.File.Path), formatBytes(a.File.Size))
	}
	for _, a := range p.filter(func(a Action) bool { return a.Kind == Adopt }) {
		fmt.Fprintf(w, "%-9s %s\n", a.Kind, diag.Printable(a.File.Path))
	}
	for _, a := range p.Removals() {
		fmt.Fprintf(w, "%-9s %s\n", "remove", diag.Printable(a.File.Path))
	}
	for _, a := range p.filter(func(a Action) bool { return a.Kind == Kept || a.Kind == Conflict }) {
		fmt.Fprintf(w, "%-9s %s: %s\n", a.Kind, diag.Printable(a.File.Path), diag.Printable(a.Reason))
	}
}

// Summary is one line of counts, e.g.
// "3 new, 1 changed (12.5 KiB), 240 unchanged, 2 stale, 4 foreign left alone".
func (p *Plan) Summary() string {
	var parts []string
	add := func(k Kind, label string, showBytes bool) {
		n, b := p.Count(k)
		if n == 0 && k != Unchanged {
			return
		}
		s := fmt.Sprintf("%d %s", n, label)
		if showBytes && n > 0 {
			s += fmt.Sprintf(" (%s)", formatBytes(b))
		}
		parts = append(parts, s)
	}
	add(New, "new", true)
	add(Changed, "changed", true)
	add(Replace, "replaced", true)
	add(Unchanged, "unchanged", false)
	add(Adopt, "adopted", false)
	add(Stale, "stale", false)
	add(Kept, "kept (changed outside loa)", false)
	add(Foreign, "foreign left alone", false)
	add(Conflict, "conflicts", false)
	return strings.Join(parts, ", ")
}

// formatBytes prints a size for people: "512 B", "12.5 KiB", "3.2 MiB".
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
