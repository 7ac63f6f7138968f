package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

func gzSize(t testing.TB, path string) int {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(raw)
	w.Close()
	return b.Len()
}

// transfer reports, for each query, the gzip bytes a first query on a page
// loads: search.js, then every bundle file the client asked for (meta,
// shards, lexicons, positions and the documents of the first 10 hits).
func transfer(t *testing.T, dir string, qs []parityQuery) []string {
	t.Helper()
	t.Setenv("LOA_TRACE", "1")
	res := runNode(t, dir, qs)
	client := gzSize(t, "../../static/js/search-engine.js") + gzSize(t, "../../static/js/search.js")
	var lines []string
	for i, q := range qs {
		total := client
		by := map[byte]int{}
		for _, f := range res[i].Files {
			n := gzSize(t, filepath.Join(dir, f+".js"))
			total += n
			by[f[0]] += n
		}
		lines = append(lines, fmt.Sprintf("%-28q hits %5d  files %2d  transferred %6.1f KB gzip (client %.1f KB)  query %.2f ms; by kind KB: i %.1f t %.1f p %.1f l %.1f m %.1f d %.1f",
			q.Q, len(res[i].Hits), len(res[i].Files)+1, float64(total)/1024, float64(client)/1024, res[i].MS,
			float64(by['i'])/1024, float64(by['t'])/1024, float64(by['p'])/1024, float64(by['l'])/1024, float64(by['m'])/1024, float64(by['d'])/1024))
	}
	return lines
}

// TestSearchBench measures sizes and times (bench/search-size.sh runs it):
// the client's gzip size, the bytes a first query transfers on the fixture
// site, and on a generated 10,000-page site the build time of index plus
// bundle and the bytes of typical two-word queries.
func TestSearchBench(t *testing.T) {
	if os.Getenv("LOA_SEARCH_BENCH") == "" {
		t.Skip("set LOA_SEARCH_BENCH=1 (or run bench/search-size.sh)")
	}
	t.Logf("client search-engine.js: %.1f KB gzip; search.js (UI): %.1f KB gzip; search-loader.js: %d B gzip",
		float64(gzSize(t, "../../static/js/search-engine.js"))/1024, float64(gzSize(t, "../../static/js/search.js"))/1024, gzSize(t, "../../static/js/search-loader.js"))

	docs := loadFixture(t)
	dir := filepath.Join(t.TempDir(), "search")
	start := time.Now()
	if err := Build(context.Background(), docs, dir, filepath.Join(dir, "index.bleve")); err != nil {
		t.Fatal(err)
	}
	t.Logf("fixture: %d docs, index+bundle built in %s; bundle %s", len(docs), time.Since(start).Round(time.Millisecond), bundleStats(t, dir))
	typical := []parityQuery{{Q: "quyen tre em duoc hoc"}, {Q: "tra tấn", Lang: "vi"}, {Q: "quyền con người", Lang: "vi"},
		{Q: "right to education", Lang: "en"}, {Q: "torture", Lang: "en"}, {Q: "\"best interests of the child\"", Lang: "en"}, {Q: "educaton", Lang: "en"}}
	for _, l := range transfer(t, dir, typical) {
		t.Log("fixture first query: " + l)
	}
	// Query time over the whole parity set, data in memory.
	res := runNode(t, dir, readQueries(t))
	var ms []float64
	for _, r := range res {
		ms = append(ms, r.MS)
	}
	sort.Float64s(ms)
	t.Logf("fixture: Node query time over %d queries (files loaded): median %.2f ms, p95 %.2f ms, max %.2f ms",
		len(ms), ms[len(ms)/2], ms[len(ms)*95/100], ms[len(ms)-1])

	pages := 10000
	if s := os.Getenv("LOA_SEARCH_BENCH_PAGES"); s != "" {
		fmt.Sscan(s, &pages)
	}
	big := generateSite(docs, pages)
	bigDir := filepath.Join(t.TempDir(), "search")
	start = time.Now()
	if err := Build(context.Background(), big, bigDir, filepath.Join(bigDir, "index.bleve")); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated site: %d pages, %d docs, %.1f MB of text; index+bundle built in %s; bundle %s",
		pages, len(big), float64(textBytes(big))/1e6, time.Since(start).Round(time.Millisecond), bundleStats(t, bigDir))
	two := []parityQuery{{Q: "quyen tre", Lang: "vi"}, {Q: "tra tấn", Lang: "vi"}, {Q: "phap luat", Lang: "vi"},
		{Q: "child education", Lang: "en"}, {Q: "torture punishment", Lang: "en"}, {Q: "women rights", Lang: "en"}}
	for _, l := range transfer(t, bigDir, two) {
		t.Log("generated site first query: " + l)
	}
}

func textBytes(docs []Doc) int {
	n := 0
	for _, d := range docs {
		n += len(d.Body) + len(d.Title)
	}
	return n
}

func bundleStats(t *testing.T, dir string) string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	count := map[byte]int{}
	gz := map[byte]int{}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		k := e.Name()[0]
		count[k]++
		gz[k] += gzSize(t, filepath.Join(dir, e.Name()))
	}
	var parts []string
	for _, k := range []byte("itplmdc") {
		parts = append(parts, fmt.Sprintf("%c: %d files %.0f KB", k, count[k], float64(gz[k])/1024))
	}
	return strings.Join(parts, ", ") + " (gzip)"
}

// generateSite makes pages documents from the fixture's sections: each page
// takes 3 to 8 sections of random source documents of one language, with
// sentences shuffled, so the vocabulary and its distribution stay realistic.
func generateSite(src []Doc, pages int) []Doc {
	rng := rand.New(rand.NewPCG(1, 2))
	byLang := map[string][]Doc{}
	for _, d := range src {
		if len(d.Body) > 200 {
			byLang[d.Lang] = append(byLang[d.Lang], d)
		}
	}
	var docs []Doc
	for p := 0; p < pages; p++ {
		lang := "en"
		if p%2 == 0 {
			lang = "vi"
		}
		pool := byLang[lang]
		kind := []string{"convention", "guidance", "page"}[p%3]
		page := fmt.Sprintf("/%s/gen/p%05d/", lang, p)
		title := pool[rng.IntN(len(pool))].Title + fmt.Sprintf(" %d", p)
		n := 3 + rng.IntN(6)
		for s := 0; s < n; s++ {
			d := pool[rng.IntN(len(pool))]
			sents := strings.SplitAfter(d.Body, ". ")
			rng.Shuffle(len(sents), func(i, j int) { sents[i], sents[j] = sents[j], sents[i] })
			body := strings.Join(sents[:max(1, len(sents)*2/3)], "")
			id := page
			if s > 0 {
				id = fmt.Sprintf("%s#s%d", page, s)
			}
			docs = append(docs, Doc{ID: id, URL: id, PageURL: page, PageTitle: title, Title: d.Title, Body: body,
				Lang: lang, Kind: kind})
		}
	}
	return docs
}

// BenchmarkBuild10k builds the index and bundle of a generated 10,000-page
// site: go test -run '^$' -bench Build10k -benchtime 1x ./internal/search
func BenchmarkBuild10k(b *testing.B) {
	big := generateSite(loadFixture(b), 10000)
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(b.TempDir(), "search")
		var r0, r1 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
		start := time.Now()
		if err := Build(context.Background(), big, dir, filepath.Join(dir, "index.bleve")); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/build")
		syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
		cpu := time.Duration(r1.Utime.Nano() + r1.Stime.Nano() - r0.Utime.Nano() - r0.Stime.Nano())
		b.ReportMetric(cpu.Seconds(), "cpu-s/build")
	}
}

// BenchmarkUpdate10k updates the index and bundle of a generated
// 10,000-page site after a word is added to the first paragraph of one
// document, as a save in the preview does (the index built by
// BuildForUpdate stays open; the bundle is updated in its folder):
//
//	go test -run '^$' -bench Update10k -benchtime 5x ./internal/search
func BenchmarkUpdate10k(b *testing.B) {
	ctx := context.Background()
	docs := orderDocs(generateSite(loadFixture(b), 10000))
	tmp := b.TempDir()
	dir := filepath.Join(tmp, "b")
	opts := Options{Ephemeral: true} // as the preview's
	ix, err := BuildForUpdate(ctx, docs, opts, dir, filepath.Join(tmp, "index.bleve"))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	i := len(docs) / 2
	body := docs[i].Body
	var walls, cpus []float64
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		docs[i].Body = strings.Replace(body, " ", fmt.Sprintf(" lần%d ", n), 1)
		var r0, r1 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
		start := time.Now()
		if err := ix.Update(ctx, docs, opts, dir, dir); err != nil {
			b.Fatal(err)
		}
		walls = append(walls, time.Since(start).Seconds())
		syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
		cpus = append(cpus, time.Duration(r1.Utime.Nano()+r1.Stime.Nano()-r0.Utime.Nano()-r0.Stime.Nano()).Seconds())
	}
	b.ReportMetric(median(walls), "s/update")
	b.ReportMetric(median(cpus), "cpu-s/update")
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}
