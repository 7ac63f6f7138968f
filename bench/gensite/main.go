// Command gensite writes a generated site of N pages for benchmarks, in
// Vietnamese and English text recombined from this repository's own texts:
// the Vietnamese convention summaries (content/cong-uoc/), the English
// convention texts (content/conventions/) and the district plan
// (content/huong-dan/). Their sentences are cut apart and drawn again at
// random into new paragraphs, headings, lists and tables, with a code block on
// some pages, so the words are real but not in the conventions' order.
//
//	go run ./bench/gensite -n 10000 -out /tmp/site10k [-hugo /tmp/hugo10k] [-seed 1]
//
// -out receives a loa site (its own loa.yaml, the repository's layouts/,
// i18n/ and static/, the generated content); -hugo, when given, receives the
// same pages as a minimal Hugo site whose layout marks the body with
// data-pagefind-body, so Hugo + Pagefind index the same text as loa (see
// bench/peers.sh). With -with-site the loa site also gets the repository's
// own content/ and loa.yaml, as bench/build.sh measures.
//
// The output is a function of N, the seed and the repository's texts only:
// page i is the same for every N > i. Every folder gensite writes holds a
// marker file, .gensite; gensite replaces a folder only when it holds that
// marker or is empty, and refuses any other, so a mistyped -out cannot
// delete someone's work.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxPages bounds -n: the harness and the tools it runs are not meant for more.
const MaxPages = 100000

// Marker is the file gensite writes into every folder it creates.
const Marker = ".gensite"

func main() {
	n := flag.Int("n", 1000, fmt.Sprintf("number of generated pages (1 to %d)", MaxPages))
	seed := flag.Uint64("seed", 1, "seed of the text recombination")
	out := flag.String("out", "", "folder for the loa site (required; must be missing, empty or written by gensite)")
	hugo := flag.String("hugo", "", "folder for the same pages as a Hugo site (optional; same rule as -out)")
	repo := flag.String("repo", ".", "repository root to take loa.yaml, layouts/, i18n/, static/ and content/ from")
	withSite := flag.Bool("with-site", false, "also copy the repository's content/ and loa.yaml into the loa site (bench/build.sh)")
	flag.Parse()
	if err := run(*n, *seed, *out, *hugo, *repo, *withSite); err != nil {
		fmt.Fprintln(os.Stderr, "gensite:", err)
		os.Exit(1)
	}
}

func run(n int, seed uint64, out, hugo, repo string, withSite bool) error {
	if n < 1 || n > MaxPages {
		return fmt.Errorf("-n %d: want a number of pages from 1 to %d", n, MaxPages)
	}
	if out == "" {
		return errors.New("-out is required")
	}
	c, err := loadCorpus(repo)
	if err != nil {
		return err
	}
	pages := make([]page, n)
	for i := range pages {
		pages[i] = c.page(seed, i)
	}
	if err := prepare(out); err != nil {
		return err
	}
	if err := writeLoa(out, repo, pages, c, seed, withSite); err != nil {
		return err
	}
	if hugo != "" {
		if err := prepare(hugo); err != nil {
			return err
		}
		if err := writeHugo(hugo, pages, c, seed); err != nil {
			return err
		}
	}
	return nil
}

// prepare makes dir an empty folder holding only the marker. It refuses a
// folder that has files but no marker (gensite did not make it), and
// anything that is not a folder.
func prepare(dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is not a folder; choose another -out", dir)
	default:
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		if len(entries) > 0 {
			m, err := os.Lstat(filepath.Join(dir, Marker))
			if err != nil || !m.Mode().IsRegular() {
				return fmt.Errorf("%s is not empty and was not written by gensite (no %s file in it); it is left alone: choose another folder or remove it yourself", dir, Marker)
			}
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, Marker), []byte("Written by loa's bench/gensite. The next gensite run with this folder replaces it entirely.\n"), 0o644)
}

// corpus holds the pieces cut from the repository's texts, per language.
type corpus struct {
	sentences map[string][]string // "vi", "en"
	headings  map[string][]string // short phrases fit for a heading or a table cell
	items     map[string][]string // list items
	units     []string            // offices named in the plan, for table cells
}

var (
	linkRE     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	attrRE     = regexp.MustCompile(`\{#[^}]*\}`)
	enumRE     = regexp.MustCompile(`^(\d+(\.\d+)*\.|\([0-9a-z]+\)|[a-z]\))\s+`)
	structRE   = regexp.MustCompile(`^(Điều|Article|Phần|PART|Part)\s+[0-9IVXL]+$`)
	frontKeyRE = regexp.MustCompile(`^(title|titleVi|titleEn|description):\s*"(.*)"\s*$`)
)

func loadCorpus(repo string) (*corpus, error) {
	c := &corpus{sentences: map[string][]string{}, headings: map[string][]string{}, items: map[string][]string{}}
	sources := []struct{ glob, lang string }{
		{"content/cong-uoc/*.md", "vi"},
		{"content/huong-dan/*.md", "vi"},
		{"content/conventions/*.en.md", "en"},
	}
	for _, s := range sources {
		files, err := filepath.Glob(filepath.Join(repo, s.glob))
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("no files match %s under %s; run from the repository root or give -repo", s.glob, repo)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			c.add(s.lang, string(b), strings.Contains(f, "huong-dan"))
		}
	}
	for _, lang := range []string{"vi", "en"} {
		if len(c.sentences[lang]) < 50 || len(c.headings[lang]) < 20 {
			return nil, fmt.Errorf("too little %s text in %s/content to recombine", lang, repo)
		}
	}
	if len(c.units) == 0 {
		c.units = []string{"Phòng Tư pháp"}
	}
	return c, nil
}

// add cuts one Markdown file into sentences, heading phrases and list items.
func (c *corpus) add(lang, text string, plan bool) {
	lines := strings.Split(text, "\n")
	var para []string
	flush := func() {
		if len(para) > 0 {
			for _, s := range splitSentences(clean(strings.Join(para, " "))) {
				c.addSentence(lang, s)
			}
			para = para[:0]
		}
	}
	front := false
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if i == 0 && t == "---" {
			front = true
			continue
		}
		if front {
			if t == "---" {
				front = false
			} else if m := frontKeyRE.FindStringSubmatch(t); m != nil {
				if m[1] == "description" {
					for _, s := range splitSentences(clean(m[2])) {
						c.addSentence(lang, s)
					}
				} else if m[1] == "title" || m[1] == "title"+strings.ToUpper(lang[:1])+lang[1:] {
					c.addHeading(lang, clean(m[2]))
				}
			}
			continue
		}
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "#"):
			flush()
			c.addHeading(lang, clean(enumRE.ReplaceAllString(strings.TrimLeft(t, "# "), "")))
		case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* "):
			flush()
			item := strings.TrimRight(clean(t[2:]), ";.")
			if w := len(strings.Fields(item)); w >= 2 && w <= 40 {
				c.items[lang] = append(c.items[lang], item)
				if plan && w <= 8 && !strings.Contains(item, ":") {
					c.units = append(c.units, strings.TrimSuffix(item, " (B/c)"))
				}
			}
		case strings.HasPrefix(t, "|"):
			flush()
		default:
			para = append(para, t)
		}
	}
	flush()
}

func (c *corpus) addSentence(lang, s string) {
	w := strings.Fields(s)
	if len(w) < 5 || len(w) > 90 || !hasLower(s) {
		return
	}
	// Items of the source's lists end in ";" or ":"; in a paragraph they
	// end a sentence.
	if t := strings.TrimRight(s, ";:,"); t != s {
		s = t + "."
	}
	c.sentences[lang] = append(c.sentences[lang], s)
	// A sentence's first clause, when it is short, makes a heading ("Mọi
	// trẻ em đều có quyền được sống").
	head := strings.TrimRight(s, ".!?")
	if k := strings.IndexAny(head, ",;:("); k > 0 {
		head = head[:k]
	}
	if hw := len(strings.Fields(head)); hw >= 3 && hw <= 9 {
		c.addHeading(lang, head)
	}
}

func (c *corpus) addHeading(lang, h string) {
	h = strings.TrimRight(strings.TrimSpace(h), ".,;:")
	if structRE.MatchString(h) || len(strings.Fields(h)) < 2 || len(strings.Fields(h)) > 12 || !hasLower(h) {
		return
	}
	c.headings[lang] = append(c.headings[lang], h)
}

// clean turns a line of the source Markdown into plain text: links keep their
// text (the "read the English text" links go), emphasis, escapes, heading
// attributes and list numbers go.
func clean(s string) string {
	s = linkRE.ReplaceAllStringFunc(s, func(m string) string {
		t := linkRE.FindStringSubmatch(m)[1]
		if strings.HasPrefix(t, "Đọc ") || strings.HasPrefix(t, "Read ") {
			return ""
		}
		return t
	})
	s = attrRE.ReplaceAllString(s, "")
	s = strings.NewReplacer("**", "", "*", "", "_", "", "\\", "", "[", "", "]", "", "<", "", ">", "", "|", "", "`", "", "#", "").Replace(s)
	s = strings.Join(strings.Fields(s), " ")
	for {
		t := enumRE.ReplaceAllString(s, "")
		if t == s {
			return s
		}
		s = t
	}
}

// splitSentences cuts after ".", "!" or "?" followed by a space and a
// capital letter, a digit or an opening quote.
func splitSentences(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		rest := s[i+1:]
		if !strings.HasPrefix(rest, " ") {
			continue
		}
		next, _ := utf8.DecodeRuneInString(rest[1:])
		if unicode.IsUpper(next) || next == '"' || next == '“' {
			out = append(out, strings.TrimSpace(s[start:i+1]))
			start = i + 2
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	for k, t := range out {
		out[k] = enumRE.ReplaceAllString(t, "")
	}
	return out
}

func hasLower(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}

// page is one generated page: where it goes and its Markdown file.
type page struct {
	index int
	lang  string
	dir   string // content-relative folder, "bai/nhom-007"
	file  string // file name, "p742.md" or "p742.en.md"
	url   string // "/bai/nhom-007/p742/" or "/en/bai/nhom-007/p742/"
	title string
	text  string // the whole file, front matter included
}

// Lang of page i: two pages in three are Vietnamese.
func langOf(i int) string {
	if i%3 == 2 {
		return "en"
	}
	return "vi"
}

func groupDir(i int) string { return fmt.Sprintf("bai/nhom-%03d", i/100) }

func urlOf(i int) string {
	u := "/" + groupDir(i) + fmt.Sprintf("/p%d/", i)
	if langOf(i) == "en" {
		u = "/en" + u
	}
	return u
}

// rng returns the random source of one generated item: the same for a given
// seed and item, whatever N is.
func rng(seed uint64, stream, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(stream)<<40|uint64(i)))
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func (c *corpus) paragraph(r *rand.Rand, lang string, min, max int) string {
	k := min + r.IntN(max-min+1)
	s := make([]string, k)
	for j := range s {
		s[j] = pick(r, c.sentences[lang])
	}
	return strings.Join(s, " ")
}

func (c *corpus) heading(r *rand.Rand, lang string) string {
	h := pick(r, c.headings[lang])
	rs := []rune(h)
	rs[0] = unicode.ToUpper(rs[0])
	return string(rs)
}

// listItem is an item of the plan's lists or a short sentence.
func (c *corpus) listItem(r *rand.Rand, lang string) string {
	if items := c.items[lang]; len(items) > 0 && r.IntN(3) == 0 {
		return pick(r, items)
	}
	for {
		s := pick(r, c.sentences[lang])
		if len(strings.Fields(s)) <= 35 {
			return s
		}
	}
}

var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func (c *corpus) page(seed uint64, i int) page {
	r := rng(seed, 1, i)
	lang := langOf(i)
	p := page{index: i, lang: lang, dir: groupDir(i), url: urlOf(i)}
	p.file = fmt.Sprintf("p%d.md", i)
	if lang == "en" {
		p.file = fmt.Sprintf("p%d.en.md", i)
	}
	p.title = c.heading(r, lang)
	month, day := 1+i%12, 1+i%28
	desc := pick(r, c.sentences[lang])
	if rs := []rune(desc); len(rs) > 160 {
		desc = strings.TrimRight(string(rs[:160]), " ,;") + "…"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %q\ndescription: %q\ndate: 2024-%02d-%02d\n---\n\n", p.title, desc, month, day)
	// A number no other page has (zero-padded, so no page's number is a
	// prefix of another's): the "rare word" of the benchmark queries.
	if lang == "vi" {
		fmt.Fprintf(&b, "Tài liệu số %05d, cập nhật ngày %d/%d/2024. %s\n\n", i, day, month, c.paragraph(r, lang, 2, 3))
	} else {
		fmt.Fprintf(&b, "Document number %05d, updated %d %s 2024. %s\n\n", i, day, months[month-1], c.paragraph(r, lang, 2, 3))
	}
	sections := 3 + r.IntN(3)
	listAt, tableAt := r.IntN(sections), r.IntN(sections)
	for s := 0; s < sections; s++ {
		fmt.Fprintf(&b, "## %s\n\n", c.heading(r, lang))
		for k := 1 + r.IntN(2); k > 0; k-- {
			b.WriteString(c.paragraph(r, lang, 2, 4))
			b.WriteString("\n\n")
		}
		if r.IntN(3) == 0 {
			fmt.Fprintf(&b, "### %s\n\n%s\n\n", c.heading(r, lang), c.paragraph(r, lang, 1, 4))
		}
		if s == listAt {
			ordered := r.IntN(2) == 0
			for k, n := 0, 3+r.IntN(4); k < n; k++ {
				if ordered {
					fmt.Fprintf(&b, "%d. %s\n", k+1, c.listItem(r, lang))
				} else {
					fmt.Fprintf(&b, "- %s\n", c.listItem(r, lang))
				}
			}
			b.WriteString("\n")
		}
		if s == tableAt {
			c.table(&b, r, lang)
		}
	}
	if r.IntN(3) == 0 {
		fmt.Fprintf(&b, "```yaml\ntitle: %q\ndate: 2024-%02d-%02d\nweight: %d\n```\n\n", c.heading(r, lang), month, day, 1+r.IntN(20))
	}
	// A link to an earlier page in the same language.
	if j := i - 3 - 3*r.IntN(30); j >= 0 {
		if lang == "vi" {
			fmt.Fprintf(&b, "Xem thêm: [tài liệu số %05d](%s).\n", j, urlOf(j))
		} else {
			fmt.Fprintf(&b, "See also: [document %05d](%s).\n", j, urlOf(j))
		}
	}
	p.text = b.String()
	return p
}

func (c *corpus) table(b *strings.Builder, r *rand.Rand, lang string) {
	if lang == "vi" {
		b.WriteString("| Nội dung | Đơn vị thực hiện | Thời gian |\n| --- | --- | --- |\n")
		for k, n := 0, 2+r.IntN(4); k < n; k++ {
			fmt.Fprintf(b, "| %s | %s | Quý %s/2024 |\n", c.heading(r, lang), pick(r, c.units), []string{"I", "II", "III", "IV"}[r.IntN(4)])
		}
	} else {
		b.WriteString("| Topic | Article | Year |\n| --- | --- | --- |\n")
		for k, n := 0, 2+r.IntN(4); k < n; k++ {
			fmt.Fprintf(b, "| %s | Article %d | %d |\n", c.heading(r, lang), 1+r.IntN(50), 1965+r.IntN(42))
		}
	}
	b.WriteString("\n")
}

// sectionFiles returns the Markdown files both sites share: the generated
// pages, the "bai" section in each language and each group of 100 pages,
// and unless withSite, the home pages and the pages the repository's
// layouts link to.
func sectionFiles(pages []page, c *corpus, seed uint64, withSite bool) map[string]string {
	files := map[string]string{}
	r := rng(seed, 2, 0)
	site := map[string]string{}
	site["_index.md"] = fmt.Sprintf("---\ntitle: \"Công ước quốc tế về quyền con người\"\ndescription: %q\n---\n\n%s\n\n%s\n", c.heading(r, "vi"), c.paragraph(r, "vi", 2, 4), c.paragraph(r, "vi", 2, 4))
	site["_index.en.md"] = fmt.Sprintf("---\ntitle: \"International human rights conventions\"\ndescription: %q\n---\n\n%s\n\n%s\n", c.heading(r, "en"), c.paragraph(r, "en", 2, 4), c.paragraph(r, "en", 2, 4))
	files["bai/_index.md"] = fmt.Sprintf("---\ntitle: \"Bài viết\"\n---\n\n%s\n", c.paragraph(r, "vi", 1, 3))
	files["bai/_index.en.md"] = fmt.Sprintf("---\ntitle: \"Articles\"\n---\n\n%s\n", c.paragraph(r, "en", 1, 3))
	// Pages the repository's layouts link to (about pages, the conventions
	// and guidance sections), with recombined text of their own.
	for _, f := range []struct{ name, lang, title string }{
		{"gioi-thieu.md", "vi", "Giới thiệu"},
		{"about.en.md", "en", "About this site"},
		{"cong-uoc/_index.md", "vi", "Công ước"},
		{"conventions/_index.en.md", "en", "Conventions"},
		{"huong-dan/_index.md", "vi", "Hướng dẫn"},
	} {
		site[f.name] = fmt.Sprintf("---\ntitle: %q\n---\n\n%s\n", f.title, c.paragraph(r, f.lang, 2, 4))
	}
	if !withSite {
		for name, text := range site {
			files[name] = text
		}
	}
	for g := 0; g*100 < len(pages); g++ {
		r := rng(seed, 3, g)
		dir := groupDir(g * 100)
		files[dir+"/_index.md"] = fmt.Sprintf("---\ntitle: %q\n---\n\n%s\n", fmt.Sprintf("Nhóm %d: %s", g+1, c.heading(r, "vi")), c.paragraph(r, "vi", 1, 3))
		files[dir+"/_index.en.md"] = fmt.Sprintf("---\ntitle: %q\n---\n\n%s\n", fmt.Sprintf("Group %d: %s", g+1, c.heading(r, "en")), c.paragraph(r, "en", 1, 3))
	}
	for _, p := range pages {
		files[p.dir+"/"+p.file] = p.text
	}
	return files
}

const loaConfig = `# Written by bench/gensite: the generated benchmark site.
title: "Tuyên truyền Công ước quốc tế về quyền con người"
baseURL: "https://example.gov.vn/"
languages:
  vi: { name: "Tiếng Việt", title: "Tuyên truyền Công ước quốc tế về quyền con người", weight: 1 }
  en: { name: "English", title: "Human rights conventions: information for citizens", weight: 2 }
defaultLanguage: vi
menus:
  vi:
    - { name: "Trang chủ", url: "/" }
    - { name: "Bài viết", url: "/bai/" }
    - { name: "Tìm kiếm", url: "/tim-kiem/" }
  en:
    - { name: "Home", url: "/en/" }
    - { name: "Articles", url: "/en/bai/" }
    - { name: "Search", url: "/en/search/" }
params:
  organisation: "Ủy ban nhân dân huyện (Phòng Tư pháp)"
  organisationEn: "District People's Committee (Justice Division)"
`

func writeLoa(out, repo string, pages []page, c *corpus, seed uint64, withSite bool) error {
	for _, d := range []string{"layouts", "i18n", "static"} {
		if err := copyTree(filepath.Join(repo, d), filepath.Join(out, d)); err != nil {
			return err
		}
	}
	if withSite {
		// The repository's own site plus the generated pages under bai/
		// (its home pages and menus stay the repository's).
		if err := copyTree(filepath.Join(repo, "content"), filepath.Join(out, "content")); err != nil {
			return err
		}
		if err := copyFile(filepath.Join(repo, "loa.yaml"), filepath.Join(out, "loa.yaml")); err != nil {
			return err
		}
		return writeFiles(filepath.Join(out, "content"), sectionFiles(pages, c, seed, true))
	}
	files := sectionFiles(pages, c, seed, false)
	// loa's search pages (the Hugo site has none: Pagefind's is its own UI).
	files["tim-kiem.md"] = "---\ntitle: \"Tìm kiếm\"\ndescription: \"Tìm trong các bài viết.\"\nlayout: search\n---\n"
	files["search.en.md"] = "---\ntitle: \"Search\"\ndescription: \"Search the articles.\"\nlayout: search\n---\n"
	if err := os.WriteFile(filepath.Join(out, "loa.yaml"), []byte(loaConfig), 0o644); err != nil {
		return err
	}
	return writeFiles(filepath.Join(out, "content"), files)
}

const hugoConfig = `# Written by bench/gensite: the generated benchmark site for Hugo + Pagefind.
baseURL = "https://example.gov.vn/"
title = "Tuyên truyền Công ước quốc tế về quyền con người"
defaultContentLanguage = "vi"
disableKinds = ["taxonomy", "term"]
enableRobotsTXT = true

[languages.vi]
  languageName = "Tiếng Việt"
  title = "Tuyên truyền Công ước quốc tế về quyền con người"
  weight = 1
[languages.en]
  languageName = "English"
  title = "Human rights conventions: information for citizens"
  weight = 2
`

// The minimal layout: Pagefind indexes what is inside data-pagefind-body
// (the title and the page's text, not the lists of pages).
var hugoLayouts = map[string]string{
	"_default/baseof.html": `<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></header>
{{ block "main" . }}{{ end }}
</body>
</html>
`,
	"_default/single.html": `{{ define "main" }}<main data-pagefind-body>
<h1>{{ .Title }}</h1>
{{ .Content }}
</main>{{ end }}
`,
	"_default/list.html": `{{ define "main" }}<main>
<div data-pagefind-body>
<h1>{{ .Title }}</h1>
{{ .Content }}
</div>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
</main>{{ end }}
`,
}

func writeHugo(out string, pages []page, c *corpus, seed uint64) error {
	if err := os.WriteFile(filepath.Join(out, "hugo.toml"), []byte(hugoConfig), 0o644); err != nil {
		return err
	}
	if err := writeFiles(filepath.Join(out, "layouts"), hugoLayouts); err != nil {
		return err
	}
	return writeFiles(filepath.Join(out, "content"), sectionFiles(pages, c, seed, false))
}

// writeFiles writes files (slash-separated names relative to dir) in sorted
// order.
func writeFiles(dir string, files map[string]string) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	made := map[string]bool{}
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := os.WriteFile(p, []byte(files[name]), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
