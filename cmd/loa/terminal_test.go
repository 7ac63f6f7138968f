package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// evilTitle writes the clipboard (OSC 52) and clears the screen (CSI 2J)
// when printed raw to a terminal.
const evilTitle = "\x1b]52;c;SGVsbG8=\x07Evil\x1b[2J"

// rawControls are bytes no terminal line of loa may hold: ESC, BEL, the C1
// CSI as a character and the right-to-left override.
var rawControls = []string{"\x1b", "\x07", "\u009b", "\u202e"}

func assertNoControls(t *testing.T, what, out string) {
	t.Helper()
	for _, c := range rawControls {
		if strings.Contains(out, c) {
			t.Errorf("%s holds the raw control %q:\n%q", what, c, out)
		}
	}
}

func runLoa(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestSearchTerminalSafety: a page whose title and text hold terminal
// escape sequences (YAML writes ESC as "\e") is listed by `loa search` with
// the sequences escaped; --json keeps the exact text, JSON-escaped.
func TestSearchTerminalSafety(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	writeSmallSite(t, site)
	writeFiles(t, site, map[string]string{
		"content/gioi-thieu.md": "---\ntitle: \"\\e]52;c;SGVsbG8=\\aEvil\\e[2J\"\n---\nTrái phép \u202egpj.exe và &#27;[2J đây.\n",
	})
	if code, _, stderr := runLoa("build", "--quiet", "--root", site); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := runLoa("search", "--root", site, "trái phép")
	if code != 0 {
		t.Fatalf("search: exit %d\n%s", code, stderr)
	}
	assertNoControls(t, "loa search", stdout+stderr)
	want := "1. \\x1b]52;c;SGVsbG8=\\x07Evil\\x1b[2J  ["
	if !strings.HasPrefix(stdout, want) {
		t.Errorf("loa search: got\n%s\nwant a first line starting with %s", stdout, want)
	}
	if !strings.Contains(stdout, "*Trái* *phép* \\u202egpj.exe và \\x1b[2J đây.") {
		t.Errorf("loa search: the snippet is not escaped:\n%s", stdout)
	}
	code, stdout, stderr = runLoa("search", "--json", "--root", site, "trái phép")
	if code != 0 {
		t.Fatalf("search --json: exit %d\n%s", code, stderr)
	}
	assertNoControls(t, "loa search --json", strings.ReplaceAll(stdout, "\u202e", "")) // JSON may hold U+202E as text
	var hits []struct{ Title string }
	if err := json.Unmarshal([]byte(stdout), &hits); err != nil || len(hits) != 1 || hits[0].Title != evilTitle {
		t.Errorf("search --json: %v %+v\n%s", err, hits, stdout)
	}
}

// TestErrorTerminalSafety: a file whose name holds an escape sequence is
// named escaped in the errors of `loa build` and `loa check`; check --json
// gives the real name.
func TestErrorTerminalSafety(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	writeSmallSite(t, site)
	writeFiles(t, site, map[string]string{"content/a\x1b[2J.md": "---\ntitle: [\n---\n"})
	const wantLine = `content/a\x1b[2J.md:2:1: invalid YAML: did not find expected node content`
	code, stdout, stderr := runLoa("build", "--root", site)
	if code != 1 {
		t.Errorf("build: exit %d, want 1", code)
	}
	assertNoControls(t, "loa build", stdout+stderr)
	if !strings.Contains(stderr, wantLine+"\n") {
		t.Errorf("build: stderr\n%s\nwant the line\n%s", stderr, wantLine)
	}
	code, stdout, stderr = runLoa("check", "--root", site)
	if code != 1 {
		t.Errorf("check: exit %d, want 1", code)
	}
	assertNoControls(t, "loa check", stdout+stderr)
	if !strings.Contains(stdout, wantLine+"\n") {
		t.Errorf("check: stdout\n%s\nwant the line\n%s", stdout, wantLine)
	}
	_, stdout, _ = runLoa("check", "--json", "--root", site)
	assertNoControls(t, "loa check --json", stdout)
	var items []struct{ File, Message string }
	if err := json.Unmarshal([]byte(stdout), &items); err != nil {
		t.Fatal(err, stdout)
	}
	found := false
	for _, it := range items {
		found = found || it.File == "content/a\x1b[2J.md"
	}
	if !found {
		t.Errorf("check --json does not name the file as it is: %s", stdout)
	}
}
