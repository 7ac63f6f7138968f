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
	"html"
	"html/template"
	"io/fs"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"loa/internal/caption"
	"loa/internal/config"
	"loa/internal/content"
	"loa/internal/diag"
	"loa/internal/layout"
	"loa/internal/link"
	"loa/internal/markdown"
	"loa/internal/output"
	"loa/internal/search"
	"loa/internal/sitefs"

	"golang.org/x/text/unicode/norm"
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

// Invalidate tells the Builder that the named files (slash paths from the
// site root) changed, so the next Build reads them again whatever their
// size and modification time say.
func (b *Builder) Invalidate(names []string) {
	b.pages.Forget(names...)
}

// Work counts what a build actually did, as opposed to reused from the
// previous build of the same Builder: the incremental tests assert it
// (Hugo's render counters), since equal output cannot show reuse.
type Work struct {
	Markdown int // pages whose Markdown was rendered
	Layouts  int // pages whose layouts were executed
}

// Result is a built site in memory.
type Result struct {
	Work     Work // what this build rendered rather than reused
	Files    output.Files
	Pages    []*Page // rendered content pages, sorted by output path
	Warnings []*diag.Error
	Config   *config.Config
	Captions caption.Set      // article captions (data/captions)
	Synonyms *search.Synonyms // the synonym list (data/synonyms.yaml), or nil
}

// Page is a page of this build: the rendered page that templates see
// (layout.Page, which embeds the source content.Page), plus what the
// builder keeps for itself while building.
type Page struct {
	*layout.Page

	links []link.Check
	lp    *link.Page // the page as links see it
	mdKey string     // cache key of the rendered Markdown
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
		out[i] = Outlink{Pos: l.Pos, Dest: l.Dest, Target: l.Target, Anchor: l.Anchor, IsPage: l.IsPage}
	}
	return out
}

// rendered is the cacheable result of rendering one page's Markdown.
type rendered struct {
	html   template.HTML
	res    *markdown.Result
	ids    map[string]bool
	checks []link.Check
	errs   []*diag.Error
}

// Build builds the site in memory. On failure the error is a *diag.List of
// every problem found, sorted.
//
// It runs six phases, each a function below (docs/architecture.md,
// "Phases"): load reads the configuration, layouts, content, static files,
// captions and synonyms; render turns every page's Markdown into HTML (in
// parallel, reusing the previous build's work) and adds article captions;
// link checks every internal link and menu entry; assemble builds the page
// graph the templates see; execute runs the layouts (in parallel, reusing
// unchanged pages); emit adds the generated files and checks the output.
// Layouts run even when earlier phases found errors, so that one run reports
// template errors too; nothing is returned unless the whole list is empty.
func (b *Builder) Build(ctx context.Context, opts Options) (*Result, error) {
	var errs diag.List
	s, set, extra := b.load(ctx, opts, &errs)
	if s == nil {
		return nil, &errs
	}
	if err := s.render(ctx, b, set, &errs); err != nil {
		return nil, err
	}
	s.link(&errs)
	if set == nil {
		return nil, &errs
	}
	prior := errs.HasErrors()
	sites, err := s.assemble(b)
	if err != nil {
		errs.Add(err)
		return nil, &errs
	}
	ex, err := s.execute(ctx, set, b, &errs)
	if err != nil {
		return nil, err
	}
	files := s.emit(set, b, sites, ex, prior, &errs)
	if errs.HasErrors() {
		return nil, &errs
	}
	res := &Result{Files: files, Config: s.cfg, Captions: s.captions, Synonyms: extra.synonyms, Pages: append([]*Page(nil), s.pages...),
		Work: Work{Markdown: int(s.mdRenders.Load()), Layouts: int(s.layoutRuns.Load())}}
	for _, e := range errs.Sorted() {
		if e.Severity == diag.SevWarning {
			res.Warnings = append(res.Warnings, e)
		}
	}
	return res, nil
}

// loaded is what the load phase reads beside the pages.
type loaded struct {
	synonyms *search.Synonyms
}

// load is the first phase: the configuration (without it nothing else can
// be read: s is nil), the layouts (set is nil when they fail), the content,
// the static files, the article captions and the synonyms, all read through
// a file system confined to the site (sitefs).
func (b *Builder) load(ctx context.Context, opts Options, errs *diag.List) (*site, *layout.Set, loaded) {
	// Every read of the site stays inside it, whatever links it holds.
	fsys := sitefs.New(opts.FS)
	cfg, err := config.Load(fsys, config.FileName)
	if err != nil {
		errs.Add(err)
		return nil, nil, loaded{}
	}
	set, err := layout.Load(fsys)
	errs.Add(err)
	pages, err := content.Load(ctx, fsys, cfg, content.Options{Drafts: opts.Drafts, Cache: &b.pages})
	errs.Add(err)
	static, err := readStatic(fsys)
	errs.Add(err)
	s := newSite(cfg, pages, static)
	if set != nil {
		s.reserveIDs(set.IDs())
		// Code blocks are named in the page's language; a site without the
		// string gets the markdown package's default.
		for _, l := range cfg.Languages {
			s.codeLabels[l.Code], _ = set.T(l.Code, "codeBlock")
		}
	}
	captions, err := loadCaptions(fsys, s)
	errs.Add(err)
	s.captions = captions
	synonyms, err := loadSynonyms(fsys)
	errs.Add(err)
	// Pages that failed to load still exist for link checking, so that one
	// mistake is not reported again at every link to its page.
	for _, e := range errs.Sorted() {
		s.links.Failed(e.Pos.File)
	}
	return s, set, loaded{synonyms: synonyms}
}

// link is the third phase: with every page rendered and its ids known, it
// checks every internal link and citation, and the menus.
func (s *site) link(errs *diag.List) {
	for _, p := range s.pages {
		p.lp.IDs = p.IDs
	}
	for _, p := range s.pages {
		s.links.Check(p.links, errs)
	}
	for _, l := range s.cfg.Languages {
		var items []link.MenuItem
		for _, m := range s.cfg.Menus[l.Code] {
			items = append(items, link.MenuItem{Name: m.Name, URL: m.URL, Pos: m.Pos})
		}
		s.links.CheckMenus(items, errs)
	}
}

// site is the state of one build.
type site struct {
	cfg    *config.Config
	pages  []*Page // sorted by Path
	byURL  map[string]*Page
	static output.Files
	links  *link.Site // what links resolve against
	// conventions maps "code/lang" to the convention page.
	conventions map[string]*Page
	urlHash     string
	reserved    map[string]bool   // ids the layouts use, which headings must not take
	codeLabels  map[string]string // language -> name of code blocks (i18n key codeBlock)

	mdRenders, layoutRuns atomic.Int64 // Work counters
	captions              caption.Set

	usedMu sync.Mutex
	usedMD map[string]*rendered // Markdown cache entries used by this build
}

// reserveIDs records the layouts' ids; they are part of every page's
// Markdown cache key, since they change the generated heading ids.
func (s *site) reserveIDs(ids []string) {
	s.reserved = make(map[string]bool, len(ids))
	for _, id := range ids {
		s.reserved[id] = true
	}
	s.urlHash += "\x00" + strings.Join(ids, " ")
}

func (s *site) used(key string, r *rendered) {
	s.usedMu.Lock()
	s.usedMD[key] = r
	s.usedMu.Unlock()
}

func newSite(cfg *config.Config, pages []*content.Page, static output.Files) *site {
	langs := make([]string, len(cfg.Languages))
	for i, l := range cfg.Languages {
		langs[i] = l.Code
	}
	s := &site{cfg: cfg, byURL: map[string]*Page{}, static: static, links: link.NewSite(langs), conventions: map[string]*Page{}, usedMD: map[string]*rendered{}, codeLabels: map[string]string{}}
	for _, name := range static.Paths() {
		s.links.AddStatic(name)
	}
	h := sha256.New()
	for _, cp := range pages {
		p := &Page{Page: &layout.Page{Page: cp, OutPath: strings.TrimPrefix(cp.URL, "/") + "index.html"}}
		s.pages = append(s.pages, p)
		s.byURL[cp.URL] = p
		p.lp = &link.Page{Path: cp.Path, URL: cp.URL, OutPath: p.OutPath, Lang: cp.Lang}
		code, _ := cp.Front.Params["code"].(string)
		if code != "" {
			s.conventions[code+"/"+cp.Lang] = p
		}
		s.links.AddPage(p.lp, code)
		fmt.Fprintf(h, "%s\x00%s\x00%s\n", cp.Path, cp.URL, cp.Lang)
	}
	for _, p := range static.Paths() {
		fmt.Fprintf(h, "static:%s\n", p)
	}
	s.urlHash = hex.EncodeToString(h.Sum(nil))
	return s
}

// render is the second phase: it turns every page's Markdown into HTML in parallel.
func (s *site) render(ctx context.Context, b *Builder, set *layout.Set, errs *diag.List) error {
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
				p.Content = r.html
				p.Headings, p.TOC, p.Sections, p.Text = r.res.Headings, r.res.TOC, r.res.Sections, r.res.Text
				p.Links = r.res.Links
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
	if err := ctx.Err(); err != nil {
		return err
	}
	// Keep only what this build used, so a long preview session does not
	// grow the cache with every edit.
	b.mu.Lock()
	b.cache = s.usedMD
	b.keys, b.nextKeys = b.nextKeys, map[*content.Page]pageKey{}
	b.mu.Unlock()
	s.applyCaptions(set)
	return nil
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
	key := b.sourceKey(s.urlHash, s.codeLabels[p.Lang], p.Page.Page)
	p.mdKey = key
	b.mu.Lock()
	r, ok := b.cache[key]
	b.mu.Unlock()
	if ok {
		s.used(key, r)
		return r
	}
	r = &rendered{}
	s.mdRenders.Add(1)
	res, err := b.md.Render(p.Body, markdown.Options{
		AllowHTML:   p.Front.AllowHTML,
		ReservedIDs: s.reserved,
		CodeLabel:   s.codeLabels[p.Lang],
		ResolveLink: func(dest string, line, col int) string {
			pos := diag.Position{File: p.Path, Line: p.BodyLine + line - 1, Col: runeCol(p.Body, line, col)}
			out, check, err := s.links.Resolve(p.lp, dest, pos)
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
	var le *markdown.LimitError
	switch {
	case errors.As(err, &le):
		r.errs = append(r.errs, diag.Errorf(diag.Position{File: p.Path, Line: p.BodyLine + le.Line - 1, Col: le.Col}, "%s", le.Msg))
		res = &markdown.Result{}
	case err != nil:
		r.errs = append(r.errs, diag.Wrap(diag.Position{File: p.Path, Line: p.BodyLine}, "cannot render Markdown", err))
		res = &markdown.Result{}
	}
	r.errs = append(r.errs, duplicateIDs(p, res, s.reserved)...)
	if allow, _ := p.Front.Params["externalResources"].(bool); !allow {
		r.errs = append(r.errs, externalResources(p, res)...)
	}
	r.res = res
	r.ids = htmlIDs(res.HTML)
	r.html = template.HTML(res.HTML)
	s.used(key, r)
	return r
}

// resolve rewrites one link destination of page p. Internal links become
// relative; the returned check is verified once all pages are rendered.

// readStatic reads static/ into memory; files are copied unchanged.
func readStatic(fsys fs.FS) (output.Files, error) {
	list, errs := content.WalkFiles(fsys, "static", false)
	files := output.Files{}
	for _, f := range list {
		if sourceOnly(f.Name) {
			continue
		}
		b, err := fs.ReadFile(fsys, f.Name)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted since the folder was listed
		}
		if err != nil {
			errs.Add(diag.Wrap(diag.Position{File: f.Name}, "cannot read file", err))
			continue
		}
		files[norm.NFC.String(strings.TrimPrefix(f.Name, "static/"))] = b
	}
	return files, errs.Err()
}

// duplicateIDs reports explicit heading ids ({#id}) used twice in a page,
// or taken by its layout: a link to #id could only reach one of them.
func duplicateIDs(p *Page, res *markdown.Result, reserved map[string]bool) []*diag.Error {
	var errs []*diag.Error
	first := map[string]int{}
	for _, h := range res.Headings {
		pos := diag.Position{File: p.Path, Line: p.BodyLine + h.Line - 1, Col: 1}
		if prev, ok := first[h.ID]; ok && h.Explicit {
			errs = append(errs, diag.Errorf(pos, "heading id #%s is already used by the heading on line %d: give one of them another {#id}", h.ID, p.BodyLine+prev-1))
			continue
		}
		if h.Explicit && reserved[h.ID] {
			errs = append(errs, diag.Errorf(pos, "heading id #%s is used by the layout: choose another {#id}", h.ID))
		}
		if _, ok := first[h.ID]; !ok {
			first[h.ID] = h.Line
		}
	}
	return errs
}

// externalSrc finds resources a browser would load from another site:
// src, srcset, data and poster attributes with an absolute or
// scheme-relative address (raw HTML, on pages that allow it).
var externalSrc = regexp.MustCompile(`(?i)\b(?:src|srcset|data|poster)\s*=\s*["']?\s*((?:https?:)?//[^\s"'>]+)`)

// externalResources reports images and other resources of a page that
// would make every reader's browser contact another site (a tracker, a
// map service): the site promises no third-party requests. Links (<a>) to
// other sites are fine. A page may allow them with externalResources: true.
func externalResources(p *Page, res *markdown.Result) []*diag.Error {
	const fix = "copy the file into static/ and link it as a site path, or set externalResources: true in the front matter if the page must load it from there"
	var errs []*diag.Error
	seen := map[string]bool{}
	for _, l := range res.Links {
		if !l.Image || !isExternal(l.Dest) {
			continue
		}
		seen[l.Dest] = true
		pos := diag.Position{File: p.Path, Line: p.BodyLine + l.Line - 1, Col: runeCol(p.Body, l.Line, l.Col)}
		errs = append(errs, diag.Errorf(pos, "image %s is loaded from another site by every reader's browser: %s", l.Dest, fix))
	}
	for _, m := range externalSrc.FindAllSubmatch(res.HTML, -1) {
		u := html.UnescapeString(string(m[1]))
		if seen[u] {
			continue
		}
		seen[u] = true
		pos := diag.Position{File: p.Path, Line: p.BodyLine, Col: 1}
		if i := bytes.Index(p.Body, []byte(u)); i >= 0 {
			line := 1 + bytes.Count(p.Body[:i], []byte("\n"))
			start := bytes.LastIndexByte(p.Body[:i], '\n') + 1
			pos.Line, pos.Col = p.BodyLine+line-1, utf8.RuneCount(p.Body[start:i])+1
		}
		errs = append(errs, diag.Errorf(pos, "%s is loaded from another site by every reader's browser: %s", u, fix))
	}
	return errs
}

func isExternal(dest string) bool {
	d := strings.ToLower(strings.TrimSpace(dest))
	return strings.HasPrefix(d, "http://") || strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "//")
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
		if (a.Weight() == 0) != (b.Weight() == 0) {
			return a.Weight() != 0
		}
		if a.Weight() != b.Weight() {
			return a.Weight() < b.Weight()
		}
		if !a.Date().Equal(b.Date()) {
			return a.Date().After(b.Date())
		}
		if a.Title() != b.Title() {
			return a.Title() < b.Title()
		}
		return a.URL < b.URL
	})
}

// SourcePos returns the position in the page's file of a line and byte
// column of its Markdown body (as markdown.Link and Heading give them).
func (p *Page) SourcePos(line, col int) diag.Position {
	return diag.Position{File: p.Path, Line: p.BodyLine + line - 1, Col: runeCol(p.Body, line, col)}
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
