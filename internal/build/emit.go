package build

import (
	"bytes"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"loa/internal/content"
	"loa/internal/diag"
	"loa/internal/feed"
	"loa/internal/layout"
	"loa/internal/link"
	"loa/internal/minify"
	"loa/internal/output"
	"loa/internal/treaty"
)

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
	// Static files: copied unchanged, CSS and JavaScript minified unless
	// loa.yaml says minify: false; they may not collide with pages.
	minified := map[string][2][]byte{}
	for _, sp := range s.static.Paths() {
		if _, ok := files[sp]; ok {
			errs.Add(diag.Errorf(diag.Position{File: "static/" + sp}, "static file has the same output path as a page (%s)", sp))
			continue
		}
		files[sp] = s.minified(b, minified, "static/"+sp, sp, s.static[sp], errs)
	}
	if _, ok := files["css/chroma.css"]; !ok {
		files["css/chroma.css"] = s.minified(b, minified, "css/chroma.css", "css/chroma.css", b.md.CSS(), errs)
	}
	b.mu.Lock()
	b.minified = minified
	b.mu.Unlock()
	origins := make(map[string]diag.Position, len(s.pages)+len(s.static))
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
	// The sitemap and feeds come from pages' metadata and the config
	// alone, which the metadata hash covers.
	b.mu.Lock()
	feeds := b.feeds
	if b.feedKey != ex.meta {
		feeds = nil
	}
	b.mu.Unlock()
	if feeds == nil {
		feeds = s.feeds(sites)
	}
	for name, data := range feeds {
		files[name] = data
	}
	// A page whose output is the last build's links to what it linked to
	// then: when that build's output check passed and this output has the
	// same paths, its links need no check.
	b.mu.Lock()
	b.memo = memo // only this build's pages: the memo never grows past the site
	b.fronts, b.nextFronts = b.nextFronts, map[*content.Page]string{}
	b.feedKey, b.feeds = ex.meta, feeds
	checked := b.checked
	b.checked = nil // until this build's check passes
	b.mu.Unlock()
	if !prior {
		sources := make(map[string]string, len(s.pages))
		for _, p := range s.pages {
			sources[p.OutPath] = p.Path
		}
		paths := files.Paths()
		same := slices.Equal(checked, paths)
		skip := func(out string) bool { return same && ex.reused[out] }
		n := errs.Len()
		link.CheckOutput(files, paths, refs, sources, basePath(s.cfg.BaseURL), skip, errs)
		if errs.Len() == n {
			b.mu.Lock()
			b.checked = paths
			b.mu.Unlock()
		}
	}
	if _, ok := files["robots.txt"]; !ok {
		files["robots.txt"] = []byte("User-agent: *\nAllow: /\nSitemap: " + s.permalink("/sitemap.xml") + "\n")
	}
	checkCollisions(files, origins, errs)
	return files
}

// feeds makes the sitemap and each language's RSS feed.
func (s *site) feeds(sites map[string]*layout.Site) output.Files {
	files := output.Files{}
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
	return files
}

// minified is data, the output file path from the source file src, minified
// when the config asks for it; an error is added to errs at src. The output
// of the last build is reused for the same input (b.minified, which keeps
// only this build's files once emit is done).
func (s *site) minified(b *Builder, next map[string][2][]byte, src, path string, data []byte, errs *diag.List) []byte {
	if !s.cfg.Minify {
		return data
	}
	b.mu.Lock()
	m, ok := b.minified[src]
	b.mu.Unlock()
	if !ok || !bytes.Equal(m[0], data) {
		out, err := minify.File(src, path, data)
		if err != nil {
			errs.Add(err)
			return data
		}
		m = [2][]byte{data, out}
	}
	next[src] = m
	return m[1]
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
	for p := range files { // the errors are sorted later
		for i := strings.LastIndexByte(p, '/'); i > 0; i = strings.LastIndexByte(p[:i], '/') {
			d := p[:i]
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
