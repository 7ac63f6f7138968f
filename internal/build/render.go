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
	"regexp"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"loa/internal/content"
	"loa/internal/diag"
	"loa/internal/layout"
	"loa/internal/link"
	"loa/internal/markdown"
)

// rendered is the cacheable result of rendering one page's Markdown.
type rendered struct {
	html   template.HTML
	res    *markdown.Result
	ids    map[string]bool
	checks []link.Check
	errs   []*diag.Error
}

// render is the second phase: it turns every page's Markdown into HTML in
// parallel. Pages whose Markdown is cached (a preview's save changes one page
// of thousands) are taken in one pass first.
func (s *site) render(ctx context.Context, b *Builder, set *layout.Set, errs *diag.List) error {
	apply := func(p *Page, r *rendered) {
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
	var todo []*Page
	b.mu.Lock()
	for _, p := range s.pages {
		if r := b.cachedLocked(s, p); r != nil {
			apply(p, r)
		} else {
			todo = append(todo, p)
		}
	}
	b.mu.Unlock()
	work := make(chan *Page)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(todo)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				apply(p, b.renderPage(s, p))
			}
		}()
	}
	for _, p := range todo {
		if ctx.Err() != nil {
			break
		}
		work <- p
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
	key, ok := b.knownKeyLocked(urlHash, codeLabel, p)
	b.mu.Unlock()
	if ok {
		return key
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%t\x00%s\x00%s\x00", urlHash, p.Path, p.BodyLine, p.Front.AllowHTML, p.Lang, codeLabel)
	h.Write(p.Body)
	key = hex.EncodeToString(h.Sum(nil))
	b.mu.Lock()
	b.nextKeys[p] = pageKey{urlHash, codeLabel, key}
	b.mu.Unlock()
	return key
}

type pageKey struct{ urlHash, codeLabel, key string }

// knownKeyLocked returns the cache key of a parsed file whose URL table
// and code label are those of the last build, keeping it for the next one;
// b.mu is held.
func (b *Builder) knownKeyLocked(urlHash, codeLabel string, p *content.Page) (string, bool) {
	k, ok := b.keys[p]
	if !ok || k.urlHash != urlHash || k.codeLabel != codeLabel {
		return "", false
	}
	b.nextKeys[p] = k
	return k.key, true
}

// cachedLocked returns the cached rendering of a page whose file and URL
// table are those of the last build, or nil; b.mu is held.
func (b *Builder) cachedLocked(s *site, p *Page) *rendered {
	key, ok := b.knownKeyLocked(s.urlHash, s.codeLabels[p.Lang], p.Page.Page)
	if !ok {
		return nil
	}
	r, ok := b.cache[key]
	if !ok {
		return nil
	}
	p.mdKey = key
	s.used(key, r)
	return r
}

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
	var found [][][]byte
	if bytes.Contains(res.HTML, []byte("//")) { // every address externalSrc finds has one; the regexp is slow
		found = externalSrc.FindAllSubmatch(res.HTML, -1)
	}
	for _, m := range found {
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
