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
