package state

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"loa/internal/publish"
)

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCheckOutput lists the folders a build may replace and the ones it
// must refuse, with the message that says why.
func TestCheckOutput(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	write(t, filepath.Join(site, "loa.yaml"), "title: x\n")
	write(t, filepath.Join(site, "content", "a.md"), "---\ntitle: A\n---\n")
	write(t, filepath.Join(root, "portal", "index.html"), "the portal")
	write(t, filepath.Join(root, "notes.txt"), "notes")
	if err := os.Mkdir(filepath.Join(root, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "empty"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	// An output loa wrote: recorded, and still holding a file it wrote.
	write(t, filepath.Join(root, "built", "index.html"), "<p>built</p>")
	write(t, filepath.Join(root, "built", "admin-added.txt"), "added by hand")
	// Recorded, but since replaced by another folder.
	write(t, filepath.Join(root, "replaced", "index.html"), "someone else's")
	// A pre-.loa output: its loa-manifest.json lists every file.
	write(t, filepath.Join(root, "legacy", "index.html"), "x")
	write(t, filepath.Join(root, "legacy", "search", "index.bleve", "store"), "x")
	write(t, filepath.Join(root, "legacy", "loa-manifest.json"), `{"schema":1,"files":[{"path":"index.html"}]}`)
	write(t, filepath.Join(root, "legacy-plus", "index.html"), "x")
	write(t, filepath.Join(root, "legacy-plus", "other.txt"), "x")
	write(t, filepath.Join(root, "legacy-plus", "loa-manifest.json"), `{"schema":1,"files":[{"path":"index.html"}]}`)

	st, err := Create(filepath.Join(site, DirName))
	if err != nil {
		t.Fatal(err)
	}
	built, err := publish.HashFile(os.DirFS(filepath.Join(root, "built")), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordOutput(filepath.Join(root, "built"), []publish.File{built}); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordOutput(filepath.Join(root, "replaced"), []publish.File{built}); err != nil {
		t.Fatal(err)
	}
	srcs := []string{"content", "layouts", "static", "i18n"}
	for _, c := range []struct{ out, want string }{
		{filepath.Join(site, "public"), ""}, // missing: created
		{filepath.Join(root, "new", "deeper"), ""},
		{filepath.Join(root, "empty"), ""},
		{filepath.Join(root, "built"), ""},
		{filepath.Join(root, "legacy"), ""},
		{site, "is the site's own folder or holds it"},
		{root, "is the site's own folder or holds it"},
		{filepath.Join(site, "content"), "is inside the site's content folder"},
		{filepath.Join(site, "content", "x"), "is inside the site's content folder"},
		{filepath.Join(site, "layouts"), "is inside the site's layouts folder"},
		{filepath.Join(site, ".loa"), "is inside the site's .loa folder"},
		{filepath.Join(root, "portal"), "holds files that loa has no record of writing (index.html …)"},
		{filepath.Join(root, "replaced"), "holds files that loa has no record of writing"},
		{filepath.Join(root, "legacy-plus"), "holds files that loa has no record of writing"},
		{filepath.Join(root, "notes.txt"), "is a file, not a folder"},
		{filepath.Join(root, "link"), "is a symbolic link"},
	} {
		err := st.CheckOutput(c.out, site, srcs)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.out, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want %q", c.out, err, c.want)
		case c.want != "":
			var oe *OutputError
			if !errors.As(err, &oe) || !strings.Contains(err.Error(), "nothing was written") {
				t.Errorf("%s: %v is not an *OutputError saying nothing was written", c.out, err)
			}
		}
	}
}

// TestPending: a temporary folder is removed by the next build only when
// it was recorded, never a look-alike someone else made.
func TestPending(t *testing.T) {
	root := t.TempDir()
	st, err := Create(filepath.Join(root, DirName))
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(root, "public")
	tmp, err := st.MkdirTemp(dest)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(tmp), ".public.tmp-") {
		t.Errorf("temporary folder %s", tmp)
	}
	write(t, filepath.Join(tmp, "index.html"), "half a build")
	foreign := filepath.Join(root, ".public.tmp-mine")
	write(t, filepath.Join(foreign, "keep.txt"), "not loa's")
	// The build is "killed": Done never runs. The next build cleans up.
	st2, err := Create(filepath.Join(root, DirName))
	if err != nil {
		t.Fatal(err)
	}
	removed, err := st2.CleanPending()
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0] != tmp {
		t.Errorf("removed %v, want [%s]", removed, tmp)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s left behind", tmp)
	}
	if b, err := os.ReadFile(filepath.Join(foreign, "keep.txt")); err != nil || string(b) != "not loa's" {
		t.Errorf("a foreign look-alike folder was touched: %v", err)
	}
}

// TestSchema: a state folder of another schema is not read, and a build
// starts it afresh without touching files that are not loa's.
func TestSchema(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, DirName)
	write(t, filepath.Join(dir, "state.json"), `{"schema": 99}`)
	write(t, filepath.Join(dir, "index.bleve", "x"), "old")
	write(t, filepath.Join(dir, "notes.txt"), "mine")
	if _, err := Open(dir); !errors.Is(err, ErrNoState) || !strings.Contains(err.Error(), "written by another version of loa") {
		t.Fatalf("Open: %v", err)
	}
	if _, err := Open(filepath.Join(root, "missing")); !errors.Is(err, ErrNoState) {
		t.Fatalf("Open missing: %v", err)
	}
	if _, err := Create(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.bleve")); !errors.Is(err, os.ErrNotExist) {
		t.Error("old index kept")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
		t.Error("a file loa did not write was removed")
	}
}
