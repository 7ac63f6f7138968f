package publish

import (
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// Kind is what a publish does with one path.
type Kind int

const (
	New       Kind = iota // not in the folder yet: copy
	Changed               // loa's (its content proves it), the build's differs: copy over it
	Replace               // foreign and different, Force given: copy over it
	Unchanged             // loa's, same content: leave
	Adopt                 // foreign but identical to the build: record as loa's
	Stale                 // loa's (its content proves it), no longer in the build: remove
	Kept                  // loa published it but it changed since: leave, no longer loa's
	Foreign               // not loa's, not in the build: leave
	Conflict              // foreign and different without Force, or not loa's and in the way: stop
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

	// At is the folder's name for File.Path when it differs only in case
	// (the folder ignores case): the write replaces that file and leaves it
	// under the build's name. Empty otherwise.
	At string
	// First marks a stale file in the way of the build (a file where the
	// build needs a folder, or inside a folder where the build needs a
	// file): it is removed before the writes instead of after them.
	First bool

	forceable bool   // a Conflict that Force turns into Replace
	fix       string // for a Conflict that moving a file away does not fix: what does
}

// Plan is what a publish will do, one Action per path, sorted by path.
type Plan struct {
	Actions []Action
	// Folders are loa's folders in the way of the build's files, removed
	// after the First removals have emptied them and before the writes,
	// deepest first.
	Folders []string
}

// present describes a path found in the target folder.
type present struct {
	Size       int64
	Dir        bool // a folder (symlinks count as files: loa never follows them)
	Unreadable bool // a folder loa may not list: what it holds is unknown
}

// record is what loa's records say about one path in the folder: the
// contents a complete publish or a finished journal line says loa wrote
// there (written), and the contents an interrupted run was about to write
// (intended). A record proves nothing by itself: the file at the path is
// loa's only while its content is one of these.
type record struct {
	written  []File
	intended []File
	// last is what the records say the file holds now: the latest content
	// written, unless a later run may or may not have replaced it (nil).
	last *File
}

// claims reports whether content of this size and hash is one that loa
// wrote or meant to write at the path.
func (r *record) claims(size int64, hash string) bool {
	for _, list := range [][]File{r.written, r.intended} {
		for _, f := range list {
			if f.Size == size && f.SHA256 == hash {
				return true
			}
		}
	}
	return false
}

// claimsSize reports whether any content loa wrote or meant to write at the
// path has this size; if none does, the file there is not loa's, no hash
// needed.
func (r *record) claimsSize(size int64) bool {
	for _, list := range [][]File{r.written, r.intended} {
		for _, f := range list {
			if f.Size == size {
				return true
			}
		}
	}
	return false
}

// holds reports whether loa's records say the path holds exactly the
// build's file f, the last content loa wrote there, and the folder's file
// still has its size. Such a file is left as it is without reading it:
// loa does not touch it, so there is nothing to prove.
func (r *record) holds(f File, size int64) bool {
	return r.last != nil && r.last.SHA256 == f.SHA256 && r.last.Size == f.Size && size == f.Size
}

// planInput is everything makePlan decides from.
type planInput struct {
	build *Manifest
	owned map[string]*record       // loa's records, by path as recorded
	dir   map[string]present       // what the folder holds, by name as found (publish's own files left out)
	hash  func(name string) string // SHA-256 of a file in dir, "" if it cannot be read; called only where the plan needs it
	force bool
	fold  bool // the folder does not tell upper from lower case ("Logo.png" is "logo.png")
}

// makePlan decides what to do with every path. The rule that keeps foreign
// files safe: a file in the folder counts as loa's only if its content is
// one loa's records name for that path (see record); a record alone, a name
// in the journal, proves nothing. Hashes are computed lazily, only where the
// decision depends on one. It reads the folder only through in.hash, so that
// every case has a table test.
func makePlan(in planInput) *Plan {
	pl := &planner{in: in, hashes: map[string]string{}, dirAt: map[string]string{},
		own: map[string]*record{}, buildAt: map[string]File{}, first: map[string]bool{}, decided: map[string]bool{}}
	return pl.plan()
}

type planner struct {
	in      planInput
	hashes  map[string]string  // cache of in.hash
	dirAt   map[string]string  // key -> name in the folder
	own     map[string]*record // key -> records, merged when names differ only in case
	buildAt map[string]File    // key -> build file
	first   map[string]bool    // stale files to remove before the writes
	folders []string           // loa's folders in the way
	decided map[string]bool    // folder names some action already covers
	actions []Action
}

// key is how the folder compares names.
func (pl *planner) key(name string) string {
	if pl.in.fold {
		return strings.ToLower(name)
	}
	return name
}

func (pl *planner) hash(name string) string {
	h, ok := pl.hashes[name]
	if !ok {
		h = pl.in.hash(name)
		pl.hashes[name] = h
	}
	return h
}

// proven reports whether the folder's file at name is loa's: its content
// is one that loa's records claim for the path.
func (pl *planner) proven(name string, r *record) bool {
	e, ok := pl.in.dir[name]
	if !ok || e.Dir || r == nil || !r.claimsSize(e.Size) {
		return false
	}
	h := pl.hash(name)
	return h != "" && r.claims(e.Size, h)
}

func (pl *planner) plan() *Plan {
	in := pl.in
	for _, name := range sortedKeys(in.dir) {
		if k := pl.key(name); pl.dirAt[k] == "" {
			pl.dirAt[k] = name
		}
	}
	for _, name := range sortedKeys(in.owned) {
		k, r := pl.key(name), in.owned[name]
		m := pl.own[k]
		if m == nil {
			pl.own[k] = &record{written: r.written, intended: r.intended, last: r.last}
			continue
		}
		// Two names for one file in a folder that ignores case: which
		// was written last is unknown.
		m.written = append(m.written, r.written...)
		m.intended = append(m.intended, r.intended...)
		m.last = nil
	}
	var files []File
	for _, f := range in.build.Files {
		k := pl.key(f.Path)
		if g, dup := pl.buildAt[k]; dup {
			pl.actions = append(pl.actions, Action{Kind: Conflict, File: f,
				Reason: fmt.Sprintf("the build also has %s, and this folder does not tell upper from lower case, so it cannot hold both", printable(g.Path)),
				fix:    "nothing was changed; give one of them another name in the site's sources, then build and publish again"})
			continue
		}
		pl.buildAt[k] = f
		files = append(files, f)
	}
	for _, f := range files {
		pl.actions = append(pl.actions, pl.buildFile(f))
	}
	for _, k := range sortedKeys(pl.own) {
		pl.staleFile(k)
	}
	for _, name := range sortedKeys(in.dir) {
		if e := in.dir[name]; !e.Dir && !pl.decided[name] {
			pl.actions = append(pl.actions, Action{Kind: Foreign, File: File{Path: name, Size: e.Size}})
		}
	}
	sort.Slice(pl.actions, func(i, j int) bool { return pl.actions[i].File.Path < pl.actions[j].File.Path })
	sort.Slice(pl.folders, func(i, j int) bool {
		a, b := pl.folders[i], pl.folders[j]
		if da, db := depth(a), depth(b); da != db {
			return da > db
		}
		return a < b
	})
	return &Plan{Actions: pl.actions, Folders: pl.folders}
}

func (pl *planner) buildFile(f File) Action {
	conflict := func(reason string, forceable bool) Action {
		if forceable && pl.in.force {
			return Action{Kind: Replace, File: f}
		}
		return Action{Kind: Conflict, File: f, Reason: reason, forceable: forceable}
	}
	// Every folder above the file: a file there is in the way.
	for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
		name, ok := pl.dirAt[pl.key(d)]
		if !ok || pl.in.dir[name].Dir {
			continue
		}
		if _, inBuild := pl.buildAt[pl.key(d)]; !inBuild && pl.proven(name, pl.own[pl.key(d)]) {
			pl.first[name] = true // loa's own stale file: removed first
			continue
		}
		return conflict(fmt.Sprintf("%s is a file in the folder but the build needs a folder there, and it is not loa's to remove", printable(name)), false)
	}
	name, exists := pl.dirAt[pl.key(f.Path)]
	if !exists {
		return Action{Kind: New, File: f}
	}
	e := pl.in.dir[name]
	if e.Dir {
		files, ok := pl.staleFolder(name)
		if !ok {
			return conflict("is a folder in the folder but a file in the build, and it holds files that are not loa's to remove", false)
		}
		for _, n := range files {
			pl.first[n] = true
		}
		pl.folders = append(pl.folders, name)
		for _, n := range sortedKeys(pl.in.dir) {
			if strings.HasPrefix(n, name+"/") && pl.in.dir[n].Dir {
				pl.folders = append(pl.folders, n)
			}
		}
		return Action{Kind: New, File: f}
	}
	pl.decided[name] = true
	r := pl.own[pl.key(f.Path)]
	at := ""
	if name != f.Path {
		at = name // same name but for case: the write also renames
	}
	switch {
	case at == "" && r != nil && r.holds(f, e.Size):
		return Action{Kind: Unchanged, File: f}
	case e.Size == f.Size && pl.hash(name) == f.SHA256:
		switch {
		case at == "":
			if r != nil {
				return Action{Kind: Unchanged, File: f}
			}
			return Action{Kind: Adopt, File: f}
		case r != nil:
			return Action{Kind: Changed, File: f, At: at}
		}
		return Action{Kind: Adopt, File: f, At: at}
	case pl.proven(name, r):
		return Action{Kind: Changed, File: f, At: at}
	}
	a := conflict("exists but was not published by loa, and differs from the build", true)
	if r != nil && len(r.written) > 0 && a.Kind == Conflict {
		a.Reason = "changed since loa published it, and differs from the build"
	}
	a.At = at
	return a
}

// staleFolder reports whether the folder name holds only loa's own files
// that the build no longer has (or nothing), and returns them.
func (pl *planner) staleFolder(name string) ([]string, bool) {
	prefix := name + "/"
	if pl.in.dir[name].Unreadable {
		return nil, false
	}
	var files []string
	for _, n := range sortedKeys(pl.in.dir) {
		if !strings.HasPrefix(n, prefix) {
			continue
		}
		e := pl.in.dir[n]
		if e.Unreadable {
			return nil, false
		}
		if e.Dir {
			continue
		}
		k := pl.key(n)
		if _, inBuild := pl.buildAt[k]; inBuild || !pl.proven(n, pl.own[k]) {
			return nil, false
		}
		files = append(files, n)
	}
	// Every folder in it must hold some of loa's files, or be one loa made
	// for a file its records name (a run killed before it wrote the file
	// leaves the folder empty). Any other empty folder may be someone's (an
	// upload folder, a mount point).
	for _, n := range append([]string{name}, sortedKeys(pl.in.dir)...) {
		if n != name && (!strings.HasPrefix(n, prefix) || !pl.in.dir[n].Dir) {
			continue
		}
		loas := false
		for _, f := range files {
			loas = loas || strings.HasPrefix(f, n+"/")
		}
		for k := range pl.own {
			loas = loas || strings.HasPrefix(k, pl.key(n)+"/")
		}
		if !loas {
			return nil, false
		}
	}
	return files, true
}

// staleFile plans one path of loa's records that the build does not have.
func (pl *planner) staleFile(k string) {
	if _, inBuild := pl.buildAt[k]; inBuild {
		return // planned with the build's file (in a folder that ignores case, under another case)
	}
	name, ok := pl.dirAt[k]
	if !ok {
		return // already gone
	}
	e := pl.in.dir[name]
	if e.Dir {
		return // replaced by a folder someone made: nothing of loa's is left
	}
	r := pl.own[k]
	switch {
	case pl.proven(name, r):
		pl.decided[name] = true
		pl.actions = append(pl.actions, Action{Kind: Stale, File: File{Path: name, Size: e.Size, SHA256: pl.hash(name)}, First: pl.first[name]})
	case len(r.written) > 0:
		pl.decided[name] = true
		pl.actions = append(pl.actions, Action{Kind: Kept, File: File{Path: name, Size: e.Size}, Reason: "changed since loa published it"})
	}
	// Otherwise only an interrupted run meant to write here, and the file
	// holds something else: it is foreign.
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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

// Removals returns the stale files to remove after the writes, pages first
// so that no page still served refers to an asset that is already gone.
func (p *Plan) Removals() []Action {
	r := p.filter(func(a Action) bool { return a.Kind == Stale && !a.First })
	sort.SliceStable(r, func(i, j int) bool {
		pi, pj := isPage(r[i].File.Path), isPage(r[j].File.Path)
		if pi != pj {
			return pi
		}
		return r[i].File.Path < r[j].File.Path
	})
	return r
}

// FirstRemovals returns the stale files in the way of the build, to remove
// before the writes: deepest first, so that a folder of loa's is emptied
// from the bottom up.
func (p *Plan) FirstRemovals() []Action {
	r := p.filter(func(a Action) bool { return a.Kind == Stale && a.First })
	sort.SliceStable(r, func(i, j int) bool {
		if di, dj := depth(r[i].File.Path), depth(r[j].File.Path); di != dj {
			return di > dj
		}
		return r[i].File.Path < r[j].File.Path
	})
	return r
}

// Idle reports whether the plan neither writes nor removes anything.
func (p *Plan) Idle() bool {
	if len(p.Folders) > 0 {
		return false
	}
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
	for _, a := range p.FirstRemovals() {
		fmt.Fprintf(w, "%-9s %s (in the way of the build: first)\n", "remove", printable(a.File.Path))
	}
	for _, d := range p.Folders {
		fmt.Fprintf(w, "%-9s %s/ (in the way of the build: first)\n", "remove", printable(d))
	}
	for _, a := range p.Writes() {
		fmt.Fprintf(w, "%-9s %s (%s)", a.Kind, printable(a.File.Path), formatBytes(a.File.Size))
		if a.At != "" {
			fmt.Fprintf(w, " over %s", printable(a.At))
		}
		fmt.Fprintln(w)
	}
	for _, a := range p.filter(func(a Action) bool { return a.Kind == Adopt }) {
		fmt.Fprintf(w, "%-9s %s\n", a.Kind, printable(a.File.Path))
	}
	for _, a := range p.Removals() {
		fmt.Fprintf(w, "%-9s %s\n", "remove", printable(a.File.Path))
	}
	for _, a := range p.filter(func(a Action) bool { return a.Kind == Kept || a.Kind == Conflict }) {
		fmt.Fprintf(w, "%-9s %s: %s\n", a.Kind, printable(a.File.Path), escapeText(a.Reason))
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
