// Package link resolves and checks the links of a site.
//
// Links written in Markdown are resolved while a page renders (Site.Resolve):
// a site path ("/huong-dan/ke-hoach-2024/#muc-dich"), a path relative to the
// page, a path to a Markdown file ("../huong-dan/ke-hoach-2024.md") or a
// citation of a convention article ("convention:crc/28", see
// internal/treaty) becomes a relative URL ending in index.html, so that the
// same output works under any sub-path and opened from disk (Rel). Paths are
// compared decoded and in Unicode NFC (SitePath), whatever form the editor's
// computer wrote. Every internal link is recorded as a Check and verified
// once all pages are rendered and their heading ids are known (Site.Check):
// the page or static file must exist, and so must the anchor.
//
// References written in layouts (stylesheets, scripts, menus) are checked
// in the generated HTML instead: Refs scans a page's href and src
// attributes, CheckOutput reports every target the output lacks.
package link

import (
	"bytes"
	"html"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"loa/internal/diag"
	"loa/internal/treaty"
)

// Page is a page links are resolved from and to.
type Page struct {
	Path    string // source file, "content/huong-dan/a.md"
	URL     string // site path, "/huong-dan/a/"
	OutPath string // output file, "huong-dan/a/index.html"
	Lang    string
	// IDs holds every id of the page's body; the builder sets it after
	// rendering, before Check.
	IDs map[string]bool
}

// Site is the index links resolve against: pages by URL and by source
// file, static files, convention pages by code and language.
type Site struct {
	langs       []string // default language first
	byURL       map[string]*Page
	byPath      map[string]*Page
	static      map[string]bool
	conventions map[string]*Page // "crc/vi"
	failed      map[string]bool
}

// NewSite returns an empty index for a site whose languages are langs,
// default language first (a citation falls back to them in that order),
// with room for the given number of pages.
func NewSite(langs []string, pages int) *Site {
	return &Site{langs: langs, byURL: make(map[string]*Page, pages), byPath: make(map[string]*Page, pages), static: map[string]bool{},
		conventions: map[string]*Page{}, failed: map[string]bool{}}
}

// AddPage adds a page; code is its convention code, "" for other pages.
func (s *Site) AddPage(p *Page, code string) {
	s.byURL[p.URL] = p
	s.byPath[norm.NFC.String(p.Path)] = p
	if code != "" {
		s.conventions[code+"/"+p.Lang] = p
	}
}

// AddStatic adds a static file at its output path ("css/main.css").
func (s *Site) AddStatic(name string) { s.static[name] = true }

// Failed records a source file that failed to load: links to it are not
// reported again, since its own error says what to fix.
func (s *Site) Failed(file string) { s.failed[file] = true }

// Lookup finds the page at a site path, accepting a missing trailing slash
// or an explicit index.html.
func (s *Site) Lookup(u string) *Page {
	u = strings.TrimSuffix(u, "index.html")
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return s.byURL[u]
}

// Check is an internal link to verify once every page is rendered.
type Check struct {
	Pos      diag.Position
	Dest     string // as written
	Target   string // site path of the target page, or of a static file
	Anchor   string
	Citation *treaty.Citation // for convention: links
	IsPage   bool
}

// scheme matches a URL scheme ("https:", "mailto:").
var scheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// Resolve rewrites the destination dest of a link on page from, written at
// pos, into the URL to put in the HTML, and returns the check to run once
// every page is known (nil for external links, and links to a page that
// failed to load). An error is positioned at pos.
func (s *Site) Resolve(from *Page, dest string, pos diag.Position) (string, *Check, error) {
	if strings.HasPrefix(dest, treaty.CitationScheme) {
		return s.resolveCitation(from, dest, pos)
	}
	if dest == "" || strings.HasPrefix(dest, "//") || scheme.MatchString(dest) {
		return dest, nil, nil
	}
	target, frag := dest, ""
	if i := strings.IndexByte(target, '#'); i >= 0 {
		target, frag = target[:i], target[i+1:]
	}
	query := ""
	if i := strings.IndexByte(target, '?'); i >= 0 {
		target, query = target[:i], target[i:]
	}
	if target == "" {
		return dest, &Check{Pos: pos, Dest: dest, Target: from.URL, Anchor: frag, IsPage: true}, nil
	}
	// Editors write paths as they see them ("Mẫu đơn.pdf") or as a browser
	// shows them ("bieu%20mau.doc"), from computers that store letters
	// composed or decomposed: compare decoded, in NFC, everywhere.
	target = SitePath(target)
	var site string
	switch {
	case strings.HasSuffix(target, ".md"):
		src := path.Join(path.Dir(from.Path), target)
		if strings.HasPrefix(target, "/") {
			src = path.Join("content", target)
		}
		tp, ok := s.byPath[norm.NFC.String(src)]
		if !ok && s.failed[src] {
			return dest, nil, nil
		}
		if !ok {
			return "", nil, diag.Errorf(pos, "link to %s: no such page (looked for %s)", dest, src)
		}
		site = tp.URL
	case strings.HasPrefix(target, "/"):
		site = target
	default:
		site = path.Join(from.URL, target)
		if strings.HasSuffix(target, "/") {
			site += "/"
		}
	}
	chk := &Check{Pos: pos, Dest: dest, Anchor: frag}
	if tp := s.Lookup(site); tp != nil {
		chk.Target, chk.IsPage = tp.URL, true
		site = tp.URL
	} else {
		chk.Target = site
	}
	out := Rel("/"+from.OutPath, site) + query
	if frag != "" {
		out += "#" + frag
	}
	return out, chk, nil
}

// resolveCitation links a citation to the article on the convention page
// in the citing page's language, else in the default language, else in any.
func (s *Site) resolveCitation(from *Page, dest string, pos diag.Position) (string, *Check, error) {
	c, ok := treaty.ParseCitation(dest)
	if !ok {
		return "", nil, diag.Errorf(pos, "citation %q: write it as convention:<code>/<article>, for example convention:crc/28", dest)
	}
	tp := s.conventions[c.Code+"/"+from.Lang]
	for _, l := range s.langs {
		if tp != nil {
			break
		}
		tp = s.conventions[c.Code+"/"+l]
	}
	if tp == nil {
		return "", nil, diag.Errorf(pos, "citation %q: no convention with code %q (known: %s)", dest, c.Code, strings.Join(s.conventionCodes(), ", "))
	}
	anchor := treaty.ArticleAnchor(tp.Lang, c.Article)
	out := Rel("/"+from.OutPath, tp.URL) + "#" + anchor
	return out, &Check{Pos: pos, Dest: dest, Target: tp.URL, Anchor: anchor, Citation: &c, IsPage: true}, nil
}

func (s *Site) conventionCodes() []string {
	seen := map[string]bool{}
	var out []string
	for k := range s.conventions {
		c := strings.Split(k, "/")[0]
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// Check verifies links recorded by Resolve: the page or static file exists
// (generated files such as sitemap.xml, index.xml, robots.txt and 404.html
// count), and so does the anchor on the target page.
func (s *Site) Check(checks []Check, errs *diag.List) {
	for _, c := range checks {
		if !c.IsPage {
			if s.static[strings.TrimPrefix(c.Target, "/")] {
				continue
			}
			if strings.HasSuffix(c.Target, ".xml") || strings.HasSuffix(c.Target, ".txt") || c.Target == "/404.html" {
				continue // generated files
			}
			errs.Add(diag.Errorf(c.Pos, "link to %s: no page or static file at %s", c.Dest, c.Target))
			continue
		}
		tp := s.byURL[c.Target]
		if c.Anchor == "" || tp.IDs[c.Anchor] {
			continue
		}
		if c.Citation != nil {
			n := strconv.Itoa(c.Citation.Article)
			errs.Add(diag.Errorf(c.Pos, "citation of article %s of %s: %s has no article %s (it has %d articles)", n, c.Citation.Code, tp.Path, n, countArticles(tp)))
			continue
		}
		errs.Add(diag.Errorf(c.Pos, "link to %s: %s has no anchor #%s", c.Dest, tp.Path, c.Anchor))
	}
}

func countArticles(p *Page) int {
	n := 0
	for id := range p.IDs {
		if _, ok := treaty.ArticleNumber(p.Lang, id); ok {
			n++
		}
	}
	return n
}

// MenuItem is a menu entry to check: a site path, or an absolute URL (not
// checked).
type MenuItem struct {
	Name, URL string
	Pos       diag.Position
}

// CheckMenus verifies that menu entries pointing into the site name a page
// or a static file.
func (s *Site) CheckMenus(items []MenuItem, errs *diag.List) {
	for _, m := range items {
		if strings.Contains(m.URL, "://") {
			continue
		}
		u := strings.SplitN(m.URL, "#", 2)[0]
		if s.Lookup(u) == nil && !s.static[strings.TrimPrefix(u, "/")] {
			errs.Add(diag.Errorf(m.Pos, "menu entry %q links to %s: no such page", m.Name, m.URL))
		}
	}
}

// SitePath decodes percent-escapes of a link path and normalises it to NFC,
// the form page URLs and output file names use.
func SitePath(p string) string {
	if d, err := url.PathUnescape(p); err == nil {
		p = d
	}
	return norm.NFC.String(p)
}

// Rel returns a relative link from the output file from ("/a/b/index.html")
// to the site path to ("/css/main.css", "/cong-uoc/" becomes
// ".../cong-uoc/index.html", so links work from disk). A "#fragment" or
// "?query" on to is kept.
func Rel(from, to string) string {
	frag := ""
	if i := strings.IndexAny(to, "#?"); i >= 0 {
		to, frag = to[:i], to[i:]
	}
	if to == "" {
		return frag
	}
	if strings.HasSuffix(to, "/") {
		to += "index.html"
	}
	fromDir := from
	if !strings.HasSuffix(fromDir, "/") {
		fromDir = strings.TrimSuffix(path.Dir(fromDir), "/") + "/"
	}
	fd := strings.Split(strings.Trim(fromDir, "/"), "/")
	if fromDir == "/" {
		fd = nil
	}
	tp := strings.Split(strings.TrimPrefix(to, "/"), "/")
	i := 0
	for i < len(fd) && i < len(tp)-1 && fd[i] == tp[i] {
		i++
	}
	var b strings.Builder
	for j := i; j < len(fd); j++ {
		b.WriteString("../")
	}
	b.WriteString(strings.Join(tp[i:], "/"))
	return b.String() + frag
}

// Ref is a reference in generated HTML: the output path it resolves to
// ("css/main.css", "cong-uoc/index.html"), and the reference as written.
type Ref struct{ Target, Written string }

// Refs returns the relative href and src references of the generated HTML
// file out, resolved to output paths, and, when base is not empty, the
// absolute paths under base (404.html's links). Tags marked data-loa-probe
// (404.html's probes for the site root, which are missing at every depth
// but one) are skipped. It is a byte scan, since it runs on every page.
func Refs(out string, data []byte, base string) []Ref {
	var refs []Ref
	for i := 0; i < len(data); {
		j := bytes.Index(data[i:], []byte(`="`))
		if j < 0 {
			break
		}
		at := i + j
		i = at + 2
		var isRef bool
		switch {
		case at >= 5 && string(data[at-5:at]) == " href":
			isRef = true
		case at >= 4 && string(data[at-4:at]) == " src":
			isRef = true
		}
		if !isRef {
			continue
		}
		end := bytes.IndexByte(data[i:], '"')
		if end < 0 {
			break
		}
		raw := data[i : i+end]
		i += end
		if lt := bytes.LastIndexByte(data[:at], '<'); lt >= 0 {
			if gt := bytes.IndexByte(data[at:], '>'); gt >= 0 && bytes.Contains(data[lt:at+gt], []byte(" data-loa-probe")) {
				continue
			}
		}
		ref := string(raw)
		if bytes.IndexByte(raw, '&') >= 0 {
			ref = html.UnescapeString(ref)
		}
		if ref == "" || ref[0] == '#' || strings.HasPrefix(ref, "//") || scheme.MatchString(ref) {
			continue
		}
		if k := strings.IndexAny(ref, "?#"); k >= 0 {
			ref = ref[:k]
		}
		dir := path.Dir(out)
		if base != "" && strings.HasPrefix(ref, base) {
			dir, ref = ".", strings.TrimPrefix(ref, base)
			if ref == "" {
				ref = "./"
			}
		}
		target := path.Join(dir, SitePath(ref))
		if strings.HasSuffix(ref, "/") || ref == "" || ref == "." || ref == "./" {
			target = path.Join(target, "index.html")
		}
		refs = append(refs, Ref{target, ref})
	}
	return refs
}

// CheckOutput verifies every relative href and src in the generated HTML of
// files, which catches links written in layouts (a stylesheet, a script, a
// menu) that point to nothing. refs holds the references of each HTML file
// when already scanned (a page reused from the previous build); others are
// scanned here, 404.html with base (the site's base path). sources maps an
// output file to its content file, for the error's position. Each missing
// target is reported once, at the first file (in path order) that links to
// it. paths are the keys of files, sorted. Files under search/ are written
// later and not checked, nor those skip
// (when not nil) names: a builder's pages whose references passed this
// check against the same output paths.
func CheckOutput(files map[string][]byte, paths []string, refs map[string][]Ref, sources map[string]string, base string, skip func(out string) bool, errs *diag.List) {
	reported := map[string]bool{}
	for _, out := range paths {
		if !strings.HasSuffix(out, ".html") {
			continue
		}
		if skip != nil && skip(out) {
			continue
		}
		rs, ok := refs[out]
		if !ok {
			b := ""
			if out == "404.html" {
				b = base
			}
			rs = Refs(out, files[out], b)
		}
		for _, r := range rs {
			if _, ok := files[r.Target]; ok || reported[r.Target] || strings.HasPrefix(r.Target, "search/") {
				continue
			}
			reported[r.Target] = true
			src := sources[out]
			if src == "" {
				src = "layouts"
			}
			errs.Add(diag.Errorf(diag.Position{File: src, Line: 1, Col: 1}, "the built page %s links to %s, which the site does not have (check the layout or static/)", out, r.Written))
		}
	}
}
