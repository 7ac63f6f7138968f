// Package config reads the site configuration file, loa.yaml, into a plain,
// validated Config.
//
// The file sits at the root of the site:
//
//	title: "Tuyên truyền Công ước quốc tế về quyền con người"
//	baseURL: "https://example.gov.vn/quyen-con-nguoi/"
//	defaultLanguage: vi
//	languages:
//	  vi: { name: "Tiếng Việt", title: "…", weight: 1 }
//	  en: { name: "English", title: "…", weight: 2 }
//	menus:
//	  vi: [ { name: "Trang chủ", url: "/" } ]
//	params: { organisation: "UBND huyện" }
//	guidance: huong-dan                      # the section of the district's guidance
//	minify: true                             # CSS and JavaScript minified (the default)
//	search:
//	  exclude: [huong-dan-bien-tap]          # sections left out of the site search
//	  omit: ["Đọc Điều {n} bằng tiếng Anh"]  # boilerplate never indexed ({n}: a number)
//
// Unknown keys, wrong types and invalid values are errors that name the file,
// line and column. Defaults: defaultLanguage "vi"; when languages is missing,
// Vietnamese alone.
package config

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"loa/internal/diag"
)

// FileName is the name of the configuration file at the site root.
const FileName = "loa.yaml"

// Language is one language of the site. The default language lives at the
// root of the site; every other one under "/<code>/".
type Language struct {
	Code   string
	Name   string // shown in the language switcher, in the language itself
	Title  string // site title in this language; falls back to Config.Title
	Weight int
}

// MenuItem is one entry of a language's main menu. URL is a site path such as
// "/cong-uoc/".
type MenuItem struct {
	Name string
	URL  string
	Pos  diag.Position // where the item is written, for errors
}

// Config is the validated site configuration.
type Config struct {
	File            string // path of the file the config came from
	Title           string
	BaseURL         string        // absolute, always ends in "/"
	BaseURLPos      diag.Position // where baseURL is written, for warnings about it
	DefaultLanguage string
	Languages       []Language // default language first, then by weight and code
	Menus           map[string][]MenuItem
	Params          map[string]any
	Search          Search
	// Guidance is the section (first folder under content/) that holds the
	// district's guidance: `loa new guidance` writes there and search labels
	// its pages "guidance". "" when the site has none.
	Guidance string
	// Minify: the CSS and JavaScript files of the output (from static/, and
	// the highlighting stylesheet) are minified, as Hugo's --minify does,
	// so a phone on a slow link loads about half the bytes. Default true;
	// "minify: false" copies them as they are.
	Minify bool
}

// Search holds the site search settings. A page's front matter "search:
// false" or "search: true" overrides the section default.
type Search struct {
	// Exclude lists sections (first folders under content/) whose pages are
	// not indexed.
	Exclude []string
	// Omit lists boilerplate phrases removed from the indexed text (link text
	// repeated on every article, for example); "{n}" stands for a number.
	Omit []string
}

// PlaceholderWarning returns a warning, at baseURL in the config file, when
// baseURL is still a placeholder address: example.gov.vn, as this
// repository's loa.yaml ships, or a domain reserved for examples
// (example.com, .net, .org, *.example). Canonical links, Open Graph URLs, the
// sitemap, RSS feeds and the QR codes of printed handouts would all point
// there. It returns nil for a real address.
func (c *Config) PlaceholderWarning() *diag.Error {
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	placeholder := host == "example.gov.vn" || strings.HasSuffix(host, ".example") || host == "example"
	for _, d := range []string{"example.com", "example.net", "example.org", "example.gov.vn"} {
		placeholder = placeholder || host == d || strings.HasSuffix(host, "."+d)
	}
	if !placeholder {
		return nil
	}
	return diag.Warnf(c.BaseURLPos, "baseURL is still the placeholder %s: canonical links, the sitemap, RSS feeds and the QR codes of printed handouts point there; set it to the address the site is published at", c.BaseURL)
}

// Language returns the language with the given code.
func (c *Config) Language(code string) (Language, bool) {
	for _, l := range c.Languages {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}

// LangPrefix returns the site path prefix of a language: "" for the default
// language and "/en" for English.
func (c *Config) LangPrefix(code string) string {
	if code == c.DefaultLanguage || code == "" {
		return ""
	}
	return "/" + code
}

// Load reads and validates name (usually FileName) from fsys.
func Load(fsys fs.FS, name string) (*Config, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, diag.Wrap(diag.Position{File: name}, "cannot read site config", err)
	}
	return Parse(name, data)
}

var yamlLine = regexp.MustCompile(`line (\d+)(?:, column (\d+))?: (.*)$`)

// YAMLError turns an error from the YAML decoder into a positioned error in
// file. lineOffset is added to the decoder's line numbers (front matter starts
// after its "---" line).
func YAMLError(file string, lineOffset int, err error) *diag.Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	pos := diag.Position{File: file, Line: 1 + lineOffset, Col: 1}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		pos.Line += lineOffset
		if m[2] != "" {
			pos.Col, _ = strconv.Atoi(m[2])
		}
		msg = m[3]
	}
	return &diag.Error{Pos: pos, Msg: "invalid YAML: " + msg}
}

// Parse validates the YAML document data read from file.
func Parse(file string, data []byte) (*Config, error) {
	var errs diag.List
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, YAMLError(file, 0, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "site config must be a YAML mapping")
	}
	root := doc.Content[0]
	pos := func(n *yaml.Node) diag.Position { return diag.Position{File: file, Line: n.Line, Col: n.Column} }
	cfg := &Config{File: file, DefaultLanguage: "vi", Menus: map[string][]MenuItem{}, Params: map[string]any{}, Minify: true}
	var langNode *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "title":
			cfg.Title = str(&errs, file, v)
		case "baseURL":
			cfg.BaseURL = str(&errs, file, v)
			cfg.BaseURLPos = pos(v)
			u, err := url.Parse(cfg.BaseURL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs.Add(diag.Errorf(pos(v), "baseURL must be an absolute http(s) URL, got %q", cfg.BaseURL))
			} else if !strings.HasSuffix(cfg.BaseURL, "/") {
				cfg.BaseURL += "/"
			}
		case "defaultLanguage":
			cfg.DefaultLanguage = str(&errs, file, v)
		case "languages":
			langNode = v
			if v.Kind != yaml.MappingNode {
				errs.Add(diag.Errorf(pos(v), "languages must be a mapping from language code to settings"))
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				code, lv := v.Content[j], v.Content[j+1]
				if !validCode(code.Value) {
					errs.Add(diag.Errorf(pos(code), "invalid language code %q (use a lower-case code such as \"vi\" or \"en\")", code.Value))
				}
				l := Language{Code: code.Value}
				if lv.Kind != yaml.MappingNode {
					errs.Add(diag.Errorf(pos(lv), "settings of language %q must be a mapping", code.Value))
					continue
				}
				for m := 0; m+1 < len(lv.Content); m += 2 {
					lk, lval := lv.Content[m], lv.Content[m+1]
					switch lk.Value {
					case "name":
						l.Name = str(&errs, file, lval)
					case "title":
						l.Title = str(&errs, file, lval)
					case "weight":
						l.Weight = integer(&errs, file, lval)
					default:
						errs.Add(diag.Errorf(pos(lk), "unknown language setting %q (known: name, title, weight)", lk.Value))
					}
				}
				if l.Name == "" {
					l.Name = l.Code
				}
				cfg.Languages = append(cfg.Languages, l)
			}
		case "menus":
			if v.Kind != yaml.MappingNode {
				errs.Add(diag.Errorf(pos(v), "menus must map a language code to a list of {name, url}"))
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				code, list := v.Content[j], v.Content[j+1]
				if list.Kind != yaml.SequenceNode {
					errs.Add(diag.Errorf(pos(list), "menu of %q must be a list of {name, url}", code.Value))
					continue
				}
				for _, item := range list.Content {
					mi := MenuItem{Pos: pos(item)}
					if item.Kind != yaml.MappingNode {
						errs.Add(diag.Errorf(pos(item), "menu item must be a mapping {name, url}"))
						continue
					}
					for m := 0; m+1 < len(item.Content); m += 2 {
						ik, iv := item.Content[m], item.Content[m+1]
						switch ik.Value {
						case "name":
							mi.Name = str(&errs, file, iv)
						case "url":
							mi.URL = str(&errs, file, iv)
							if !strings.HasPrefix(mi.URL, "/") && !strings.Contains(mi.URL, "://") {
								errs.Add(diag.Errorf(pos(iv), "menu url %q must be a site path starting with \"/\" or an absolute URL", mi.URL))
							}
						default:
							errs.Add(diag.Errorf(pos(ik), "unknown menu item key %q (known: name, url)", ik.Value))
						}
					}
					if mi.Name == "" {
						errs.Add(diag.Errorf(pos(item), "menu item needs a name"))
					}
					cfg.Menus[code.Value] = append(cfg.Menus[code.Value], mi)
				}
			}
		case "params":
			var p map[string]any
			if err := v.Decode(&p); err != nil || v.Kind != yaml.MappingNode {
				errs.Add(diag.Errorf(pos(v), "params must be a mapping"))
				continue
			}
			cfg.Params = p
		case "search":
			cfg.Search = parseSearch(&errs, file, v)
		case "guidance":
			cfg.Guidance = str(&errs, file, v)
			if strings.ContainsAny(cfg.Guidance, "/\\. ") {
				errs.Add(diag.Errorf(pos(v), "guidance: %q must be the name of a folder directly under content/, such as huong-dan", cfg.Guidance))
			}
		case "minify":
			cfg.Minify = boolean(&errs, file, v)
		default:
			errs.Add(diag.Errorf(pos(k), "unknown config key %q (known: title, baseURL, defaultLanguage, languages, menus, params, search, guidance, minify)", k.Value))
		}
	}
	if cfg.Title == "" {
		errs.Add(diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "title is required"))
	}
	if cfg.BaseURL == "" {
		errs.Add(diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "baseURL is required (the address the site is published at)"))
	}
	if len(cfg.Languages) == 0 {
		cfg.Languages = []Language{{Code: cfg.DefaultLanguage, Name: cfg.DefaultLanguage}}
	}
	if _, ok := cfg.Language(cfg.DefaultLanguage); !ok {
		p := diag.Position{File: file, Line: 1, Col: 1}
		if langNode != nil {
			p = pos(langNode)
		}
		errs.Add(diag.Errorf(p, "defaultLanguage %q is not among the languages", cfg.DefaultLanguage))
	}
	for code := range cfg.Menus {
		if _, ok := cfg.Language(code); !ok {
			errs.Add(diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "menu for unknown language %q", code))
		}
	}
	for i := range cfg.Languages {
		if cfg.Languages[i].Title == "" {
			cfg.Languages[i].Title = cfg.Title
		}
	}
	sort.SliceStable(cfg.Languages, func(i, j int) bool {
		a, b := cfg.Languages[i], cfg.Languages[j]
		if (a.Code == cfg.DefaultLanguage) != (b.Code == cfg.DefaultLanguage) {
			return a.Code == cfg.DefaultLanguage
		}
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		return a.Code < b.Code
	})
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func parseSearch(errs *diag.List, file string, v *yaml.Node) Search {
	var s Search
	pos := func(n *yaml.Node) diag.Position { return diag.Position{File: file, Line: n.Line, Col: n.Column} }
	if v.Kind != yaml.MappingNode {
		errs.Add(diag.Errorf(pos(v), "search must be a mapping {exclude: [sections], omit: [phrases]}"))
		return s
	}
	list := func(n *yaml.Node) []string {
		if n.Kind != yaml.SequenceNode {
			errs.Add(diag.Errorf(pos(n), "expected a list of text"))
			return nil
		}
		var out []string
		for _, it := range n.Content {
			if v := str(errs, file, it); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		switch k.Value {
		case "exclude":
			s.Exclude = list(val)
		case "omit":
			s.Omit = list(val)
		default:
			errs.Add(diag.Errorf(pos(k), "unknown search setting %q (known: exclude, omit)", k.Value))
		}
	}
	return s
}

func validCode(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return true
}

func str(errs *diag.List, file string, n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		errs.Add(diag.Errorf(diag.Position{File: file, Line: n.Line, Col: n.Column}, "expected a string"))
		return ""
	}
	return n.Value
}

func boolean(errs *diag.List, file string, n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		errs.Add(diag.Errorf(diag.Position{File: file, Line: n.Line, Col: n.Column}, "expected true or false, got %q", n.Value))
		return false
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
}

func integer(errs *diag.List, file string, n *yaml.Node) int {
	i, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil {
		errs.Add(diag.Errorf(diag.Position{File: file, Line: n.Line, Col: n.Column}, "expected an integer, got %q", n.Value))
	}
	return i
}

// String describes the config briefly, for debugging.
func (c *Config) String() string {
	return fmt.Sprintf("%s (%s, %d languages)", c.Title, c.BaseURL, len(c.Languages))
}

// LangPrefixOf is c.LangPrefix for a possibly nil config.
func LangPrefixOf(c *Config, code string) string {
	if c == nil {
		return ""
	}
	return c.LangPrefix(code)
}
