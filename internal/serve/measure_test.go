package serve_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime/pprof"
	"testing"
	"time"

	"loa/internal/build"
)

func TestMeasure(t *testing.T) {
	dir := "/tmp/site10k"
	if _, err := os.Stat(dir); err != nil {
		genSite(t, dir, 10000)
	}
	b := build.New()
	for i := 0; i < 3; i++ {
		if i == 1 {
			f, _ := os.Create("/tmp/warm.prof")
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
		if i > 0 {
			os.WriteFile(filepath.Join(dir, "content/muc-03/bai-01600.md"), []byte("---\ntitle: x\ntitleVi: \"\"\ntitleEn: \"\"\n---\nhello "+time.Now().String()+"\n"), 0o644)
		}
		start := time.Now()
		res, err := b.Build(context.Background(), build.Options{FS: os.DirFS(dir)})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("build %d: %d pages in %s", i, len(res.Pages), time.Since(start))
	}
}
