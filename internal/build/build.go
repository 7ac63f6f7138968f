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
	"html/template"
	"io/fs"
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

	// What emit made last time (emit.go): the sitemap and feeds by the
	// metadata hash they come from, minified static files by source path,
	// and the output paths of the last build whose output check passed.
	feedKey  string
	feeds    output.Files
	minified map[string][2][]byte // source path -> {input, output}
	checked  []string
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

// Watch(true) tells the Builder that every change to the site's files will
// reach it through Invalidate (a file watcher's paths), or InvalidateAll when
// the watcher cannot tell what changed: a build then looks again only at the
// names Invalidate gave instead of walking every folder of content/
// (content.Cache.Watch). Watch(false) goes back to walking.
func (b *Builder) Watch(on bool) { b.pages.Watch(on) }

// InvalidateAll makes the next Build read every file again, as the first.
func (b *Builder) InvalidateAll() { b.pages.ForgetAll() }

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

// Outlinks returns the page's internal links (including citations), as
// resolved, in document order.
func (p *Page) Outlinks() []link.Check { return p.links }

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
	s := &site{cfg: cfg, byURL: make(map[string]*Page, len(pages)), pages: make([]*Page, 0, len(pages)), static: static, links: link.NewSite(langs, len(pages)), conventions: map[string]*Page{}, usedMD: make(map[string]*rendered, len(pages)), codeLabels: map[string]string{}}
	for _, name := range static.Paths() {
		s.links.AddStatic(name)
	}
	var buf []byte // what the URL table hash covers
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
		buf = append(append(append(append(append(append(buf, cp.Path...), 0), cp.URL...), 0), cp.Lang...), '\n')
	}
	for _, p := range static.Paths() {
		buf = append(append(append(buf, "static:"...), p...), '\n')
	}
	sum := sha256.Sum256(buf)
	s.urlHash = hex.EncodeToString(sum[:])
	return s
}

// resolve rewrites one link destination of page p. Internal links become
// relative; the returned check is verified once all pages are rendered.

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
