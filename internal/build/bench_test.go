package build_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"loa/internal/build"
)

// BenchmarkBuildSite builds the site at $LOA_BENCH_SITE in memory (pages,
// layouts and generated files; not the search index, not the disk writes),
// cold and then warm (an edit-free rebuild with the same Builder, as the
// preview server does). bench/build.sh makes such sites with bench/gensite.
func BenchmarkBuildSite(b *testing.B) {
	dir := os.Getenv("LOA_BENCH_SITE")
	if dir == "" {
		b.Skip("set LOA_BENCH_SITE to a site folder (see bench/build.sh)")
	}
	fsys := os.DirFS(dir)
	b.Run("cold", func(b *testing.B) {
		pages := 0
		for b.Loop() {
			res, err := build.New().Build(context.Background(), build.Options{FS: fsys})
			if err != nil {
				b.Fatal(err)
			}
			pages += len(res.Pages)
		}
		b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	})
	// edit: the preview's save, a word added to one page's first paragraph
	// and the page invalidated, as the watcher does.
	b.Run("edit", func(b *testing.B) {
		page := os.Getenv("LOA_BENCH_PAGE")
		if page == "" {
			b.Skip("set LOA_BENCH_PAGE to the slash path of a page to edit (content/bai/nhom-050/p5001.md)")
		}
		orig, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			b.Fatal(err)
		}
		defer os.WriteFile(filepath.Join(dir, page), orig, 0o644)
		bl := build.New()
		bl.Watch(true)
		if _, err := bl.Build(context.Background(), build.Options{FS: fsys}); err != nil {
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			i++
			edited := bytes.Replace(orig, []byte("\n\n## "), []byte(fmt.Sprintf(" benchedit%d\n\n## ", i)), 1)
			if err := os.WriteFile(filepath.Join(dir, page), edited, 0o644); err != nil {
				b.Fatal(err)
			}
			bl.Invalidate([]string{page})
			if _, err := bl.Build(context.Background(), build.Options{FS: fsys}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		bl := build.New()
		if _, err := bl.Build(context.Background(), build.Options{FS: fsys}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := bl.Build(context.Background(), build.Options{FS: fsys}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
