package check_test

import (
	"context"
	"strings"
	"testing"

	"loa/internal/check"
	"loa/internal/sitetest"
)

const cfg = `
-- loa.yaml --
title: "Trang thử"
baseURL: "https://example.org/"
languages:
  vi: { name: "Tiếng Việt", weight: 1 }
  en: { name: "English", weight: 2 }
menus:
  vi: [ { name: "Giới thiệu", url: "/gioi-thieu/" } ]
  en: [ { name: "About", url: "/en/about/" } ]
-- content/_index.md --
---
title: Trang chủ
translationKey: home
---
-- content/_index.en.md --
---
title: Home
translationKey: home
---
-- content/gioi-thieu.md --
---
title: Giới thiệu
translationKey: about
---
-- content/about.en.md --
---
title: About
translationKey: about
---
-- content/huong-dan/_index.md --
---
title: Hướng dẫn
---
-- content/cong-uoc/_index.md --
---
title: Công ước
translationKey: conventions
---
-- content/conventions/_index.en.md --
---
title: Conventions
translationKey: conventions
---
-- content/cong-uoc/crc.md --
---
title: Công ước về Quyền Trẻ em
code: crc
translationKey: crc
---
### Điều 1 {#dieu-1}
-- content/conventions/crc.en.md --
---
title: Convention on the Rights of the Child
code: crc
translationKey: crc
---
### Article 1 {#article-1}
`

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		files string
		want  []string // lines that must appear, in this order
		not   []string // substrings that must not appear
	}{
		{name: "clean site", files: "", not: []string{"content/"}},
		{name: "placeholder baseURL", files: "", want: []string{
			"loa.yaml:2:10: warning: baseURL is still the placeholder https://example.org/: canonical links, the sitemap, RSS feeds and the QR codes of printed handouts point there",
		}},
		{name: "broken link and citation are errors", files: `
-- content/huong-dan/a.md --
---
title: A
---
Xem [b](b.md) và [Điều 99](convention:crc/99) và [neo](#khong-co).
`, want: []string{
			"content/huong-dan/a.md:4:5: link to b.md: no such page",
			"content/huong-dan/a.md:4:18: citation of article 99 of crc",
			"content/huong-dan/a.md:4:50: link to #khong-co:",
		}},
		{name: "images without alt text", files: `
-- content/huong-dan/a.md --
---
title: A
---
![](/x.png) ![Sơ đồ](/y.png)
Ảnh: ![ ][ref] và ` + "`![](code.png)`" + `

` + "```markdown\n![](in-code.png)\n```" + `

[ref]: /z.png
-- static/x.png --
-- static/y.png --
-- static/z.png --
`, want: []string{
			"content/huong-dan/a.md:4:1: warning: image without alt text",
			"content/huong-dan/a.md:5:6: warning: image without alt text",
		}, not: []string{"a.md:4:13", "a.md:8:", ": link to"}},
		{name: "unlinked page", files: `
-- content/mo-coi.md --
---
title: Mồ côi
---
-- content/khac/mot.md --
---
title: Không có trang mục
---
-- content/huong-dan/a.md --
---
title: Được liệt kê trên trang mục
---
`, want: []string{
			"content/khac/mot.md:1:1: warning: page /khac/mot/ is not linked",
		}, not: []string{"mo-coi.md:1:1: warning: page", "huong-dan/a.md:1:1: warning: page", "gioi-thieu"}},
		{name: "errors in drafts are warnings", files: `
-- content/huong-dan/nhap.md --
---
title: Nháp
draft: true
---
Xem [lỗi](khong-co.md).
`, want: []string{
			"content/huong-dan/nhap.md:5:5: warning: in a draft: link to khong-co.md: no such page",
		}},
		{name: "draft linked from a published page", files: `
-- content/huong-dan/a.md --
---
title: A
---
Xem [bản nháp](nhap.md).
-- content/huong-dan/nhap.md --
---
title: Nháp
draft: true
---
`, want: []string{
			"content/huong-dan/a.md:4:5: link to nhap.md: no such page",
			"content/huong-dan/a.md:4:5: warning: link to nhap.md: content/huong-dan/nhap.md is a draft",
		}},
		{name: "missing translations", files: `
-- content/cong-uoc/cat.md --
---
title: Công ước chống Tra tấn
translationKey: cat
---
-- content/huong-dan/chi-tieng-viet.md --
---
title: Chỉ có tiếng Việt
---
-- content/lien-he.md --
---
title: Liên hệ
---
`, want: []string{
			"content/cong-uoc/cat.md:1:1: warning: no English translation, although /cong-uoc/ has one (/en/conventions/): add a page under content/conventions with translationKey: cat",
			"content/lien-he.md:1:1: warning: no English translation, although / has one (/en/): add a page under content and give both pages the same translationKey",
		}, not: []string{"chi-tieng-viet.md:1:1: warning: no English", "huong-dan/_index.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := check.Run(context.Background(), check.Options{FS: sitetest.FS(cfg + tt.files)})
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, d := range ds {
				lines = append(lines, d.Error())
			}
			got := strings.Join(lines, "\n")
			at := 0
			for _, w := range tt.want {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Errorf("missing (or out of order): %s\ngot:\n%s", w, got)
					continue
				}
				at += i
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("unexpected %q in:\n%s", n, got)
				}
			}
		})
	}
}
