package build_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"html"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"loa/internal/build"
	"loa/internal/convention"
	"loa/internal/qrcode"
	"loa/internal/sitetest"
)

var (
	repoOnce sync.Once
	repoRes  *build.Result
	repoErr  error
)

// repoSite builds this repository's own site once for all tests here.
func repoSite(t *testing.T) (*build.Result, string) {
	t.Helper()
	root := sitetest.RepoRoot(t)
	repoOnce.Do(func() {
		repoRes, repoErr = build.New().Build(context.Background(), build.Options{FS: os.DirFS(root)})
	})
	if repoErr != nil {
		t.Fatalf("building the repository's site:\n%v", repoErr)
	}
	return repoRes, root
}

// TestRepositorySite builds this repository's own site end to end.
func TestRepositorySite(t *testing.T) {
	res, _ := repoSite(t)
	for _, p := range []string{
		"index.html", "en/index.html", "404.html", "sitemap.xml", "robots.txt", "index.xml", "en/index.xml",
		"cong-uoc/index.html", "cong-uoc/crc/index.html", "en/conventions/crc/index.html",
		"huong-dan/ke-hoach-2024/index.html", "css/main.css", "css/chroma.css",
		"en/conventions/crc/28/index.html", "cong-uoc/crc/28/index.html",
	} {
		if _, ok := res.Files[p]; !ok {
			t.Errorf("missing %s", p)
		}
	}
	// No page may request anything from another site.
	external := regexp.MustCompile(`(?i)(src|href)="(https?:)?//`)
	for _, p := range res.Files.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		for _, m := range external.FindAllStringIndex(string(res.Files[p]), -1) {
			s := string(res.Files[p][m[0]:])
			tag := s[:min(len(s), 120)]
			// Canonical and alternate links name the published address and load
			// nothing.
			line := string(res.Files[p][max(0, m[0]-60):m[0]])
			if strings.Contains(line, `rel="canonical"`) || strings.Contains(line, `rel="alternate"`) || strings.Contains(line, "<a ") {
				continue
			}
			t.Errorf("%s: external reference %s", p, tag)
		}
		if strings.Contains(string(res.Files[p]), ` style="`) {
			t.Errorf("%s: inline style attribute", p)
		}
	}
}

// TestPageWeight checks the budget: under 30 KB (gzip) of CSS and
// JavaScript for an ordinary page. It is a size, so it is deterministic.
func TestPageWeight(t *testing.T) {
	res, _ := repoSite(t)
	asset := regexp.MustCompile(`(?:href|src)="([^"]+\.(?:css|js))"`)
	for _, page := range []string{"index.html", "huong-dan/ke-hoach-2024/index.html", "en/conventions/crc/index.html"} {
		total := 0
		for _, m := range asset.FindAllStringSubmatch(string(res.Files[page]), -1) {
			p := path.Clean(path.Join(path.Dir(page), m[1]))
			data, ok := res.Files[p]
			if !ok {
				t.Errorf("%s: %s (%s) does not exist", page, m[1], p)
				continue
			}
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(data)
			zw.Close()
			total += buf.Len()
		}
		t.Logf("%s: %d bytes of CSS and JS (gzip)", page, total)
		if total > 30*1024 {
			t.Errorf("%s: %d bytes of CSS and JS (gzip), budget 30 KB", page, total)
		}
	}
}

var (
	mainRe = regexp.MustCompile(`(?s)<main[^>]*>(.*)</main>`)
	tagRe  = regexp.MustCompile(`<[^>]*>`)
)

// TestConventionFidelity checks that the plain text of each built English
// convention page holds the words of its corpus file in order, and that the
// article anchors number exactly as the conventions do.
func TestConventionFidelity(t *testing.T) {
	res, root := repoSite(t)
	want := map[string]int{"iccpr": 53, "icescr": 31, "cedaw": 30, "icerd": 25, "crc": 54, "crpd": 50, "cat": 33}
	for code, n := range want {
		t.Run(code, func(t *testing.T) {
			page := string(res.Files["en/conventions/"+code+"/index.html"])
			m := mainRe.FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("no <main> in the page")
			}
			text := html.UnescapeString(tagRe.ReplaceAllString(m[1], " "))
			src, err := os.ReadFile(filepath.Join(root, "corpus", code+".en.txt"))
			if err != nil {
				t.Fatal(err)
			}
			corrected, err := convention.SourceText(code, "en", src)
			if err != nil {
				t.Fatal(err)
			}
			words := convention.Words(corrected)
			if i, ok := convention.InOrder(convention.Words(text), words); !ok {
				t.Errorf("word %d of %d (%q, after %q) not found in order in the built page", i, len(words), words[i], strings.Join(words[max(0, i-8):i], " "))
			}
			for a := 1; a <= n+1; a++ {
				has := strings.Contains(page, fmt.Sprintf(` id="article-%d"`, a))
				if has != (a <= n) {
					t.Errorf("anchor #article-%d present=%v, want %v", a, has, a <= n)
				}
			}
			if got := strings.Count(page, ` id="article-`); got != n {
				t.Errorf("%d article anchors, want %d", got, n)
			}
		})
	}
}

// TestHighlightStylesheetOnlyWithCode walks the built site: a page links
// css/chroma.css exactly when it shows highlighted code, the editor's guide
// does, and every code block is focusable (keyboard-scrollable) and named.
func TestHighlightStylesheetOnlyWithCode(t *testing.T) {
	res, _ := repoSite(t)
	link := regexp.MustCompile(`<link rel="stylesheet" href="[^"]*css/chroma\.css">`)
	pre := regexp.MustCompile(`<pre[^>]*>`)
	var with []string
	for _, p := range res.Files.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		page := string(res.Files[p])
		links, code := link.MatchString(page), strings.Contains(page, `<pre class="hl-chroma"`)
		if links != code {
			t.Errorf("%s: links chroma.css %v, has highlighted code %v", p, links, code)
		}
		if links {
			with = append(with, p)
		}
		for _, tag := range pre.FindAllString(page, -1) {
			if !strings.Contains(tag, ` tabindex="0"`) || !strings.Contains(tag, ` role="group" aria-label="Đoạn mã`) && !strings.Contains(tag, ` role="group" aria-label="Code`) {
				t.Errorf("%s: code block %s is not focusable with a name", p, tag)
			}
		}
	}
	t.Logf("pages with chroma.css: %v", with)
	if !slices.Contains(with, "huong-dan-bien-tap/viet-bai/index.html") {
		t.Errorf("the editor's guide (huong-dan-bien-tap/viet-bai/) does not link chroma.css")
	}
	for _, p := range []string{"index.html", "cong-uoc/crc/index.html", "en/conventions/crc/index.html", "404.html", "tim-kiem/index.html"} {
		if slices.Contains(with, p) {
			t.Errorf("%s links chroma.css", p)
		}
	}
}

// TestReadableSources checks the facts box of every English convention page:
// the source of the text is the publisher and the document as a reader
// cites them, never the repository, path or commit it was copied from
// (corpus/SOURCES.md keeps that), and nothing is linked, since the corpus
// notes give no address for these documents.
func TestReadableSources(t *testing.T) {
	res, _ := repoSite(t)
	facts := regexp.MustCompile(`(?s)<dl class="facts">.*?</dl>`)
	for _, code := range convention.Codes() {
		meta, _ := convention.Lookup(code)
		page := string(res.Files["en/conventions/"+code+"/index.html"])
		box := html.UnescapeString(facts.FindString(page))
		want := fmt.Sprintf("<cite>United Nations: %s (%d)</cite>", meta.TitleEn, meta.Year)
		if !strings.Contains(box, want) {
			t.Errorf("%s: the facts box lacks %s:\n%s", code, want, box)
		}
		for _, bad := range []string{meta.Source.Repository, meta.Source.Path, meta.Source.Commit[:7], "README.md", "<a "} {
			if strings.Contains(box, bad) {
				t.Errorf("%s: the facts box shows %q:\n%s", code, bad, box)
			}
		}
	}
}

// TestHandouts checks the print-only blocks of the built site: every regular
// page carries the QR code of its permalink, and every article of a
// convention its short URL and code, drawn from baseURL. The codes are
// compared with a fresh encoding of the expected address (internal/qrcode
// tests that a drawing decodes to its text).
func TestHandouts(t *testing.T) {
	res, _ := repoSite(t)
	base := res.Config.BaseURL
	block := regexp.MustCompile(`<div class="handout handout-article">(<svg [^>]*>.*?</svg>)<p>([^<]*)</p></div>`)
	for _, tc := range []struct {
		page, prefix string
		articles     int
	}{{"en/conventions/crc/index.html", "en/conventions/crc/", 54}, {"cong-uoc/crc/index.html", "cong-uoc/crc/", 54}, {"en/conventions/cat/index.html", "en/conventions/cat/", 33}} {
		page := string(res.Files[tc.page])
		blocks := block.FindAllStringSubmatch(page, -1)
		if len(blocks) != tc.articles {
			t.Errorf("%s: %d article blocks, want %d", tc.page, len(blocks), tc.articles)
			continue
		}
		for i, m := range blocks {
			want := fmt.Sprintf("%s%s%d/", base, tc.prefix, i+1)
			if m[2] != want {
				t.Errorf("%s: article %d prints %s, want %s", tc.page, i+1, m[2], want)
			}
			c, err := qrcode.Encode(want)
			if err != nil {
				t.Fatal(err)
			}
			if m[1] != string(c.SVG("")) {
				t.Errorf("%s: the code of article %d does not encode %s", tc.page, i+1, want)
			}
			if _, ok := res.Files[strings.TrimPrefix(want, base)+"index.html"]; !ok {
				t.Errorf("%s: the short URL %s does not exist", tc.page, want)
			}
		}
		// The code of article 28 comes right after its heading.
		n := map[bool]string{true: "article-28", false: "dieu-28"}[strings.HasPrefix(tc.prefix, "en/")]
		if i := strings.Index(page, `id="`+n+`"`); i < 0 || !strings.Contains(page[i:i+400], `</h3>`+"\n"+`<div class="handout handout-article">`) {
			t.Errorf("%s: no handout block right after #%s", tc.page, n)
		}
	}
	pageBlock := regexp.MustCompile(`(?s)<div class="handout handout-page">\n(<svg [^>]*>.*?</svg>)\n.*?<p class="handout-url">([^<]*)</p>`)
	for _, p := range res.Pages {
		if p.Kind != "page" || p.Front.Layout == "search" {
			continue
		}
		m := pageBlock.FindStringSubmatch(string(res.Files[p.OutPath]))
		if m == nil {
			t.Errorf("%s: no handout block", p.OutPath)
			continue
		}
		c, _ := qrcode.Encode(base + strings.TrimPrefix(p.URL, "/"))
		if m[2] != base+strings.TrimPrefix(p.URL, "/") || m[1] != string(c.SVG("")) {
			t.Errorf("%s: handout prints %s and a code that does not match it", p.OutPath, m[2])
		}
	}
}

// TestCaptionsMarkedEditorial: the Vietnamese rendering of CRPD's own
// article titles is this site's, so it is marked as an editorial caption
// like every other caption, and the page carries the note; the English CRPD
// page shows the treaty's own titles unmarked.
func TestCaptionsMarkedEditorial(t *testing.T) {
	res, _ := repoSite(t)
	vi := string(res.Files["cong-uoc/crpd/index.html"])
	if !strings.Contains(vi, `<span class="caption" title="Chú thích biên tập">`) {
		t.Error("Vietnamese CRPD captions are not marked as editorial")
	}
	if !strings.Contains(vi, "chú thích biên tập của trang này") {
		t.Error("the Vietnamese CRPD page lacks the editorial-caption note")
	}
	en := string(res.Files["en/conventions/crpd/index.html"])
	if strings.Contains(en, `title="Editorial caption"`) {
		t.Error("CRPD's own English titles are marked as editorial")
	}
	if crc := string(res.Files["en/conventions/crc/index.html"]); !strings.Contains(crc, `<span class="caption" title="Editorial caption">`) {
		t.Error("English CRC captions are not marked as editorial")
	}
}

// TestSearchPageCaptionNote: the search pages say that article captions in
// results are editorial.
func TestSearchPageCaptionNote(t *testing.T) {
	res, _ := repoSite(t)
	for p, want := range map[string]string{
		"tim-kiem/index.html":  "tên điều sau dấu · là chú thích biên tập",
		"en/search/index.html": "an article caption after the · is an editorial caption",
	} {
		if !strings.Contains(string(res.Files[p]), want) {
			t.Errorf("%s lacks the note on editorial captions", p)
		}
	}
}
