package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

func TestAppendNums(t *testing.T) {
	// The same strings are decoded by search-engine.js nums in jstest/search.test.js.
	for _, tc := range []struct {
		nums []int
		want string
	}{
		{[]int{0, 31, 32, 1023, 1024}, "AfhA_fhgA"},
		{[]int{1108378656}, "hhhhhhA"}, // 1<<30 + 1<<25 + 1<<20 + 1<<15 + 1<<10 + 1<<5
		{nil, ""},
	} {
		if got := string(appendNums(nil, tc.nums...)); got != tc.want {
			t.Errorf("appendNums(%v) = %q, want %q", tc.nums, got, tc.want)
		}
	}
}

// chunkStarts returns the first key of each chunk.
func chunkStarts(cs [][]*termEntry) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c[0].key)
	}
	return out
}

// TestTermChunks checks the rules of termChunks: a folded key and a word's
// few bigram pairs are never split (below chunkHard), a word's many pairs
// (pairSplit) start a chunk of their own, no chunk passes chunkHard
// by more than one word's run, and an edit moves only the boundaries next to
// the terms it changes.
func TestTermChunks(t *testing.T) {
	var entries []*termEntry
	for i := range 3000 {
		w := fmt.Sprintf("w%04d", i)
		entries = append(entries, &termEntry{term: w, key: w, size: 40 + (i*37)%400})
		if i%3 == 0 {
			// A word with diacritics and its folded twin share the key.
			entries = append(entries, &termEntry{term: w + "đ", key: w + "d", size: 60})
			entries = append(entries, &termEntry{term: w + "d", key: w + "d", size: 60})
		}
		for j := range i % 5 {
			p := fmt.Sprintf("%s x%d", w, j)
			entries = append(entries, &termEntry{term: p, key: p, size: 30})
		}
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].key != entries[j].key {
			return entries[i].key < entries[j].key
		}
		return entries[i].term < entries[j].term
	})
	chunks := termChunks(entries)
	n := 0
	for i, c := range chunks {
		n += len(c)
		size := 0
		for _, e := range c {
			size += e.size
		}
		if size > chunkHard+2000 {
			t.Errorf("chunk %d holds %d bytes", i, size)
		}
		if i > 0 {
			prev := chunks[i-1][len(chunks[i-1])-1]
			if prev.key == c[0].key || firstWord(prev.key) == firstWord(c[0].key) {
				t.Errorf("chunk %d starts inside %q (after %q)", i, c[0].key, prev.key)
			}
		}
	}
	if n != len(entries) || len(chunks) < 50 {
		t.Fatalf("%d chunks holding %d of %d entries", len(chunks), n, len(entries))
	}

	// A word whose pairs pass pairSplit: they start a chunk, so the word
	// alone does not load them; the pairs stay together.
	var many []*termEntry
	for _, w := range []string{"a", "quyen", "z"} {
		many = append(many, &termEntry{term: w, key: w, size: 100})
		if w == "quyen" {
			for j := range 60 {
				p := fmt.Sprintf("quyen x%02d", j)
				many = append(many, &termEntry{term: p, key: p, size: 30})
			}
		}
	}
	split := chunkStarts(termChunks(many))
	if !slices.Contains(split, "quyen x00") {
		t.Errorf("chunks start at %q: the 60 pairs of quyen (1,800 bytes) do not start their own", split)
	}
	for _, k := range split {
		if strings.HasPrefix(k, "quyen x") && k != "quyen x00" {
			t.Errorf("the pairs of quyen are split at %q", k)
		}
	}

	// Grow one term in the middle tenfold, or add new terms there: the
	// chunks before it keep their boundaries, and those a little after it too.
	mid := len(entries) / 2
	grown := make([]*termEntry, len(entries))
	for i, e := range entries {
		c := *e
		if i == mid {
			c.size *= 10
		}
		grown[i] = &c
	}
	added := append(append(append([]*termEntry(nil), entries[:mid]...),
		&termEntry{term: entries[mid].key + "a", key: entries[mid].key + "a", size: 500},
		&termEntry{term: entries[mid].key + "b", key: entries[mid].key + "b", size: 90}), entries[mid:]...)
	sort.SliceStable(added, func(i, j int) bool { return added[i].key < added[j].key })
	for name, edited := range map[string][]*termEntry{"grown": grown, "added": added} {
		before, after := chunkStarts(chunks), chunkStarts(termChunks(edited))
		same := map[string]bool{}
		for _, k := range after {
			same[k] = true
		}
		moved := 0
		for _, k := range before {
			if !same[k] {
				moved++
				if k < entries[mid].key {
					t.Errorf("%s: boundary %q before the edit at %q moved", name, k, entries[mid].key)
				}
			}
		}
		if moved > 8 {
			t.Errorf("%s: %d of %d boundaries moved after one edit", name, moved, len(before))
		}
	}
}

func TestWeightRuns(t *testing.T) {
	var docs []Doc
	for _, w := range []float64{0, 0.4, 0.4, 1, 0.6, 0, 0, 0.4} {
		docs = append(docs, Doc{Weight: w})
	}
	got := newWeightRuns(docs)
	// Runs: documents 1-2 at 0.4 (gap 1, length-1 1, weight 0), 4 at 0.6
	// (gap 1 from 3, 0, weight 1), 7 at 0.4 (gap 2 from 5, 0, weight 0).
	if fmt.Sprint(got.W) != "[0.4 0.6]" || got.R != "BBA"+"BAB"+"CAA" {
		t.Errorf("newWeightRuns = %+v", got)
	}
	if got := newWeightRuns(docs[:1]); len(got.W) != 0 || got.R != "" {
		t.Errorf("no weights: %+v", got)
	}
}

func TestMetaChunkFor(t *testing.T) {
	for _, tc := range []struct{ n, want int }{{594, 16}, {32000, 16}, {32001, 32}, {63000, 32}, {130000, 128}} {
		if got := metaChunkFor(tc.n); got != tc.want {
			t.Errorf("metaChunkFor(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

// TestBuildCancelledAndEmpty: a cancelled build stops and leaves neither an
// index nor the builder's temporary folder; a site without documents gets
// an empty index that opens.
func TestBuildCancelledAndEmpty(t *testing.T) {
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	docs := []Doc{{ID: "a", URL: "/a/", PageURL: "/a/", Title: "A", Body: "quyền", Lang: "vi", Kind: "page"}}
	err := Build(ctx, docs, filepath.Join(root, "out"), filepath.Join(root, "state", IndexDir))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled build: %v, want context.Canceled", err)
	}
	left, _ := filepath.Glob(filepath.Join(root, "state", "*"))
	if len(left) != 0 {
		t.Errorf("a cancelled build left %v", left)
	}
	empty := filepath.Join(root, "empty", IndexDir)
	if err := Build(context.Background(), nil, filepath.Join(root, "empty-out"), empty); err != nil {
		t.Fatalf("build without documents: %v", err)
	}
	ix, err := Open(empty)
	if err != nil {
		t.Fatalf("open the empty index: %v", err)
	}
	ix.Close()
}

// TestSameAs: a list equal to one written earlier in the file becomes a
// reference to it when that is shorter; the first, and short repeats, stay
// as they are.
func TestSameAs(t *testing.T) {
	first := map[string][]any{}
	long, short := strings.Repeat("AbC", 20), "AB"
	for _, c := range []struct {
		fi   int
		term string
		list string
		want string
	}{
		{2, "quyền", long, `[2,"AbCAbC`},
		{3, "quyen", long, `[3,2,"quyền"]`},
		{3, "quyen", short, `[3,"AB"]`},
		{2, "quyền", short, `[2,"AB"]`},
	} {
		b, _ := json.Marshal(sameAs(first, c.fi, c.term, c.list))
		if !strings.HasPrefix(string(b), c.want) {
			t.Errorf("sameAs(%d, %q, %q) = %s, want %s…", c.fi, c.term, c.list, b, c.want)
		}
	}
}

func TestLengthTable(t *testing.T) {
	lengths := [][]int32{
		{3, 0, 5}, // a column
		{3, 0, 5}, // its twin: the same lengths
		{2, 0, 4}, // its pairs: one less
		{0, 7, 0}, // another language: a column
		{0, 6, 0}, // its pairs
		{4, 0, 1}, // no relation: a column
	}
	lt := newLengthTable(lengths)
	if want := []int{0, 3, 5}; !slices.Equal(lt.cols, want) {
		t.Errorf("columns %v, want %v", lt.cols, want)
	}
	if want := [][2]int{{0, 0}, {0, 0}, {0, -1}, {1, 0}, {1, -1}, {2, 0}}; !slices.Equal(lt.ln, want) {
		t.Errorf("ln %v, want %v", lt.ln, want)
	}
	if want := [][]int{{0, 2}, {1}}; !reflect.DeepEqual(lt.groups, want) || !slices.Equal(lt.group, []int{0, 1, 0}) {
		t.Errorf("groups %v, documents' %v, want %v and [0 1 0]", lt.groups, lt.group, want)
	}
	if got, want := lt.rows(lengths, 0), string(appendNums(nil, 0, 3, 4, 1, 7, 0, 5, 1)); got != want || lt.shard != lenShard {
		t.Errorf("rows %q, shard %d; want %q, %d", got, lt.shard, want, lenShard)
	}
	// A large site gets larger shards, at most lenShardsMax of them.
	big := make([][]int32, 1)
	big[0] = make([]int32, lenShard*lenShardsMax+1)
	if lt := newLengthTable(big); lt.shard != 2*lenShard {
		t.Errorf("%d documents: shards of %d, want %d", len(big[0]), lt.shard, 2*lenShard)
	}
}
