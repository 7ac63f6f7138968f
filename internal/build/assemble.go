package build

import (
	"cmp"
	"path"
	"slices"
	"sort"
	"strings"

	"loa/internal/content"
	"loa/internal/layout"
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
	groups := make(map[string][]*Page, len(s.pages))
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
	children := make(map[string][]*layout.Page, len(s.pages)/8)
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
	crumbs := map[string][]layout.Link{} // by parent URL
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
		if len(lp.Translations) > 1 {
			sort.Slice(lp.Translations, func(i, j int) bool {
				return s.langIndex(lp.Translations[i].Lang) < s.langIndex(lp.Translations[j].Lang)
			})
		}
		lp.Breadcrumbs = s.breadcrumbs(p, crumbs)
	}
	if err := s.handouts(b); err != nil {
		return nil, err
	}
	return sites, nil
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

// breadcrumbs lists the pages from the language's home to the page's
// parent; memo holds the lists of this build by parent URL (pages of one
// folder share theirs).
func (s *site) breadcrumbs(p *Page, memo map[string][]layout.Link) []layout.Link {
	prefix := s.cfg.LangPrefix(p.Lang) + "/"
	if p.URL == prefix {
		return nil
	}
	parent := p.URL[:strings.LastIndex(strings.TrimSuffix(p.URL, "/"), "/")+1]
	if out, ok := memo[parent]; ok {
		return out
	}
	var out []layout.Link
	segs := strings.Split(strings.Trim(strings.TrimPrefix(p.URL, prefix), "/"), "/")
	u := prefix
	for i := 0; i <= len(segs)-1; i++ {
		if q := s.byURL[u]; q != nil {
			out = append(out, layout.Link{Title: q.Front.Title, URL: q.URL, Lang: q.Lang})
		}
		u += segs[i] + "/"
	}
	memo[parent] = out
	return out
}

// sortPages orders pages by weight (weighted first), then date (newest
// first), then title, then URL. The pages of a list have distinct URLs, so
// the order is total and the sort need not be stable.
func sortPages(ps []*layout.Page) {
	slices.SortFunc(ps, func(a, b *layout.Page) int {
		aw, bw := a.Front.Weight, b.Front.Weight
		if (aw == 0) != (bw == 0) {
			if aw != 0 {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(aw, bw); c != 0 {
			return c
		}
		if c := b.Front.Date.Compare(a.Front.Date); c != 0 {
			return c
		}
		if c := strings.Compare(a.Front.Title, b.Front.Title); c != 0 {
			return c
		}
		return strings.Compare(a.URL, b.URL)
	})
}
