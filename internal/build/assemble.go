package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"hash"
	"html"
	"html/template"
	"net/url"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"loa/internal/content"
	"loa/internal/diag"
	"loa/internal/layout"
	"loa/internal/output"
)

// assemble builds the template data of every page, executes the layouts and
// adds the generated files: redirects, sitemap, feeds, 404, robots.txt and
// the code-highlighting stylesheet.
func (s *site) assemble(ctx context.Context, set *layout.Set, b *Builder) (output.Files, error) {
	md := b.md
	var errs diag.List
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
		lp := &layout.Page{
			SourcePath:  p.Path,
			Title:       p.Front.Title,
			Description: p.Front.Description,
			Lang:        p.Lang,
			Kind:        p.Kind,
			Section:     p.Section,
			Layout:      p.Front.Layout,
			URL:         p.URL,
			OutPath:     p.OutPath,
			Permalink:   s.permalink(p.URL),
			Content:     p.content,
			Date:        p.Front.Date,
			Lastmod:     p.Front.Lastmod,
			Params:      p.Front.Params,
			Tags:        p.Front.Tags,
			Site:        sites[p.Lang],
			LangPrefix:  s.cfg.LangPrefix(p.Lang),
			Weight:      p.Front.Weight,
			HasCode:     p.HasCode,
		}
		if lp.Lastmod.IsZero() {
			lp.Lastmod = lp.Date
		}
		showTOC := len(p.TOC) >= 3
		if p.Front.TOC != nil {
			showTOC = *p.Front.TOC
		}
		if showTOC {
			for _, h := range p.TOC {
				lp.TOC = append(lp.TOC, layout.Heading{Level: h.Level, ID: h.ID, Text: h.Text})
			}
		}
		p.Layout = lp
	}
	// Sections, lists, translations and breadcrumbs.
	groups := map[string][]*Page{}
	for _, p := range s.pages {
		groups[p.Key] = append(groups[p.Key], p)
		if p.Kind == content.KindPage && p.Section != "" {
			ls := sites[p.Lang]
			ls.Sections[p.Section] = append(ls.Sections[p.Section], p.Layout)
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
		children[p.Lang+":"+parent] = append(children[p.Lang+":"+parent], p.Layout)
	}
	for _, ps := range children {
		sortPages(ps)
	}
	for _, p := range s.pages {
		lp := p.Layout
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
	// Execute layouts in parallel, reusing the output of regular pages whose
	// inputs did not change (see memoKey).
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
				for _, c := range p.Layout.Pages {
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
	refs := map[string][]outRef{}
	files := output.Files{}
	var mu sync.Mutex
	work := make(chan *Page)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				name, _ := set.Lookup(p.Kind, p.Section, p.Front.Layout)
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
					html, err := set.Render(p.Layout)
					if err != nil {
						errs.Add(err)
						continue
					}
					e = memoEntry{key: key, html: html, refs: outputRefs(p.OutPath, html, "")}
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
	// 404 page, in the default language. A server sends it for a missing URL
	// at any depth, so its links are absolute paths under the base path
	// (LinkBase); static/js/loa-404.js repoints them where the site is elsewhere.
	nf := &layout.Page{SourcePath: "layouts/404.html", Title: "404", Lang: s.cfg.DefaultLanguage, Kind: "404", URL: "/404.html", OutPath: "404.html",
		Permalink: s.permalink("/404.html"), Site: sites[s.cfg.DefaultLanguage], Params: map[string]any{}, LinkBase: basePath(s.cfg.BaseURL)}
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
		files["css/chroma.css"] = md.CSS()
	}
	s.redirects(files, &errs)
	files["sitemap.xml"] = s.sitemap()
	for _, l := range s.cfg.Languages {
		files[strings.TrimPrefix(s.cfg.LangPrefix(l.Code)+"/index.xml", "/")] = s.feed(l.Code, sites[l.Code].Title)
	}
	b.mu.Lock()
	b.memo = memo // only this build's pages: the memo never grows past the site
	b.fronts, b.nextFronts = b.nextFronts, map[*content.Page]string{}
	b.mu.Unlock()
	s.checkOutput(files, refs, &errs)
	if _, ok := files["robots.txt"]; !ok {
		files["robots.txt"] = []byte("User-agent: *\nAllow: /\nSitemap: " + s.permalink("/sitemap.xml") + "\n")
	}
	return files, errs.Err()
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

const redirectHTML = `<!DOCTYPE html>
<html lang="%s">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="%s">
<meta http-equiv="refresh" content="0; url=%s">
</head>
<body>
<p><a href="%s">%s</a></p>
</body>
</html>
`

// redirects writes a page for every alias and, on convention pages, a short
// URL for every article (/en/conventions/crc/28/ -> ../index.html#article-28).
func (s *site) redirects(files output.Files, errs *diag.List) {
	write := func(pos diag.Position, from string, to *Page, anchor, text string) {
		out := strings.TrimPrefix(from, "/") + "index.html"
		if _, ok := files[out]; ok {
			errs.Add(diag.Errorf(pos, "redirect %s collides with an existing page or file", from))
			return
		}
		target := layout.RelPath("/"+out, to.URL)
		if anchor != "" {
			target += "#" + anchor
		}
		esc := template.HTMLEscapeString
		files[out] = []byte(fmt.Sprintf(redirectHTML, to.Lang, esc(text), esc(s.permalink(to.URL)+hashOf(anchor)), esc(target), esc(target), esc(text)))
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
			if n, ok := articleNumber(h.ID); ok {
				write(diag.Position{File: p.Path, Line: p.BodyLine + h.Line - 1}, p.URL+n+"/", p, h.ID, h.Text+" — "+p.Front.Title)
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

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

type sitemapURL struct {
	XMLName xml.Name `xml:"url"`
	Loc     string   `xml:"loc"`
	Lastmod string   `xml:"lastmod,omitempty"`
}

func (s *site) sitemap() []byte {
	var urls []sitemapURL
	for _, p := range s.pages {
		u := sitemapURL{Loc: s.permalink(p.URL)}
		if t := p.Layout.Lastmod; !t.IsZero() {
			u.Lastmod = t.Format("2006-01-02")
		}
		urls = append(urls, u)
	}
	sort.Slice(urls, func(i, j int) bool { return urls[i].Loc < urls[j].Loc })
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		b.WriteString("  <url><loc>")
		xml.EscapeText(&b, []byte(u.Loc))
		b.WriteString("</loc>")
		if u.Lastmod != "" {
			b.WriteString("<lastmod>" + u.Lastmod + "</lastmod>")
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

type rssItem struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	GUID        string `xml:"guid"`
	PubDate     string `xml:"pubDate"`
	Description string `xml:"description,omitempty"`
}

// feed is an RSS 2.0 feed of the dated pages (guidance, news) of a language,
// newest first.
func (s *site) feed(lang, title string) []byte {
	var items []*Page
	for _, p := range s.pages {
		if p.Lang == lang && p.Kind == content.KindPage && !p.Front.Date.IsZero() {
			items = append(items, p)
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if !items[i].Front.Date.Equal(items[j].Front.Date) {
			return items[i].Front.Date.After(items[j].Front.Date)
		}
		return items[i].URL < items[j].URL
	})
	if len(items) > 50 {
		items = items[:50]
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<rss version="2.0"><channel>`)
	enc := xml.NewEncoder(&b)
	home := s.permalink(s.cfg.LangPrefix(lang) + "/")
	enc.EncodeElement(title, xml.StartElement{Name: xml.Name{Local: "title"}})
	enc.EncodeElement(home, xml.StartElement{Name: xml.Name{Local: "link"}})
	enc.EncodeElement(title, xml.StartElement{Name: xml.Name{Local: "description"}})
	enc.EncodeElement(lang, xml.StartElement{Name: xml.Name{Local: "language"}})
	for _, p := range items {
		u := s.permalink(p.URL)
		enc.EncodeElement(rssItem{Title: p.Front.Title, Link: u, GUID: u, PubDate: p.Front.Date.UTC().Format(time.RFC1123Z), Description: p.Front.Description}, xml.StartElement{Name: xml.Name{Local: "item"}})
	}
	enc.Flush()
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// outputRefs returns the relative href and src targets of a generated HTML
// file at out, resolved to output paths ("css/main.css",
// "cong-uoc/index.html"), and, when base is not empty, the absolute paths
// under base (404.html's links). Tags marked data-loa-probe (404.html's
// probes for the site root, which are missing at every depth but one) are
// skipped. It is a byte scan, since it runs on every page.
func outputRefs(out string, data []byte, base string) []outRef {
	var refs []outRef
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
		target := path.Join(dir, ref)
		if strings.HasSuffix(ref, "/") || ref == "" || ref == "." || ref == "./" {
			target = path.Join(target, "index.html")
		}
		refs = append(refs, outRef{target, ref})
	}
	return refs
}

// checkOutput verifies every relative href and src in the generated HTML,
// which catches links written in layouts (a stylesheet, a script, a menu)
// that point to nothing. Each missing target is reported once, at the first
// page (in path order) that links to it. refs holds the already scanned
// references of pages whose output was reused from the previous build.
func (s *site) checkOutput(files output.Files, refs map[string][]outRef, errs *diag.List) {
	bySource := map[string]string{}
	for _, p := range s.pages {
		bySource[p.OutPath] = p.Path
	}
	reported := map[string]bool{}
	for _, out := range files.Paths() {
		if !strings.HasSuffix(out, ".html") {
			continue
		}
		rs, ok := refs[out]
		if !ok {
			base := ""
			if out == "404.html" {
				base = basePath(s.cfg.BaseURL)
			}
			rs = outputRefs(out, files[out], base)
		}
		for _, r := range rs {
			target, ref := r.target, r.ref
			if _, ok := files[target]; ok || reported[target] || strings.HasPrefix(target, "search/") {
				continue
			}
			reported[target] = true
			src := bySource[out]
			if src == "" {
				src = "layouts"
			}
			errs.Add(diag.Errorf(diag.Position{File: src, Line: 1, Col: 1}, "the built page %s links to %s, which the site does not have (check the layout or static/)", out, ref))
		}
	}
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
	refs []outRef
}

// outRef is a relative reference in generated HTML: the output path it
// resolves to, and the reference as written.
type outRef struct{ target, ref string }

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
	k, ok := b.fronts[p.Page]
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
	b.nextFronts[p.Page] = k
	b.mu.Unlock()
	return k
}
