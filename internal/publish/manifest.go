package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
)

// ManifestName is the file name of the manifest at the root of a built site.
const ManifestName = "loa-manifest.json"

// SchemaVersion is the version of the manifest format this loa writes and the
// newest it reads. Bump it when a change would make an older loa misread a
// manifest; ReadManifest refuses newer versions rather than guess.
const SchemaVersion = 1

// searchIndexDir holds the Bleve index used only by `loa search` on the build
// machine; the published site searches with the static bundle instead.
const searchIndexDir = "search/index.bleve"

// Manifest lists the files of a built site.
type Manifest struct {
	Schema    int    // SchemaVersion of the format
	Generator string // "loa <version>" that wrote it
	Files     []File // sorted by Path, paths unique
}

// File is one file of a site.
type File struct {
	Path   string `json:"path"` // slash-separated, relative to the site root
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lower-case hex
}

// Excluded reports whether a site path is left out of manifests, and so out
// of publishing and packing: the manifest itself and the Bleve index.
func Excluded(name string) bool {
	return name == ManifestName || name == searchIndexDir || strings.HasPrefix(name, searchIndexDir+"/")
}

// BuildManifest lists every file of the built site in fsys except the
// Excluded ones.
func BuildManifest(fsys fs.FS) (*Manifest, error) {
	return buildManifest(context.Background(), fsys)
}

func buildManifest(ctx context.Context, fsys fs.FS) (*Manifest, error) {
	m := &Manifest{Schema: SchemaVersion, Generator: Generator()}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if Excluded(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if t := d.Type(); t&fs.ModeSymlink == 0 && !t.IsRegular() {
			return &fs.PathError{Op: "read", Path: name, Err: errors.New("not a regular file")}
		}
		if err := checkPath(name); err != nil {
			return &fs.PathError{Op: "read", Path: name, Err: err}
		}
		f, err := HashFile(fsys, name)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.sort()
	return m, nil
}

// HashFile reads name from fsys and returns it as a File: its path, size
// and SHA-256. A read error is an *fs.PathError naming the file.
func HashFile(fsys fs.FS, name string) (File, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return File{}, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return File{Path: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Generator names this loa binary: "loa " and the module version Go stamped
// into it, "(devel)" for a build from a work tree.
func Generator() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return "loa " + v
}

func (m *Manifest) sort() {
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
}

// Lookup returns the file at path and whether it is listed.
func (m *Manifest) Lookup(name string) (File, bool) {
	i := sort.Search(len(m.Files), func(i int) bool { return m.Files[i].Path >= name })
	if i < len(m.Files) && m.Files[i].Path == name {
		return m.Files[i], true
	}
	return File{}, false
}

// TotalSize is the sum of the file sizes.
func (m *Manifest) TotalSize() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	return n
}

// MarshalJSON encodes the manifest with one file per line, sorted, so that
// the same site always gives the same bytes and a diff of two manifests
// shows one line per changed file:
//
//	{"schema":1,"generator":"loa v0.1.0","files":[
//	{"path":"css/main.css","size":1234,"sha256":"…"},
//	{"path":"index.html","size":5678,"sha256":"…"}
//	]}
//
// (encoding/json compacts the result of MarshalJSON; write the bytes it
// returns directly to keep the lines.)
func (m *Manifest) MarshalJSON() ([]byte, error) {
	files := append([]File(nil), m.Files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	var b bytes.Buffer
	b.WriteString(`{"schema":`)
	b.WriteString(strconv.Itoa(m.Schema))
	b.WriteString(`,"generator":`)
	writeJSONString(&b, m.Generator)
	b.WriteString(`,"files":[`)
	for i, f := range files {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n{\"path\":")
		writeJSONString(&b, f.Path)
		b.WriteString(`,"size":`)
		b.WriteString(strconv.FormatInt(f.Size, 10))
		b.WriteString(`,"sha256":`)
		writeJSONString(&b, f.SHA256)
		b.WriteByte('}')
	}
	b.WriteString("\n]}\n")
	return b.Bytes(), nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s) // a string always encodes
	b.Write(enc)
}

// SchemaError reports a manifest written by a newer loa.
type SchemaError struct {
	Schema    int    // the version found
	Generator string // who wrote it
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("written by a newer loa (%s, manifest schema %d; this loa reads schema %d)", e.Generator, e.Schema, SchemaVersion)
}

// ReadManifest decodes a manifest and checks it: a schema this loa knows
// (*SchemaError otherwise), valid unique paths, sizes and hashes. A manifest
// decides which files may be overwritten and removed, so a damaged one is an
// error rather than something to work around.
func ReadManifest(r io.Reader) (*Manifest, error) {
	var raw struct {
		Schema    *int   `json:"schema"`
		Generator string `json:"generator"`
		Files     []struct {
			Path   string `json:"path"`
			Size   *int64 `json:"size"`
			SHA256 string `json:"sha256"`
		} `json:"files"`
	}
	dec := json.NewDecoder(r)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("not a loa manifest: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not a loa manifest: data after the end")
	}
	if raw.Schema == nil || *raw.Schema < 1 {
		return nil, errors.New("not a loa manifest: no schema version")
	}
	if *raw.Schema > SchemaVersion {
		return nil, &SchemaError{Schema: *raw.Schema, Generator: raw.Generator}
	}
	m := &Manifest{Schema: *raw.Schema, Generator: raw.Generator, Files: make([]File, 0, len(raw.Files))}
	seen := make(map[string]bool, len(raw.Files))
	for i, f := range raw.Files {
		if err := checkPath(f.Path); err != nil {
			return nil, fmt.Errorf("file %d %q: %w", i+1, f.Path, err)
		}
		if seen[f.Path] {
			return nil, fmt.Errorf("file %d %q: listed twice", i+1, f.Path)
		}
		seen[f.Path] = true
		if f.Size == nil || *f.Size < 0 {
			return nil, fmt.Errorf("file %d %q: no valid size", i+1, f.Path)
		}
		if !validHash(f.SHA256) {
			return nil, fmt.Errorf("file %d %q: no valid sha256", i+1, f.Path)
		}
		m.Files = append(m.Files, File{Path: f.Path, Size: *f.Size, SHA256: f.SHA256})
	}
	m.sort()
	return m, nil
}

// checkPath accepts the paths loa may write and remove: relative, clean,
// slash-separated, no control characters or backslashes, and none of the
// names publish keeps for itself.
func checkPath(name string) error {
	if !fs.ValidPath(name) || name == "." {
		return errors.New("not a clean relative path")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return errors.New("control character or backslash in path")
		}
	}
	if reserved(name) || isTemp(name) {
		return errors.New("name reserved by loa publish")
	}
	return nil
}

func validHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
