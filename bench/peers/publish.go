package main

import (
	"context"
	"loa/internal/publish"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// manifest maps a file's slash path under a folder to its size and hash.
type manifest map[string]publish.File

// manifestOf lists every file under dir with loa's own manifest code, which
// publish compares with in the same way.
func manifestOf(dir string) (manifest, error) {
	pm, err := publish.BuildManifest(os.DirFS(dir))
	if err != nil {
		return nil, err
	}
	m := manifest{}
	for _, f := range pm.Files {
		m[f.Path] = f
	}
	return m, nil
}

// change is what a content-comparing copy (rsync --checksum) would do to
// turn a published copy of one build into the next.
type change struct {
	files, removed int
	bytes          int64
	sub            map[string]*change // by top folder ("search/", "pagefind/") or "other"
	list           []string
}

func diff(a, b manifest, top func(string) string) change {
	c := change{sub: map[string]*change{}}
	part := func(p string) *change {
		k := top(p)
		if c.sub[k] == nil {
			c.sub[k] = &change{}
		}
		return c.sub[k]
	}
	for p, fb := range b {
		if fa, ok := a[p]; !ok || fa.SHA256 != fb.SHA256 {
			c.files++
			c.bytes += fb.Size
			s := part(p)
			s.files++
			s.bytes += fb.Size
			c.list = append(c.list, p)
		}
	}
	for p := range a {
		if _, ok := b[p]; !ok {
			c.removed++
			part(p).removed++
		}
	}
	return c
}

func topFolder(name string) func(string) string {
	return func(p string) string {
		if strings.HasPrefix(p, name+"/") {
			return name + "/"
		}
		if strings.HasSuffix(p, ".html") {
			return "HTML"
		}
		return "other"
	}
}

// publishResult is the cost of publishing a one-line edit.
type publishResult struct {
	loaFirst     string // loa publish's summary, first publish
	loaSummary   string // its summary after the edit
	loaCopied    string // "copied N files (S), removed M" as printed
	loaDiff      change // content comparison of public/ before and after
	loaRebuild   measure
	peersDiff    change
	hugoRebuild  measure
	pfRebuild    measure
	pfStaleFiles int // files Pagefind left from the first build
}

var copiedRE = regexp.MustCompile(`copied \d+ files \([^)]*\), removed \d+`)

func measurePublish(ctx context.Context, t *tools, r *results) error {
	target, err := findTarget(t)
	if err != nil {
		return err
	}
	hugoFile := filepath.Join(t.hugoSite, "content", target.rel)
	defer os.WriteFile(target.file, target.orig, 0o644)
	defer os.WriteFile(hugoFile, target.orig, 0o644)
	edited, err := target.edited(editWord("publish", 0))
	if err != nil {
		return err
	}
	p := &r.publish

	logf("publish: loa build, loa publish, one-line edit, loa build, loa publish")
	os.WriteFile(target.file, target.orig, 0o644)
	if _, err := t.loaBuild(ctx, "publish-loa-build1"); err != nil {
		return err
	}
	portal := filepath.Join(t.cfg.work, "portal")
	if err := os.RemoveAll(portal); err != nil {
		return err
	}
	if err := os.MkdirAll(portal, 0o755); err != nil {
		return err
	}
	out, err := runLogged(ctx, t.cfg, "publish-loa-1", t.loaSite, nil, t.loa, "publish", "--to", portal)
	if err != nil {
		return err
	}
	p.loaFirst = strings.TrimSpace(out)
	before, err := manifestOf(filepath.Join(t.loaSite, "public"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(target.file, edited, 0o644); err != nil {
		return err
	}
	// The rebuild after the edit keeps public/ and the build-state folder,
	// as a user's next build does.
	if p.loaRebuild, err = timed(ctx, t.cfg, "publish-loa-build2", t.loaSite, t.loa, "build", "--root", t.loaSite, "--quiet"); err != nil {
		return err
	}
	after, err := manifestOf(filepath.Join(t.loaSite, "public"))
	if err != nil {
		return err
	}
	p.loaDiff = diff(before, after, topFolder("search"))
	if out, err = runLogged(ctx, t.cfg, "publish-loa-2", t.loaSite, nil, t.loa, "publish", "--to", portal); err != nil {
		return err
	}
	p.loaSummary = strings.TrimSpace(out)
	p.loaCopied = copiedRE.FindString(out)
	logf("  loa publish after the edit: %s", p.loaCopied)

	logf("publish: Hugo + Pagefind build, one-line edit, Hugo + Pagefind build")
	os.WriteFile(hugoFile, target.orig, 0o644)
	if _, _, err := t.peersBuild(ctx, "publish-peers-build1"); err != nil {
		return err
	}
	before, err = manifestOf(filepath.Join(t.hugoSite, "public"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(hugoFile, edited, 0o644); err != nil {
		return err
	}
	// Hugo and Pagefind write over the previous public/, as a user's next
	// build does.
	if p.hugoRebuild, err = timed(ctx, t.cfg, "publish-peers-build2-hugo", t.hugoSite, t.cfg.hugo, "--quiet", "--source", t.hugoSite); err != nil {
		return err
	}
	if p.pfRebuild, err = timed(ctx, t.cfg, "publish-peers-build2-pagefind", t.hugoSite, t.cfg.pagefind, "--site", "public"); err != nil {
		return err
	}
	after, err = manifestOf(filepath.Join(t.hugoSite, "public"))
	if err != nil {
		return err
	}
	// Files of the first build that the second did not write again are
	// stale leftovers (Hugo and Pagefind do not delete them); a publish of
	// a clean build would delete them, so they count as removed.
	fresh := filepath.Join(t.cfg.work, "hugo-fresh-public")
	os.RemoveAll(fresh)
	if _, err := runLogged(ctx, t.cfg, "publish-peers-fresh-hugo", t.hugoSite, nil, t.cfg.hugo, "--quiet", "--source", t.hugoSite, "--destination", fresh); err != nil {
		return err
	}
	if _, err := runLogged(ctx, t.cfg, "publish-peers-fresh-pagefind", t.hugoSite, nil, t.cfg.pagefind, "--site", fresh); err != nil {
		return err
	}
	clean, err := manifestOf(fresh)
	if err != nil {
		return err
	}
	for f := range after {
		if _, ok := clean[f]; !ok {
			p.pfStaleFiles++
			delete(after, f)
		}
	}
	os.RemoveAll(fresh)
	p.peersDiff = diff(before, after, topFolder("pagefind"))
	logf("  Hugo + Pagefind after the edit: %d files changed (%d bytes), %d removed", p.peersDiff.files, p.peersDiff.bytes, p.peersDiff.removed)
	return nil
}
