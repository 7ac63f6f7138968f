package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"loa/internal/content"
	"loa/internal/diag"
	"loa/internal/layout"
	"loa/internal/link"
	"loa/internal/output"
)

// executed is the output of the execute phase.
type executed struct {
	files  output.Files
	refs   map[string][]link.Ref // each page's references, scanned once
	memo   map[string]memoEntry
	reused map[string]bool // output paths whose output is the previous build's
	meta   string          // metaHash
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
		byLang := map[string][]byte{}
		for _, p := range s.pages {
			byLang[p.Lang] = append(byLang[p.Lang], p.mdKey...)
			if p.Kind == content.KindSection {
				var list []byte
				for _, c := range p.Pages {
					if q := s.byURL[c.URL]; q != nil {
						list = append(list, q.mdKey...)
					}
				}
				sum := sha256.Sum256(list)
				listKeys[p.URL+"\x00"+p.Lang] = string(sum[:])
			}
		}
		for l, keys := range byLang {
			sum := sha256.Sum256(keys)
			langKeys[l] = string(sum[:])
		}
	}
	memo := make(map[string]memoEntry, len(s.pages))
	refs := make(map[string][]link.Ref, len(s.pages))
	reused := make(map[string]bool, len(s.pages))
	var layoutErrs []*layout.ExecError
	files := make(output.Files, len(s.pages))
	// Pages whose key is unchanged get the last output, in one pass; the
	// others are executed in parallel.
	type job struct {
		p   *Page
		key outputKey
	}
	var todo []job
	b.mu.Lock()
	for _, p := range s.pages {
		name, _ := set.Lookup(p.Kind, p.Section, p.Front.Layout)
		p.Template = name
		key := outputKey{meta: meta, md: p.mdKey}
		switch p.Kind {
		case content.KindSection:
			key.list = listKeys[p.URL+"\x00"+p.Lang]
		case content.KindHome:
			key.list = langKeys[p.Lang]
		}
		if e, ok := b.memo[p.OutPath]; ok && e.key == key {
			files[p.OutPath] = e.html
			refs[p.OutPath] = e.refs
			memo[p.OutPath] = e
			reused[p.OutPath] = true
			continue
		}
		todo = append(todo, job{p, key})
	}
	b.mu.Unlock()
	var mu sync.Mutex
	work := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(todo)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				p := j.p
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
				e := memoEntry{key: j.key, html: html, refs: link.Refs(p.OutPath, html, "")}
				mu.Lock()
				files[p.OutPath] = e.html
				refs[p.OutPath] = e.refs
				memo[p.OutPath] = e
				mu.Unlock()
			}
		}()
	}
	for _, j := range todo {
		if ctx.Err() != nil {
			break
		}
		work <- j
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	groupLayoutErrors(layoutErrs, errs)
	return &executed{files: files, refs: refs, memo: memo, reused: reused, meta: meta}, nil
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

// memoEntry is the output of one page from the previous build.
type memoEntry struct {
	key  outputKey
	html []byte
	refs []link.Ref
}

// outputKey is what a page's output depends on: the metadata hash, its
// Markdown's key and, for a list page, the keys of the bodies it lists.
type outputKey struct{ meta, md, list string }

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
	buf := make([]byte, 0, 32*len(s.pages))
	for _, p := range s.pages {
		buf = append(buf, b.frontKey(p)...)
	}
	h.Write(buf)
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
	if ok {
		b.nextFronts[p.Page.Page] = k
	}
	b.mu.Unlock()
	if ok {
		return k
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00", p.Path, p.URL, p.Lang, p.Kind, p.Key)
	json.NewEncoder(h).Encode(p.Front)
	for _, t := range p.TOC {
		fmt.Fprintf(h, "%d %s %s\n", t.Level, t.ID, t.Text)
	}
	k = string(h.Sum(nil))
	b.mu.Lock()
	b.nextFronts[p.Page.Page] = k
	b.mu.Unlock()
	return k
}
