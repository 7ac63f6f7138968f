package output

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCommitSwapsAtomically(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	if err := Commit(context.Background(), dest, Files{"index.html": []byte("one"), "a/b.css": []byte("x")}, Temp{}, nil); err != nil {
		t.Fatal(err)
	}
	// A failing finish step leaves the previous output untouched.
	err := Commit(context.Background(), dest, Files{"index.html": []byte("two")}, Temp{}, func(string) error { return errors.New("boom") })
	if err == nil {
		t.Fatal("want error")
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "one" {
		t.Errorf("output changed by a failed commit: %q", b)
	}
	if err := Commit(context.Background(), dest, Files{"index.html": []byte("three")}, Temp{}, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "three" {
		t.Errorf("got %q", b)
	}
	if _, err := os.Stat(filepath.Join(dest, "a/b.css")); !os.IsNotExist(err) {
		t.Errorf("stale file survived the swap")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary folders left behind: %v", entries)
	}
}

func TestWriteTreeRefusesEscapes(t *testing.T) {
	if err := WriteTree(context.Background(), t.TempDir(), Files{"../x": nil}); err == nil {
		t.Error("wrote outside the folder")
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a", "b.md")
	for _, body := range []string{"one", "two"} {
		if err := WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(name); string(b) != body {
			t.Errorf("got %q, want %q", b, body)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(name)); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := WriteFile(filepath.Join(name, "under-a-file"), nil, 0o644); err == nil {
		t.Error("writing below a file succeeded")
	}
}

// TestCommitLinksUnchanged: a file whose content did not change is the
// previous output's file (a hard link, so it keeps its modification time);
// a changed one, a new one, and one whose previous copy was edited by hand
// to something else of the same size are written.
func TestCommitLinksUnchanged(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	first := Files{"same.html": []byte("same"), "changed.html": []byte("old"), "edited.html": []byte("loa's"), "a/deep.css": []byte("x")}
	if err := Commit(context.Background(), dest, first, Temp{}, nil); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dest, "edited.html"), []byte("yours"), 0o644)
	before := map[string]os.FileInfo{}
	for p := range first {
		before[p], _ = os.Stat(filepath.Join(dest, filepath.FromSlash(p)))
	}
	second := Files{"same.html": []byte("same"), "changed.html": []byte("new"), "edited.html": []byte("loa's"), "a/deep.css": []byte("x"), "new.html": []byte("n")}
	if err := Commit(context.Background(), dest, second, Temp{}, nil); err != nil {
		t.Fatal(err)
	}
	for p, want := range second {
		name := filepath.Join(dest, filepath.FromSlash(p))
		if b, _ := os.ReadFile(name); string(b) != string(want) {
			t.Errorf("%s: %q, want %q", p, b, want)
		}
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		linked := before[p] != nil && os.SameFile(before[p], fi)
		if want := p == "same.html" || p == "a/deep.css"; linked != want {
			t.Errorf("%s: linked to the previous output %v, want %v", p, linked, want)
		}
	}
}
