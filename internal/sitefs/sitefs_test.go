package sitefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// TestResolve follows links hop by hop on a real disk: inside is fine,
// leaving the site by any hop is an *EscapeError naming the chain, and a
// loop stops.
func TestResolve(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	os.MkdirAll(filepath.Join(site, "static", "img"), 0o755)
	os.WriteFile(filepath.Join(site, "static", "img", "a.png"), []byte("png"), 0o644)
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("secret"), 0o644)
	link(t, "img/a.png", filepath.Join(site, "static", "same.png"))
	link(t, "../leak", filepath.Join(site, "static", "leak.txt"))
	link(t, filepath.Join(dir, "secret.txt"), filepath.Join(site, "leak"))
	link(t, "..", filepath.Join(site, "static", "up"))
	link(t, "../../..", filepath.Join(site, "static", "img", "out"))
	link(t, "img", filepath.Join(site, "static", "pics"))
	link(t, "loop2", filepath.Join(site, "loop1"))
	link(t, "loop1", filepath.Join(site, "loop2"))
	fsys := New(os.DirFS(site))
	for _, c := range []struct{ name, real, err string }{
		{"static/same.png", "static/img/a.png", ""},
		{"static/pics/a.png", "static/img/a.png", ""},
		{"static/up/static/img/a.png", "static/img/a.png", ""},
		{"static/missing/x", "static/missing/x", ""},
		{"static/leak.txt", "", "symlink leaves the site (points to " + filepath.Join(dir, "secret.txt") + " through leak)"},
		{"static/img/out/secret.txt", "", "symlink leaves the site (points to ../../..)"},
		{"static/up/leak", "", "symlink leaves the site (points to " + filepath.Join(dir, "secret.txt") + " through leak)"},
		{"loop1", "", ErrLoop.Error()},
	} {
		got, err := Resolve(fsys, c.name)
		switch {
		case c.err == "" && (err != nil || got != c.real):
			t.Errorf("Resolve(%s) = %q, %v; want %q", c.name, got, err, c.real)
		case c.err != "" && (err == nil || !containsErr(err, c.err)):
			t.Errorf("Resolve(%s) = %q, %v; want error %q", c.name, got, err, c.err)
		}
	}
	if _, err := fs.ReadFile(fsys, "static/leak.txt"); err == nil {
		t.Error("read a file outside the site through a two-hop link")
	}
	var esc *EscapeError
	if _, err := fs.ReadFile(fsys, "static/leak.txt"); !errors.As(err, &esc) {
		t.Errorf("ReadFile error %v is not an *EscapeError", err)
	}
	if b, err := fs.ReadFile(fsys, "static/pics/a.png"); err != nil || string(b) != "png" {
		t.Errorf("ReadFile through a folder link: %q, %v", b, err)
	}
	if _, err := fs.ReadDir(fsys, "static/img/out"); err == nil {
		t.Error("listed a folder outside the site")
	}
}

func containsErr(err error, want string) bool {
	return err != nil && strings.Contains(err.Error(), want)
}

// TestMapFS: fstest.MapFS links are followed the same way, so tests can
// run in memory.
func TestMapFS(t *testing.T) {
	m := fstest.MapFS{
		"content/a.md": {Data: []byte("a")},
		"content/b.md": {Data: []byte("../x"), Mode: fs.ModeSymlink},
		"x":            {Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink},
		"content/c.md": {Data: []byte("a.md"), Mode: fs.ModeSymlink},
	}
	if b, err := fs.ReadFile(New(m), "content/c.md"); err != nil || string(b) != "a" {
		t.Errorf("c.md: %q %v", b, err)
	}
	if _, err := fs.ReadFile(New(m), "content/b.md"); err == nil {
		t.Error("b.md read through a link out of the site")
	}
}
