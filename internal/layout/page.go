package layout

import (
	"html/template"
	"strings"
	"time"
)

// Link is a titled link to a site path, for breadcrumbs and translations.
type Link struct {
	Lang     string
	LangName string
	Title    string
	URL      string // site path
}

// MenuItem is an entry of the main menu.
type MenuItem struct {
	Name string
	URL  string // site path or absolute URL
}

// Site is what templates see as .Site: one value per language.
type Site struct {
	Title    string
	BaseURL  string
	BasePath string // the path of BaseURL ("/quyen-con-nguoi/"); see Page.LinkBase
	// Depth is the number of folders of the deepest page, redirect or alias
	// ("en/conventions/crc/28/" is 4), for RootProbes.
	Depth     int
	Lang      string
	Params    map[string]any
	Languages []Link // every language: Lang, LangName, URL of its home page
	Menu      []MenuItem

	// Sections maps a section name to its pages in this language, sorted.
	Sections map[string][]*Page
}

// Heading is an entry of the table of contents.
type Heading struct {
	Level    int
	ID, Text string
}

// Page is the data of every template.
type Page struct {
	SourcePath  string // for errors: "content/a.md"
	Title       string
	Description string
	Lang        string
	Kind        string // home, section, page, 404
	Section     string
	Layout      string
	URL         string // site path of the page, "/cong-uoc/crc/"
	OutPath     string // file path in the output, "cong-uoc/crc/index.html" (relative links are computed from it)
	Permalink   string
	Content     template.HTML
	HasCode     bool // the body has highlighted code: link the stylesheet css/chroma.css
	// QR is the page's permalink as a QR code (inline SVG), for the
	// print-only handout block; set on regular pages.
	QR           template.HTML
	TOC          []Heading
	Date         time.Time
	Lastmod      time.Time
	Params       map[string]any
	Tags         []string
	Pages        []*Page
	Translations []Link
	Breadcrumbs  []Link
	Site         *Site
	LangPrefix   string
	Weight       int
	// LinkBase, when set, makes Rel and RelDir return absolute paths under
	// it ("/quyen-con-nguoi/css/main.css") instead of relative ones. The
	// builder sets it to Site.BasePath on the 404 page: a server sends
	// 404.html for a missing URL at any depth, where relative links would
	// resolve against the wrong folder.
	LinkBase string

	set *Set
}

// Rel returns a relative link from this page to a site path ("/css/main.css",
// "/cong-uoc/"). A path ending in "/" gets "index.html" so that links work
// when the site is opened from disk. Absolute URLs are returned unchanged.
func (p *Page) Rel(to string) string {
	if strings.Contains(to, "://") || strings.HasPrefix(to, "mailto:") {
		return to
	}
	if !strings.HasPrefix(to, "/") {
		to = "/" + to
	}
	if p.LinkBase != "" {
		r := strings.TrimSuffix(p.LinkBase, "/") + to
		if i := strings.IndexAny(r, "#?"); i < 0 && strings.HasSuffix(r, "/") {
			r += "index.html"
		} else if i >= 0 && strings.HasSuffix(r[:i], "/") {
			r = r[:i] + "index.html" + r[i:]
		}
		return r
	}
	return relPath("/"+p.OutPath, to)
}

// RootProbes returns file as a relative path from every folder depth of the
// site, shallowest first: "js/loa-404.js", "../js/loa-404.js", … down to one folder
// below Site.Depth. 404.html, which a server sends at any depth, loads a
// script through each; the first that exists is at the site root (see
// static/js/loa-404.js).
func (p *Page) RootProbes(file string) []string {
	depth := 1
	if p.Site != nil {
		depth += p.Site.Depth
	}
	out := make([]string, 0, depth+1)
	for i := 0; i <= depth; i++ {
		out = append(out, strings.Repeat("../", i)+file)
	}
	return out
}

// RelDir is like Rel but keeps a trailing "/" instead of adding index.html,
// for folders that scripts load files from.
func (p *Page) RelDir(to string) string {
	r := p.Rel(strings.TrimSuffix(to, "/") + "/x")
	return strings.TrimSuffix(r, "x")
}

// T returns the UI string key in the page's language.
func (p *Page) T(key string) (string, error) { return p.set.T(p.Lang, key) }

var monthsEN = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// FormatDate formats t as Vietnamese readers expect (25/11/2026) or, on
// English pages, as "25 November 2026". A zero time gives "".
func (p *Page) FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if p.Lang == "en" {
		return t.Format("2") + " " + monthsEN[t.Month()-1] + " " + t.Format("2006")
	}
	return t.Format("02/01/2006")
}

// ISODate formats t as 2006-01-02 for <time datetime>.
func (p *Page) ISODate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// SectionPages returns the pages of a section in this page's language,
// sorted by weight, then date (newest first), then title.
func (p *Page) SectionPages(section string) []*Page {
	if p.Site == nil {
		return nil
	}
	return p.Site.Sections[section]
}

// Param returns a front-matter parameter or nil, so templates can test
// optional keys without failing.
func (p *Page) Param(key string) any { return p.Params[key] }

// IsHome reports whether this is a home page.
func (p *Page) IsHome() bool { return p.Kind == "home" }
