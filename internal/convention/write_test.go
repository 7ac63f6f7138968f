package convention

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func importedPage(t *testing.T) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString("Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment\n\nThe States Parties,\n")
	for i := 1; i <= 33; i++ {
		b.WriteString("\nArticle " + itoa(i) + "\n\nText.\n")
	}
	p, err := Import("cat.txt", []byte(b.String()), "cat", "en")
	if err != nil {
		t.Fatal(err)
	}
	return p.Data
}

func itoa(i int) string {
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

func TestCheckOverwrite(t *testing.T) {
	page := importedPage(t)
	if err := CheckOverwrite("p.md", page); err != nil {
		t.Errorf("fresh page: %v", err)
	}
	for _, tc := range []struct{ name, page, want string }{
		{"hand-written page", "---\ntitle: \"Công ước\"\n---\n\nTóm tắt.\n",
			`p.md:1:1: not a page written by "loa import convention"; refusing to overwrite it (use --force)`},
		{"no front matter", "# Notes\n", `p.md:1:1: not a page written by "loa import convention"; refusing to overwrite it (use --force)`},
		{"body edited", strings.Replace(string(page), "Text.", "Text, edited.", 1),
			"p.md:27:3: page was edited after it was imported (content hash differs); refusing to overwrite it (use --force)"},
		{"front matter edited", strings.Replace(string(page), "weight: 7", "weight: 8", 1),
			"p.md:27:3: page was edited after it was imported (content hash differs); refusing to overwrite it (use --force)"},
		{"hash removed", strings.Replace(string(page), "  hash: ", "  hush: ", 1),
			"p.md:1:1: imported page has no content hash; refusing to overwrite it (use --force)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckOverwrite("p.md", []byte(tc.page))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestWriteFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	name := filepath.Join(dir, "conventions", "cat.en.md")
	page := importedPage(t)
	if err := WriteFile(ctx, name, page, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(ctx, name, page, false); err != nil {
		t.Fatalf("rewriting an unedited page: %v", err)
	}
	edited := bytes.Replace(page, []byte("Text."), []byte("Text!"), 1)
	os.WriteFile(name, edited, 0o644)
	if err := WriteFile(ctx, name, page, false); err == nil {
		t.Fatal("an edited page was overwritten")
	}
	if got, _ := os.ReadFile(name); !bytes.Equal(got, edited) {
		t.Error("the refused write changed the file")
	}
	if err := WriteFile(ctx, name, page, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(name); !bytes.Equal(got, page) {
		t.Error("--force did not write the page")
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := WriteFile(cancelled, filepath.Join(dir, "other.md"), page, false); err == nil {
		t.Error("cancelled context: no error")
	}
}
