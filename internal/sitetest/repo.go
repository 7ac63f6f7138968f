package sitetest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"loa/internal/output"
)

// RepoRoot returns the repository root (the folder holding go.mod), found by
// walking up from the test's working folder.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test folder")
		}
		dir = parent
	}
}

// ReadTree returns every file under dir, keyed by slash path relative to
// dir, for AssertSameFiles.
func ReadTree(t testing.TB, dir string) output.Files {
	t.Helper()
	files := output.Files{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// AssertSameFiles fails unless got and want hold the same paths with the
// same bytes.
func AssertSameFiles(t testing.TB, what string, got, want output.Files) {
	t.Helper()
	for p, data := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: %s is missing", what, p)
		} else if string(g) != string(data) {
			t.Errorf("%s: %s differs:\n%s\nwant:\n%s", what, p, g, data)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: unexpected file %s", what, p)
		}
	}
}
