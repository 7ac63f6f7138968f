// Package state keeps the build-state folder, .loa/ at the site root: what
// loa needs between runs and readers never get. Nothing in it is published,
// packed or needed to read the site, and deleting the folder is always safe:
// the next `loa build` writes it again.
//
//	.loa/state.json          {"schema": N}: the layout of this folder
//	.loa/index.bleve/        the Bleve index that `loa search` queries
//	.loa/outputs/<id>.json   one record per output folder loa wrote: its
//	                         absolute path and the manifest (path, size,
//	                         SHA-256 of every file) of what was written
//	.loa/pending.json        temporary folders a build is writing; a build
//	                         killed part-way leaves them, the next one removes
//	                         exactly those
//
// The output records are loa's proof of ownership: `loa build --out DIR`
// replaces DIR only when it does not exist, is empty, or is recorded here as
// loa's output and still holds a file loa wrote there (see CheckOutput).
package state

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"loa/internal/output"
	"loa/internal/publish"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DirName is the name of the build-state folder at the site root.
const DirName = ".loa"

// Schema numbers the layout of the folder. A folder with another number was
// written by another loa; its index and records are not read (`loa search`
// asks for a rebuild, and a build starts them afresh).
const Schema = 1

// ErrNoState is returned (wrapped) when the folder is missing or was written
// by a loa with another schema.
var ErrNoState = errors.New("no build state")

// Dir is an open build-state folder.
type Dir struct {
	Path string // the folder, e.g. "site/.loa"
}

// Index returns the path of the Bleve index folder.
func (d *Dir) Index() string { return filepath.Join(d.Path, "index.bleve") }

type stateFile struct {
	Schema int `json:"schema"`
}

// Create opens the build-state folder at path for a build, creating it when
// missing. A folder from another schema is emptied of loa's entries (its
// state.json, index, output records and pending list), never of anything
// else, and started afresh.
func Create(path string) (*Dir, error) {
	d := &Dir{Path: path}
	if err := d.check(); err == nil {
		return d, nil
	} else if !errors.Is(err, ErrNoState) {
		return nil, err
	}
	if fi, err := os.Lstat(path); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("%s: the build-state folder is a file; move it away and build again", path)
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the build-state folder: %w", err)
	}
	for _, name := range []string{"index.bleve", "outputs", "pending.json", "state.json"} {
		if err := os.RemoveAll(filepath.Join(path, name)); err != nil {
			return nil, err
		}
	}
	// A .gitignore inside the folder keeps it out of version control
	// wherever the site lives.
	if err := output.WriteFile(filepath.Join(path, ".gitignore"), []byte("*\n"), 0o644); err != nil {
		return nil, err
	}
	data, _ := json.Marshal(stateFile{Schema: Schema})
	if err := output.WriteFile(filepath.Join(path, "state.json"), append(data, '\n'), 0o644); err != nil {
		return nil, err
	}
	return d, nil
}

// Open opens an existing build-state folder for reading (loa search,
// publish, pack). A missing folder, or one of another schema, is ErrNoState.
func Open(path string) (*Dir, error) {
	d := &Dir{Path: path}
	if err := d.check(); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Dir) check() error {
	data, err := os.ReadFile(filepath.Join(d.Path, "state.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", d.Path, ErrNoState)
	}
	if err != nil {
		return err
	}
	var s stateFile
	if err := json.Unmarshal(data, &s); err != nil || s.Schema != Schema {
		return fmt.Errorf("%s: written by another version of loa (schema %s, this loa uses %d): %w",
			d.Path, strings.TrimSpace(string(data)), Schema, ErrNoState)
	}
	return nil
}

// Output is the record of one output folder loa wrote.
type Output struct {
	Path  string         `json:"path"`  // absolute, cleaned
	Files []publish.File `json:"files"` // sorted by Path; for a file (a zip), its base name
}

func recordID(abs string) string {
	h := sha256.Sum256([]byte(abs))
	return hex.EncodeToString(h[:8])
}

func (d *Dir) recordPath(abs string) string {
	return filepath.Join(d.Path, "outputs", recordID(abs)+".json")
}

// RecordOutput records that loa wrote files into the output folder dir.
func (d *Dir) RecordOutput(dir string, files []publish.File) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	files = append([]publish.File(nil), files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	data, err := json.MarshalIndent(Output{Path: abs, Files: files}, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(d.Path, "outputs"), 0o755); err != nil {
		return err
	}
	return output.WriteFile(d.recordPath(abs), append(data, '\n'), 0o644)
}

// LookupOutput returns the record of the output folder dir, or nil when loa
// has none.
func (d *Dir) LookupOutput(dir string) (*Output, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(d.recordPath(abs))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var o Output
	if err := json.Unmarshal(data, &o); err != nil || o.Path != abs {
		return nil, nil // damaged or colliding: no proof
	}
	return &o, nil
}

// Owns reports whether dir, an output folder or a zip, is one loa wrote: it
// is recorded and still holds at least one file with the size and SHA-256
// loa wrote (files the admin added beside them do not matter). The record
// alone is not enough: the folder may have been replaced since.
func (d *Dir) Owns(dir string) (bool, error) {
	o, err := d.LookupOutput(dir)
	if err != nil || o == nil {
		return false, err
	}
	base := dir
	if fi, err := os.Lstat(dir); err == nil && fi.Mode().IsRegular() {
		base = filepath.Dir(dir) // a zip: its record names it by base name
	}
	fsys := os.DirFS(base)
	// index.html first: every site has one, so this usually hashes one file.
	files := append([]publish.File(nil), o.Files...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Path == "index.html" && files[j].Path != "index.html" })
	for i, f := range files {
		if i == 64 {
			break
		}
		if fi, err := fs.Stat(fsys, f.Path); err != nil || !fi.Mode().IsRegular() || fi.Size() != f.Size {
			continue
		}
		if got, err := publish.HashFile(fsys, f.Path); err == nil && got == f {
			return true, nil
		}
	}
	return false, nil
}

// pendingFile lists temporary folders by absolute path.
func (d *Dir) pendingFile() string { return filepath.Join(d.Path, "pending.json") }

func (d *Dir) readPending() ([]string, error) {
	data, err := os.ReadFile(d.pendingFile())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	if err := json.Unmarshal(data, &names); err != nil {
		return nil, nil // damaged: nothing is proven loa's
	}
	return names, nil
}

func (d *Dir) writePending(names []string) error {
	if len(names) == 0 {
		if err := os.Remove(d.pendingFile()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	data, _ := json.Marshal(names)
	return output.WriteFile(d.pendingFile(), data, 0o644)
}

// MkdirTemp creates a new temporary folder next to dest, named
// ".<base>.tmp-<random>", after recording its name, so that a build killed
// while writing it leaves a folder the next build can prove is loa's.
func (d *Dir) MkdirTemp(dest string) (string, error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return "", err
	}
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	name := filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".tmp-"+hex.EncodeToString(rnd[:]))
	names, err := d.readPending()
	if err != nil {
		return "", err
	}
	if err := d.writePending(append(names, name)); err != nil {
		return "", err
	}
	if err := os.Mkdir(name, 0o755); err != nil {
		d.Done(name)
		return "", err
	}
	return name, nil
}

// Done forgets a temporary folder made by MkdirTemp once it is gone (swapped
// in or removed).
func (d *Dir) Done(name string) error {
	names, err := d.readPending()
	if err != nil {
		return err
	}
	kept := names[:0]
	for _, n := range names {
		if n != name {
			kept = append(kept, n)
		}
	}
	return d.writePending(kept)
}

// CleanPending removes the temporary folders that builds killed part-way
// left behind: exactly the ones recorded by MkdirTemp, nothing else. It
// returns the folders it removed.
func (d *Dir) CleanPending() ([]string, error) {
	names, err := d.readPending()
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, n := range names {
		if _, err := os.Lstat(n); err == nil {
			if err := os.RemoveAll(n); err != nil {
				return removed, err
			}
			removed = append(removed, n)
		}
	}
	return removed, d.writePending(nil)
}

// OutputError says why a folder cannot be used as the output of a build.
type OutputError struct {
	Dir     string
	Problem string
	Fix     string
}

func (e *OutputError) Error() string {
	return fmt.Sprintf("%s: %s; nothing was written. %s", e.Dir, e.Problem, e.Fix)
}

// CheckOutput says whether a build may replace the folder out as a whole. It
// may when out does not exist, is an empty folder, or is an output loa wrote
// (Owns; also the pre-.loa layout: a folder whose loa-manifest.json lists
// every file in it). Never: the site root or a folder holding it, a folder
// inside root's source folders (sources, e.g. "content"), or .loa itself, a
// file, a symbolic link, or any other folder with files in it. The error is
// an *OutputError.
func (d *Dir) CheckOutput(out, root string, sources []string) error {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	realOut, realRoot := realPath(absOut), realPath(absRoot)
	publishHint := "To copy the site into a folder that holds other files (a portal), use loa publish --to DIR."
	if within(realRoot, realOut) {
		return &OutputError{Dir: out, Problem: "is the site's own folder or holds it, and a build replaces its output folder as a whole",
			Fix: "Choose an output folder inside the site (the default is public) or outside it. " + publishHint}
	}
	for _, s := range append(append([]string(nil), sources...), DirName, ".git") {
		src := realPath(filepath.Join(absRoot, s))
		if within(realOut, src) {
			return &OutputError{Dir: out, Problem: fmt.Sprintf("is inside the site's %s folder", s),
				Fix: "Choose another output folder; the default is public."}
		}
	}
	fi, err := os.Lstat(absOut)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return &OutputError{Dir: out, Problem: "is a symbolic link, and loa replaces only a real folder it built", Fix: "Name the folder it points to, or remove the link."}
	case !fi.IsDir():
		return &OutputError{Dir: out, Problem: "is a file, not a folder", Fix: "Choose another output folder. " + publishHint}
	}
	ents, err := os.ReadDir(absOut)
	if err != nil {
		return err
	}
	if len(ents) == 0 {
		return nil
	}
	if ok, err := d.Owns(absOut); err != nil || ok {
		return err
	}
	if legacyOutput(absOut) {
		return nil
	}
	return &OutputError{Dir: out, Problem: "holds files that loa has no record of writing (" + ents[0].Name() + " …), and a build replaces its output folder as a whole",
		Fix: "Move those files away, or choose an empty or new folder with --out. " + publishHint}
}

// legacyOutput recognises an output written before the build-state folder
// existed: a loa-manifest.json at the top that lists every file in the
// folder (the old Bleve index under search/index.bleve/ aside).
func legacyOutput(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "loa-manifest.json"))
	if err != nil {
		return false
	}
	var m struct {
		Schema int `json:"schema"`
		Files  []struct {
			Path string `json:"path"`
		} `json:"files"`
	}
	if json.Unmarshal(data, &m) != nil || m.Schema != 1 {
		return false
	}
	listed := map[string]bool{"loa-manifest.json": true}
	for _, f := range m.Files {
		listed[f.Path] = true
	}
	ok := true
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			ok = false
			return fs.SkipAll
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "search/index.bleve" {
			return fs.SkipDir
		}
		if !e.IsDir() && !listed[rel] {
			ok = false
			return fs.SkipAll
		}
		return nil
	})
	return ok
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// realPath resolves symbolic links in the longest existing prefix of p.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(realPath(parent), filepath.Base(p))
}
