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
	"strings"
)

const rerun = "run loa publish again to finish"

// run carries out a plan without conflicts, in this order:
//
//  1. record in the journal every file it will write and every temporary
//     name it may create, and sync;
//  2. check that loa can write in every folder it will change, by creating
//     and removing a temporary file there: a folder it may not write in
//     stops the run before anything changed;
//  3. remove the temporary files an interrupted run left;
//  4. remove loa's own stale files and folders in the way of the build;
//  5. create the folders the build needs;
//  6. write the files, assets before pages;
//  7. remove the stale files, pages before assets;
//  8. write the record of this publish and remove the journal.
func (p *publisher) run(ctx context.Context, res *Result, build, state *Manifest, j *journal, dir map[string]present, leftovers []string) error {
	next := &Manifest{Schema: SchemaVersion, Generator: Generator(), Files: build.Files}
	nextBytes, _ := next.MarshalJSON()
	plan := res.Plan
	writes, first, removals := plan.Writes(), plan.FirstRemovals(), plan.Removals()
	if plan.Idle() && !j.exists && len(leftovers) == 0 && state != nil {
		if old, err := state.MarshalJSON(); err == nil && bytes.Equal(old, nextBytes) {
			return nil // the same build again: touch nothing
		}
	}

	// 1. The journal names every temporary file before it exists.
	var changed []string // files and folders written or removed
	for _, list := range [][]Action{writes, first, removals} {
		for _, a := range list {
			changed = append(changed, a.File.Path)
		}
	}
	folders := p.foldersToCheck(dir, append(changed, plan.Folders...))
	var temps []string
	probes := make([]string, len(folders))
	for i, d := range folders {
		probes[i] = newTempName(path.Join(d, "loa-probe"))
	}
	temps = append(temps, probes...)
	tmp := make([]string, len(writes))
	fixTmp := make([]string, len(writes))
	files := make([]File, len(writes))
	var total int64
	for i, a := range writes {
		files[i] = a.File
		total += a.File.Size
		tmp[i] = newTempName(a.File.Path)
		temps = append(temps, tmp[i])
		if a.At != "" {
			fixTmp[i] = newTempName(a.File.Path)
			temps = append(temps, fixTmp[i])
		}
	}
	stateTmp := newTempName(stateName)
	temps = append(temps, stateTmp)
	jw, err := openJournal(p.t, j)
	if err != nil {
		return ioError(p.show(journalName), "cannot write", err, "run loa publish again")
	}
	closed := false
	closeJournal := func() {
		if !closed {
			jw.Close()
			closed = true
		}
	}
	defer closeJournal()
	if err := jw.intend(files, temps); err != nil {
		return ioError(p.show(journalName), "cannot write", err, "run loa publish again")
	}
	p.step()

	// 2. Check every folder before the first change.
	for i, d := range folders {
		if err := p.probe(probes[i]); err != nil {
			closeJournal()
			if !j.exists {
				p.t.Remove(journalName) // nothing was written: leave no trace
			}
			e := ioError(p.show(d), "loa cannot write in this folder", err, "run loa publish again")
			e.Fix = "nothing was changed; " + e.Fix
			return e
		}
	}

	// 3. Leftovers of an interrupted run, named in its journal.
	for _, name := range leftovers {
		switch err := p.t.Remove(name); {
		case err == nil:
			res.Leftovers++
			p.step()
		case !errors.Is(err, fs.ErrNotExist):
			return ioError(p.show(name), "cannot remove a temporary file left by an interrupted publish", err, rerun)
		}
	}

	// 4. loa's own stale files in the way of the build.
	for _, a := range first {
		if err := ctx.Err(); err != nil {
			return &Error{Path: p.opts.To, Problem: "publish stopped before writing any file", Err: err, Fix: rerun}
		}
		if err := p.removeStale(res, a); err != nil {
			return err
		}
	}

	for _, d := range plan.Folders {
		switch err := p.t.Remove(d); {
		case err == nil:
			p.step()
		case !errors.Is(err, fs.ErrNotExist):
			return ioError(p.show(d), "cannot remove this folder of loa's, which is in the way of the build", err, rerun)
		}
	}

	// 5. Folders, before the first file.
	for _, d := range p.newFolders(writes) {
		if fi, err := p.t.Lstat(d); err == nil && fi.IsDir() {
			continue
		}
		if err := p.t.MkdirAll(d, 0o777); err != nil {
			return ioError(p.show(d), "cannot create the folder", err, rerun)
		}
		p.step()
	}

	// 6. Files.
	bar := newProgress(p.opts.Progress, p.opts.hooks.now, len(files), total)
	defer bar.finish()
	for i, a := range writes {
		if err := ctx.Err(); err != nil {
			return &Error{Path: p.opts.To, Problem: fmt.Sprintf("publish stopped after %d of %d files", i, len(files)), Err: err, Fix: rerun}
		}
		if err := p.copyFile(a, tmp[i], fixTmp[i]); err != nil {
			return err
		}
		if err := jw.finished(a.File.Path); err != nil {
			return ioError(p.show(journalName), "cannot write", err, rerun)
		}
		p.step()
		res.Written++
		res.BytesWritten += a.File.Size
		bar.add(a.File.Size)
		if p.opts.hooks.afterWrite != nil {
			p.opts.hooks.afterWrite(res.Written)
		}
	}
	bar.finish()

	// 7. Stale files.
	for _, a := range removals {
		if err := ctx.Err(); err != nil {
			return &Error{Path: p.opts.To, Problem: "publish stopped while removing stale files", Err: err, Fix: rerun}
		}
		if err := p.removeStale(res, a); err != nil {
			return err
		}
	}

	// 8. The record, then the journal is no longer needed.
	if err := p.writeFile(stateTmp, stateName, bytes.NewReader(nextBytes), File{Size: int64(len(nextBytes))}); err != nil {
		return ioError(p.show(stateName), "cannot write the record of this publish", err, rerun)
	}
	closeJournal()
	if err := p.t.Remove(journalName); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return ioError(p.show(journalName), "cannot remove", err, rerun)
	}
	p.step()
	return nil
}

// key is how the folder compares names.
func (p *publisher) key(name string) string {
	if p.fold {
		return strings.ToLower(name)
	}
	return name
}

// foldersToCheck returns the folders a run changes that exist now, sorted:
// the folder holding each of the changed paths or, for a folder still to be
// made, the nearest one above it. The top folder is left out: the lock
// there already showed that loa may write in it.
func (p *publisher) foldersToCheck(dir map[string]present, changed []string) []string {
	isDir := map[string]bool{}
	for name, e := range dir {
		if e.Dir {
			isDir[p.key(name)] = true
		}
	}
	set := map[string]bool{}
	for _, name := range changed {
		d := path.Dir(name)
		for d != "." && !isDir[p.key(d)] {
			d = path.Dir(d)
		}
		if d != "." {
			set[d] = true
		}
	}
	return sortedKeys(set)
}

// newFolders returns the folders the writes need, sorted, so parents come
// first. Which of them exist is asked at the time: removing loa's files in
// the way of the build may have removed a folder that scan saw.
func (p *publisher) newFolders(writes []Action) []string {
	set := map[string]bool{}
	for _, a := range writes {
		if d := path.Dir(a.File.Path); d != "." {
			set[d] = true
		}
	}
	return sortedKeys(set)
}

// probe creates and removes the temporary file name, to learn whether loa
// may write in its folder.
func (p *publisher) probe(name string) error {
	f, err := p.t.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	p.step()
	cerr := f.Close()
	if err := p.t.Remove(name); err != nil {
		return err
	}
	p.step()
	return cerr
}

// copyFile copies one file of the build into place through the temporary
// file tmp, checking that what it copied is what it planned to copy. When
// the folder ignores case and has the file under another case (a.At), fix
// is the temporary name for putting the build's case right.
func (p *publisher) copyFile(a Action, tmp, fix string) error {
	f := a.File
	in, err := p.src.Open(f.Path)
	if err != nil {
		return &Error{Path: filepath.Join(p.from, filepath.FromSlash(f.Path)), Problem: "cannot read", Err: err,
			Fix: "was the site rebuilt meanwhile? " + rerun}
	}
	defer in.Close()
	err = p.writeFile(tmp, f.Path, in, f)
	var changed *changedError
	if errors.As(err, &changed) {
		return &Error{Path: filepath.Join(p.from, filepath.FromSlash(f.Path)), Problem: "changed while it was being published",
			Fix: "wait for the build to finish, then " + rerun}
	}
	if err == nil && a.At != "" {
		err = p.fixCase(f.Path, fix)
	}
	if err != nil {
		return ioError(p.show(f.Path), "cannot write", err, rerun)
	}
	return nil
}

// changedError says that the bytes read were not the ones planned.
type changedError struct{}

func (changedError) Error() string { return "content changed" }

// writeFile writes what r holds to name through the temporary file tmp,
// created new (O_EXCL: it is never a file someone else made), synced and
// renamed over name, so a reader sees the old file or the new one, never
// half of one. If want has a hash, the bytes must match it.
func (p *publisher) writeFile(tmp, name string, r io.Reader, want File) error {
	out, err := p.t.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	p.step()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && (n != want.Size || want.SHA256 != "" && hex.EncodeToString(h.Sum(nil)) != want.SHA256) {
		err = &changedError{}
	}
	if err == nil {
		p.step()
		err = p.t.Rename(tmp, name)
	}
	if err != nil {
		p.t.Remove(tmp)
		return err
	}
	p.step()
	return nil
}

// fixCase makes the folder's entry for name carry name's case. A folder
// that ignores case may keep the old name's case when a file is renamed
// over it; renaming the file away and back through the temporary name tmp
// sets it.
func (p *publisher) fixCase(name, tmp string) error {
	entries, err := fs.ReadDir(p.t.FS(), path.Dir(name))
	if err != nil {
		return err
	}
	base := path.Base(name)
	for _, e := range entries {
		if e.Name() == base || p.key(e.Name()) != p.key(base) {
			continue
		}
		if err := p.t.Rename(path.Join(path.Dir(name), e.Name()), tmp); err != nil {
			return err
		}
		p.step()
		if err := p.t.Rename(tmp, name); err != nil {
			return err
		}
		p.step()
		return nil
	}
	return nil
}

// removeStale removes one of loa's stale files after checking, once more,
// that it holds what loa wrote: someone may have changed it since the plan
// was made. A changed one is left alone, with a warning.
func (p *publisher) removeStale(res *Result, a Action) error {
	f, err := HashFile(p.t.FS(), a.File.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: cannot read it to check that it is still loa's (%s); left alone", printable(p.show(a.File.Path)), causeText(err)))
		return nil
	case f.SHA256 != a.File.SHA256:
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: changed during the publish, so no longer loa's; left alone", printable(p.show(a.File.Path))))
		return nil
	}
	switch err := p.t.Remove(a.File.Path); {
	case err == nil:
		res.Removed++
		p.step()
	case !errors.Is(err, fs.ErrNotExist):
		return ioError(p.show(a.File.Path), "cannot remove this stale file", err, rerun)
	}
	p.pruneDirs(a.File.Path)
	return nil
}

// pruneDirs removes the folders above a removed file that are now empty.
// Remove refuses a folder that still holds anything, so nothing else is lost.
func (p *publisher) pruneDirs(name string) {
	for d := path.Dir(name); d != "."; d = path.Dir(d) {
		if p.t.Remove(d) != nil {
			return
		}
		p.step()
	}
}
