package markdown

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.html from the current output")

// goldenOptions are the options used for testdata/<name>.md: files named
// *.allowhtml.md allow raw HTML, and convention: links are resolved the way
// the builder does, so the golden files show ResolveLink at work.
func goldenOptions(name string) Options {
	return Options{
		AllowHTML: strings.HasSuffix(name, ".allowhtml.md"),
		ResolveLink: func(dest string, line, col int) string {
			if code, article, ok := strings.Cut(strings.TrimPrefix(dest, "convention:"), "/"); ok && strings.HasPrefix(dest, "convention:") {
				return "../../cong-uoc/" + code + "/index.html#dieu-" + article
			}
			return dest
		},
	}
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.md files")
	}
	r := New()
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Render(src, goldenOptions(name))
			if err != nil {
				t.Fatal(err)
			}
			assertSafe(t, res.HTML)

			again, err := r.Render(src, goldenOptions(name))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res, again) {
				t.Error("two renders of the same input differ")
			}

			golden := strings.TrimSuffix(file, ".md") + ".golden.html"
			if *update {
				if err := os.WriteFile(golden, res.HTML, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/markdown -update)", err)
			}
			if !bytes.Equal(res.HTML, want) {
				t.Errorf("output differs from %s (run with -update and review the diff)\ngot:\n%s", golden, res.HTML)
			}
		})
	}
}

// assertSafe checks the promises every page makes: no inline styles and no
// script URLs.
func assertSafe(t *testing.T, html []byte) {
	t.Helper()
	lower := bytes.ToLower(html)
	for _, bad := range []string{"style=", `href="javascript:`, `src="javascript:`} {
		if bytes.Contains(lower, []byte(bad)) {
			t.Errorf("output contains %q", bad)
		}
	}
}

func render(t *testing.T, src string, opts Options) *Result {
	t.Helper()
	res, err := New().Render([]byte(src), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestHeadingIDs(t *testing.T) {
	res := render(t, readTestdata(t, "headings.md"), Options{})
	want := []Heading{
		{1, "tieu-de-trang", "Tiêu đề trang", 1, false},
		{2, "dieu-1-muc-dich", "Điều 1. Mục đích", 3, false},
		// -1 is taken by the explicit ID further down, so the second
		// duplicate skips it.
		{2, "dieu-1-muc-dich-2", "Điều 1. Mục đích", 5, false},
		{2, "dieu-1-muc-dich-3", "Điều 1. Mục đích", 7, false},
		{3, "duong-den-da-nang-duoc-khong", "Đường đến Đà Nẵng: ĐƯỢC không?", 9, false},
		{2, "loi-noi-dau", "Lời nói đầu", 11, true},
		{2, "phan-1", "Phần I", 13, true},
		{3, "dieu-3", "Điều 3", 15, true},
		{3, "dieu-1-muc-dich-1", "Explicit wins", 17, true},
		{2, "quyen-cua-tre-em-va-lien-ket-code", "Quyền của trẻ em và liên kết code", 19, false},
		{2, "section", "???", 21, false},
		{2, "section-1", "中文标题", 23, false},
		{2, "setext-heading-level-two", "Setext heading level two", 25, false},
		{4, "level-four-uu-tien", "Level four: Ưu tiên", 28, false},
		{2, "styled", "Styled", 30, true},
	}
	if !reflect.DeepEqual(res.Headings, want) {
		t.Errorf("Headings:\ngot  %+v\nwant %+v", res.Headings, want)
	}
	var toc []Heading
	for _, h := range want {
		if h.Level == 2 || h.Level == 3 {
			toc = append(toc, h)
		}
	}
	if !reflect.DeepEqual(res.TOC, toc) {
		t.Errorf("TOC:\ngot  %+v\nwant %+v", res.TOC, toc)
	}
	html := string(res.HTML)
	for _, s := range []string{`<h2 id="styled" class="note" lang="vi">Styled</h2>`, `<h3 id="dieu-3">Điều 3</h3>`} {
		if !strings.Contains(html, s) {
			t.Errorf("HTML lacks %s", s)
		}
	}
	if strings.Contains(html, "onclick") {
		t.Error("HTML keeps an onclick attribute")
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Điều 1. Mục đích", "dieu-1-muc-dich"},
		{"ĐIỀU 28", "dieu-28"},
		{"\u00d0iều 30", "dieu-30"}, // Ð U+00D0 pasted for Đ
		{"\u0189IỀU 30 \u0256\u00f0", "dieu-30-dd"},
		{"Đie\u0300\u0302u 30", "dieu-30"}, // NFD
		{"Lời nói đầu", "loi-noi-dau"},
		{"Quyền được sống, tồn tại và phát triển", "quyen-duoc-song-ton-tai-va-phat-trien"},
		{"Ưu tiên ổn định ở huyện Hữu Lũng", "uu-tien-on-dinh-o-huyen-huu-lung"},
		{"  --Hello,   World!--  ", "hello-world"},
		{"CRC/C/VNM/5-6", "crc-c-vnm-5-6"},
		{"e\u0301 (combining)", "e-combining"},
		{"", ""},
		{"—", ""},
		{"中文", ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLinks(t *testing.T) {
	var calls []Link
	res := render(t, readTestdata(t, "links.md"), Options{
		ResolveLink: func(dest string, line, col int) string {
			calls = append(calls, Link{Dest: dest, Line: line, Col: col})
			return "/resolved" + strings.TrimPrefix(dest, "convention:")
		},
	})
	// Columns count bytes: "Ảnh: " is 7 bytes, so its "!" is at column 8.
	want := []Link{
		{Dest: "convention:crc/28", Line: 3, Col: 5},
		{Dest: "../huong-dan/", Line: 3, Col: 41},
		{Dest: "/img/logo.png", Line: 4, Col: 8, Image: true, Alt: "Logo của huyện"},
		{Dest: "/ke-hoach/", Line: 6, Col: 14},
		{Dest: "/ke-hoach/", Line: 6, Col: 37},
		{Dest: "https://example.org/a", Line: 8, Col: 15},
		{Dest: "mailto:lienhe@example.vn", Line: 8, Col: 43},
		{Dest: "https://example.com/b", Line: 8, Col: 71},
		{Dest: "/q/", Line: 10, Col: 22},
		{Dest: "/list/", Line: 12, Col: 13},
		{Dest: "/cell/", Line: 16, Col: 7},
	}
	if !reflect.DeepEqual(res.Links, want) {
		t.Errorf("Links:\ngot  %+v\nwant %+v", res.Links, want)
	}
	if len(calls) != len(want) {
		t.Errorf("ResolveLink called %d times, want %d", len(calls), len(want))
	}
	for _, l := range res.Links {
		if l.Line < 1 || l.Col < 1 {
			t.Errorf("link %+v has no position", l)
		}
	}
	html := string(res.HTML)
	for _, s := range []string{
		`<a href="/resolvedcrc/28">Điều 28</a>`,
		`<img src="/resolved/img/logo.png" alt="Logo của huyện">`,
		`<a href="/resolvedmailto:lienhe@example.vn">lienhe@example.vn</a>`,
		`<a href="/resolvedhttps://example.com/b">https://example.com/b</a>`,
	} {
		if !strings.Contains(html, s) {
			t.Errorf("HTML lacks %s", s)
		}
	}
}

// TestLinkPositions pins the position of each kind of link in small inputs.
func TestLinkPositions(t *testing.T) {
	tests := []struct {
		name, src string
		want      []Link
	}{
		{"inline", "[a](b)", []Link{{"b", 1, 1, false, ""}}},
		{"after text", "x [a](b)", []Link{{"b", 1, 3, false, ""}}},
		{"vietnamese before", "Điều [a](b)", []Link{{"b", 1, 9, false, ""}}},
		{"image", "x ![a](i.png)", []Link{{"i.png", 1, 3, true, "a"}}},
		{"link around image", "[![a](i.png)](b)", []Link{{"b", 1, 1, false, ""}, {"i.png", 1, 2, true, "a"}}},
		{"second line", "a\nb [c](d)", []Link{{"d", 2, 3, false, ""}}},
		{"angle autolink", "x <https://a.vn>", []Link{{"https://a.vn", 1, 3, false, ""}}},
		{"bare url", "x https://a.vn", []Link{{"https://a.vn", 1, 3, false, ""}}},
		{"bare url in parens", "x (https://a.vn)", []Link{{"https://a.vn", 1, 4, false, ""}}},
		{"bare url at line start", "https://a.vn", []Link{{"https://a.vn", 1, 1, false, ""}}},
		{"www", "x www.a.vn", []Link{{"http://www.a.vn", 1, 3, false, ""}}},
		{"email", "x a@b.vn", []Link{{"mailto:a@b.vn", 1, 3, false, ""}}},
		{"reference", "[a][r]\n\n[r]: /r", []Link{{"/r", 1, 1, false, ""}}},
		{"empty destination", "[a]()", []Link{{"", 1, 1, false, ""}}},
		{"in heading", "## T [a](b)", []Link{{"b", 1, 6, false, ""}}},
		{"in list", "- [a](b)", []Link{{"b", 1, 3, false, ""}}},
		{"in blockquote", "> x\n> [a](b)", []Link{{"b", 2, 3, false, ""}}},
		{"in footnote", "x[^1]\n\n[^1]: see [a](b)\n\n[c](d)", []Link{{"b", 3, 11, false, ""}, {"d", 5, 1, false, ""}}},
		{"none in code", "`[a](b)`\n\n    [c](d)", nil},
		{"crlf", "a\r\n[b](c)", []Link{{"c", 2, 1, false, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := render(t, tt.src, Options{})
			if !reflect.DeepEqual(res.Links, tt.want) {
				t.Errorf("got %+v, want %+v", res.Links, tt.want)
			}
		})
	}
}

func TestSections(t *testing.T) {
	tests := []struct {
		name, src string
		want      []Section
	}{
		{"no headings", "Một.\n\nHai.", []Section{{Text: "Một.\nHai."}}},
		{"empty", "", nil},
		{"leading text", "Mở đầu.\n\n## Điều 1\n\nNội dung.", []Section{
			{Text: "Mở đầu."},
			{ID: "dieu-1", Heading: "Điều 1", Level: 2, Text: "Nội dung."},
		}},
		{"no leading text", "## A\n\na\n\n### B\n\nb\n\n## C", []Section{
			{ID: "a", Heading: "A", Level: 2, Text: "a"},
			{ID: "b", Heading: "B", Level: 3, Text: "b"},
			{ID: "c", Heading: "C", Level: 2, Text: ""},
		}},
		{"h1 and h4 stay inside", "# Title\n\nintro\n\n## A\n\n#### Sub\n\nx", []Section{
			{Text: "Title\nintro"},
			{ID: "a", Heading: "A", Level: 2, Text: "Sub\nx"},
		}},
		{"blocks never glue", "## A\n\n- one\n- two\n\n| h1 | h2 |\n|--|--|\n| c1 | c2 |\n\n```go\nx := 1\n```\n\nsoft\nbreak", []Section{
			{ID: "a", Heading: "A", Level: 2, Text: "one\ntwo\nh1 h2\nc1 c2\nx := 1\nsoft break"},
		}},
		{"custom id", "## Điều 3 {#dieu-3}\n\ntext", []Section{{ID: "dieu-3", Heading: "Điều 3", Level: 2, Text: "text"}}},
		{"raw html never in text", "## A\n\n<div>secret</div>\n\nx <b>y</b>", []Section{{ID: "a", Heading: "A", Level: 2, Text: "x y"}}},
		{"footnotes in last section", "## A\n\nx[^1]\n\n## B\n\ny\n\n[^1]: note", []Section{
			{ID: "a", Heading: "A", Level: 2, Text: "x"},
			{ID: "b", Heading: "B", Level: 2, Text: "y\nnote"},
		}},
		{"definition list and tasks", "## A\n\n- [x] done\n\nTerm\n: Def", []Section{
			{ID: "a", Heading: "A", Level: 2, Text: "done\nTerm\nDef"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := render(t, tt.src, Options{})
			if !reflect.DeepEqual(res.Sections, tt.want) {
				t.Errorf("got  %#v\nwant %#v", res.Sections, tt.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"markup removed", "*a* **b** ~~c~~ `d` [e](f) ![g](h)", "a b c d e g"},
		{"escapes and entities", `\*x\* &amp; &#7871;`, "*x* & ế"},
		{"quotes kept", `"a" 'b' -- ...`, `"a" 'b' -- ...`},
		{"hard break", "a  \nb", "a\nb"},
		{"heading and paragraph", "# T\nx", "T\nx"},
		{"code block kept", "```\n<x>\n```", "<x>"},
		{"html dropped", "<p>x</p>\n\ny", "y"},
		{"autolink label", "<https://a.vn>", "https://a.vn"},
		{"table cells", "|a|b|\n|-|-|\n|c||", "a b\nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(t, tt.src, Options{}).Text; got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Raw HTML stays out of the text even when it is allowed in the page.
	if got := render(t, "<p>x</p>\n\ny <b>z</b>", Options{AllowHTML: true}).Text; got != "y z" {
		t.Errorf("AllowHTML: got %q", got)
	}
}

func TestRawHTML(t *testing.T) {
	src := "<div>block</div>\n\ninline <b>x</b> <!-- c -->\n"
	dropped := string(render(t, src, Options{}).HTML)
	if want := "<p>inline x </p>\n"; dropped != want {
		t.Errorf("dropped: got %q, want %q", dropped, want)
	}
	kept := string(render(t, src, Options{AllowHTML: true}).HTML)
	if want := "<div>block</div>\n<p>inline <b>x</b> <!-- c --></p>\n"; kept != want {
		t.Errorf("allowed: got %q, want %q", kept, want)
	}
	// AllowHTML does not open the door to script URLs in Markdown links.
	html := string(render(t, "[a](javascript:alert(1)) <javascript:x>", Options{AllowHTML: true}).HTML)
	if strings.Contains(html, "javascript:") && strings.Contains(html, `href="javascript`) {
		t.Errorf("script URL written: %s", html)
	}
	// Nor does a ResolveLink that returns one.
	html = string(render(t, "[a](b)", Options{ResolveLink: func(string, int, int) string { return "javascript:alert(1)" }}).HTML)
	if strings.Contains(html, "javascript:") {
		t.Errorf("script URL from ResolveLink written: %s", html)
	}
}

func TestCode(t *testing.T) {
	tests := []struct {
		name, src, label, want string
		hasCode                bool
	}{
		{"known language", "```go\nx := 1\n```", "", `<pre class="hl-chroma" tabindex="0" role="group" aria-label="Code (go)"><code><span class="hl-line"><span class="hl-cl"><span class="hl-nx">x</span>`, true},
		{"unknown language", "```nope\n<x>\n```", "", `<pre tabindex="0" role="group" aria-label="Code (nope)"><code>&lt;x&gt;` + "\n</code></pre>\n", false},
		{"no language", "```\n<x>\n```", "Đoạn mã", `<pre tabindex="0" role="group" aria-label="Đoạn mã"><code>&lt;x&gt;` + "\n</code></pre>\n", false},
		{"indented", "    <x>", "", `<pre tabindex="0" role="group" aria-label="Code"><code>&lt;x&gt;` + "\n</code></pre>\n", false},
		{"label escaped", "```\nx\n```", `"<&`, `<pre tabindex="0" role="group" aria-label="&quot;&lt;&amp;"><code>x`, false},
		{"inline code only", "Run `loa build`.", "", "<p>Run <code>loa build</code>.</p>", false},
		{"known language later", "Text.\n\n```yaml\na: 1\n```", "", "<p>Text.</p>", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := render(t, tt.src, Options{CodeLabel: tt.label})
			html := string(res.HTML)
			if !strings.HasPrefix(html, tt.want) {
				t.Errorf("got %q, want prefix %q", html, tt.want)
			}
			if res.HasCode != tt.hasCode {
				t.Errorf("HasCode = %v, want %v", res.HasCode, tt.hasCode)
			}
			assertSafe(t, []byte(html))
		})
	}
}

func TestCSS(t *testing.T) {
	r := New()
	css := r.CSS()
	if !bytes.Equal(css, New().CSS()) {
		t.Error("CSS differs between renderers")
	}
	s := string(css)
	for _, want := range []string{".hl-chroma .hl-k {", "@media (prefers-color-scheme: dark) {"} {
		if !strings.Contains(s, want) {
			t.Errorf("CSS lacks %q", want)
		}
	}
	light, dark, _ := strings.Cut(s, "@media")
	if strings.Count(light, "{") < 20 || strings.Count(dark, "{") < 20 {
		t.Errorf("CSS looks incomplete:\n%s", s)
	}
	css[0] = 'X' // callers get a copy
	if r.CSS()[0] == 'X' {
		t.Error("CSS returns shared memory")
	}
}

// TestConcurrent renders different pages from many goroutines with one
// Renderer; run with -race.
func TestConcurrent(t *testing.T) {
	r := New()
	files, _ := filepath.Glob(filepath.Join("testdata", "*.md"))
	want := make([][]byte, len(files))
	srcs := make([][]byte, len(files))
	for i, f := range files {
		srcs[i], _ = os.ReadFile(f)
		res, err := r.Render(srcs[i], goldenOptions(filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		want[i] = res.HTML
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range files {
				res, err := r.Render(srcs[i], goldenOptions(filepath.Base(files[i])))
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(res.HTML, want[i]) {
					t.Errorf("%s: concurrent output differs", files[i])
				}
			}
		}()
	}
	wg.Wait()
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.md"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	f.Add([]byte("## x {#}\n[a](<b c>)\n<x@y>\n```go\n"), true)
	r := New()
	f.Fuzz(func(t *testing.T, src []byte, allowHTML bool) {
		lines := bytes.Count(src, []byte("\n")) + 1
		check := func(dest string, line, col int) string {
			if line < 1 || line > lines || col < 1 {
				t.Errorf("ResolveLink(%q, %d, %d): position out of range (%d lines)", dest, line, col, lines)
			}
			return dest
		}
		res, err := r.Render(src, Options{AllowHTML: allowHTML, ResolveLink: check})
		if err != nil {
			t.Fatal(err)
		}
		// Without raw HTML, a literal quote after "style=" can only come
		// from an attribute: text and code have their quotes escaped.
		if !allowHTML && bytes.Contains(bytes.ToLower(res.HTML), []byte(`style="`)) {
			t.Errorf("inline style in output: %s", res.HTML)
		}
		for _, h := range res.Headings {
			if h.ID == "" || h.Line < 1 || h.Line > lines {
				t.Errorf("bad heading %+v", h)
			}
		}
		for _, s := range res.Sections {
			if !strings.Contains(res.Text, s.Text) {
				t.Errorf("section text %q not in page text", s.Text)
			}
		}
	})
}

func BenchmarkRender(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "ke-hoach.md"))
	if err != nil {
		b.Fatal(err)
	}
	r := New()
	opts := goldenOptions("ke-hoach.md")
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(src, opts); err != nil {
			b.Fatal(err)
		}
	}
}
