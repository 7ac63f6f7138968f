package build_test

import (
	"strings"
	"testing"

	"loa/internal/sitetest"
)

// TestLayoutLookupOrder builds one page per row with only some layout files
// present and checks which one rendered it (each layout prints its own
// name): front matter layout in the section, then in _default, then the
// section's kind template, then _default's; home pages use index.html.
func TestLayoutLookupOrder(t *testing.T) {
	all := []string{"huong-dan/special.html", "_default/special.html", "huong-dan/single.html", "_default/single.html",
		"huong-dan/list.html", "_default/list.html", "index.html"}
	cases := []struct {
		name    string
		page    string // path under content/
		layout  string // front matter layout, "" for none
		present []string
		want    string
	}{
		{"layout in section wins", "huong-dan/a.md", "special", all, "huong-dan/special.html"},
		{"layout in _default next", "huong-dan/a.md", "special", without(all, "huong-dan/special.html"), "_default/special.html"},
		{"section single", "huong-dan/a.md", "", all, "huong-dan/single.html"},
		{"default single", "huong-dan/a.md", "", without(all, "huong-dan/single.html"), "_default/single.html"},
		{"top-level page", "a.md", "", all, "_default/single.html"},
		{"section list", "huong-dan/_index.md", "", all, "huong-dan/list.html"},
		{"default list", "huong-dan/_index.md", "", without(all, "huong-dan/list.html"), "_default/list.html"},
		{"home", "_index.md", "", all, "index.html"},
		{"home without index.html", "_index.md", "", without(all, "index.html"), "_default/list.html"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			archive := cfg + "\n-- layouts/_default/baseof.html --\n{{ block \"main\" . }}{{ end }}\n"
			for _, l := range c.present {
				archive += "-- layouts/" + l + " --\n{{ define \"main\" }}[" + l + "]{{ end }}\n"
			}
			fm := "title: T\n"
			if c.layout != "" {
				fm += "layout: " + c.layout + "\n"
			}
			archive += "-- content/" + c.page + " --\n---\n" + fm + "---\n"
			if c.page != "_index.md" {
				archive += "-- content/_index.md --\n---\ntitle: Home\n---\n"
			}
			res := sitetest.Build(t, archive)
			out := strings.TrimSuffix(strings.TrimSuffix(c.page, ".md"), "_index")
			out = strings.TrimSuffix(out, "/")
			if out != "" {
				out += "/"
			}
			got := string(res.Files[out+"index.html"])
			if !strings.Contains(got, "["+c.want+"]") {
				t.Errorf("%s rendered with %q, want layouts/%s", c.page, got, c.want)
			}
		})
	}
}

func without(list []string, drop string) []string {
	var out []string
	for _, l := range list {
		if l != drop {
			out = append(out, l)
		}
	}
	return out
}

// TestI18n: .T finds a UI string in the page's language; a missing key is
// an error naming the layout and the key.
func TestI18n(t *testing.T) {
	base := cfg + `
-- layouts/_default/baseof.html --
{{ block "main" . }}{{ end }}
-- layouts/_default/single.html --
{{ define "main" }}[{{ .T "readMore" }}]{{ end }}
-- i18n/vi.yaml --
readMore: "Đọc tiếp"
-- content/a.md --
---
title: A
---
-- content/a.en.md --
---
title: A
---
`
	res := sitetest.Build(t, base+"-- i18n/en.yaml --\nreadMore: \"Read more\"\n")
	if got := string(res.Files["a/index.html"]); !strings.Contains(got, "[Đọc tiếp]") {
		t.Errorf("vi: %q", got)
	}
	if got := string(res.Files["en/a/index.html"]); !strings.Contains(got, "[Read more]") {
		t.Errorf("en: %q", got)
	}
	errs := sitetest.BuildErr(t, base+"-- i18n/en.yaml --\nother: \"x\"\n")
	if !strings.Contains(errs, "layouts/_default/single.html:1:") || !strings.Contains(errs, "readMore") {
		t.Errorf("missing key: %s", errs)
	}
}
