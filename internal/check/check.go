// Package check finds what an editor should fix before publishing: every
// error the build reports, plus warnings the build does not give.
//
// Run builds the site twice in memory, as published (without drafts) and
// with drafts, and reports:
//
//   - errors: everything the published build rejects (broken internal
//     links and anchors, citations of articles that do not exist, bad front
//     matter, template errors, ...);
//   - warnings:
//   - images without alt text (![](…) in the Markdown source, outside code);
//   - pages not linked from anywhere: no other published page links to
//     them, no menu names them, and they are not listed on a section page
//     (a page in a section that has an _index.md in its language is listed
//     there; a top-level page or a section page is listed on the home page);
//   - drafts linked from published pages (the link breaks on publishing);
//   - missing translations: a page whose translation group (translationKey)
//     lacks a language of the site, reported only where that language exists
//     for the page's section (the section page, or the home page for
//     top-level pages, has a translation in it); a Vietnamese-only section
//     such as local guidance produces no warnings, and section and home
//     pages themselves are never reported;
//   - errors that exist only in draft pages, as warnings ("in a draft").
//
// Every diagnostic starts with file:line:col; the list is sorted.
package check

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"loa/internal/build"
	"loa/internal/config"
	"loa/internal/content"
	"loa/internal/diag"
	"loa/internal/sitefs"
)

// Options says what to check.
type Options struct {
	FS fs.FS // the site root
}

// Run checks the site and returns every diagnostic, sorted. The error is
// non-nil only when the check itself could not run (ctx cancelled).
func Run(ctx context.Context, opts Options) ([]*diag.Error, error) {
	var out diag.List
	opts.FS = sitefs.New(opts.FS)
	b := build.New() // shared: the second build reuses the first one's Markdown
	pub, pubErr := b.Build(ctx, build.Options{FS: opts.FS})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out.Add(pubErr)
	published := map[string]bool{} // error text of the published build
	for _, e := range out.Sorted() {
		published[e.Error()] = true
	}
	all, allErr := b.Build(ctx, build.Options{FS: opts.FS, Drafts: true})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var draftErrs diag.List
	draftErrs.Add(allErr)
	for _, e := range draftErrs.Sorted() {
		if !published[e.Error()] && e.Severity == diag.SevError {
			w := *e
			w.Severity, w.Msg = diag.SevWarning, "in a draft: "+w.Msg
			out.Add(&w)
		}
	}
	if pub != nil {
		for _, w := range pub.Warnings {
			out.Add(w)
		}
		if w := pub.Config.PlaceholderWarning(); w != nil {
			out.Add(w)
		}
	}
	// The structure checks use the build with drafts (it knows which links
	// point to drafts) and fall back to the published one.
	site := all
	if site == nil {
		site = pub
	}
	if site != nil {
		structure(site, &out)
		images(site, &out)
	}
	return out.Sorted(), nil
}

// HasErrors reports whether any diagnostic is an error.
func HasErrors(ds []*diag.Error) bool {
	for _, d := range ds {
		if d.Severity == diag.SevError {
			return true
		}
	}
	return false
}

// structure reports unlinked pages, links to drafts and missing
// translations.
func structure(res *build.Result, out *diag.List) {
	cfg := res.Config
	byURL := map[string]*build.Page{}
	groups := map[string][]*build.Page{}
	sections := map[string]*build.Page{} // "lang/section" -> section page; "lang/" -> home
	for _, p := range res.Pages {
		byURL[p.URL] = p
		groups[p.Key] = append(groups[p.Key], p)
		switch p.Kind {
		case content.KindSection:
			sections[p.Lang+"/"+p.Section] = p
		case content.KindHome:
			sections[p.Lang+"/"] = p
		}
	}
	linked := map[string]bool{}
	for _, items := range cfg.Menus {
		for _, m := range items {
			linked[m.URL] = true
		}
	}
	for _, p := range res.Pages {
		if p.Front.Draft {
			continue // links from drafts do not count, and drafts may link anywhere
		}
		for _, l := range p.Outlinks() {
			if !l.IsPage {
				continue
			}
			t := byURL[l.Target]
			if t == nil {
				continue
			}
			if t != p {
				linked[t.URL] = true
			}
			if t.Front.Draft {
				out.Add(diag.Warnf(l.Pos, "link to %s: %s is a draft (draft: true), so this link will be broken when the site is published", l.Dest, t.Path))
			}
		}
	}
	for _, p := range res.Pages {
		if p.Front.Draft {
			continue
		}
		pos := diag.Position{File: p.Path, Line: 1, Col: 1}
		if !linked[p.URL] && !listed(p, sections) {
			out.Add(diag.Warnf(pos, "page %s is not linked from any other page, menu or section list: readers can only find it by search", p.URL))
		}
		missingTranslations(cfg, p, groups[p.Key], sections, groups, out)
	}
}

// listed reports whether a page appears in a list the layouts render: pages
// of a section on its section page, top-level pages and section pages on
// the home page, the home page itself.
func listed(p *build.Page, sections map[string]*build.Page) bool {
	switch {
	case p.Kind == content.KindHome:
		return true
	case p.Kind == content.KindSection || p.Section == "":
		return live(sections[p.Lang+"/"])
	default:
		return live(sections[p.Lang+"/"+p.Section])
	}
}

func live(p *build.Page) bool { return p != nil && !p.Front.Draft }

// missingTranslations warns when p lacks a language that its section has.
func missingTranslations(cfg *config.Config, p *build.Page, group []*build.Page, sections map[string]*build.Page, groups map[string][]*build.Page, out *diag.List) {
	have := map[string]bool{}
	for _, q := range group {
		if !q.Front.Draft {
			have[q.Lang] = true
		}
	}
	if p.Kind != content.KindPage {
		return // a section exists in a language or not; that is a choice, not an omission
	}
	parent := sections[p.Lang+"/"+p.Section]
	if p.Section == "" {
		parent = sections[p.Lang+"/"]
	}
	if parent == nil {
		return
	}
	for _, l := range cfg.Languages {
		if have[l.Code] {
			continue
		}
		// Does the parent exist in language l?
		var there *build.Page
		for _, q := range groups[parent.Key] {
			if q.Lang == l.Code && !q.Front.Draft {
				there = q
			}
		}
		if there == nil {
			continue
		}
		key := p.Front.TranslationKey
		hint := fmt.Sprintf("add a page under %s with translationKey: %s", path.Dir(there.Path), key)
		if key == "" {
			hint = fmt.Sprintf("add a page under %s and give both pages the same translationKey", path.Dir(there.Path))
		}
		out.Add(diag.Warnf(diag.Position{File: p.Path, Line: 1, Col: 1}, "no %s translation, although %s has one (%s): %s", l.Name, parent.URL, there.URL, hint))
	}
}

// images reports images without alt text ("![](x.png)", "![ ][ref]") at
// the positions the Markdown parser found them, so code blocks and inline
// code, which hold no images, never give false warnings.
func images(res *build.Result, out *diag.List) {
	for _, p := range res.Pages {
		for _, l := range p.Links {
			if l.Image && strings.TrimSpace(l.Alt) == "" {
				out.Add(diag.Warnf(p.SourcePos(l.Line, l.Col), "image without alt text: describe the image in the brackets, ![like this](…), for readers who cannot see it"))
			}
		}
	}
}
