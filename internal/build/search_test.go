package build_test

import (
	"fmt"
	"strings"
	"testing"

	"loa/internal/sitetest"
)

const searchSite = cfg + `search:
  exclude: [guide]
  omit: ["Đọc Điều {n} bằng tiếng Anh"]
-- layouts/_default/baseof.html --
{{ block "main" . }}{{ end }}
-- layouts/_default/single.html --
{{ define "main" }}{{ if .Captions }}<p>{{ .T "captionNotice" }}</p>{{ end }}{{ range .TOC }}<li>{{ .Text }}</li>{{ end }}{{ .Content }}{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}{{ .Content }}{{ end }}
-- i18n/vi.yaml --
captionTitle: "Chú thích biên tập"
captionNotice: "Chú thích là biên tập."
-- i18n/en.yaml --
captionTitle: "Editorial caption"
captionNotice: "Captions are editorial."
-- data/captions/crc.yaml --
convention: crc
articles:
  1: { en: "Definition of the child", vi: "Định nghĩa trẻ em" }
-- content/crc.md --
---
title: "Công ước về Quyền Trẻ em"
code: crc
articles: 2
proceduralFrom: 2
titleEn: "Convention on the Rights of the Child"
toc: true
---
Lời giới thiệu.

### Điều 1 {#dieu-1}

Trẻ em là mọi người dưới 18 tuổi. [Đọc Điều 1 bằng tiếng Anh](https://example.org/)

### Điều 2 {#dieu-2}

Không phân biệt đối xử.
-- content/hidden.md --
---
title: Ẩn
search: false
---
Không tìm thấy.
-- content/guide/_index.md --
---
title: Hướng dẫn biên tập
---
Cho biên tập viên.
-- content/guide/kept.md --
---
title: Giữ lại
search: true
---
Trang này vẫn được tìm.
`

// TestSearchDocs checks what the builder indexes: article documents with
// captions and keywords, a page document without the articles, pages and
// sections left out, boilerplate removed.
func TestSearchDocs(t *testing.T) {
	res := sitetest.Build(t, searchSite)
	got := map[string]string{}
	for _, d := range res.Result.SearchDocs() {
		got[d.ID] = d.Title + " | " + d.Body + " | " + strings.ReplaceAll(d.Keywords, "\n", "; ") + " | " + strings.ReplaceAll(d.Names, "\n", "; ") + fmt.Sprintf(" | %g", d.Weight)
	}
	want := map[string]string{
		"/crc/#dieu-1": "Điều 1 · Định nghĩa trẻ em | Trẻ em là mọi người dưới 18 tuổi. | crc; điều 1 | Công ước về Quyền Trẻ em | 0",
		"/crc/#dieu-2": "Điều 2 | Không phân biệt đối xử. | crc; điều 2 | Công ước về Quyền Trẻ em | 0.6",
		"/crc/":        "Công ước về Quyền Trẻ em | Lời giới thiệu. | crc | Công ước về Quyền Trẻ em; Convention on the Rights of the Child | 0.4",
		"/guide/kept/": "Giữ lại | Trang này vẫn được tìm. |  |  | 0",
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s:\n got %q\nwant %q", id, got[id], w)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("unexpected document %s: %q", id, got[id])
		}
	}
	html := string(res.Files["crc/index.html"])
	for _, w := range []string{
		`<h3 id="dieu-1">Điều 1 · <span class="caption" title="Chú thích biên tập">Định nghĩa trẻ em</span></h3>`,
		`<h3 id="dieu-2">Điều 2</h3>`,
		`<li>Điều 1 · Định nghĩa trẻ em</li>`,
		`<p>Chú thích là biên tập.</p>`,
		`Đọc Điều 1 bằng tiếng Anh`, // the page itself keeps its links
	} {
		if !strings.Contains(html, w) {
			t.Errorf("crc/index.html lacks %s", w)
		}
	}
}

func TestCaptionErrors(t *testing.T) {
	got := sitetest.BuildErr(t, strings.Replace(searchSite, `  1: { en: "Definition of the child", vi: "Định nghĩa trẻ em" }`,
		"  1: { en: \"A\", vi: \"B\", note: x }\n  3: { en: \"C\", vi: \"D\" }\nextra: 1", 1))
	for _, w := range []string{
		`data/captions/crc.yaml:3:26: unknown caption key "note" (known: en, vi, own)`,
		`data/captions/crc.yaml:4:3: article "3": CRC has articles 1 to 2`,
		`data/captions/crc.yaml:5:1: unknown key "extra" (known: convention, articles)`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("errors:\n%s\nlack %s", got, w)
		}
	}
	got = sitetest.BuildErr(t, strings.Replace(searchSite, `articles:`, "articles: [", 1))
	if !strings.Contains(got, "data/captions/crc.yaml:") || !strings.Contains(got, "invalid YAML") {
		t.Errorf("bad YAML: %s", got)
	}
	got = sitetest.BuildErr(t, strings.Replace(searchSite, `-- data/captions/crc.yaml --`, "-- data/captions/xyz.yaml --", 1))
	if !strings.Contains(got, `data/captions/xyz.yaml:1:1: no convention page has code "xyz"`) {
		t.Errorf("unknown code: %s", got)
	}
}

func TestSynonymErrors(t *testing.T) {
	got := sitetest.BuildErr(t, searchSite+"-- data/synonyms.yaml --\nsame:\n  - [a, b]\nalso:\n  x: [y]\n  y: [x]\nmore: 1\n")
	for _, w := range []string{
		`data/synonyms.yaml:5:7: cycle in the one-way synonyms: "x" leads back to itself`,
		`data/synonyms.yaml:6:1: unknown key "more" (known: same, also)`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("errors:\n%s\nlack %s", got, w)
		}
	}
	res := sitetest.Build(t, searchSite+"-- data/synonyms.yaml --\nsame:\n  - [hội họp, tụ tập]\n")
	if syn := res.SearchOptions().Synonyms; syn == nil || len(syn.Rules) != 2 {
		t.Errorf("synonyms: %+v", syn)
	}
}
