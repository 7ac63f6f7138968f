package config

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cfg, err := Parse("loa.yaml", []byte(`
title: "Tuyên truyền"
baseURL: "https://example.gov.vn/qcn"
languages:
  en: { name: English, weight: 2 }
  vi: { name: Tiếng Việt, weight: 1 }
menus:
  vi: [ { name: Trang chủ, url: / } ]
params: { org: UBND }
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "https://example.gov.vn/qcn/" || cfg.Languages[0].Code != "vi" || cfg.Languages[1].Title != "Tuyên truyền" {
		t.Errorf("unexpected config %+v", cfg)
	}
	if cfg.LangPrefix("en") != "/en" || cfg.LangPrefix("vi") != "" || cfg.Menus["vi"][0].Pos.Line != 8 {
		t.Errorf("prefixes or menu position wrong: %+v", cfg.Menus)
	}
	if !cfg.Minify {
		t.Errorf("Minify is false by default, want true")
	}
	off, err := Parse("loa.yaml", []byte("title: T\nbaseURL: https://x/\nminify: false\n"))
	if err != nil || off.Minify {
		t.Errorf("minify: false gives %+v, %v", off, err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"title: [", "loa.yaml:1:1: invalid YAML: did not find expected node content"},
		{"title: T\nbaseURL: ftp://x/\n", `loa.yaml:2:10: baseURL must be an absolute http(s) URL, got "ftp://x/"`},
		{"title: T\nbaseURL: https://x/\nlanguages: { en: {name: E} }\n", `loa.yaml:3:12: defaultLanguage "vi" is not among the languages`},
		{"title: T\nbaseURL: https://x/\nmenus: { vi: [ {name: A, url: x} ] }\n", `loa.yaml:3:31: menu url "x" must be a site path starting with "/" or an absolute URL`},
		{"title: T\nbaseURL: https://x/\nminify: yes\n", `loa.yaml:3:9: expected true or false, got "yes"`},
		{"baseURL: https://x/\nlanguages: { vi: {name: V, colour: red} }\n", "loa.yaml:1:1: title is required\nloa.yaml:2:28: unknown language setting \"colour\" (known: name, title, weight)"},
	}
	for _, tc := range tests {
		_, err := Parse("loa.yaml", []byte(tc.src))
		if err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%q):\n got %v\nwant %s", tc.src, err, tc.want)
		}
	}
}

func TestYAMLErrorOffset(t *testing.T) {
	_, err := Parse("x.yaml", []byte("a: b: c\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "x.yaml:1:") {
		t.Errorf("got %v", err)
	}
}

func TestPlaceholderWarning(t *testing.T) {
	for base, want := range map[string]bool{
		"https://example.gov.vn/quyen-con-nguoi/": true,
		"https://www.example.gov.vn/":             true,
		"http://example.org/":                     true,
		"https://docs.example.com/a/":             true,
		"https://site.example/":                   true,
		"https://huyen.gov.vn/quyen-con-nguoi/":   false,
		"https://example.gov.vn.evil.test/":       false,
		"https://myexample.org/":                  false,
	} {
		cfg, err := Parse("loa.yaml", []byte("title: T\nbaseURL: "+base+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		w := cfg.PlaceholderWarning()
		if (w != nil) != want {
			t.Errorf("%s: warning %v, want %v", base, w, want)
		}
		if w != nil && !strings.HasPrefix(w.Error(), "loa.yaml:2:10: warning: baseURL is still the placeholder "+base+": ") {
			t.Errorf("%s: %s", base, w)
		}
	}
}
