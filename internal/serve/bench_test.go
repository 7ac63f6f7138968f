package serve_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// BenchmarkReload measures what an editor waits for: from saving one
// Markdown file to the "reload" event reaching a browser's event stream.
// It includes the watcher's debounce (10ms by default), the rebuild and the
// event delivery. Each run saves the page several times and reports the
// median and the slowest latency.
//
//	go test -run '^$' -bench Reload -benchtime 1x ./internal/serve/
func BenchmarkReload(b *testing.B) {
	b.Run("repo-site", func(b *testing.B) {
		root := b.TempDir()
		copyTree(b, "../..", root, "loa.yaml", "layouts", "i18n", "static", "content")
		benchReload(b, root, "content/huong-dan/ke-hoach-2024.md", 21)
	})
	b.Run("10000-pages", func(b *testing.B) {
		root := b.TempDir()
		genSite(b, root, 10000)
		benchReload(b, root, "content/muc-07/bai-03500.md", 7)
	})
}

func benchReload(b *testing.B, root, file string, saves int) {
	orig, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		b.Fatal(err)
	}
	p := startPreview(b, root)
	ev := p.events(b)
	next(b, ev, "hello")
	until(b, ev, "first build", func() bool { code, _, _ := p.get(b, "/"); return code == 200 })
	b.ResetTimer()
	for range b.N {
		var ds []time.Duration
		for i := range saves {
			// Change the text of one paragraph, as an editor does.
			src := strings.Replace(string(orig), "\n\n", fmt.Sprintf("\n\nLần sửa %d. ", i), 2)
			start := time.Now()
			if err := os.WriteFile(filepath.Join(root, file), []byte(src), 0o644); err != nil {
				b.Fatal(err)
			}
			next(b, ev, "reload")
			ds = append(ds, time.Since(start))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "median-ms")
		b.ReportMetric(float64(ds[len(ds)-1].Microseconds())/1000, "max-ms")
	}
}
