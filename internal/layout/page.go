package layout

import (
	"html/template"
	"loa/internal/content"
	"loa/internal/link"
	"loa/internal/markdown"
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

// Page is a rendered page, the one page type of loa: the builder fills it
// in and every template gets it as ".". It embeds the source page
// (content.Page: Path, Lang, Kind, Section, URL, Front, Body), adds what
// rendering learnt (Content, Headings, TOC, IDs) and what the page graph
// gives (Pages, Translations, Breadcrumbs, Site); its methods are for
// templates.
type Page struct {
	*content.Page

	OutPath   string        // file path in the output, "cong-uoc/crc/index.html" (relative links are computed from it)
	Permalink string        // absolute URL from baseURL
	Content   template.HTML // the rendered body
	Headings  []markdown.Heading
	TOC       []markdown.Heading // the table of contents shown: empty when the page has none
	Sections  []markdown.Section
	Text      string          // plain text of the body
	Links     []markdown.Link // every link and image as the parser found it, with its position in Body
	IDs       map[string]bool // every id="…" in the body
	Template  string          // the layout file the page was rendered with
	HasCode   bool            // the body has highlighted code: link the stylesheet css/chroma.css
	// QR is the page's permalink as a QR code (inline SVG), for the
	// print-only handout block; set on regular pages.
	QR template.HTML

	Pages        []*Page // home and section pages: the pages one level below
	Translations []Link
	Breadcrumbs  []Link
	Site         *Site
	LangPrefix   string
	// LinkBase, when set, makes Rel and RelDir return absolute paths under
	// it ("/quyen-con-nguoi/css/main.css") instead of relative ones. The
	// builder sets it to Site.BasePath on the 404 page: a server sends
	// 404.html for a missing URL at any depth, where relative links would
	// resolve against the wrong folder.
	LinkBase string
	// Captions tells that the headings show editorial article captions
	// (data/captions), which the page must say are not part of the text.
	Captions bool

	set *Set
}

// Title is the page's title (front matter).
func (p *Page) Title() string { return p.Front.Title }

// Description is the page's description (front matter).
func (p *Page) Description() string { return p.Front.Description }

// Date is the page's date (front matter; zero if unset).
func (p *Page) Date() time.Time { return p.Front.Date }

// Lastmod is the page's last modification date: front matter lastmod, else
// its date.
func (p *Page) Lastmod() time.Time {
	if p.Front.Lastmod.IsZero() {
		return p.Front.Date
	}
	return p.Front.Lastmod
}

// Params holds the front-matter keys loa does not know (convention
// metadata, for example); see Param for optional ones.
func (p *Page) Params() map[string]any { return p.Front.Params }

// Tags are the page's tags (front matter).
func (p *Page) Tags() []string { return p.Front.Tags }

// Weight orders pages in lists (front matter; lower first, 0 last).
func (p *Page) Weight() int { return p.Front.Weight }

// Layout is the layout name the front matter asks for ("convention"), or "".
func (p *Page) Layout() string { return p.Front.Layout }

// SourcePath is the page's content file, "content/a.md", for errors.
func (p *Page) SourcePath() string { return p.Path }

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
	return link.Rel("/"+p.OutPath, to)
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
func (p *Page) Param(key string) any { return p.Front.Params[key] }

// IsHome reports whether this is a home page.
func (p *Page) IsHome() bool { return p.Kind == "home" }
