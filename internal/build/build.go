// Package build runs loa's pipeline: it reads the site configuration, the
// content, the layouts and the static files of a site, renders every page and
// produces the complete site in memory (Result.Files), then writes it
// atomically with its search index and manifest (Result.Write).
//
// The pipeline is parallel where the work is per page (Markdown rendering,
// template execution) and deterministic everywhere: inputs are sorted and
// parallel results are joined in input order, so two builds of the same input
// are byte-identical. All problems of one run are collected into one sorted
// diag.List.
//
// A Builder keeps rendered Markdown between builds, keyed by the page's
// source and the site's URL table, so the preview server re-renders only the
// pages an edit affects.
package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"loa/internal/config"
	"loa/internal/content"
	"loa/internal/diag"
	"loa/internal/layout"
	"loa/internal/markdown"
	"loa/internal/output"
)

// Options says what to build.
type Options struct {
	FS     fs.FS // the site root: loa.yaml, content/, layouts/, static/, i18n/
	Drafts bool  // include draft pages
}

// Builder builds a site, reusing work between builds. The zero value is not
// usable; call New.
type Builder struct {
	md *markdown.Renderer

	mu         sync.Mutex
	cache      map[string]*rendered // key: hash of page source and site URL table
	memo       map[string]memoEntry // output path -> output of the previous build
	pages      content.Cache        // parsed content files
	keys       map[*content.Page]pageKey
	nextKeys   map[*content.Page]pageKey
	fronts     map[*content.Page]string
	nextFronts map[*content.Page]string
	qrs        map[string]template.HTML // QR codes drawn by the last build, by text and label
	nextQRs    map[string]template.HTML
}

// New returns a Builder.
func New() *Builder {
	return &Builder{md: markdown.New(), cache: map[string]*rendered{}, memo: map[string]memoEntry{}, keys: map[*content.Page]pageKey{}, nextKeys: map[*content.Page]pageKey{}, fronts: map[*content.Page]string{}, nextFronts: map[*content.Page]string{}, qrs: map[string]template.HTML{}, nextQRs: map[string]template.HTML{}}
}

// Result is a built site in memory.
type Result struct {
	Files    output.Files
	Pages    []*Page // rendered content pages, sorted by output path
	Warnings []*diag.Error
	Config   *config.Config
}

// Page is a content page after rendering.
type Page struct {
	*content.Page
	OutPath  string // "huong-dan/a/index.html"
	HTML     []byte // rendered Markdown body
	Headings []markdown.Heading
	TOC      []markdown.Heading
	Sections []markdown.Section
	Text     string
	HasCode  bool            // highlighted code: the page links css/chroma.css
	IDs      map[string]bool // every id="…" in the body
	Layout   *layout.Page
	// Template is the layout file the page was rendered with.
	Template string

	links   []linkCheck
	mdKey   string        // cache key of the rendered Markdown
	content template.HTML // HTML as a string, converted once per render
}

// Outlink is an internal link of a page, after resolution.
type Outlink struct {
	Pos    diag.Position
	Dest   string // as written in the Markdown
	Target string // site path of the target page or static file
	Anchor string
	IsPage bool // the target is a page (else a static file)
}

// Outlinks returns the page's internal links (including citations) in
// document order.
func (p *Page) Outlinks() []Outlink {
	out := make([]Outlink, len(p.links))
	for i, l := range p.links {
		out[i] = Outlink{Pos: l.pos, Dest: l.dest, Target: l.target, Anchor: l.anchor, IsPage: l.isPage}
	}
	return out
}

// rendered is the cacheable result of rendering one page's Markdown.
type rendered struct {
	html   template.HTML
	res    *markdown.Result
	ids    map[string]bool
	checks []linkCheck
	errs   []*diag.Error
}

// linkCheck is an internal link whose target must exist once every page is
// rendered.
type linkCheck struct {
	pos      diag.Position
	dest     string // as written
	target   string // site path of the target page, or a static file path
	anchor   string
	citation string // "crc/99" for convention: links
	isPage   bool
}

// Build builds the site in memory. On failure the error is a *diag.List of
// every problem found, sorted.
func (b *Builder) Build(ctx context.Context, opts Options) (*Result, error) {
	var errs diag.List
	cfg, err := config.Load(opts.FS, config.FileName)
	if err != nil {
		errs.Add(err)
		return nil, &errs
	}
	set, err := layout.Load(opts.FS)
	errs.Add(err)
	pages, err := content.Load(ctx, opts.FS, cfg, content.Options{Drafts: opts.Drafts, Cache: &b.pages})
	errs.Add(err)
	static, err := readStatic(opts.FS)
	errs.Add(err)
	s := newSite(cfg, pages, static)
	if set != nil {
		// Code blocks are named in the page's language; a site without the
		// string gets the markdown package's default.
		for _, l := range cfg.Languages {
			s.codeLabels[l.Code], _ = set.T(l.Code, "codeBlock")
		}
	}
	// Pages that failed to load still exist for link checking, so that one
	// mistake is not reported again at every link to its page.
	for _, e := range errs.Sorted() {
		s.failed[e.Pos.File] = true
	}
	s.render(ctx, b, &errs)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Keep only what this build used, so a long preview session does not
	// grow the cache with every edit.
	b.mu.Lock()
	b.cache = s.usedMD
	b.keys, b.nextKeys = b.nextKeys, map[*content.Page]pageKey{}
	b.mu.Unlock()
	s.checkLinks(&errs)
	s.checkMenus(&errs)
	if errs.HasErrors() {
		return nil, &errs
	}
	if set == nil {
		return nil, &errs
	}
	files, err := s.assemble(ctx, set, b)
	errs.Add(err)
	if errs.HasErrors() {
		return nil, &errs
	}
	res := &Result{Files: files, Config: cfg}
	for _, p := range s.pages {
		res.Pages = append(res.Pages, p)
	}
	for _, e := range errs.Sorted() {
		if e.Severity == diag.SevWarning {
			res.Warnings = append(res.Warnings, e)
		}
	}
	return res, nil
}

// site is the state of one build.
type site struct {
	cfg    *config.Config
	pages  []*Page // sorted by Path
	byURL  map[string]*Page
	byPath map[string]*Page
	static output.Files
	// conventions maps "code/lang" to the convention page.
	conventions map[string]*Page
	urlHash     string
	failed      map[string]bool   // files that failed to load
	codeLabels  map[string]string // language -> name of code blocks (i18n key codeBlock)

	usedMu sync.Mutex
	usedMD map[string]*rendered // Markdown cache entries used by this build
}

func (s *site) used(key string, r *rendered) {
	s.usedMu.Lock()
	s.usedMD[key] = r
	s.usedMu.Unlock()
}

func newSite(cfg *config.Config, pages []*content.Page, static output.Files) *site {
	s := &site{cfg: cfg, byURL: map[string]*Page{}, byPath: map[string]*Page{}, static: static, conventions: map[string]*Page{}, failed: map[string]bool{}, usedMD: map[string]*rendered{}, codeLabels: map[string]string{}}
	h := sha256.New()
	for _, cp := range pages {
		p := &Page{Page: cp, OutPath: strings.TrimPrefix(cp.URL, "/") + "index.html"}
		s.pages = append(s.pages, p)
		s.byURL[cp.URL] = p
		s.byPath[cp.Path] = p
		if code, ok := cp.Front.Params["code"].(string); ok && code != "" {
			s.conventions[code+"/"+cp.Lang] = p
		}
		fmt.Fprintf(h, "%s\x00%s\x00%s\n", cp.Path, cp.URL, cp.Lang)
	}
	for _, p := range static.Paths() {
		fmt.Fprintf(h, "static:%s\n", p)
	}
	s.urlHash = hex.EncodeToString(h.Sum(nil))
	return s
}

// render turns every page's Markdown into HTML in parallel.
func (s *site) render(ctx context.Context, b *Builder, errs *diag.List) {
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				p := s.pages[i]
				r := b.renderPage(s, p)
				for _, e := range r.errs {
					errs.Add(e)
				}
				p.HTML = r.res.HTML
				p.content = r.html
				p.Headings, p.TOC, p.Sections, p.Text = r.res.Headings, r.res.TOC, r.res.Sections, r.res.Text
				p.HasCode = r.res.HasCode
				p.IDs = r.ids
				p.links = r.checks
			}
		}()
	}
	for i := range s.pages {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
}

// htmlIDs returns every id="…" attribute value in html (a fast scan; the
// Markdown renderer always quotes attributes with double quotes).
func htmlIDs(html []byte) map[string]bool {
	ids := map[string]bool{}
	for i := 0; ; {
		j := bytes.Index(html[i:], []byte(` id="`))
		if j < 0 {
			return ids
		}
		start := i + j + 5
		end := bytes.IndexByte(html[start:], '"')
		if end < 0 {
			return ids
		}
		ids[string(html[start:start+end])] = true
		i = start + end
	}
}

// sourceKey is the Markdown cache key of a page: its body, what its links
// resolve against and the name its code blocks get. Unchanged files keep their *content.Page between builds
// (content.Cache), so the hash of a body is computed once per edit.
func (b *Builder) sourceKey(urlHash, codeLabel string, p *content.Page) string {
	b.mu.Lock()
	k, ok := b.keys[p]
	b.mu.Unlock()
	if ok && k.urlHash == urlHash && k.codeLabel == codeLabel {
		b.mu.Lock()
		b.nextKeys[p] = k
		b.mu.Unlock()
		return k.key
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%t\x00%s\x00%s\x00", urlHash, p.Path, p.BodyLine, p.Front.AllowHTML, p.Lang, codeLabel)
	h.Write(p.Body)
	key := hex.EncodeToString(h.Sum(nil))
	b.mu.Lock()
	b.nextKeys[p] = pageKey{urlHash, codeLabel, key}
	b.mu.Unlock()
	return key
}

type pageKey struct{ urlHash, codeLabel, key string }

func (b *Builder) renderPage(s *site, p *Page) *rendered {
	key := b.sourceKey(s.urlHash, s.codeLabels[p.Lang], p.Page)
	p.mdKey = key
	b.mu.Lock()
	r, ok := b.cache[key]
	b.mu.Unlock()
	if ok {
		s.used(key, r)
		return r
	}
	r = &rendered{}
	res, err := b.md.Render(p.Body, markdown.Options{
		AllowHTML: p.Front.AllowHTML,
		CodeLabel: s.codeLabels[p.Lang],
		ResolveLink: func(dest string, line, col int) string {
			pos := diag.Position{File: p.Path, Line: p.BodyLine + line - 1, Col: runeCol(p.Body, line, col)}
			out, check, err := s.resolve(p, dest, pos)
			if err != nil {
				var de *diag.Error
				if !errors.As(err, &de) {
					de = diag.Wrap(pos, "", err)
				}
				r.errs = append(r.errs, de)
				return dest
			}
			if check != nil {
				r.checks = append(r.checks, *check)
			}
			return out
		},
	})
	if err != nil {
		r.errs = append(r.errs, diag.Wrap(diag.Position{File: p.Path, Line: p.BodyLine}, "cannot render Markdown", err))
		res = &markdown.Result{}
	}
	r.res = res
	r.ids = htmlIDs(res.HTML)
	r.html = template.HTML(res.HTML)
	s.used(key, r)
	return r
}

var scheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// resolve rewrites one link destination of page p. Internal links become
// relative; the returned check is verified once all pages are rendered.
func (s *site) resolve(p *Page, dest string, pos diag.Position) (string, *linkCheck, error) {
	if strings.HasPrefix(dest, "convention:") {
		return s.resolveCitation(p, dest, pos)
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
		return dest, &linkCheck{pos: pos, dest: dest, target: p.URL, anchor: frag, isPage: true}, nil
	}
	var site string
	switch {
	case strings.HasSuffix(target, ".md"):
		src := path.Join(path.Dir(p.Path), target)
		if strings.HasPrefix(target, "/") {
			src = path.Join(content.Dir, target)
		}
		tp, ok := s.byPath[src]
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
		site = path.Join(p.URL, target)
		if strings.HasSuffix(target, "/") {
			site += "/"
		}
	}
	chk := &linkCheck{pos: pos, dest: dest, anchor: frag}
	if tp := s.lookupURL(site); tp != nil {
		chk.target, chk.isPage = tp.URL, true
		site = tp.URL
	} else {
		chk.target = site
	}
	out := layout.RelPath("/"+p.OutPath, site) + query
	if frag != "" {
		out += "#" + frag
	}
	return out, chk, nil
}

// lookupURL finds the page at a site path, accepting a missing trailing
// slash or an explicit index.html.
func (s *site) lookupURL(u string) *Page {
	u = strings.TrimSuffix(u, "index.html")
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return s.byURL[u]
}

var citationRe = regexp.MustCompile(`^convention:([a-z]+)/([0-9]+)$`)

func (s *site) resolveCitation(p *Page, dest string, pos diag.Position) (string, *linkCheck, error) {
	m := citationRe.FindStringSubmatch(dest)
	if m == nil {
		return "", nil, diag.Errorf(pos, "citation %q: write it as convention:<code>/<article>, for example convention:crc/28", dest)
	}
	code, num := m[1], m[2]
	tp := s.conventions[code+"/"+p.Lang]
	if tp == nil {
		tp = s.conventions[code+"/"+s.cfg.DefaultLanguage]
	}
	if tp == nil {
		for _, l := range s.cfg.Languages {
			if c := s.conventions[code+"/"+l.Code]; c != nil {
				tp = c
				break
			}
		}
	}
	if tp == nil {
		return "", nil, diag.Errorf(pos, "citation %q: no convention with code %q (known: %s)", dest, code, strings.Join(s.conventionCodes(), ", "))
	}
	anchor := "article-" + num
	if tp.Lang == "vi" {
		anchor = "dieu-" + num
	}
	out := layout.RelPath("/"+p.OutPath, tp.URL) + "#" + anchor
	return out, &linkCheck{pos: pos, dest: dest, target: tp.URL, anchor: anchor, citation: code + "/" + num, isPage: true}, nil
}

func (s *site) conventionCodes() []string {
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

// checkLinks verifies every internal link once all pages are rendered.
func (s *site) checkLinks(errs *diag.List) {
	for _, p := range s.pages {
		for _, c := range p.links {
			if !c.isPage {
				if _, ok := s.static[strings.TrimPrefix(c.target, "/")]; ok {
					continue
				}
				if strings.HasSuffix(c.target, ".xml") || strings.HasSuffix(c.target, ".txt") || c.target == "/404.html" {
					continue // generated files
				}
				errs.Add(diag.Errorf(c.pos, "link to %s: no page or static file at %s", c.dest, c.target))
				continue
			}
			tp := s.byURL[c.target]
			if c.anchor == "" || tp.IDs[c.anchor] {
				continue
			}
			if c.citation != "" {
				n := c.citation[strings.IndexByte(c.citation, '/')+1:]
				code := c.citation[:strings.IndexByte(c.citation, '/')]
				count := countArticles(tp)
				errs.Add(diag.Errorf(c.pos, "citation of article %s of %s: %s has no article %s (it has %d articles)", n, code, tp.Path, n, count))
				continue
			}
			errs.Add(diag.Errorf(c.pos, "link to %s: %s has no anchor #%s", c.dest, tp.Path, c.anchor))
		}
	}
}

// checkMenus verifies that menu entries pointing into the site name a page.
func (s *site) checkMenus(errs *diag.List) {
	for _, l := range s.cfg.Languages {
		for _, m := range s.cfg.Menus[l.Code] {
			if strings.Contains(m.URL, "://") {
				continue
			}
			u := strings.SplitN(m.URL, "#", 2)[0]
			if s.lookupURL(u) == nil && s.static[strings.TrimPrefix(u, "/")] == nil {
				errs.Add(diag.Errorf(m.Pos, "menu entry %q links to %s: no such page", m.Name, m.URL))
			}
		}
	}
}

func countArticles(p *Page) int {
	n := 0
	for id := range p.IDs {
		if strings.HasPrefix(id, "article-") || strings.HasPrefix(id, "dieu-") {
			if _, err := strconv.Atoi(id[strings.IndexByte(id, '-')+1:]); err == nil {
				n++
			}
		}
	}
	return n
}

// readStatic reads static/ into memory; files are copied unchanged.
func readStatic(fsys fs.FS) (output.Files, error) {
	list, errs := content.WalkFiles(fsys, "static", false)
	files := output.Files{}
	for _, f := range list {
		if sourceOnly(f.Name) {
			continue
		}
		b, err := fs.ReadFile(fsys, f.Name)
		if err != nil {
			errs.Add(diag.Wrap(diag.Position{File: f.Name}, "cannot read file", err))
			continue
		}
		files[strings.TrimPrefix(f.Name, "static/")] = b
	}
	return files, errs.Err()
}

// sourceOnly reports whether a file under static/ is a source or test file
// that no reader's browser requests, and so is not copied to the output:
// anything inside a folder named test, tests, __tests__ or node_modules, and
// JavaScript test files (*.test.js, *.spec.js, also .mjs).
func sourceOnly(name string) bool {
	segs := strings.Split(name, "/")
	for _, s := range segs[:len(segs)-1] {
		switch s {
		case "test", "tests", "__tests__", "node_modules":
			return true
		}
	}
	base := segs[len(segs)-1]
	for _, suf := range []string{".test.js", ".spec.js", ".test.mjs", ".spec.mjs"} {
		if strings.HasSuffix(base, suf) {
			return true
		}
	}
	return false
}

// sortPages orders pages by weight (weighted first), then date (newest
// first), then title, then URL.
func sortPages(ps []*layout.Page) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if (a.Weight == 0) != (b.Weight == 0) {
			return a.Weight != 0
		}
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.URL < b.URL
	})
}

// runeCol converts a 1-based byte column on a 1-based line of src to a
// character column, which is what editors show for Vietnamese text.
func runeCol(src []byte, line, col int) int {
	start := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[start:], '\n')
		if i < 0 {
			return col
		}
		start += i + 1
	}
	end := start + col - 1
	if end > len(src) {
		return col
	}
	return utf8.RuneCount(src[start:end]) + 1
}
