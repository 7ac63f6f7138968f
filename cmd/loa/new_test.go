package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestNewCommand(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local) }
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "loa.yaml"), []byte("title: T\nbaseURL: https://example.org/\nguidance: huong-dan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bare := t.TempDir()
	if err := os.WriteFile(filepath.Join(bare, "loa.yaml"), []byte("title: T\nbaseURL: https://example.org/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args     []string
		code     int
		stdout   string
		stderr   string
		contains string // in the created file
	}{
		{[]string{"guidance", "Tiêu đề bài viết", "--root", root}, 0, "content/huong-dan/tieu-de-bai-viet.md\n", "", "date: 2026-11-25\n"},
		{[]string{"--root", root, "guidance", "Tiêu đề bài viết"}, 1, "", "already exists", ""},
		{[]string{"--root", root, "page", "gioi-thieu/lien-he.md", "--title", "Liên hệ"}, 0, "content/gioi-thieu/lien-he.md\n", "", `title: "Liên hệ"`},
		{[]string{"--root", root, "page"}, 2, "", "usage", ""},
		{[]string{"--root", root, "post", "x"}, 2, "", "unknown kind", ""},
		{[]string{"--root", bare, "guidance", "Tiêu đề"}, 1, "", "loa.yaml names no guidance section: add a line such as guidance: huong-dan", ""},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := newCommand(tt.args, &out, &errb, now)
		if code != tt.code || out.String() != tt.stdout || !strings.Contains(errb.String(), tt.stderr) {
			t.Errorf("loa new %q = %d\nstdout: %s\nstderr: %s", tt.args, code, out.String(), errb.String())
		}
		if tt.contains != "" {
			b, _ := os.ReadFile(filepath.Join(root, strings.TrimSpace(tt.stdout)))
			if !strings.Contains(string(b), tt.contains) {
				t.Errorf("file %s does not contain %q:\n%s", tt.stdout, tt.contains, b)
			}
		}
	}
}
