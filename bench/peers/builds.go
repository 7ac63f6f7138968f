package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// tools knows how to build the two sites.
type tools struct {
	cfg      *config
	loa      string // the loa binary built from this checkout
	loaSite  string
	hugoSite string
}

// loaBuild is a full loa build: no public/, no build-state folder.
func (t *tools) loaBuild(ctx context.Context, name string) (measure, error) {
	for _, d := range []string{"public", ".loa"} {
		if err := os.RemoveAll(filepath.Join(t.loaSite, d)); err != nil {
			return measure{}, err
		}
	}
	return timed(ctx, t.cfg, name, t.loaSite, t.loa, "build", "--root", t.loaSite, "--quiet")
}

// peersBuild is a full Hugo build (no public/, no resources/) followed by
// Pagefind over its output. It returns Hugo's and Pagefind's measures.
func (t *tools) peersBuild(ctx context.Context, name string) (hugo, pagefind measure, err error) {
	for _, d := range []string{"public", "resources"} {
		if err := os.RemoveAll(filepath.Join(t.hugoSite, d)); err != nil {
			return hugo, pagefind, err
		}
	}
	if hugo, err = timed(ctx, t.cfg, name+"-hugo", t.hugoSite, t.cfg.hugo, "--quiet", "--source", t.hugoSite); err != nil {
		return
	}
	pagefind, err = timed(ctx, t.cfg, name+"-pagefind", t.hugoSite, t.cfg.pagefind, "--site", "public")
	return
}

// buildRun is one alternation: a loa build and a Hugo + Pagefind build.
type buildRun struct {
	order          string // "loa first" or "peers first"
	loa            measure
	hugo, pagefind measure
}

func (b buildRun) peersWall() float64 { return b.hugo.wall + b.pagefind.wall }
func (b buildRun) peersKiB() int64    { return max(b.hugo.kib, b.pagefind.kib) }

// measureBuilds warms the file cache with one untimed build of each, then
// alternates timed full builds, switching which tool goes first each run.
func measureBuilds(ctx context.Context, t *tools, r *results) error {
	logf("warm-up: one untimed build of each")
	if _, err := t.loaBuild(ctx, "warmup-loa"); err != nil {
		return err
	}
	if _, _, err := t.peersBuild(ctx, "warmup"); err != nil {
		return err
	}
	for i := 1; i <= t.cfg.runs; i++ {
		var b buildRun
		var err error
		doLoa := func() error {
			b.loa, err = t.loaBuild(ctx, fmt.Sprintf("run%d-loa", i))
			return err
		}
		doPeers := func() error {
			b.hugo, b.pagefind, err = t.peersBuild(ctx, fmt.Sprintf("run%d", i))
			return err
		}
		steps := []func() error{doLoa, doPeers}
		b.order = "loa first"
		if i%2 == 0 {
			steps = []func() error{doPeers, doLoa}
			b.order = "Hugo + Pagefind first"
		}
		for _, s := range steps {
			if err := s(); err != nil {
				return err
			}
		}
		logf("run %d/%d (%s): loa %ss %d KiB; hugo %ss %d KiB + pagefind %ss %d KiB", i, t.cfg.runs, b.order,
			b.loa.wallText, b.loa.kib, b.hugo.wallText, b.hugo.kib, b.pagefind.wallText, b.pagefind.kib)
		r.builds = append(r.builds, b)
	}
	return nil
}

// countMarkdown counts the generated pages under dir (not the section
// pages, _index.md) and their bytes.
func countMarkdown(dir string) (files int, bytes int64) {
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") && !strings.HasPrefix(d.Name(), "_index.") {
			if fi, err := d.Info(); err == nil {
				files++
				bytes += fi.Size()
			}
		}
		return nil
	})
	return
}
