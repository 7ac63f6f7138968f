package publish

import (
	"io/fs"
	"path"
	"strings"
)

// foldTarget plays a folder that ignores case but keeps it, like a Windows
// share or a FAT or exFAT stick, on top of a real folder that tells case
// apart (the kernel of the test machine has no such file system to mount):
// every name is looked up without regard to case.
type foldTarget struct {
	t        target // the real folder
	keepCase bool   // a file renamed over another keeps the other's case, as some file systems do
}

// canon returns the real folder's name for name: each part of it as an
// entry of that name, in any case, is spelled; parts that do not exist are
// kept as given.
func (f foldTarget) canon(name string) string {
	if name == "." {
		return name
	}
	cur := "."
	for _, part := range strings.Split(name, "/") {
		found := part
		if entries, err := fs.ReadDir(f.t.FS(), cur); err == nil {
			for _, e := range entries {
				if strings.EqualFold(e.Name(), part) {
					found = e.Name()
					break
				}
			}
		}
		cur = path.Join(cur, found)
	}
	return cur
}

func (f foldTarget) FS() fs.FS { return foldFS{f} }

func (f foldTarget) Lstat(name string) (fs.FileInfo, error) { return f.t.Lstat(f.canon(name)) }

func (f foldTarget) OpenFile(name string, flag int, perm fs.FileMode) (file, error) {
	return f.t.OpenFile(f.canon(name), flag, perm)
}

func (f foldTarget) MkdirAll(name string, perm fs.FileMode) error {
	return f.t.MkdirAll(f.canon(name), perm)
}

func (f foldTarget) Remove(name string) error { return f.t.Remove(f.canon(name)) }

// Rename replaces a file whose name differs from newname only in case, as
// such a folder does, and leaves the result under newname's case, or with
// keepCase under the replaced file's.
func (f foldTarget) Rename(oldname, newname string) error {
	from := f.canon(oldname)
	given := path.Join(f.canon(path.Dir(newname)), path.Base(newname))
	existing := f.canon(newname)
	switch {
	case existing == given || existing == from:
		return f.t.Rename(from, given)
	case f.keepCase:
		return f.t.Rename(from, existing)
	}
	if err := f.t.Rename(from, existing); err != nil {
		return err
	}
	return f.t.Rename(existing, given)
}

type foldFS struct{ f foldTarget }

func (fsys foldFS) Open(name string) (fs.File, error) { return fsys.f.t.FS().Open(fsys.f.canon(name)) }
