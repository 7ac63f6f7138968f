package publish

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"loa/internal/sitefs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// DefaultPackName is the zip Pack writes when no name is given.
const DefaultPackName = "loa-site.zip"

// PackTime is the modification time of every entry of a pack. A constant,
// rather than the build time or the newest content date, so that the same
// site always gives the same zip, whatever the clock or time zone, and a pack
// of an unchanged site does not look newer than it is.
var PackTime = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// stored lists extensions of already-compressed formats, stored as they are.
var stored = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".avif": true,
	".woff": true, ".woff2": true, ".gz": true, ".br": true, ".zip": true, ".mp3": true, ".mp4": true, ".webm": true,
}

// PackOptions configure Pack. The zero value packs ./public into
// ./loa-site.zip.
type PackOptions struct {
	From   string // the built site's folder as the user named it; default DefaultFrom
	Source fs.FS  // the built site; nil means os.DirFS(From)
	Out    string // the zip to write; default DefaultPackName
	// Owned says whether an existing file at Out is a zip loa wrote and
	// may replace; nil means none is. Any other existing file stops Pack
	// before it writes anything.
	Owned func(path string) bool
}

// PackResult tells what Pack wrote.
type PackResult struct {
	Out   string
	Files int
	Size  int64 // bytes of the site
	Zip   int64 // bytes of the zip
}

// Pack writes the built site as one zip (see WriteZip), through a temporary
// file renamed into place, so a failed pack leaves any previous zip as it
// was.
func Pack(ctx context.Context, opts PackOptions) (*PackResult, error) {
	from := opts.From
	if from == "" {
		from = DefaultFrom
	}
	out := opts.Out
	if out == "" {
		out = DefaultPackName
	}
	src := opts.Source
	if src == nil {
		// Symlinks in the built site are followed only inside it.
		src = sitefs.New(os.DirFS(from))
		if inside(out, from) {
			return nil, &Error{Path: out, Problem: "is inside the built site, so the next pack would contain it", Fix: "write the zip outside " + from + " with --out"}
		}
	}
	if fi, err := os.Lstat(out); err == nil {
		if !fi.Mode().IsRegular() || opts.Owned == nil || !opts.Owned(out) {
			return nil, &Error{Path: out, Problem: "already exists and is not a zip that loa pack wrote, so it is left alone",
				Fix: "choose another name with --out, or move that file away"}
		}
	}
	m, _, err := loadBuild(ctx, src, from, nil)
	if err != nil {
		return nil, err
	}
	dir, base := filepath.Split(out)
	if dir == "" {
		dir = "."
	}
	// A fresh, unpredictable name (O_EXCL): never a file someone else made.
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, ioError(out, "cannot write", err, "run loa pack again")
	}
	tmp := f.Name()
	err = WriteZip(ctx, f, src, m)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		os.Remove(tmp)
		var e *Error
		if errors.As(err, &e) || ctx.Err() != nil {
			return nil, err
		}
		return nil, ioError(out, "cannot write", err, "run loa pack again")
	}
	fi, err := os.Stat(out)
	if err != nil {
		return nil, ioError(out, "cannot read back", err, "run loa pack again")
	}
	return &PackResult{Out: out, Files: len(m.Files), Size: m.TotalSize(), Zip: fi.Size()}, nil
}

// inside reports whether file would land inside folder dir.
func inside(file, dir string) bool {
	if file == "" {
		return false
	}
	f, err1 := filepath.Abs(file)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, f)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// WriteZip writes the files listed in m, read from fsys, as a zip to w:
// paths relative to the site root, so index.html is at the top level,
// entries sorted by path,
// every entry dated PackTime with mode 0644, deflated unless already
// compressed. The same files always give the same bytes. Every file is
// checked against its size and hash in m.
func WriteZip(ctx context.Context, w io.Writer, fsys fs.FS, m *Manifest) error {
	zw := zip.NewWriter(w)
	files := append([]File(nil), m.Files...)
	// m is sorted already when it comes from BuildManifest or ReadManifest; sort anyway for any other caller.
	sortFiles(files)
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		h := &zip.FileHeader{Name: f.Path, Method: zip.Deflate, Modified: PackTime}
		if stored[strings.ToLower(path.Ext(f.Path))] {
			h.Method = zip.Store
		}
		h.SetMode(0o644)
		ew, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		got, err := copyHashed(ew, fsys, f.Path)
		if err != nil {
			return err
		}
		if got != f {
			return &Error{Path: f.Path, Problem: "changed while it was being packed", Fix: "wait for the build to finish, then run loa pack again"}
		}
	}
	return zw.Close()
}

func sortFiles(files []File) {
	m := Manifest{Files: files}
	m.sort()
}

// copyHashed copies name from fsys to w and returns what it copied.
func copyHashed(w io.Writer, fsys fs.FS, name string) (File, error) {
	in, err := fsys.Open(name)
	if err != nil {
		return File{}, err
	}
	defer in.Close()
	hw := newHashWriter(w)
	if _, err := io.Copy(hw, in); err != nil {
		return File{}, err
	}
	return hw.file(name), nil
}

// Unpack extracts a zip written by Pack into dir, which must exist. Every
// entry stays inside dir. It is what a commune does with the pack, and what
// tests do to open the unpacked site from file://.
func Unpack(zipFile, dir string) error {
	zr, err := zip.OpenReader(zipFile)
	if err != nil {
		return err
	}
	defer zr.Close()
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if !fs.ValidPath(f.Name) {
			return fmt.Errorf("%s: entry %q: not a clean relative path", zipFile, f.Name)
		}
		if d := path.Dir(f.Name); d != "." {
			if err := root.MkdirAll(d, 0o777); err != nil {
				return err
			}
		}
		if err := unpackOne(root, f); err != nil {
			return err
		}
	}
	return nil
}

func unpackOne(root *os.Root, f *zip.File) error {
	in, err := f.Open()
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := root.OpenFile(f.Name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
