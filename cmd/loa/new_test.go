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
