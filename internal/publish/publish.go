package publish

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"loa/internal/sitefs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DefaultFrom is the folder of the built site when none is given.
const DefaultFrom = "public"

// Options configure Publish. The zero value publishes ./public, but To must
// be set.
type Options struct {
	From     string    // the built site's folder as the user named it; default DefaultFrom
	Source   fs.FS     // the built site; nil means os.DirFS(From)
	To       string    // the folder to publish into; it must exist (loa does not create a missing mount point)
	DryRun   bool      // plan only: read the folder, change nothing
	Force    bool      // replace foreign files that differ from the build instead of stopping
	Progress io.Writer // where to draw a progress bar on long runs (a terminal); nil for none
	// Written is what the build recorded writing into From (from the
	// build-state folder); when set, Publish warns if the files differ
	// from it. Nil: an output from before the build-state folder is
	// checked against its own loa-manifest.json, if any.
	Written *Manifest

	hooks hooks
}

// hooks let tests inject faults and stop a run at a chosen point.
type hooks struct {
	target     func(target) target // wraps the folder
	afterWrite func(n int)         // called after the n-th file is written and journaled
	step       func(n int)         // called after the n-th change to the folder (see killEnv)
	now        func() time.Time    // the progress bar's and the lock's clock
	host       string              // this computer's name for the lock; "" for os.Hostname
	alive      func(pid int) bool  // whether a process of this computer runs; nil for processAlive
}

// killEnv names an environment variable for tests only: set to N, the
// process kills itself (SIGKILL, no clean-up, like a power cut or kill -9)
// right after the N-th change it makes to the folder (a lock, journal or
// temporary file created, a file written, renamed or removed), so that a
// test can stop a real loa at every point of a publish and check that the
// next run finishes the job.
const killEnv = "LOA_PUBLISH_TEST_KILL_AFTER"

// Result tells what a publish planned and did.
type Result struct {
	Plan         *Plan
	Written      int   // files copied
	BytesWritten int64 // their bytes
	Removed      int   // stale files removed
	Leftovers    int   // temporary files of an interrupted publish removed
	Warnings     []string
}

// Publish makes the folder opts.To hold the built site, see the package
// documentation for the rules. On an error the folder still holds every
// foreign file, and running Publish again finishes the job. With DryRun the
// Result holds the plan and nothing is written.
func Publish(ctx context.Context, opts Options) (res *Result, err error) {
	from := opts.From
	if from == "" {
		from = DefaultFrom
	}
	src := opts.Source
	if src == nil {
		if err := checkApart(from, opts.To); err != nil {
			return nil, err
		}
		// Symlinks in the built site are followed only inside it.
		src = sitefs.New(os.DirFS(from))
	}
	if opts.hooks.step == nil {
		if n, err := strconv.Atoi(os.Getenv(killEnv)); err == nil && n > 0 {
			opts.hooks.step = func(i int) {
				if i == n {
					killSelf()
				}
			}
		}
	}
	build, warnings, err := loadBuild(ctx, src, from, opts.Written)
	for i, w := range warnings {
		warnings[i] = escapeText(w)
	}
	if err != nil {
		return nil, stopped(ctx, opts.To, err)
	}
	t, closeTarget, err := openTarget(opts)
	if err != nil {
		return nil, err
	}
	defer closeTarget()
	p := &publisher{opts: opts, t: t, src: src, from: from}

	if !opts.DryRun {
		release, err := p.lock()
		if err != nil {
			return nil, err
		}
		defer func() {
			if rerr := release(); rerr != nil && err == nil {
				err = rerr
			}
		}()
		p.step()
	}
	state, err := readState(t)
	if err != nil {
		return nil, p.stateError(err)
	}
	j, err := readJournal(t)
	if err != nil {
		return nil, &Error{Path: p.show(journalName), Problem: "the record of an interrupted publish is damaged", Err: err,
			Fix: "nothing was changed; move this file away and run loa publish again (files the interrupted run wrote then count as foreign: identical ones are taken over, use --force for the others)"}
	}
	dir, leftovers, err := p.scan(ctx, j)
	if err != nil {
		return nil, stopped(ctx, opts.To, err)
	}
	p.fold = p.ignoresCase(dir)
	plan := makePlan(planInput{build: build, owned: owned(state, j), dir: dir, hash: p.hasher(ctx, dir), force: opts.Force, fold: p.fold})
	if ctx.Err() != nil {
		return nil, stopped(ctx, opts.To, ctx.Err())
	}
	res = &Result{Plan: plan, Warnings: warnings}
	if cs := plan.Conflicts(); len(cs) > 0 {
		errs := make([]error, len(cs))
		for i, a := range cs {
			fix := "nothing was changed; move it away, or run loa publish --force to replace it with the build's file"
			switch {
			case a.fix != "":
				fix = a.fix
			case !a.forceable:
				fix = "nothing was changed; move it away (loa removes only what it published), then run loa publish again"
			}
			where := a.File.Path
			if a.At != "" {
				where = a.At // the folder's name for it, in another case
			}
			errs[i] = &Error{Path: p.show(where), Problem: a.Reason, Fix: fix}
		}
		return res, errors.Join(errs...)
	}
	if opts.DryRun {
		return res, nil
	}
	return res, p.run(ctx, res, build, state, j, dir, leftovers)
}

// killSelf ends the process at once, as kill -9 would; see killEnv.
func killSelf() {
	if me, err := os.FindProcess(os.Getpid()); err == nil {
		me.Kill() // on Unix, SIGKILL to oneself is delivered before kill returns
	}
	os.Exit(137)
}

// checkApart refuses a folder to publish into that is the built site's
// folder, is inside it or holds it: the site would be copied into itself,
// the next build would wipe what was published (or publish the portal's
// files), and loa's records would describe the wrong folder. Both are
// compared as the files they are (os.SameFile), so symlinks, "..", and
// names in another case do not hide it.
func checkApart(from, to string) error {
	if to == "" {
		return nil // openTarget says what is missing
	}
	fi, err1 := os.Stat(from)
	ti, err2 := os.Stat(to)
	if err1 != nil || err2 != nil || !fi.IsDir() || !ti.IsDir() {
		return nil // loadBuild and openTarget explain
	}
	const fix = "nothing was changed; give --to the portal's folder, outside the built site"
	switch {
	case os.SameFile(fi, ti):
		return &Error{Path: to, Problem: fmt.Sprintf("is the built site's folder %s itself", printable(from)), Fix: fix}
	case under(to, fi):
		return &Error{Path: to, Problem: fmt.Sprintf("is inside the built site's folder %s", printable(from)), Fix: fix}
	case under(from, ti):
		return &Error{Path: to, Problem: fmt.Sprintf("holds the built site's folder %s", printable(from)),
			Fix: fix + ", or build elsewhere with loa build --out DIR"}
	}
	return nil
}

// under reports whether one of the folders above name is the folder outer.
func under(name string, outer os.FileInfo) bool {
	abs, err := filepath.Abs(name)
	if err != nil {
		return false
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	for {
		parent := filepath.Dir(abs)
		if parent == abs {
			return false
		}
		abs = parent
		if fi, err := os.Stat(abs); err == nil && os.SameFile(fi, outer) {
			return true
		}
	}
}

// stopped turns a cancellation before anything was written into an Error.
func stopped(ctx context.Context, to string, err error) error {
	if ctx.Err() == nil {
		return err
	}
	return &Error{Path: to, Problem: "publish stopped before changing anything", Err: ctx.Err(), Fix: "run loa publish again"}
}

// loadBuild lists the built site, and warns when the manifest the build
// recorded (or, in an output from before the build-state folder, its
// loa-manifest.json) does not match the files: someone edited the output
// after the build.
func loadBuild(ctx context.Context, src fs.FS, from string, recorded *Manifest) (*Manifest, []string, error) {
	show := func(name string) string { return filepath.Join(from, filepath.FromSlash(name)) }
	if _, err := fs.Stat(src, "."); err != nil {
		return nil, nil, &Error{Path: from, Problem: "cannot read the built site", Err: err,
			Fix: "run loa build first, or name the built site's folder with --from"}
	}
	if _, err := fs.Stat(src, "index.html"); err != nil {
		return nil, nil, &Error{Path: show("index.html"), Problem: "missing, so this is not a built site", Err: err,
			Fix: "run loa build first, or name the built site's folder with --from"}
	}
	build, err := buildManifest(ctx, src)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		where := from
		var pe *fs.PathError
		if errors.As(err, &pe) {
			where = show(pe.Path)
		}
		return nil, nil, &Error{Path: where, Problem: "cannot read the built site", Err: err, Fix: "run loa build again"}
	}
	var warnings []string
	if recorded != nil {
		if d := diffFiles(recorded, build); d != "" {
			warnings = append(warnings, fmt.Sprintf("%s: the site was changed after the build (%s); publishing the files as they are now, run loa build to start from a clean build", from, d))
		}
		return build, warnings, nil
	}
	data, err := fs.ReadFile(src, ManifestName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		warnings = append(warnings, fmt.Sprintf("%s: cannot read: %v; publishing the files as they are", show(ManifestName), causeText(err)))
	default:
		written, err := ReadManifest(bytes.NewReader(data))
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: %v; publishing the files as they are", show(ManifestName), err))
		} else if d := diffFiles(written, build); d != "" {
			warnings = append(warnings, fmt.Sprintf("%s: the site was changed after the build (%s); publishing the files as they are now, run loa build to start from a clean build", show(ManifestName), d))
		}
	}
	return build, warnings, nil
}

// diffFiles describes how two file lists differ, "" if they do not.
func diffFiles(a, b *Manifest) string {
	n, first := 0, ""
	note := func(name string) {
		if n == 0 {
			first = name
		}
		n++
	}
	for _, f := range a.Files {
		if g, ok := b.Lookup(f.Path); !ok || g != f {
			note(f.Path)
		}
	}
	for _, f := range b.Files {
		if _, ok := a.Lookup(f.Path); !ok {
			note(f.Path)
		}
	}
	switch n {
	case 0:
		return ""
	case 1:
		return first + " differs"
	}
	return fmt.Sprintf("%d files differ, the first is %s", n, first)
}

func openTarget(opts Options) (target, func(), error) {
	to := opts.To
	if to == "" {
		return nil, nil, &Error{Path: "loa publish", Problem: "no folder to publish to", Fix: "give one with --to DIR"}
	}
	fi, err := os.Stat(to)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, &Error{Path: to, Problem: "folder does not exist",
			Fix: "check that the portal's folder is mounted and the name is right, or create the folder, then run loa publish again"}
	case err != nil:
		return nil, nil, ioError(to, "cannot open the folder", err, "run loa publish again")
	case !fi.IsDir():
		return nil, nil, &Error{Path: to, Problem: "is a file, not a folder", Fix: "give --to the folder the web server serves"}
	}
	root, err := os.OpenRoot(to)
	if err != nil {
		return nil, nil, ioError(to, "cannot open the folder", err, "run loa publish again")
	}
	var t target = rootTarget{root}
	if opts.hooks.target != nil {
		t = opts.hooks.target(t)
	}
	return t, func() { root.Close() }, nil
}

type publisher struct {
	opts  Options
	t     target
	src   fs.FS
	from  string
	fold  bool // the folder ignores case
	steps int  // changes made to the folder so far
}

// step counts one change to the folder, for the kill test (see killEnv).
func (p *publisher) step() {
	p.steps++
	if p.opts.hooks.step != nil {
		p.opts.hooks.step(p.steps)
	}
}

// show names a path in the target folder as the user knows it.
func (p *publisher) show(name string) string {
	return filepath.Join(p.opts.To, filepath.FromSlash(name))
}

func (p *publisher) stateError(err error) error {
	var se *SchemaError
	if errors.As(err, &se) {
		return &Error{Path: p.show(stateName), Problem: "cannot publish here", Err: err,
			Fix: "nothing was changed; publish with that newer loa, or upgrade this one"}
	}
	if errors.Is(err, fs.ErrPermission) {
		return ioError(p.show(stateName), "cannot read", err, "run loa publish again")
	}
	return &Error{Path: p.show(stateName), Problem: "the record of the last publish is damaged", Err: err,
		Fix: "nothing was changed; move this file away and run loa publish again (files loa published before then count as foreign: identical ones are taken over, use --force for the others)"}
}

// scan lists the folder: every file and folder except publish's own
// records, and apart from them the temporary files an interrupted run left,
// which are only those whose exact names the journal lists.
func (p *publisher) scan(ctx context.Context, j *journal) (map[string]present, []string, error) {
	dir := map[string]present{}
	journaled := make(map[string]bool, len(j.temps))
	for _, name := range j.temps {
		journaled[name] = true
	}
	var leftovers []string
	err := fs.WalkDir(p.t.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if name == "." {
			return err
		}
		if err != nil {
			// A foreign folder loa may not read: note it and go on; it is
			// never emptied, and writing into it fails clearly before any
			// change (see run).
			dir[name] = present{Dir: true, Unreadable: true}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			dir[name] = present{Dir: true}
			return nil
		case reserved(name):
			return nil
		case journaled[name]:
			leftovers = append(leftovers, name)
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return ioError(p.show(name), "cannot read", err, "run loa publish again")
		}
		dir[name] = present{Size: info.Size()}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		var e *Error
		if errors.As(err, &e) {
			return nil, nil, e
		}
		return nil, nil, ioError(p.opts.To, "cannot read the folder", err, "run loa publish again")
	}
	return dir, leftovers, nil
}

// hasher returns the plan's hash function: the SHA-256 of a file in the
// folder, or "" when it cannot be read or is not the size scan saw. Then it
// counts as different from everything, which stops rather than overwrites
// or removes it.
func (p *publisher) hasher(ctx context.Context, dir map[string]present) func(string) string {
	return func(name string) string {
		if ctx.Err() != nil {
			return ""
		}
		f, err := HashFile(p.t.FS(), name)
		if err != nil || f.Size != dir[name].Size {
			return ""
		}
		return f.SHA256
	}
}

// ignoresCase tells whether the folder ignores case, by looking up an entry
// under a case-flipped name: the lock this run holds or, in a dry run that
// holds none, the first entry with letters.
func (p *publisher) ignoresCase(dir map[string]present) bool {
	if !p.opts.DryRun {
		return ignoresCase(p.t, lockName)
	}
	for _, name := range append([]string{stateName, journalName}, sortedKeys(dir)...) {
		if strings.ToUpper(name) == strings.ToLower(name) {
			continue
		}
		if _, err := p.t.Lstat(name); err == nil {
			return ignoresCase(p.t, name)
		}
	}
	return false
}

// WriteSummary prints what a publish did (or, with DryRun, would do).
func (r *Result) WriteSummary(w io.Writer, to string, dryRun bool) {
	if dryRun {
		r.Plan.WriteList(w)
		fmt.Fprintf(w, "plan for %s: %s\n", printable(to), r.Plan.Summary())
		fmt.Fprintln(w, "dry run: nothing was changed")
		return
	}
	fmt.Fprintf(w, "published to %s: %s\n", printable(to), r.Plan.Summary())
	fmt.Fprintf(w, "copied %d files (%s), removed %d", r.Written, formatBytes(r.BytesWritten), r.Removed)
	switch {
	case r.Leftovers == 1:
		fmt.Fprint(w, ", and 1 temporary file an interrupted publish left")
	case r.Leftovers > 1:
		fmt.Fprintf(w, ", and %d temporary files an interrupted publish left", r.Leftovers)
	}
	fmt.Fprintln(w)
}
