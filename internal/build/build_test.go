package build_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"loa/internal/build"
	"loa/internal/content"
	"loa/internal/output"
	"loa/internal/sitetest"
)

const cfg = `
-- loa.yaml --
title: "Trang thử"
baseURL: "https://example.org/qcn/"
defaultLanguage: vi
languages:
  vi: { name: "Tiếng Việt", weight: 1 }
  en: { name: "English", weight: 2 }
`

func TestSite(t *testing.T) {
	res := sitetest.Build(t, cfg+`
-- content/_index.md --
---
title: Trang chủ
---
Xin chào.
-- content/huong-dan/_index.md --
---
title: Hướng dẫn
---
-- content/huong-dan/bai-mot.md --
---
title: Bài một
date: 2024-04-05
translationKey: mot
aliases: [cu/bai-1]
---
## Điều 1. Mục đích

Xem [bài hai](bai-hai.md#muc-2) và [công ước](convention:crc/2) và [trang chủ](/).
-- content/huong-dan/bai-hai.md --
---
title: Bài hai
slug: bai-so-hai
weight: 1
---
## Mục 2 {#muc-2}
-- content/huong-dan/nhap.md --
---
title: Nháp
draft: true
---
-- content/guidance/one.en.md --
---
title: One
translationKey: mot
---
English.
-- content/cong-uoc/crc.md --
---
title: Công ước về Quyền Trẻ em
code: crc
---
### Điều 1 {#dieu-1}
### Điều 2 {#dieu-2}
-- static/img/a.txt --
static bytes
`)
	res.AssertContains(t, "huong-dan/bai-mot/index.html",
		`<h2 id="dieu-1-muc-dich"`,
		`href="../bai-so-hai/index.html#muc-2"`,
		`href="../../cong-uoc/crc/index.html#dieu-2"`,
		`href="../../index.html"`,
		`hreflang="en" href="../../en/guidance/one/index.html"`)
	res.AssertContains(t, "huong-dan/index.html", `href="bai-so-hai/index.html">Bài hai`, `href="bai-mot/index.html">Bài một`)
	if strings.Index(res.File(t, "huong-dan/index.html"), "Bài hai") > strings.Index(res.File(t, "huong-dan/index.html"), "Bài một") {
		t.Errorf("weighted page should come first")
	}
	if _, ok := res.Files["huong-dan/nhap/index.html"]; ok {
		t.Errorf("draft was built")
	}
	res.AssertContains(t, "cu/bai-1/index.html", `url=../../huong-dan/bai-mot/index.html`)
	res.AssertContains(t, "cong-uoc/crc/2/index.html", `url=../index.html#dieu-2`, `<a href="../index.html#dieu-2">`)
	res.AssertContains(t, "sitemap.xml", `<loc>https://example.org/qcn/huong-dan/bai-mot/</loc><lastmod>2024-04-05</lastmod>`)
	res.AssertContains(t, "index.xml", `<link>https://example.org/qcn/huong-dan/bai-mot/</link>`)
	res.AssertContains(t, "robots.txt", "Sitemap: https://example.org/qcn/sitemap.xml")
	if got := res.File(t, "img/a.txt"); got != "static bytes\n" {
		t.Errorf("static file changed: %q", got)
	}
	res.AssertContains(t, "css/chroma.css", ".hl-chroma")
}

func TestDrafts(t *testing.T) {
	fsys := sitetest.FS(cfg + `
-- content/a.md --
---
title: A
draft: true
---
`)
	res, err := build.New().Build(context.Background(), build.Options{FS: fsys, Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.Files["a/index.html"]; !ok {
		t.Errorf("--drafts did not build the draft")
	}
}

func TestRawHTML(t *testing.T) {
	res := sitetest.Build(t, cfg+`
-- content/a.md --
---
title: A
---
<script>alert(1)</script>

<b>x</b>
-- content/b.md --
---
title: B
allowHTML: true
---
<b>kept</b>
`)
	res.AssertNotContains(t, "a/index.html", "<script>alert", "<b>x</b>")
	res.AssertContains(t, "b/index.html", "<b>kept</b>")
}

// TestErrors checks the exact message for each kind of bad input.
func TestErrors(t *testing.T) {
	tests := []struct {
		name, site, want string
	}{
		{"malformed front matter", `
-- content/a.md --
---
title: [unclosed
---
`, "content/a.md:2:1: invalid YAML: did not find expected ',' or ']'"},
		{"unclosed front matter", `
-- content/a.md --
---
title: x
`, "content/a.md:1:1: front matter is not closed: add a line \"---\" after it"},
		{"string where a date belongs", `
-- content/a.md --
---
title: A
date: hôm qua
---
`, `content/a.md:3:7: date: expected a date like 2024-04-05, got "hôm qua"`},
		{"wrong type for draft", `
-- content/a.md --
---
draft: "yes"
---
`, `content/a.md:2:8: draft: expected true or false, got "yes"`},
		{"invalid UTF-8", "\n-- content/a.md --\n---\ntitle: A\n---\nđúng\nsai \xff\n", "content/a.md:5:5: invalid UTF-8 (byte 0xff): save the file as UTF-8"},
		{"same URL", `
-- content/a.md --
---
title: A
---
-- content/x/_index.md --
---
title: X
slug: a
---
-- content/b.md --
---
title: B
slug: a
---
`, "content/b.md:1:1: URL /a/ is already used by content/a.md (URL)"},
		{"broken page link", `
-- content/a.md --
---
title: A
---
Text

See [b](/b/).
`, "content/a.md:6:5: link to /b/: no page or static file at /b/"},
		{"broken md link", `
-- content/a.md --
---
title: A
---
[b](b.md)
`, "content/a.md:4:1: link to b.md: no such page (looked for content/b.md)"},
		{"broken anchor", `
-- content/a.md --
---
title: A
---
## Có {#co}

[x](#khong) [y](a.md#co)
`, "content/a.md:6:1: link to #khong: content/a.md has no anchor #khong"},
		{"citation of a missing article", `
-- content/cong-uoc/crc.md --
---
title: CRC
code: crc
---
### Điều 1 {#dieu-1}
-- content/huong-dan/a.md --
---
title: A
---
Theo [Điều 99](convention:crc/99).
`, "content/huong-dan/a.md:4:6: citation of article 99 of crc: content/cong-uoc/crc.md has no article 99 (it has 1 articles)"},
		{"missing layout", `
-- layouts/_default/baseof.html --
{{ block "main" . }}{{ end }}
-- content/a.md --
---
title: A
---
`, "content/a.md:1:1: no layout for this page (kind page): looked for layouts/_default/single.html"},
		{"failing layout", `
-- layouts/_default/baseof.html --
{{ block "main" . }}{{ end }}
-- layouts/_default/single.html --
{{ define "main" }}
<h1>{{ .Nope }}</h1>{{ end }}
-- content/a.md --
---
title: A
---
`, `layouts/_default/single.html:2:7: executing "main" at <.Nope>: can't evaluate field Nope in type *layout.Page (rendering content/a.md)`},
		{"template syntax error", `
-- layouts/_default/baseof.html --
{{ block "main" . }}{{ end }}
-- layouts/_default/single.html --
{{ define "main" }}
{{ if }}{{ end }}
-- content/a.md --
---
title: A
---
`, `layouts/_default/single.html:2:1: template error: missing value for if`},
		{"bad config", `
-- content/a.md --
`, "loa.yaml:3:1: unknown config key \"tittle\" (known: title, baseURL, defaultLanguage, languages, menus, params, search, guidance, minify)"},
		{"static script that does not parse", `
-- content/a.md --
---
title: A
---
-- static/js/menu.js --
// Mở menu
var tiêuđề = "Xin chào";
if (tiêuđề { mở(); }
`, "static/js/menu.js:3:12: cannot minify: expected ) instead of { in if statement (fix the file, or set minify: false in loa.yaml to copy CSS and JavaScript as they are)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			site := cfg + tc.site
			if tc.name == "bad config" {
				site = "-- loa.yaml --\ntitle: T\nbaseURL: https://e.org/\ntittle: x\n" + tc.site
			}
			got := sitetest.BuildErr(t, site)
			if !strings.Contains(got, tc.want) {
				t.Errorf("error:\n%s\nwant a line:\n%s", got, tc.want)
			}
		})
	}
}

// TestErrorsSorted checks that all errors of one run are reported together,
// sorted by file and line.
func TestErrorsSorted(t *testing.T) {
	got := sitetest.BuildErr(t, cfg+`
-- content/b.md --
---
date: x
---
-- content/a.md --
---
title: A
---
[x](/nope/)
[y](/nope2/)
`)
	want := `content/a.md:4:1: link to /nope/: no page or static file at /nope/
content/a.md:5:1: link to /nope2/: no page or static file at /nope2/
content/b.md:2:7: date: expected a date like 2024-04-05, got "x"`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

type unreadableFS struct {
	fstest.MapFS
	bad string
}

func (u unreadableFS) Open(name string) (fs.File, error) {
	if name == u.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.Open(name)
}

func (u unreadableFS) ReadFile(name string) ([]byte, error) {
	if name == u.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.ReadFile(name)
}

func TestUnreadableFile(t *testing.T) {
	fsys := unreadableFS{sitetest.FS(cfg + "\n-- content/a.md --\n---\ntitle: A\n---\n"), "content/a.md"}
	_, err := build.New().Build(context.Background(), build.Options{FS: fsys})
	want := "content/a.md:1:1: cannot read file: open content/a.md: permission denied"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func writeSite(t *testing.T, dir, archive string) {
	t.Helper()
	for name, f := range sitetest.FS(archive) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSymlinkLeavingSite(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	writeSite(t, site, cfg+"\n-- content/a.md --\n---\ntitle: A\n---\n")
	os.WriteFile(filepath.Join(dir, "secret.md"), []byte("secret"), 0o644)
	if err := os.Symlink("../../secret.md", filepath.Join(site, "content", "b.md")); err != nil {
		t.Fatal(err)
	}
	_, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS(site)})
	want := "content/b.md:1:1: symlink leaves the site (points to ../../secret.md): copy the file into the site instead"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestFailedBuildKeepsOutput checks that a failing build leaves the previous
// output exactly as it was, and that a good build replaces it.
func TestFailedBuildKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	out := filepath.Join(dir, "public")
	writeSite(t, site, cfg+"\n-- content/a.md --\n---\ntitle: A\n---\nOne\n")
	res, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS(site)})
	if err != nil {
		t.Fatal(err)
	}
	wo := build.WriteOptions{Out: out, Root: site}
	if err := res.Write(context.Background(), wo); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	os.WriteFile(filepath.Join(site, "content", "a.md"), []byte("---\ndate: bad\n---\n"), 0o644)
	if _, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS(site)}); err == nil {
		t.Fatal("want error")
	}
	if after := snapshot(t, out); after != before {
		t.Errorf("output changed by a failed build")
	}
	// A write that fails halfway (here: cancelled) must not touch the output either.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := res.Write(ctx, wo); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if after := snapshot(t, out); after != before {
		t.Errorf("output changed by a cancelled write")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary folders left behind: %v", entries)
	}
}

func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			data, _ := os.ReadFile(p)
			b.WriteString(p + "\n" + string(data) + "\n")
		}
		return nil
	})
	return b.String()
}

// TestDeterministic builds the same site twice and compares every byte.
func TestDeterministic(t *testing.T) {
	archive := cfg + `
-- content/_index.md --
---
title: Home
---
-- content/a/_index.md --
---
title: A
---
`
	for i := 0; i < 40; i++ {
		archive += "-- content/a/p" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".md --\n---\ntitle: P\ndate: 2024-01-02\n---\n## H\n\n```go\nfunc main() {}\n```\n"
	}
	a := sitetest.Build(t, archive)
	b := sitetest.Build(t, archive)
	sitetest.AssertSameFiles(t, "second build", b.Files, a.Files)
}

// TestWrittenOutputDeterministic writes the same site twice into the same
// public/ folder, the way `loa build` does, and compares every file of the
// tree: public/ is exactly what readers get, so nothing in it may differ
// between two builds of the same input, and it holds no Bleve index, manifest
// or test file (those live in the build-state folder, or are not copied).
func TestWrittenOutputDeterministic(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	writeSite(t, site, cfg+"\n-- content/_index.md --\n---\ntitle: Trang chủ\n---\n## Quyền trẻ em\n\nMọi trẻ em có quyền được học.\n-- content/a.md --\n---\ntitle: A\ndate: 2024-01-02\n---\nĐiều 1. Tra tấn bị cấm.\n"+
		"-- static/js/app.js --\nconsole.log(1)\n-- static/js/test/app.test.js --\ntest()\n-- static/js/app.spec.js --\nspec()\n")
	out := filepath.Join(site, "public")
	var snaps []map[string]string
	for i := 0; i < 2; i++ {
		res, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS(site)})
		if err != nil {
			t.Fatal(err)
		}
		if err := res.Write(context.Background(), build.WriteOptions{Out: out, Root: site}); err != nil {
			t.Fatal(err)
		}
		snap := map[string]string{}
		filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(out, p)
			if d.IsDir() {
				snap[rel+"/"] = ""
				return nil
			}
			b, _ := os.ReadFile(p)
			snap[rel] = string(b)
			return nil
		})
		snaps = append(snaps, snap)
	}
	for _, p := range []string{"search/index.js", "js/app.js", "index.html"} {
		if _, ok := snaps[0][p]; !ok {
			t.Errorf("%s not written", p)
		}
	}
	for p := range snaps[0] {
		if strings.Contains(p, "index.bleve") || strings.Contains(p, "manifest") || strings.Contains(p, "test") || strings.Contains(p, "spec") {
			t.Errorf("public/ holds %s, which readers never request", p)
		}
	}
	for p, b := range snaps[0] {
		if c, ok := snaps[1][p]; !ok || c != b {
			t.Errorf("%s differs between two builds", p)
		}
	}
	for p := range snaps[1] {
		if _, ok := snaps[0][p]; !ok {
			t.Errorf("%s only in the second build", p)
		}
	}
	if _, err := os.Stat(filepath.Join(site, ".loa", "index.bleve", "index_meta.json")); err != nil {
		t.Errorf("no Bleve index in the build-state folder: %v", err)
	}
}

// TestSymlinkEscapesAndLoops: a link that leaves the site through a second
// hop is refused at the link, and links back to a folder being walked are
// reported once each instead of walking forever.
func TestSymlinkEscapesAndLoops(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	writeSite(t, site, cfg+"\n-- content/a.md --\n---\ntitle: A\n---\n-- static/css/x.css --\nx\n")
	os.WriteFile(filepath.Join(dir, "passwd"), []byte("root:x:0:0"), 0o644)
	for _, l := range [][2]string{
		{"../leak", "static/leak.txt"},
		{filepath.Join(dir, "passwd"), "leak"},
		{".", "content/l1"},
		{".", "content/l2"},
		{"../css", "static/css/again"},
	} {
		if err := os.Symlink(l[0], filepath.Join(site, filepath.FromSlash(l[1]))); err != nil {
			t.Fatal(err)
		}
	}
	_, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS(site)})
	want := []string{
		"content/l1:1:1: symlink points to a folder that holds it (content), a loop: remove the link",
		"content/l2:1:1: symlink points to a folder that holds it (content), a loop: remove the link",
		"static/css/again:1:1: symlink points to a folder that holds it (static/css), a loop: remove the link",
		"static/leak.txt:1:1: symlink leaves the site (points to " + filepath.Join(dir, "passwd") + " through leak): copy the file into the site instead",
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
}

// TestLimits: pages that would cost unbounded memory or time stop the build
// in well under a second with a positioned error (the 5,000-column table
// once took the build past 20 GB).
func TestLimits(t *testing.T) {
	var table strings.Builder
	table.WriteString("---\ntitle: T\n---\nText.\n\n|" + strings.Repeat(" h |", 5000) + "\n|" + strings.Repeat("---|", 5000) + "\n")
	for i := 0; i < 20000; i++ {
		table.WriteString("| x |\n")
	}
	long := "---\ntitle: L\n---\n|" + strings.Repeat(" h |", 40) + "\n|" + strings.Repeat("---|", 40) + "\n" + strings.Repeat("| x |\n", 3000)
	deep := "---\ntitle: D\n---\n\n" + strings.Repeat(">", 100) + " deep\n"
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	writeSite(t, site, cfg+"\n-- content/table.md --\n"+table.String()+"-- content/long.md --\n"+long+"-- content/deep.md --\n"+deep)
	big := make([]byte, content.MaxFileBytes+1)
	for i := range big {
		big[i] = 'a'
	}
	copy(big, "---\ntitle: Big\n---\n")
	if err := os.WriteFile(filepath.Join(site, "content", "big.md"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS(site)})
	want := []string{
		fmt.Sprintf("content/big.md:1:1: the file is %d bytes, more than the %d a page may have: split it into several pages", content.MaxFileBytes+1, content.MaxFileBytes),
		"content/deep.md:5:33: block quotes and lists nested 100 deep here, more than 32: flatten the structure",
		"content/long.md:4:1: this table has 3001 rows of 40 columns, more than 100000 cells: split it into smaller tables",
		"content/table.md:6:1: this table has 5000 columns, more than 64: split it into smaller tables",
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the build took %s to refuse the pages", d)
	}
}

// TestOutputPathErrors: slugs, aliases and layouts that cannot work are
// errors at their front-matter position, and a broken link does not hide a
// template error: one run reports all of them.
func TestOutputPathErrors(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	writeSite(t, site, cfg+`
-- layouts/_default/single.html --
{{ define "main" }}{{ .Content }}{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}{{ .Content }}{{ end }}
-- layouts/_default/baseof.html --
<html><body>{{ block "main" . }}{{ end }}</body></html>
-- layouts/x/single.html --
{{ define "main" }}{{ .Nosuch }}{{ end }}
-- static/css/main.css --
body{}
-- content/_index.md --
---
title: Home
---
-- content/r.md --
---
title: R
slug: robots.txt
---
-- content/i.md --
---
title: I
slug: index.html
---
-- content/a.md --
---
title: A
aliases: [/ok/, ../../etc, "https://example.org/x/"]
---
-- content/b.md --
---
title: B
aliases: [/css/main.css]
layout: nosuch
---
[broken](/nope/)
-- content/x/p.md --
---
title: P
---
`)
	_, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS(site)})
	want := []string{
		`content/a.md:3:17: aliases: "../../etc" contains an empty, '.' or '..' segment; write the old address as a site path such as /tin-tuc/bai-cu/`,
		`content/a.md:3:28: aliases: "https://example.org/x/" is an address on another site, not a path of this one; write the old address as a site path such as /tin-tuc/bai-cu/`,
		`content/b.md:4:9: layout: no layout named "nosuch" (looked for layouts/_default/nosuch.html): create it, or remove the key to use layouts/_default/single.html`,
		`content/b.md:6:1: link to /nope/: no page or static file at /nope/`,
		`content/i.md:3:7: output index.html/index.html needs a folder index.html/, but index.html is the output of content/_index.md: choose another slug or alias`,
		`content/r.md:3:7: output robots.txt/index.html needs a folder robots.txt/, but robots.txt is a file loa generates: choose another slug or alias`,
	}
	got := ""
	if err != nil {
		got = err.Error()
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing error:\n%s", w)
		}
	}
	if !strings.Contains(got, "layouts/x/single.html:1:") {
		t.Errorf("the template error is hidden:\n%s", got)
	}
	if !strings.Contains(got, "css/main.css/index.html needs a folder css/main.css/, but css/main.css is the output of static/css/main.css") {
		t.Errorf("alias over a static file not reported:\n%s", got)
	}
	if t.Failed() {
		t.Logf("all errors:\n%s", got)
	}
}

// TestExternalResources: an image or other resource from another site is an
// error at its position unless the page allows it; links to other sites
// are fine.
func TestExternalResources(t *testing.T) {
	fsys := sitetest.FS(cfg + `
-- content/a.md --
---
title: A
allowHTML: true
---
Bản đồ: ![map](https://tracker.example/p.png) and [a link](https://example.org/).

<iframe src="//maps.example/embed"></iframe>
-- content/b.md --
---
title: B
externalResources: true
---
![map](https://tracker.example/p.png)
`)
	_, err := build.New().Build(context.Background(), build.Options{FS: fsys})
	fix := "copy the file into static/ and link it as a site path, or set externalResources: true in the front matter if the page must load it from there"
	want := "content/a.md:5:9: image https://tracker.example/p.png is loaded from another site by every reader's browser: " + fix + "\n" +
		"content/a.md:7:14: //maps.example/embed is loaded from another site by every reader's browser: " + fix
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

// TestEditorFileNames: files named with spaces and Vietnamese letters,
// composed or decomposed, work however they are linked.
func TestEditorFileNames(t *testing.T) {
	nfd := "Ma\u0302\u0303u" // "Mẫu", decomposed as macOS writes it
	res := sitetest.Build(t, cfg+`
-- static/tai-lieu/`+nfd+` đơn khiếu nại.pdf --
pdf
-- static/tai-lieu/bieu mau.doc --
doc
-- content/huong-dan/Kế hoạch 2025.md --
---
title: Kế hoạch 2025
---
Tải [mẫu đơn](</tai-lieu/Mẫu đơn khiếu nại.pdf>), [biểu mẫu](/tai-lieu/bieu%20mau.doc).
-- content/a.md --
---
title: A
---
Xem [kế hoạch](huong-dan/Kế hoạch 2025.md) và [lần nữa](/huong-dan/Kế-hoạch-2025/).
`)
	for _, p := range []string{"tai-lieu/Mẫu đơn khiếu nại.pdf", "tai-lieu/bieu mau.doc", "huong-dan/Kế-hoạch-2025/index.html"} {
		if _, ok := res.Files[p]; !ok {
			t.Errorf("%s not in the output (have %v)", p, res.Files.Paths())
		}
	}
	page := string(res.Files["huong-dan/Kế-hoạch-2025/index.html"])
	if !strings.Contains(page, `href="../../tai-lieu/M%E1%BA%ABu%20%C4%91%C6%A1n%20khi%E1%BA%BFu%20n%E1%BA%A1i.pdf"`) {
		t.Errorf("link to the PDF:\n%s", page)
	}
}

// TestDuplicateIDs: explicit heading ids used twice, or taken by the
// layout, are errors at the heading; a generated id steps around the
// layout's ids.
func TestDuplicateIDs(t *testing.T) {
	fsys := sitetest.FS(cfg + `
-- layouts/_default/baseof.html --
<html><body><main id="main">{{ block "main" . }}{{ end }}</main></body></html>
-- layouts/_default/single.html --
{{ define "main" }}{{ .Content }}{{ end }}
-- content/a.md --
---
title: A
---
## Main

## Một {#mot}

## Hai {#mot}

## Ba {#main}
`)
	_, err := build.New().Build(context.Background(), build.Options{FS: fsys})
	want := "content/a.md:8:1: heading id #mot is already used by the heading on line 6: give one of them another {#id}\n" +
		"content/a.md:10:1: heading id #main is used by the layout: choose another {#id}"
	if err == nil || err.Error() != want {
		t.Fatalf("got:\n%v\nwant:\n%s", err, want)
	}
	res := sitetest.Build(t, cfg+`
-- layouts/_default/baseof.html --
<html><body><main id="main">{{ block "main" . }}{{ end }}</main></body></html>
-- layouts/_default/single.html --
{{ define "main" }}{{ .Content }}{{ end }}
-- content/a.md --
---
title: A
---
## Main
`)
	if page := string(res.Files["a/index.html"]); !strings.Contains(page, `<h2 id="main-1">Main</h2>`) {
		t.Errorf("generated id does not avoid the layout's:\n%s", page)
	}
}

// TestRepositoryIDsUnique: no id appears twice in any page of this
// repository's site.
func TestRepositoryIDsUnique(t *testing.T) {
	res, _ := repoSite(t)
	idRe := regexp.MustCompile(` id="([^"]+)"`)
	for _, p := range res.Files.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		seen := map[string]bool{}
		for _, m := range idRe.FindAllStringSubmatch(string(res.Files[p]), -1) {
			if seen[m[1]] {
				t.Errorf("%s: id %q appears twice", p, m[1])
			}
			seen[m[1]] = true
		}
	}
}

// TestInvalidate: a file replaced by a copy of the same size and
// modification time (cp -p, unzip) is read again once the preview reports
// it; a file deleted between listing and reading is not an error.
func TestInvalidate(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, cfg+"\n-- content/a.md --\n---\ntitle: A\n---\nmột hai\n")
	name := filepath.Join(dir, "content", "a.md")
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(name, old, old); err != nil {
		t.Fatal(err)
	}
	b := build.New()
	if _, err := b.Build(context.Background(), build.Options{FS: os.DirFS(dir)}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte("---\ntitle: A\n---\nmốt hai\n"), 0o644); err != nil { // same size
		t.Fatal(err)
	}
	if err := os.Chtimes(name, old, old); err != nil {
		t.Fatal(err)
	}
	b.Invalidate([]string{"content/a.md"})
	res, err := b.Build(context.Background(), build.Options{FS: os.DirFS(dir)})
	if err != nil {
		t.Fatal(err)
	}
	if page := string(res.Files["a/index.html"]); !strings.Contains(page, "mốt hai") {
		t.Errorf("the replaced file was not read again:\n%s", page)
	}
}

// TestLayoutErrorOnce: a mistake in a partial used by every page is one
// error at the partial's line and column (in characters), with the pages
// as context; an escaping error keeps its layout position too.
func TestLayoutErrorOnce(t *testing.T) {
	site := cfg + `
-- layouts/_default/baseof.html --
<html><body>{{ template "partials/p.html" . }}{{ block "main" . }}{{ end }}</body></html>
-- layouts/partials/p.html --
<p title="Tiêu đề">{{ .Nope }}</p>
-- layouts/_default/single.html --
{{ define "main" }}{{ .Content }}{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}{{ .Content }}{{ end }}
-- content/a.md --
---
title: A
---
-- content/b.md --
---
title: B
---
-- content/c.md --
---
title: C
---
`
	_, err := build.New().Build(context.Background(), build.Options{FS: sitetest.FS(site)})
	want := `layouts/partials/p.html:1:22: executing "partials/p.html" at <.Nope>: can't evaluate field Nope in type *layout.Page (rendering content/a.md and 2 other pages)`
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
	esc := strings.Replace(site, `<p title="Tiêu đề">{{ .Nope }}</p>`, `<a href="/x?{{ "a" }}=1">Tiêu đề</a><script>var x = "{{ .Title }}</script>`, 1)
	_, err = build.New().Build(context.Background(), build.Options{FS: sitetest.FS(esc)})
	if err == nil || !strings.HasPrefix(err.Error(), "layouts/_default/baseof.html:1:1: ends in a non-text context") || strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("escaping error not reported once at its layout:\n%v", err)
	}
}

// TestWriteRelease: a Write that releases the Result's pages and files as
// it goes writes the same output as one that keeps them, and leaves the
// Result without them.
func TestWriteRelease(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	writeSite(t, site, cfg+"\n-- content/a.md --\n---\ntitle: A\n---\nOne word\n\n-- content/b.md --\n---\ntitle: B\n---\nTwo words\n")
	var trees [2]output.Files
	for i, release := range []bool{false, true} {
		res, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS(site)})
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, fmt.Sprint("public", i))
		if err := res.Write(context.Background(), build.WriteOptions{Out: out, Root: site, State: filepath.Join(dir, fmt.Sprint("state", i)), Release: release}); err != nil {
			t.Fatal(err)
		}
		if got := res.Files != nil || res.Pages != nil; got != !release {
			t.Errorf("Release %v: the Result kept its files or pages: %v", release, got)
		}
		trees[i] = sitetest.ReadTree(t, out)
	}
	if len(trees[0]) < 3 {
		t.Fatalf("the site has %d files", len(trees[0]))
	}
	sitetest.AssertSameFiles(t, "the output written with Release", trees[1], trees[0])
}
