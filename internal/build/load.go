package build

import (
	"context"
	"errors"
	"io/fs"
	"strings"

	"loa/internal/config"
	"loa/internal/content"
	"loa/internal/diag"
	"loa/internal/layout"
	"loa/internal/output"
	"loa/internal/search"
	"loa/internal/sitefs"

	"golang.org/x/text/unicode/norm"
)

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
