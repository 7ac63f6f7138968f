package convention

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"loa/internal/sitetest"
)

var update = flag.Bool("update", false, "rewrite content/conventions/*.en.md from corpus/ (review the diff like code)")

func repoRoot(t *testing.T) string { return sitetest.RepoRoot(t) }

// pageFront is the part of an imported page's front matter the tests read.
type pageFront struct {
	Title       string `yaml:"title"`
	Code        string `yaml:"code"`
	Articles    int    `yaml:"articles"`
	Corrections []struct {
		Line int    `yaml:"line"`
		From string `yaml:"from"`
		To   string `yaml:"to"`
	} `yaml:"corrections"`
	Imported struct {
		Generator        string   `yaml:"generator"`
		HeadingsAdded    []string `yaml:"headingsAdded"`
		CaptionSeparator string   `yaml:"captionSeparator"`
		Hash             string   `yaml:"hash"`
	} `yaml:"imported"`
}

func splitPage(t *testing.T, page []byte) (pageFront, string) {
	t.Helper()
	fm, ok := frontMatterOf(page)
	if !ok {
		t.Fatal("page has no front matter")
	}
	var f pageFront
	if err := yaml.Unmarshal(fm[4:], &f); err != nil {
		t.Fatalf("front matter is not valid YAML: %v", err)
	}
	return f, strings.TrimPrefix(string(page[len(fm):]), "---\n")
}

var (
	headingRe  = regexp.MustCompile(`^#{2,6} (.*) \{#([^}]*)\}$`)
	mdEscapeRe = regexp.MustCompile("\\\\([!-/:-@\\[-`{-~])")
)

// markdownWords strips the Markdown the importer writes (heading markers,
// {#id}, the caption separator, backslash escapes, headings it added) and
// returns the words that remain.
func markdownWords(md string, added []string) []string {
	skip := map[string]bool{}
	for _, id := range added {
		skip[id] = true
	}
	var out []string
	for _, line := range strings.Split(md, "\n") {
		if m := headingRe.FindStringSubmatch(line); m != nil {
			if skip[m[2]] {
				continue
			}
			line = strings.Replace(m[1], " "+CaptionSeparator+" ", " ", 1)
		}
		out = append(out, Words(mdEscapeRe.ReplaceAllString(line, "$1"))...)
	}
	return out
}

var corpusArticles = map[string]int{"iccpr": 53, "icescr": 31, "cedaw": 30, "icerd": 25, "crc": 54, "crpd": 50, "cat": 33}

// TestCorpusPages re-imports every corpus file and compares the result byte
// for byte with the committed page, so content and importer cannot drift.
// With -update it writes the pages instead.
func TestCorpusPages(t *testing.T) {
	root := repoRoot(t)
	for _, code := range Codes() {
		t.Run(code, func(t *testing.T) {
			file := "corpus/" + code + ".en.txt"
			src, err := os.ReadFile(filepath.Join(root, file))
			if err != nil {
				t.Fatal(err)
			}
			page, err := Import(file, src, code, "en")
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range page.Warnings {
				t.Errorf("unexpected warning: %v", w)
			}
			dest := filepath.Join(root, "content", filepath.FromSlash(page.Path))
			if *update {
				if err := WriteFile(context.Background(), dest, page.Data, false); err != nil {
					t.Fatal(err)
				}
			}
			committed, err := os.ReadFile(dest)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/convention -update)", err)
			}
			if !bytes.Equal(committed, page.Data) {
				t.Errorf("content/%s differs from a fresh import of %s; run go test ./internal/convention -update and review the diff", page.Path, file)
			}
			if err := CheckOverwrite(dest, committed); err != nil {
				t.Errorf("committed page fails its own hash check: %v", err)
			}
		})
	}
}

// TestCorpusFidelity checks each committed page: its words are the corpus
// file's words in the same order, apart from exactly the corrections its
// front matter records, and it has one article-N anchor per article.
func TestCorpusFidelity(t *testing.T) {
	root := repoRoot(t)
	anchor := regexp.MustCompile(`(?m)^### .* \{#article-(\d+)\}$`)
	for _, code := range Codes() {
		t.Run(code, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(root, "corpus", code+".en.txt"))
			if err != nil {
				t.Fatal(err)
			}
			page, err := os.ReadFile(filepath.Join(root, "content", "conventions", code+".en.md"))
			if err != nil {
				t.Fatal(err)
			}
			front, md := splitPage(t, page)

			// The source, with the recorded corrections applied to the
			// recorded lines, each exactly once.
			lines := strings.Split(string(src), "\n")
			for _, c := range front.Corrections {
				l := lines[c.Line-1]
				if n := strings.Count(l, c.From); n != 1 {
					t.Fatalf("correction %q: found %d times on line %d", c.From, n, c.Line)
				}
				lines[c.Line-1] = strings.Replace(l, c.From, c.To, 1)
				if d := wordDiff(Words(c.From), Words(c.To)); d != 1 {
					t.Errorf("correction %q -> %q changes %d words, want 1", c.From, c.To, d)
				}
			}
			want := Words(strings.Join(lines, "\n"))
			have := append(Words(front.Title), markdownWords(md, front.Imported.HeadingsAdded)...)
			if i := firstDiff(have, want); i >= 0 {
				t.Errorf("word %d differs: page %q, source %q", i, around(have, i), around(want, i))
			}
			// The builder's check on the HTML page uses InOrder; it must hold
			// here too.
			if i, ok := InOrder(have, Words(mustSourceText(t, code, src))); !ok {
				t.Errorf("InOrder: source word %d not found in order", i)
			}

			ms := anchor.FindAllStringSubmatch(md, -1)
			if len(ms) != corpusArticles[code] || front.Articles != corpusArticles[code] {
				t.Fatalf("%d article anchors, front matter says %d, want %d", len(ms), front.Articles, corpusArticles[code])
			}
			for i, m := range ms {
				if m[1] != strconv.Itoa(i+1) {
					t.Fatalf("anchor %d is article-%s", i+1, m[1])
				}
			}
			captions := strings.Count(md, " "+CaptionSeparator+" ")
			if wantCaptions := map[string]int{"crpd": 50}[code]; captions != wantCaptions {
				t.Errorf("%d captions, want %d", captions, wantCaptions)
			}
			wantCorrections := map[string]int{"icescr": 1, "icerd": 1}[code]
			if len(front.Corrections) != wantCorrections {
				t.Errorf("%d corrections recorded, want %d", len(front.Corrections), wantCorrections)
			}
		})
	}
}

func mustSourceText(t *testing.T, code string, src []byte) string {
	t.Helper()
	s, err := SourceText(code, "en", src)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func firstDiff(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func wordDiff(a, b []string) int {
	if len(a) != len(b) {
		return -1
	}
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

func around(w []string, i int) string {
	lo, hi := max(0, i-3), min(len(w), i+4)
	return strings.Join(w[lo:hi], " ")
}
