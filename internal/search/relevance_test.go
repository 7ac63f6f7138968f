package search_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"loa/internal/build"
	"loa/internal/search"
)

// Floors of the relevance test (issue 10): the share of queries of
// testdata/relevance.tsv whose answer is the first hit, and among the first
// three, for loa search (Bleve) and for the static client alike: the
// targets of issue 10, reached (top-1 85.4%, top-3 95.1%).
const (
	floorTop1 = 0.85
	floorTop3 = 0.95
)

type relQuery struct {
	line    int
	lang    string
	q       string
	answers []string
}

func readRelevance(t *testing.T) []relQuery {
	t.Helper()
	f, err := os.Open("testdata/relevance.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []relQuery
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 || (cols[0] != "vi" && cols[0] != "en") || cols[1] == "" {
			t.Fatalf("testdata/relevance.tsv:%d: want lang<TAB>query<TAB>answers<TAB>note", n)
		}
		qs = append(qs, relQuery{line: n, lang: cols[0], q: cols[1], answers: strings.Fields(cols[2])})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return qs
}

// answers reports whether a hit answers q: its URL is an answer, or its page
// is an answer given without an anchor.
func (q relQuery) answeredBy(url, pageURL string) bool {
	for _, a := range q.answers {
		if a == url || (a == pageURL && !strings.Contains(a, "#")) {
			return true
		}
	}
	return false
}

// metrics accumulates top-1, top-3 and mean reciprocal rank.
type metrics struct {
	n, top1, top3 int
	rr            float64
}

func (m *metrics) add(rank int) { // 1-based; 0 when not found
	m.n++
	if rank == 1 {
		m.top1++
	}
	if rank >= 1 && rank <= 3 {
		m.top3++
	}
	if rank > 0 {
		m.rr += 1 / float64(rank)
	}
}

func (m metrics) rates() (top1, top3, mrr float64) {
	if m.n == 0 {
		return 0, 0, 0
	}
	return float64(m.top1) / float64(m.n), float64(m.top3) / float64(m.n), m.rr / float64(m.n)
}

func (m metrics) String() string {
	a, b, c := m.rates()
	return fmt.Sprintf("top-1 %5.1f%%  top-3 %5.1f%%  MRR %.3f  (%d queries)", 100*a, 100*b, c, m.n)
}

// TestRelevance builds this repository's site, runs every query of
// testdata/relevance.tsv through Bleve (Index.Search with the query's language)
// and through static/js/search.js in Node, reports top-1, top-3 and MRR per
// engine and language, and fails below the floors for either engine. It also
// checks that both engines return the same first ten hits with the same
// scores (the parity test does so exhaustively on its fixture).
// make bench prints the summary: go test ./internal/search -run TestRelevance -v
func TestRelevance(t *testing.T) {
	qs := readRelevance(t)
	res, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS("../..")})
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	dir, indexDir := filepath.Join(tmp, "search"), filepath.Join(tmp, "index.bleve")
	if err := search.BuildWith(context.Background(), res.SearchDocs(), res.SearchOptions(), dir, indexDir); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	docs := ix.Docs()

	nq := make([]search.NodeQuery, len(qs))
	for i, q := range qs {
		nq[i] = search.NodeQuery{Q: q.q, Lang: q.lang}
	}
	js := search.RunNode(t, dir, nq)

	rank := func(q relQuery, urls [][2]string) int {
		for i, u := range urls {
			if q.answeredBy(u[0], u[1]) {
				return i + 1
			}
		}
		return 0
	}
	engines := []string{"bleve", "client"}
	m := map[string]*metrics{}
	for _, e := range engines {
		for _, l := range []string{"", "vi", "en"} {
			m[e+l] = &metrics{}
		}
	}
	var misses []string
	for i, q := range qs {
		hits, err := ix.Search(context.Background(), search.Query{Text: q.q, Lang: q.lang, Limit: -1})
		if err != nil {
			t.Errorf("relevance.tsv:%d %q: %v", q.line, q.q, err)
		}
		bl := make([][2]string, len(hits))
		for k, h := range hits {
			bl[k] = [2]string{h.URL, h.PageURL}
		}
		cl := make([][2]string, len(js[i].Hits))
		for k, h := range js[i].Hits {
			d := docs[int(h[0])]
			cl[k] = [2]string{d.URL, d.PageURL}
		}
		if js[i].Error != "" {
			t.Errorf("relevance.tsv:%d %q: client error %s", q.line, q.q, js[i].Error)
		}
		for k := 0; k < min(10, len(hits), len(js[i].Hits)); k++ {
			g, c := hits[k], js[i].Hits[k]
			if docs[int(c[0])].ID != g.ID || math.Abs(c[1]-g.Score) > 1e-9*math.Abs(g.Score) {
				t.Errorf("relevance.tsv:%d %q: hit %d: Bleve %s %.17g, client %s %.17g", q.line, q.q, k+1, g.ID, g.Score, docs[int(c[0])].ID, c[1])
				break
			}
		}
		rb, rc := rank(q, bl), rank(q, cl)
		for e, r := range map[string]int{"bleve": rb, "client": rc} {
			m[e].add(r)
			m[e+q.lang].add(r)
		}
		if rb != 1 || rc != 1 {
			var top []string
			for k := 0; k < min(3, len(bl)); k++ {
				top = append(top, bl[k][0])
			}
			misses = append(misses, fmt.Sprintf("relevance.tsv:%d [%s] %q: rank Bleve %d, client %d; want %s; got %s",
				q.line, q.lang, q.q, rb, rc, strings.Join(q.answers, " "), strings.Join(top, " ")))
		}
	}
	sort.Strings(misses)
	if testing.Verbose() {
		for _, s := range misses {
			t.Log("miss: " + s)
		}
	}
	for _, e := range engines {
		for _, l := range []string{"vi", "en", ""} {
			name := l
			if name == "" {
				name = "all"
			}
			t.Logf("relevance %-6s %-3s %s", e, name, m[e+l])
		}
	}
	t.Logf("relevance bundle: %s", bundleSizes(t, dir))
	for _, e := range engines {
		top1, top3, _ := m[e].rates()
		if top1 < floorTop1 || top3 < floorTop3 {
			t.Errorf("relevance of %s below the floor: %s; want top-1 ≥ %.1f%%, top-3 ≥ %.1f%%", e, m[e], 100*floorTop1, 100*floorTop3)
		}
	}
}

// bundleSizes reports the bundle's total size, raw and gzip, and the gzip
// bytes a first query for "quyen tre em" loads (search-engine.js and search.js, then the bundle
// files the client asks for, with the documents of its first ten hits).
func bundleSizes(t *testing.T, dir string) string {
	t.Helper()
	gz := func(b []byte) int {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(b)
		w.Close()
		return buf.Len()
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	raw, zipped := 0, 0
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		raw += len(b)
		zipped += gz(b)
	}
	t.Setenv("LOA_TRACE", "1")
	res := search.RunNode(t, dir, []search.NodeQuery{{Q: "quyen tre em", Lang: "vi"}})
	first := 0
	for _, f := range []string{"search-engine.js", "search.js"} {
		b, err := os.ReadFile(filepath.Join("../../static/js", f))
		if err != nil {
			t.Fatal(err)
		}
		first += gz(b)
	}
	for _, f := range res[0].Files {
		b, err := os.ReadFile(filepath.Join(dir, f+".js"))
		if err != nil {
			t.Fatal(err)
		}
		first += gz(b)
	}
	return fmt.Sprintf("%d files, %.1f KB raw, %.1f KB gzip; first query \"quyen tre em\" (vi) loads %d files, %.1f KB gzip with the client",
		len(ents), float64(raw)/1024, float64(zipped)/1024, len(res[0].Files)+1, float64(first)/1024)
}
