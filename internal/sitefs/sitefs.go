// Package sitefs confines reading a site to the site's own folder.
//
// New wraps the site root (an fs.FS such as os.DirFS) so that every name is
// resolved to its real path inside the root before it is opened: each
// symbolic link on the way, however many hops and whether it names a folder
// or a file, is read and followed within the root, and a link whose target
// leaves the root (an absolute path, or "../" above the root) makes the read
// fail with an *EscapeError. os.DirFS alone checks only the name given to
// it, so "static/leak.txt -> ../leak -> /etc/passwd" would otherwise be read.
// More than MaxHops links in one name fail with a loop error (like ELOOP).
//
// Links are seen through fs.ReadLinkFS (os.DirFS and fstest.MapFS implement
// it); a file system without it has no links to follow.
package sitefs

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// MaxHops is the most symbolic links followed while resolving one name,
// the same bound as Linux's ELOOP.
const MaxHops = 40

// EscapeError reports a symbolic link that leads out of the site.
type EscapeError struct {
	Link   string // the link, a slash path in the site: "static/leak.txt"
	Target string // where it points, as written in the link: "/etc/passwd"
	Via    string // the first link of the chain when it is not Link, else ""
}

func (e *EscapeError) Error() string {
	if e.Via != "" && e.Via != e.Link {
		return fmt.Sprintf("symlink leaves the site (points to %s through %s)", e.Target, e.Link)
	}
	return fmt.Sprintf("symlink leaves the site (points to %s)", e.Target)
}

// ErrLoop is returned (wrapped) when resolving a name follows more than
// MaxHops links.
var ErrLoop = errors.New("too many levels of symbolic links (a symlink loop?)")

// FS is a site root whose reads stay inside it. Its methods follow the io/fs
// interfaces; every error is an *fs.PathError naming the path as given.
type FS struct {
	base fs.FS
}

// New returns base confined to itself.
func New(base fs.FS) *FS {
	if f, ok := base.(*FS); ok {
		return f
	}
	return &FS{base: base}
}

// Resolve returns the real path of name inside fsys: every symbolic link on
// the way followed, checked to stay inside. A name that does not exist
// resolves as far as it exists; the rest is appended unchanged.
func Resolve(fsys fs.FS, name string) (string, error) {
	if f, ok := fsys.(*FS); ok {
		fsys = f.base
	}
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	rl, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		return name, nil
	}
	parts := split(name)
	resolved, first, hops := ".", "", 0
	for i := 0; i < len(parts); i++ {
		next := path.Join(resolved, parts[i])
		info, err := rl.Lstat(next)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return path.Join(append([]string{next}, parts[i+1:]...)...), nil
			}
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		if first == "" {
			first = next
		}
		if hops++; hops > MaxHops {
			return "", &fs.PathError{Op: "open", Path: name, Err: ErrLoop}
		}
		target, err := rl.ReadLink(next)
		if err != nil {
			return "", err
		}
		joined := path.Join(resolved, target)
		if path.IsAbs(target) || strings.HasPrefix(target, `\`) || joined == ".." || strings.HasPrefix(joined, "../") {
			return "", &EscapeError{Link: next, Target: target, Via: first}
		}
		parts = append(split(joined), parts[i+1:]...)
		resolved, i = ".", -1
	}
	return resolved, nil
}

func split(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" && s != "." {
			out = append(out, s)
		}
	}
	return out
}

func (f *FS) resolve(op, name string) (string, error) {
	r, err := Resolve(f.base, name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			pe.Op, pe.Path = op, name
			return "", pe
		}
		return "", &fs.PathError{Op: op, Path: name, Err: err}
	}
	return r, nil
}

// Open opens name after resolving it inside the site.
func (f *FS) Open(name string) (fs.File, error) {
	r, err := f.resolve("open", name)
	if err != nil {
		return nil, err
	}
	return f.base.Open(r)
}

// ReadFile reads name after resolving it inside the site.
func (f *FS) ReadFile(name string) ([]byte, error) {
	r, err := f.resolve("read", name)
	if err != nil {
		return nil, err
	}
	return fs.ReadFile(f.base, r)
}

// ReadDir lists the folder name after resolving it inside the site. The
// entries are as they are on disk: a symbolic link is listed as a link.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	r, err := f.resolve("readdir", name)
	if err != nil {
		return nil, err
	}
	return fs.ReadDir(f.base, r)
}

// Stat describes name after resolving it inside the site.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	r, err := f.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	return fs.Stat(f.base, r)
}

// ReadLink returns the target of the link name (the link itself is not
// followed, its folder is resolved).
func (f *FS) ReadLink(name string) (string, error) {
	dir, base := path.Split(name)
	r, err := f.resolve("readlink", path.Clean("./"+dir))
	if err != nil {
		return "", err
	}
	rl, ok := f.base.(fs.ReadLinkFS)
	if !ok {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	return rl.ReadLink(path.Join(r, base))
}

// Lstat describes name without following a link at its end.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	dir, base := path.Split(name)
	r, err := f.resolve("lstat", path.Clean("./"+dir))
	if err != nil {
		return nil, err
	}
	rl, ok := f.base.(fs.ReadLinkFS)
	if !ok {
		return fs.Stat(f.base, path.Join(r, base))
	}
	return rl.Lstat(path.Join(r, base))
}
