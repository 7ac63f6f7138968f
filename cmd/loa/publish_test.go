package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPublishCommand runs loa publish as a user would and checks the exit
// code and what it prints.
func TestPublishCommand(t *testing.T) {
	root := t.TempDir()
	pub := filepath.Join(root, "public")
	evil := filepath.Join(root, "portal\x1b]52;c;cm0gLXJmIH4K\x07") // OSC 52 sets the terminal's clipboard
	locked := filepath.Join(root, "locked")
	host, _ := os.Hostname()
	for name, content := range map[string]string{
		"public/index.html":                           "<h1>Trang chủ</h1>",
		"public/css/main.css":                         "body{}",
		"locked/.loa-publish.lock":                    fmt.Sprintf(`{"pid":%d,"host":%q,"started":"2026-11-29T09:00:00Z"}`, os.Getpid(), host),
		"portal\x1b]52;c;cm0gLXJmIH4K\x07/robots.txt": "User-agent: *",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // contained
		stderr string // contained
	}{
		{"into the built site", []string{"--from", pub, "--to", pub}, 1, "",
			pub + ": is the built site's folder " + pub + " itself; nothing was changed; give --to the portal's folder, outside the built site"},
		{"inside the built site", []string{"--from", pub, "--to", filepath.Join(pub, "css")}, 1, "", ": is inside the built site's folder"},
		{"while another publish runs", []string{"--from", pub, "--to", locked}, 1, "",
			fmt.Sprintf(".loa-publish.lock: another loa publish (process %d on ", os.Getpid())},
		{"a folder named with control characters", []string{"--from", pub, "--to", evil, "--dry-run"}, 0,
			`portal\x1b]52;c;cm0gLXJmIH4K\a": 2 new (`, ""},
		{"the same, for real", []string{"--from", pub, "--to", evil}, 0, `portal\x1b]52;c;cm0gLXJmIH4K\a": 2 new (`, ""},
		{"no folder", []string{"--from", pub}, 2, "", "no folder to publish to; give one with --to DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"publish"}, tt.args...), &out, &errb)
			if code != tt.code || !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out.String(), errb.String())
			}
			for _, s := range []string{out.String(), errb.String()} {
				if strings.ContainsAny(s, "\x1b\x07") {
					t.Errorf("printed a control character: %q", s)
				}
			}
		})
	}
}
