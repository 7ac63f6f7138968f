package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestRunImport(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "crc.en.txt")
	var text strings.Builder
	text.WriteString("Convention on the Rights of the Child\n\nThe States Parties to the present Convention,\n")
	for i := 1; i <= 54; i++ {
		text.WriteString("\nArticle " + strconv.Itoa(i) + "\n\nText.\n")
	}
	if err := os.WriteFile(in, []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "content")
	run := func(args ...string) (int, string, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := runImport(context.Background(), args, &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	// Flags after the positional FILE.
	code, stdout, stderr := run("convention", in, "--code", "crc", "--lang", "en", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	page := filepath.Join(out, "conventions", "crc.en.md")
	if !strings.Contains(stdout, "conventions/crc.en.md (54 articles, 0 corrections)") {
		t.Errorf("stdout = %q", stdout)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("### Article 54 {#article-54}")) {
		t.Errorf("page lacks article 54:\n%s", data)
	}

	// Re-importing an unedited page is allowed.
	if code, _, stderr := run("convention", "--code=crc", "--lang=en", "--out="+out, in); code != 0 {
		t.Fatalf("re-import: exit %d, stderr:\n%s", code, stderr)
	}

	// An edited page is not overwritten, unless --force.
	edited := bytes.Replace(data, []byte("Text."), []byte("Text!"), 1)
	if err := os.WriteFile(page, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run("convention", in, "--code", "crc", "--lang", "en", "--out", out)
	if code != 1 || !strings.Contains(stderr, "crc.en.md:") || !strings.Contains(stderr, "edited after it was imported") {
		t.Errorf("edited page: exit %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(page); !bytes.Equal(got, edited) {
		t.Error("edited page was changed")
	}
	if code, _, stderr := run("convention", in, "--code", "crc", "--lang", "en", "--out", out, "--force"); code != 0 {
		t.Fatalf("--force: exit %d, stderr:\n%s", code, stderr)
	}
	if got, _ := os.ReadFile(page); !bytes.Equal(got, data) {
		t.Error("--force did not restore the imported page")
	}

	// A hand-written page (the Vietnamese summary) is never overwritten
	// without --force.
	vi := filepath.Join(out, "cong-uoc", "crc.md")
	os.MkdirAll(filepath.Dir(vi), 0o755)
	os.WriteFile(vi, []byte("---\ntitle: \"Công ước về Quyền Trẻ em\"\n---\n\nTóm tắt.\n"), 0o644)
	viIn := filepath.Join(dir, "crc.vi.txt")
	os.WriteFile(viIn, []byte("Công ước về Quyền Trẻ em\n\nĐiều 1\n\nMột.\n"), 0o644)
	code, _, stderr = run("convention", viIn, "--code", "crc", "--lang", "vi", "--out", out)
	if code != 1 {
		t.Errorf("vi import: exit %d, want 1; stderr %q", code, stderr)
	}

	// Errors: all reported, sorted, nothing written.
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("Convention on the Rights of the Child\n\nArticle 1\n\nA.\n\nArticle 3\n\nC.\n\nArticle 3\n\nD.\n"), 0o644)
	os.Remove(page)
	code, _, stderr = run("convention", bad, "--code", "crc", "--lang", "en", "--out", out)
	if code != 1 {
		t.Errorf("bad input: exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], ":7:1: missing article 2 (before article 3)") ||
		!strings.Contains(lines[1], ":11:1: duplicate article 3 (also at line 7)") ||
		!strings.Contains(lines[2], ":13:1: missing articles 4 to 54: the text ends after article 3") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if _, err := os.Stat(page); err == nil {
		t.Error("a page was written despite errors")
	}
}

func TestRunImportUsage(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"nonsense"},
		{"convention"},
		{"convention", "a.txt", "b.txt", "--code", "crc", "--lang", "en"},
		{"convention", "a.txt", "--lang", "en"},
		{"convention", "--bogus", "a.txt"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runImport(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		if !strings.Contains(stderr.String(), "usage: loa import convention") {
			t.Errorf("%q: stderr %q lacks usage", args, stderr.String())
		}
	}
}

func TestParseInterspersed(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runImport(context.Background(), []string{"convention", "--code", "xyz", "--lang", "en", "--", "-odd-name.txt"}, &stdout, &stderr)
	// The file name after "--" is positional even though it starts with "-":
	// the run fails on reading it, not on flags.
	if code != 1 || !strings.Contains(stderr.String(), "-odd-name.txt") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestImportDamagedFile: a source with a NUL byte is refused at its line
// and column, and nothing is written.
func TestImportDamagedFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var text strings.Builder
	text.WriteString("Convention on the Rights of the Child\n\nThe States Parties to the present Convention,\n")
	for i := 1; i <= 54; i++ {
		text.WriteString("\nArticle " + strconv.Itoa(i) + "\n\nText.\n")
		if i == 2 {
			text.WriteString("Text\x00 more.\n") // line 12
		}
	}
	writeFiles(t, dir, map[string]string{"corpus/x.txt": text.String()})
	var stdout, stderr bytes.Buffer
	code := runImport(context.Background(), []string{"convention", "corpus/x.txt", "--code", "crc", "--lang", "en"}, &stdout, &stderr)
	want := "corpus/x.txt:12:5: NUL byte (U+0000) in the text: the file is damaged or not plain text; save it again as plain UTF-8 text, or delete the character\n"
	if code != 1 || stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr:\n%q\nwant exit 1 and:\n%q", code, stdout.String(), stderr.String(), want)
	}
	if _, err := os.Stat(filepath.Join(dir, "content")); !os.IsNotExist(err) {
		t.Errorf("something was written: %v", err)
	}
}
