package search

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"loa/internal/testtool"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// paritySynonyms is the synonym list of the parity test.
const paritySynonyms = `
same:
  - [hội họp, tụ tập]
  - [trẻ em, thiếu nhi]
  - [child, kid]
also:
  tàn tật: [khuyết tật]
  bạo hành: [bạo lực, xâm hại]
  nhục hình: [tra tấn]
  wheelchair: [mobility aids]
`

type parityQuery struct {
	Q    string `json:"q"`
	Lang string `json:"lang"`
	Kind string `json:"kind"`
	Code string `json:"code"`
}

func readQueries(t *testing.T) []parityQuery {
	t.Helper()
	raw, err := os.ReadFile("testdata/queries.txt")
	if err != nil {
		t.Fatal(err)
	}
	var qs []parityQuery
	for _, line := range strings.Split(string(raw), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var q parityQuery
		for strings.HasPrefix(line, "@") {
			tag, rest, _ := strings.Cut(line[1:], " ")
			switch {
			case tag == "vi" || tag == "en":
				q.Lang = tag
			case strings.HasPrefix(tag, "kind="):
				q.Kind = tag[5:]
			case strings.HasPrefix(tag, "code="):
				q.Code = tag[5:]
			}
			line = rest
		}
		if line == "<empty>" {
			line = ""
		}
		q.Q = line
		qs = append(qs, q)
	}
	// Generated bad input.
	qs = append(qs, parityQuery{Q: strings.Repeat("quyền trẻ em ", 800)}, parityQuery{Q: strings.Repeat("a", 10000)})
	return qs
}

type nodeResult struct {
	Hits   [][2]float64    `json:"hits"`
	Error  string          `json:"error"`
	MS     float64         `json:"ms"`
	Files  []string        `json:"files"`
	Parsed json.RawMessage `json:"parsed"`
}

func runNode(t *testing.T, bundle string, qs []parityQuery) []nodeResult {
	t.Helper()
	node := testtool.Node(t)
	in, _ := json.Marshal(qs)
	cmd := exec.Command(node, "jstest/run-queries.js", bundle)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var res []nodeResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != len(qs) {
		t.Fatalf("node answered %d queries of %d", len(res), len(qs))
	}
	return res
}

// TestParity builds the fixture's index and bundle, runs every query of
// testdata/queries.txt through Bleve and through static/js/search.js in Node,
// and fails on any difference in hits, order, or score beyond 1e-9 relative:
// with the bundle's own length table and term dictionary, and with one
// where every posting list takes its lengths from a table of several shards
// and the term dictionary is in groups of 4 chunks.
func TestParity(t *testing.T) {
	t.Run("bundle", func(t *testing.T) {
		meta := readIndexJS(t, parity(t))
		if len(meta.Chunks) == 0 || len(meta.Groups) != 0 {
			t.Fatalf("the term dictionary has %d chunks in index.js and %d groups, want all in index.js", len(meta.Chunks), len(meta.Groups))
		}
	})
	t.Run("every length from a table of 5 shards, the dictionary in groups", func(t *testing.T) {
		inline, shard, from, group := lenInline, lenShard, groupFrom, chunkGroup
		t.Cleanup(func() { lenInline, lenShard, groupFrom, chunkGroup = inline, shard, from, group })
		lenInline, lenShard, groupFrom, chunkGroup = 1, 16, 0, 4
		dir := parity(t)
		meta := readIndexJS(t, dir)
		if len(meta.LenFiles) != 5 || meta.LenShard != 64 {
			t.Fatalf("the length table has %d shards of %d documents, want 5 of 64", len(meta.LenFiles), meta.LenShard)
		}
		if len(meta.Chunks) != 0 || len(meta.Groups) < 10 {
			t.Fatalf("the term dictionary has %d chunks in index.js and %d groups, want none and at least 10", len(meta.Chunks), len(meta.Groups))
		}
	})
}

// readIndexJS decodes the index.js of the bundle in dir.
func readIndexJS(t *testing.T, dir string) bundleMeta {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "index.js"))
	if err != nil {
		t.Fatal(err)
	}
	var m bundleMeta
	if err := json.Unmarshal(raw[len(bundleHead("index")):len(raw)-len(bundleTail)], &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func parity(t *testing.T) (dir string) {
	docs := loadFixture(t)
	// Keywords and names as the builder gives them (internal/build/search.go),
	// and document priors (Doc.Weight), in runs and alone.
	for i, d := range docs {
		if d.Code != "" {
			docs[i].Keywords, docs[i].Names = d.Code, d.PageTitle
			if w, n, ok := strings.Cut(d.Title, " "); ok && (w == "Article" || w == "Điều") {
				docs[i].Keywords += "\n" + strings.ToLower(w) + " " + n
			}
		}
		switch {
		case i%7 == 3:
			docs[i].Weight = 0.4
		case i%11 < 3:
			docs[i].Weight = 0.6
		}
	}
	dir = filepath.Join(t.TempDir(), "search")
	syn, err := ParseSynonyms("synonyms.yaml", []byte(paritySynonyms))
	if err != nil {
		t.Fatal(err)
	}
	if err := BuildWith(context.Background(), docs, Options{Synonyms: syn}, dir, filepath.Join(dir, "index.bleve")); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(filepath.Join(dir, "index.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	qs := readQueries(t)
	if len(qs) < 60 {
		t.Fatalf("only %d queries", len(qs))
	}
	res := runNode(t, dir, qs)
	var withHits int
	for i, q := range qs {
		name := q.Q
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		if want, _ := json.Marshal(parseQuery(q.Q)); !jsonEqual(want, res[i].Parsed) {
			t.Errorf("%q: Go parses %s, client %s", name, want, res[i].Parsed)
		}
		goHits, err := ix.search(context.Background(), Query{Text: q.Q, Lang: q.Lang, Kind: q.Kind, Code: q.Code})
		var qe *QueryError
		if errors.As(err, &qe) {
			if res[i].Error != qe.Key {
				t.Errorf("%q: Go error %q, client %q", name, qe.Key, res[i].Error)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if res[i].Error != "" {
			t.Errorf("%q: client error %q, Go has %d hits", name, res[i].Error, len(goHits))
			continue
		}
		if len(goHits) > 0 {
			withHits++
		}
		js := res[i].Hits
		if len(js) != len(goHits) {
			t.Errorf("%q [%s]: Go %d hits, client %d", name, q.Lang, len(goHits), len(js))
		}
		for k := 0; k < min(len(js), len(goHits)); k++ {
			g, c := goHits[k], js[k]
			if int(c[0]) != g.doc {
				t.Errorf("%q: hit %d: Go %s (%.17g), client %s (%.17g)", name, k, ix.docs[g.doc].ID, g.score, ix.docs[int(c[0])].ID, c[1])
				break
			}
			if math.Abs(c[1]-g.score) > 1e-9*math.Abs(g.score) {
				t.Errorf("%q: hit %d (%s): Go score %.17g, client %.17g", name, k, ix.docs[g.doc].ID, g.score, c[1])
				break
			}
		}
	}
	t.Logf("%d queries, %d with hits", len(qs), withHits)
	return dir
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// TestEmptyBundle: a site with nothing to index (no pages yet) gets a bundle
// whose term dictionary is empty, and the client answers every query with
// no hits instead of failing ("dieu 28" with the notice that no such
// article exists).
func TestEmptyBundle(t *testing.T) {
	_, _, bundle := buildFixture(t, nil, Options{})
	if meta := readIndexJS(t, bundle); len(meta.Chunks)+len(meta.Groups) != 0 {
		t.Fatalf("an empty bundle's dictionary has %d chunks and %d groups", len(meta.Chunks), len(meta.Groups))
	}
	for i, r := range runNode(t, bundle, []parityQuery{{Q: "quyền"}, {Q: "\"trẻ em\""}, {Q: "quy"}, {Q: "dieu 28"}}) {
		if want := map[int]string{3: "noarticle"}[i]; r.Error != want || len(r.Hits) != 0 {
			t.Errorf("query %d: hits %v, error %q; want none and %q", i, r.Hits, r.Error, want)
		}
	}
}
