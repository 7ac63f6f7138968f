package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"loa/internal/diag"
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
	now        func() time.Time    // the progress bar's clock
}

// Result tells what a publish planned and did.
type Result struct {
	Plan         *Plan
	Written      int   // files copied
	BytesWritten int64 // their bytes
	Removed      int   // stale files removed
	Warnings     []string
}

// Publish makes the folder opts.To hold the built site, see the package
// documentation for the rules. On an error the folder still holds every
// foreign file, and running Publish again finishes the job. With DryRun the
// Result holds the plan and nothing is written.
func Publish(ctx context.Context, opts Options) (*Result, error) {
	from := opts.From
	if from == "" {
		from = DefaultFrom
	}
	src := opts.Source
	if src == nil {
		src = os.DirFS(from)
	}
	build, warnings, err := loadBuild(ctx, src, from, opts.Written)
	if err != nil {
		return nil, stopped(ctx, opts.To, err)
	}
	t, closeTarget, err := openTarget(opts)
	if err != nil {
		return nil, err
	}
	defer closeTarget()
	p := &publisher{opts: opts, t: t, src: src, from: from}

	state, err := readState(t)
	if err != nil {
		return nil, p.stateError(err)
	}
	j, err := readJournal(t)
	if err != nil {
		return nil, &Error{Path: p.show(journalName), Problem: "the record of an interrupted publish is damaged", Err: err,
			Fix: "nothing was changed; move this file away and run loa publish again (files the interrupted run wrote then count as foreign: identical ones are taken over, use --force for the others)"}
	}
	own := owned(state, j)
	dir, temps, err := p.scan(ctx, build, own)
	if err != nil {
		return nil, stopped(ctx, opts.To, err)
	}
	plan := makePlan(build, own, dir, opts.Force)
	res := &Result{Plan: plan, Warnings: warnings}
	if cs := plan.Conflicts(); len(cs) > 0 {
		errs := make([]error, len(cs))
		for i, a := range cs {
			errs[i] = &Error{Path: p.show(a.File.Path), Problem: a.Reason,
				Fix: "nothing was changed; move it away, or run loa publish --force to replace it with the build's file"}
		}
		return res, errors.Join(errs...)
	}
	if opts.DryRun {
		return res, nil
	}
	return res, p.run(ctx, res, build, state, j, temps)
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
	opts Options
	t    target
	src  fs.FS
	from string
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

// scan lists the folder: every file and folder except publish's own, with
// the hashes the plan needs, and publish's temporary files left by an
// interrupted run.
func (p *publisher) scan(ctx context.Context, build *Manifest, own map[string]File) (map[string]present, []string, error) {
	dir := map[string]present{}
	var temps []string
	fsys := p.t.FS()
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if name == "." {
			return err
		}
		if err != nil {
			// A foreign folder loa may not read: note it and go on; writing into it fails clearly later.
			dir[name] = present{Dir: true}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			dir[name] = present{Dir: true}
			return nil
		case name == stateName || name == journalName:
			return nil
		case isTemp(name):
			temps = append(temps, name)
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
	for name, e := range dir {
		if !needsHash(name, e, build, own) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		// A file loa cannot read keeps an empty hash: it then counts as
		// different, which stops rather than overwrites or removes it.
		if f, err := hashFile(fsys, name); err == nil {
			e.SHA256 = f.SHA256
			dir[name] = e
		}
	}
	return dir, temps, nil
}

// run carries out a plan without conflicts.
func (p *publisher) run(ctx context.Context, res *Result, build *Manifest, state *Manifest, j *journal, temps []string) error {
	const rerun = "run loa publish again to finish"
	next := &Manifest{Schema: SchemaVersion, Generator: Generator(), Files: build.Files}
	nextBytes, _ := next.MarshalJSON()
	writes, removals := res.Plan.Writes(), res.Plan.Removals()
	if len(writes) == 0 && len(removals) == 0 && !j.exists && len(temps) == 0 && state != nil {
		if old, err := state.MarshalJSON(); err == nil && bytes.Equal(old, nextBytes) {
			return nil // the same build again: touch nothing
		}
	}
	for _, name := range temps {
		if err := p.t.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return ioError(p.show(name), "cannot remove a temporary file left by an interrupted publish", err, rerun)
		}
	}
	if len(writes) > 0 {
		jw, err := openJournal(p.t, j)
		if err != nil {
			return ioError(p.show(journalName), "cannot write", err, "run loa publish again")
		}
		defer jw.Close()
		files := make([]File, len(writes))
		var total int64
		for i, a := range writes {
			files[i] = a.File
			total += a.File.Size
		}
		if err := jw.intend(files); err != nil {
			return ioError(p.show(journalName), "cannot write", err, "run loa publish again")
		}
		bar := newProgress(p.opts.Progress, p.opts.hooks.now, len(files), total)
		defer bar.finish()
		for i, f := range files {
			if err := ctx.Err(); err != nil {
				return &Error{Path: p.opts.To, Problem: fmt.Sprintf("publish stopped after %d of %d files", i, len(files)), Err: err, Fix: rerun}
			}
			if err := p.copyFile(f); err != nil {
				return err
			}
			if err := jw.finished(f.Path); err != nil {
				return ioError(p.show(journalName), "cannot write", err, rerun)
			}
			res.Written++
			res.BytesWritten += f.Size
			bar.add(f.Size)
			if p.opts.hooks.afterWrite != nil {
				p.opts.hooks.afterWrite(res.Written)
			}
		}
		bar.finish()
	}
	for _, a := range removals {
		if err := ctx.Err(); err != nil {
			return &Error{Path: p.opts.To, Problem: "publish stopped while removing stale files", Err: err, Fix: rerun}
		}
		if err := p.t.Remove(a.File.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return ioError(p.show(a.File.Path), "cannot remove this stale file", err, rerun)
		}
		res.Removed++
		p.pruneDirs(a.File.Path)
	}
	if err := writeAtomic(p.t, stateName, nextBytes); err != nil {
		return ioError(p.show(stateName), "cannot write the record of this publish", err, rerun)
	}
	if err := p.t.Remove(journalName); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return ioError(p.show(journalName), "cannot remove", err, rerun)
	}
	return nil
}

// copyFile copies one file of the build into place through a temporary
// file, checking that what it copied is what it planned to copy.
func (p *publisher) copyFile(f File) error {
	const rerun = "run loa publish again to finish"
	if d := path.Dir(f.Path); d != "." {
		if err := p.t.MkdirAll(d, 0o777); err != nil {
			return ioError(p.show(d), "cannot create the folder", err, rerun)
		}
	}
	in, err := p.src.Open(f.Path)
	if err != nil {
		return &Error{Path: filepath.Join(p.from, filepath.FromSlash(f.Path)), Problem: "cannot read", Err: err,
			Fix: "was the site rebuilt meanwhile? " + rerun}
	}
	defer in.Close()
	tmp := tempName(f.Path)
	out, err := p.t.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return ioError(p.show(f.Path), "cannot write", err, rerun)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && (n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256) {
		p.t.Remove(tmp)
		return &Error{Path: filepath.Join(p.from, filepath.FromSlash(f.Path)), Problem: "changed while it was being published",
			Fix: "wait for the build to finish, then " + rerun}
	}
	if err == nil {
		err = p.t.Rename(tmp, f.Path)
	}
	if err != nil {
		p.t.Remove(tmp)
		return ioError(p.show(f.Path), "cannot write", err, rerun)
	}
	return nil
}

// pruneDirs removes the folders above a removed file that are now empty.
// Remove refuses a folder that still holds anything, so nothing else is lost.
func (p *publisher) pruneDirs(name string) {
	for d := path.Dir(name); d != "."; d = path.Dir(d) {
		if p.t.Remove(d) != nil {
			return
		}
	}
}

// WriteSummary prints what a publish did (or, with DryRun, would do).
func (r *Result) WriteSummary(w io.Writer, to string, dryRun bool) {
	if dryRun {
		r.Plan.WriteList(w)
		fmt.Fprintf(w, "plan for %s: %s\n", diag.Printable(to), r.Plan.Summary())
		fmt.Fprintln(w, "dry run: nothing was changed")
		return
	}
	fmt.Fprintf(w, "published to %s: %s\n", diag.Printable(to), r.Plan.Summary())
	fmt.Fprintf(w, "copied %d files (%s), removed %d\n", r.Written, formatBytes(r.BytesWritten), r.Removed)
}
