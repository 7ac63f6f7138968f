package build_test

import (
	"context"
	"os"
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
