package search

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// dumpIndex is every posting of the index at path, one line each, sorted:
// field, term, external document ID, frequency, norm and positions.
func dumpIndex(t *testing.T, path string) string {
	t.Helper()
	idx, err := bleve.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	ai, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := ai.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n, err := r.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{fmt.Sprintf("documents %d", n)}
	for _, f := range allFields {
		var terms []string
		if err := eachTerm(r, f.name, func(term string) { terms = append(terms, term) }); err != nil {
			t.Fatal(err)
		}
		for _, term := range terms {
			tfr, err := r.TermFieldReader(context.Background(), []byte(term), f.name, true, true, true)
			if err != nil {
				t.Fatal(err)
			}
			for {
				m, err := tfr.Next(nil)
				if err != nil {
					t.Fatal(err)
				}
				if m == nil {
					break
				}
				id, err := r.ExternalID(m.ID)
				if err != nil {
					t.Fatal(err)
				}
				var pos []string
				for _, v := range m.Vectors {
					pos = append(pos, fmt.Sprintf("%d:%d-%d", v.Pos, v.Start, v.End))
				}
				sort.Strings(pos)
				lines = append(lines, fmt.Sprintf("%s %q %s %d %v %s", f.name, term, id, m.Freq, m.Norm, strings.Join(pos, ",")))
			}
			tfr.Close()
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestIndexDocsMatchesBuilder checks that indexDocs, which makes segments of
// batches on every core and merges them, writes the index Bleve's offline
// builder writes from the same documents: the same documents, terms,
// frequencies, norms and positions.
func TestIndexDocsMatchesBuilder(t *testing.T) {
	docs := orderDocs(generateSite(loadFixture(t), 150))
	if len(docs) <= 2*builderBatch {
		t.Fatalf("the fixture has %d documents: too few to make more than two batches of %d", len(docs), builderBatch)
	}
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	ours := filepath.Join(tmp, "ours.bleve")
	if err := indexDocs(context.Background(), docs, im, ours); err != nil {
		t.Fatal(err)
	}
	theirs := filepath.Join(tmp, "theirs.bleve")
	ib, err := bleve.NewBuilder(theirs, im, map[string]any{"buildPathPrefix": tmp})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := ib.Index(d.ID, bleveDoc(d)); err != nil {
			t.Fatal(err)
		}
	}
	if err := ib.Close(); err != nil {
		t.Fatal(err)
	}
	got, want := dumpIndex(t, ours), dumpIndex(t, theirs)
	if got != want {
		gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := 0; i < min(len(gl), len(wl)); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("the index differs from Bleve's builder's at line %d:\n got %s\nwant %s", i, gl[i], wl[i])
			}
		}
		t.Fatalf("the index has %d postings, Bleve's builder's %d", len(gl), len(wl))
	}
	if !strings.HasPrefix(got, "documents ") || strings.Count(got, "\n") < len(docs) {
		t.Fatalf("the dump holds too little: %.100s", got)
	}
}
