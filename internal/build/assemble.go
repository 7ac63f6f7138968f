package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"loa/internal/content"
	"loa/internal/diag"
	"loa/internal/feed"
	"loa/internal/layout"
	"loa/internal/link"
	"loa/internal/output"
	"loa/internal/treaty"
)

// assemble is the page-graph phase: it gives every page what its templates
// see beyond its own body: .Site per language, the lists of home and
// section pages, translations, breadcrumbs, and the print handouts' QR
// codes. It returns the .Site of each language.
func (s *site) assemble(b *Builder) (map[string]*layout.Site, error) {
	sites := map[string]*layout.Site{}
	var langs []layout.Link
	for _, l := range s.cfg.Languages {
		langs = append(langs, layout.Link{Lang: l.Code, LangName: l.Name, Title: l.Title, URL: s.cfg.LangPrefix(l.Code) + "/"})
	}
	depth := s.depth()
	for _, l := range s.cfg.Languages {
		ls := &layout.Site{Title: l.Title, BaseURL: s.cfg.BaseURL, BasePath: basePath(s.cfg.BaseURL), Depth: depth, Lang: l.Code, Params: s.cfg.Params, Languages: langs, Sections: map[string][]*layout.Page{}}
		for _, m := range s.cfg.Menus[l.Code] {
			ls.Menu = append(ls.Menu, layout.MenuItem{Name: m.Name, URL: m.URL})
		}
		sites[l.Code] = ls
	}
	for _, p := range s.pages {
		p.Permalink = s.permalink(p.URL)
		p.Site = sites[p.Lang]
		p.LangPrefix = s.cfg.LangPrefix(p.Lang)
		p.Pages, p.Translations, p.Breadcrumbs = nil, nil, nil
		showTOC := len(p.TOC) >= 3
		if p.Front.TOC != nil {
			showTOC = *p.Front.TOC
		}
		if !showTOC {
			p.TOC = nil
		}
	}
	// Sections, lists, translations and breadcrumbs.
	groups := map[string][]*Page{}
	for _, p := range s.pages {
		groups[p.Key] = append(groups[p.Key], p)
		if p.Kind == content.KindPage && p.Section != "" {
			ls := sites[p.Lang]
			ls.Sections[p.Section] = append(ls.Sections[p.Section], p.Page)
		}
	}
	for _, ls := range sites {
		for _, ps := range ls.Sections {
			sortPages(ps)
		}
	}
	// Home and section pages list their direct children: the pages and
	// sections one level below them, in their language.
	children := map[string][]*layout.Page{}
	for _, p := range s.pages {
		if p.Kind == content.KindHome {
			continue
		}
		parent := path.Dir(strings.TrimSuffix(p.URL, "/"))
		if !strings.HasSuffix(parent, "/") {
			parent += "/"
		}
		children[p.Lang+":"+parent] = append(children[p.Lang+":"+parent], p.Page)
	}
	for _, ps := range children {
		sortPages(ps)
	}
	for _, p := range s.pages {
		lp := p.Page
		if p.Kind == content.KindSection || p.Kind == content.KindHome {
			lp.Pages = children[p.Lang+":"+p.URL]
		}
		for _, q := range groups[p.Key] {
			if q != p && q.Lang != p.Lang {
				l, _ := s.cfg.Language(q.Lang)
				lp.Translations = append(lp.Translations, layout.Link{Lang: q.Lang, LangName: l.Name, Title: q.Front.Title, URL: q.URL})
			}
		}
		sort.Slice(lp.Translations, func(i, j int) bool {
			return s.langIndex(lp.Translations[i].Lang) < s.langIndex(lp.Translations[j].Lang)
		})
		lp.Breadcrumbs = s.breadcrumbs(p)
	}
	if err := s.handouts(b); err != nil {
		return nil, err
	}
	return sites, nil
}

// executed is the output of the execute phase.
type executed struct {
	files output.Files
	refs  map[string][]link.Ref // each page's references, scanned once
	memo  map[string]memoEntry
}

// execute is the layout phase: it runs every page's layouts in parallel,
// reusing the output of pages whose inputs did not change since the
// previous build of b (see metaHash), and reports each layout mistake once
// (groupLayoutErrors). An unknown front-matter layout is an error at its
// key.
func (s *site) execute(ctx context.Context, set *layout.Set, b *Builder, errs *diag.List) (*executed, error) {
	meta := s.metaHash(set, b)
	// A section page also depends on the bodies of the pages it lists, a home
	// page on every body of its language.
	listKeys, langKeys := map[string]string{}, map[string]string{}
	{
		byLang := map[string]hash.Hash{}
		for _, p := range s.pages {
			h := byLang[p.Lang]
			if h == nil {
				h = sha256.New()
				byLang[p.Lang] = h
			}
			h.Write([]byte(p.mdKey))
			if p.Kind == content.KindSection {
				lh := sha256.New()
				for _, c := range p.Pages {
					if q := s.byURL[c.URL]; q != nil {
						lh.Write([]byte(q.mdKey))
					}
				}
				listKeys[p.URL+"\x00"+p.Lang] = hex.EncodeToString(lh.Sum(nil))
			}
		}
		for l, h := range byLang {
			langKeys[l] = hex.EncodeToString(h.Sum(nil))
		}
	}
	memo := map[string]memoEntry{}
	refs := map[string][]link.Ref{}
	var layoutErrs []*layout.ExecError
	files := output.Files{}
	var mu sync.Mutex
	work := make(chan *Page)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				name, cands := set.Lookup(p.Kind, p.Section, p.Front.Layout)
				if l := p.Front.Layout; l != "" && name != "" && !strings.HasSuffix(name, "/"+l+".html") {
					tried := make([]string, 0, 2)
					for _, c := range cands {
						if strings.HasSuffix(c, "/"+l+".html") {
							tried = append(tried, "layouts/"+c)
						}
					}
					errs.Add(diag.Errorf(p.Front.LayoutPos, "layout: no layout named %q (looked for %s): create it, or remove the key to use %s", l, strings.Join(tried, " and "), "layouts/"+name))
					continue
				}
				p.Template = name
				key := meta + "\x00" + p.mdKey
				switch p.Kind {
				case content.KindSection:
					key += listKeys[p.URL+"\x00"+p.Lang]
				case content.KindHome:
					key += langKeys[p.Lang]
				}
				b.mu.Lock()
				e, ok := b.memo[p.OutPath]
				b.mu.Unlock()
				if !ok || key == "" || e.key != key {
					s.layoutRuns.Add(1)
					html, err := set.Render(p.Page)
					var le *layout.ExecError
					if errors.As(err, &le) {
						mu.Lock()
						layoutErrs = append(layoutErrs, le)
						mu.Unlock()
						continue
					}
					if err != nil {
						errs.Add(err)
						continue
					}
					e = memoEntry{key: key, html: html, refs: link.Refs(p.OutPath, html, "")}
				}
				mu.Lock()
				files[p.OutPath] = e.html
				refs[p.OutPath] = e.refs
				memo[p.OutPath] = e
				mu.Unlock()
			}
		}()
	}
	for _, p := range s.pages {
		if ctx.Err() != nil {
			break
		}
		work <- p
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	groupLayoutErrors(layoutErrs, errs)
	return &executed{files: files, refs: refs, memo: memo}, nil
}

// emit is the last phase: it adds the files that are not content pages (the
// 404 page, static files, the highlighting stylesheet, redirects for aliases
// and article short URLs, the sitemap, the feeds, robots.txt), then checks
// the whole output: every reference in the HTML (skipped when earlier
// phases found errors, prior, since it would repeat the broken links
// already reported at their Markdown positions) and every path collision.
func (s *site) emit(set *layout.Set, b *Builder, sites map[string]*layout.Site, ex *executed, prior bool, errs *diag.List) output.Files {
	files, refs, memo := ex.files, ex.refs, ex.memo
	// 404 page, in the default language. A server sends it for a missing URL
	// at any depth, so its links are absolute paths under the base path
	// (LinkBase); static/js/loa-404.js repoints them where the site is elsewhere.
	src404 := &content.Page{Path: "layouts/404.html", Lang: s.cfg.DefaultLanguage, Kind: "404", URL: "/404.html",
		Front: content.FrontMatter{Title: "404", Params: map[string]any{}}}
	nf := &layout.Page{Page: src404, OutPath: "404.html", Permalink: s.permalink("/404.html"), Site: sites[s.cfg.DefaultLanguage], LinkBase: basePath(s.cfg.BaseURL)}
	if set.Has("404.html") {
		if html, err := set.Render(nf); err != nil {
			errs.Add(err)
		} else {
			files["404.html"] = html
		}
	}
	// Static files: copied unchanged; they may not collide with pages.
	for _, sp := range s.static.Paths() {
		if _, ok := files[sp]; ok {
			errs.Add(diag.Errorf(diag.Position{File: "static/" + sp}, "static file has the same output path as a page (%s)", sp))
			continue
		}
		files[sp] = s.static[sp]
	}
	if _, ok := files["css/chroma.css"]; !ok {
		files["css/chroma.css"] = b.md.CSS()
	}
	origins := map[string]diag.Position{}
	for _, p := range s.pages {
		pos := diag.Position{File: p.Path, Line: 1, Col: 1}
		if p.Front.Slug != "" {
			pos = p.Front.SlugPos
		}
		origins[p.OutPath] = pos
	}
	for _, sp := range s.static.Paths() {
		origins[sp] = diag.Position{File: "static/" + sp}
	}
	s.redirects(files, origins, errs)
	var urls []feed.URL
	for _, p := range s.pages {
		urls = append(urls, feed.URL{Loc: s.permalink(p.URL), Lastmod: p.Lastmod()})
	}
	files["sitemap.xml"] = feed.Sitemap(urls)
	for _, l := range s.cfg.Languages {
		var items []feed.Item
		for _, p := range s.pages {
			if p.Lang == l.Code && p.Kind == content.KindPage && !p.Front.Date.IsZero() {
				items = append(items, feed.Item{Title: p.Front.Title, Link: s.permalink(p.URL), Date: p.Front.Date, Description: p.Front.Description})
			}
		}
		home := s.permalink(s.cfg.LangPrefix(l.Code) + "/")
		files[strings.TrimPrefix(s.cfg.LangPrefix(l.Code)+"/index.xml", "/")] = feed.RSS(sites[l.Code].Title, home, l.Code, items)
	}
	b.mu.Lock()
	b.memo = memo // only this build's pages: the memo never grows past the site
	b.fronts, b.nextFronts = b.nextFronts, map[*content.Page]string{}
	b.mu.Unlock()
	if !prior {
		sources := map[string]string{}
		for _, p := range s.pages {
			sources[p.OutPath] = p.Path
		}
		link.CheckOutput(files, refs, sources, basePath(s.cfg.BaseURL), errs)
	}
	if _, ok := files["robots.txt"]; !ok {
		files["robots.txt"] = []byte("User-agent: *\nAllow: /\nSitemap: " + s.permalink("/sitemap.xml") + "\n")
	}
	checkCollisions(files, origins, errs)
	return files
}

// groupLayoutErrors reports each layout mistake once, at the layout's
// file:line:col, with the pages it broke as context (Hugo names the page;
// one line per page would bury the layout's position under hundreds).
func groupLayoutErrors(les []*layout.ExecError, errs *diag.List) {
	type group struct {
		first *layout.ExecError
		pages []string
	}
	groups := map[string]*group{}
	for _, le := range les {
		k := le.Pos.String() + "\x00" + le.Msg
		g := groups[k]
		if g == nil {
			g = &group{first: le}
			groups[k] = g
		}
		g.pages = append(g.pages, le.Page)
	}
	for _, g := range groups {
		sort.Strings(g.pages)
		ctx := "rendering " + g.pages[0]
		if n := len(g.pages) - 1; n == 1 {
			ctx += " and 1 other page"
		} else if n > 1 {
			ctx += fmt.Sprintf(" and %d other pages", n)
		}
		errs.Add(diag.Errorf(g.first.Pos, "%s (%s)", g.first.Msg, ctx))
	}
}

// checkCollisions reports output paths that need a folder where another
// output is a file ("robots.txt/index.html" from a slug "robots.txt" beside
// the file robots.txt), at the page, alias or static file that asks for
// the folder, before anything is written.
func checkCollisions(files output.Files, origins map[string]diag.Position, errs *diag.List) {
	describe := func(p string) string {
		if o, ok := origins[p]; ok {
			return "the output of " + o.File
		}
		return "a file loa generates"
	}
	for _, p := range files.Paths() {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if _, ok := files[d]; !ok {
				continue
			}
			pos, ok := origins[p]
			if !ok {
				pos = origins[d]
			}
			fix := "choose another slug or alias"
			if strings.HasPrefix(pos.File, "static/") {
				fix = "rename the file or folder"
			}
			errs.Add(diag.Errorf(pos, "output %s needs a folder %s/, but %s is %s: %s", p, d, d, describe(d), fix))
			break
		}
	}
}

func (s *site) langIndex(code string) int {
	for i, l := range s.cfg.Languages {
		if l.Code == code {
			return i
		}
	}
	return len(s.cfg.Languages)
}

func (s *site) permalink(u string) string {
	return strings.TrimSuffix(s.cfg.BaseURL, "/") + u
}

// depth returns the number of folders of the deepest page, alias or article
// short URL of the site ("en/conventions/crc/28/" is 4).
func (s *site) depth() int {
	segs := func(u string) int { return strings.Count(strings.Trim(u, "/"), "/") + 1 }
	d := 0
	for _, p := range s.pages {
		n := 0
		if p.URL != "/" {
			n = segs(p.URL)
		}
		if _, ok := p.Front.Params["code"]; ok {
			n++ // the articles' short URLs, <page>/N/
		}
		d = max(d, n)
		for _, a := range p.Front.Aliases {
			if strings.Trim(a, "/") != "" {
				d = max(d, segs(a))
			}
		}
	}
	return d
}

// breadcrumbs lists the pages from the language's home to the page's parent.
func (s *site) breadcrumbs(p *Page) []layout.Link {
	var out []layout.Link
	prefix := s.cfg.LangPrefix(p.Lang) + "/"
	if p.URL == prefix {
		return nil
	}
	segs := strings.Split(strings.Trim(strings.TrimPrefix(p.URL, prefix), "/"), "/")
	u := prefix
	for i := 0; i <= len(segs)-1; i++ {
		if q := s.byURL[u]; q != nil {
			out = append(out, layout.Link{Title: q.Front.Title, URL: q.URL, Lang: q.Lang})
		}
		u += segs[i] + "/"
	}
	return out
}

// redirects writes a page for every alias and, on convention pages, a short
// URL for every article (/en/conventions/crc/28/ -> ../index.html#article-28).
func (s *site) redirects(files output.Files, origins map[string]diag.Position, errs *diag.List) {
	write := func(pos diag.Position, from string, to *Page, anchor, text string) {
		out := strings.TrimPrefix(from, "/") + "index.html"
		if _, ok := files[out]; ok {
			errs.Add(diag.Errorf(pos, "redirect %s collides with an existing page or file", from))
			return
		}
		origins[out] = pos
		target := link.Rel("/"+out, to.URL)
		if anchor != "" {
			target += "#" + anchor
		}
		files[out] = feed.Redirect(to.Lang, text, s.permalink(to.URL)+hashOf(anchor), target)
	}
	for _, p := range s.pages {
		for i, a := range p.Front.Aliases {
			u := "/" + strings.Trim(a, "/") + "/"
			write(p.Front.AliasPos[i], u, p, "", p.Front.Title)
		}
		if _, ok := p.Front.Params["code"]; !ok {
			continue
		}
		for _, h := range p.Headings {
			if n, ok := treaty.ArticleNumber(p.Lang, h.ID); ok {
				write(diag.Position{File: p.Path, Line: p.BodyLine + h.Line - 1}, p.URL+strconv.Itoa(n)+"/", p, h.ID, h.Text+" — "+p.Front.Title)
			}
		}
	}
}

func hashOf(a string) string {
	if a == "" {
		return ""
	}
	return "#" + a
}

// basePath returns the path part of the base URL, always ending in "/".
func basePath(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Path == "" {
		return "/"
	}
	return strings.TrimSuffix(u.Path, "/") + "/"
}

// memoEntry is the output of one page from the previous build.
type memoEntry struct {
	key  string
	html []byte
	refs []link.Ref
}

// metaHash fingerprints everything a regular page's layout can see apart
// from its own body: the layouts and UI strings, the configuration and the
// metadata (not the bodies) of every page. A regular page whose body and
// this hash are unchanged gets the output of the previous build. A section
// page is also keyed by the bodies of the pages it lists, a home page by
// every body of its language. A layout that shows the body of a page outside
// those (.Content of a page from .SectionPages on a regular page) is the one
// case this misses: a preview then shows that body as of the last change
// that touched the page's key; `loa build` always starts from scratch.
func (s *site) metaHash(set *layout.Set, b *Builder) string {
	h := sha256.New()
	h.Write([]byte(set.Hash()))
	fmt.Fprintf(h, "%+v\n", *s.cfg)
	fmt.Fprintf(h, "captions:%s\n", captionsKey(s.captions))
	for _, p := range s.pages {
		h.Write([]byte(b.frontKey(p)))
	}
	for _, sp := range s.static.Paths() {
		fmt.Fprintf(h, "static:%s\n", sp)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// frontKey fingerprints a page's metadata and table of contents, once per
// parsed file (both come from the file alone).
func (b *Builder) frontKey(p *Page) string {
	b.mu.Lock()
	k, ok := b.fronts[p.Page.Page]
	b.mu.Unlock()
	if !ok {
		h := sha256.New()
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00", p.Path, p.URL, p.Lang, p.Kind, p.Key)
		json.NewEncoder(h).Encode(p.Front)
		for _, t := range p.TOC {
			fmt.Fprintf(h, "%d %s %s\n", t.Level, t.ID, t.Text)
		}
		k = string(h.Sum(nil))
	}
	b.mu.Lock()
	b.nextFronts[p.Page.Page] = k
	b.mu.Unlock()
	return k
}
