package search

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sameBundle(t *testing.T, got, want string) {
	t.Helper()
	g, err := BundleFiles(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := BundleFiles(want)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range w {
		if gb, ok := g[name]; !ok {
			t.Errorf("updated bundle lacks %s", name)
		} else if !bytes.Equal(gb, b) {
			t.Errorf("updated bundle's %s differs from a fresh build's", name)
		}
	}
	for name := range g {
		if _, ok := w[name]; !ok {
			t.Errorf("updated bundle has %s, a fresh build does not", name)
		}
	}
}

// sameHits checks that loa search on the updated index at path answers
// each query with the hits, in the order and with the scores, of the fresh
// index at freshPath. Bleve sums a score over its segments, so the last
// bits may differ: scores agree to 1e-12 relative. It returns the number
// of hits of each query.
func sameHits(t *testing.T, path, freshPath string, queries []string) []int {
	t.Helper()
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	return sameHitsOf(t, a, freshPath, queries)
}

// sameHitsOf is sameHits for the open index a.
func sameHitsOf(t *testing.T, a *Index, freshPath string, queries []string) []int {
	t.Helper()
	ctx := context.Background()
	b, err := Open(freshPath)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var n []int
	for _, q := range queries {
		ha, err1 := a.Search(ctx, Query{Text: q, Limit: 10})
		hb, err2 := b.Search(ctx, Query{Text: q, Limit: 10})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if len(ha) != len(hb) {
			t.Fatalf("%q: %d hits on the updated index, %d on a fresh one", q, len(ha), len(hb))
		}
		for k := range ha {
			if ha[k].ID != hb[k].ID || math.Abs(ha[k].Score-hb[k].Score) > 1e-12*hb[k].Score {
				t.Errorf("%q hit %d: %s %v, fresh %s %v", q, k, ha[k].ID, ha[k].Score, hb[k].ID, hb[k].Score)
			}
		}
		n = append(n, len(hb))
	}
	return n
}

// buildFixture builds docs with opts into a temporary folder: the bundle
// into tmp/b0, the index into tmp/index.bleve.
func buildFixture(t *testing.T, docs []Doc, opts Options) (tmp, indexDir, bundle string) {
	t.Helper()
	tmp = t.TempDir()
	indexDir, bundle = filepath.Join(tmp, "index.bleve"), filepath.Join(tmp, "b0")
	if err := BuildWith(context.Background(), docs, opts, bundle, indexDir); err != nil {
		t.Fatal(err)
	}
	return tmp, indexDir, bundle
}

// keepSegments keeps Bleve from merging the segments of indexes opened for
// updates until the test ends. The fixture's segments are small enough for
// Bleve to merge in the background, which drops deleted documents and their
// terms at a time no test controls; a site of more than 500 documents never
// merges its large segment (updateMergePlan). So the tests see the index as
// an edit to a large site leaves it, every time.
func keepSegments(t *testing.T) {
	p := updateMergePlan
	t.Cleanup(func() { updateMergePlan = p })
	updateMergePlan = map[string]any{"MaxSegmentSize": 2}
}

// TestUpdateMatchesFreshBuild: an index updated after each kind of edit
// exports exactly the bundle a fresh build of the same documents writes,
// reading again only the few term chunks the edit touches; and loa search
// on the updated index answers as on a fresh one.
func TestUpdateMatchesFreshBuild(t *testing.T) {
	keepSegments(t)
	ctx := context.Background()
	docs := loadFixture(t)
	opts := Options{Version: "test"}
	tmp, indexDir, prev := buildFixture(t, docs, opts)
	i := len(docs) / 2
	edits := []struct {
		name     string
		edit     func(d []Doc)
		maxRead  int // term chunks encoded again, at most
		maxTerms int // terms whose postings are read from the index again, at most (-1: any)
		damage   bool
	}{
		{"one word for another", func(d []Doc) {
			f := strings.Fields(d[i].Body)
			d[i].Body = strings.Replace(d[i].Body, f[1], "zyxwvutsrq", 1)
		}, 8, 0, false},
		// A text that grows changes the length of every posting of its
		// document (about a third of this fixture's chunks hold a term of
		// a whole convention): the chunks of its terms are encoded again.
		// The unchanged terms' lists come from the previous bundle
		// (reuse.lists), the changed terms' postings are spliced from their
		// previous lists and the new text (reuse.spliced): no term's
		// postings are read from the index.
		{"a sentence added", func(d []Doc) { d[i].Body += " Quyền được học tập của trẻ em vùng biên giới." }, 60, 0, false},
		{"a title changed", func(d []Doc) { d[i+1].Title = "Điều khoản mới" }, 60, 0, false},
		{"the word removed again", func(d []Doc) { d[i].Body = docs[i].Body }, 60, 0, false},
		{"nothing changed", func(d []Doc) {}, 0, 0, false},
		{"a weight changed", func(d []Doc) { d[3].Weight = 0.5 }, 0, 0, false},
		// Files of the previous bundle that do not hold what their name
		// promises are never copied: their chunks are read again.
		{"the previous bundle damaged", func(d []Doc) {}, 1000, -1, true},
	}
	cur := append([]Doc(nil), docs...)
	for n, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			e.edit(cur)
			if e.damage {
				ents, _ := os.ReadDir(prev)
				for _, f := range ents {
					if strings.HasPrefix(f.Name(), "t.") {
						os.WriteFile(filepath.Join(prev, f.Name()), []byte(`loaSearch.add("`+strings.TrimSuffix(f.Name(), ".js")+`",{});`+"\n"), 0o644)
					}
				}
			}
			ix, err := OpenForUpdate(indexDir, opts)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(tmp, "b"+string(rune('1'+n)))
			err = ix.Update(ctx, cur, opts, dir, prev)
			read, all, terms := ix.encoded, ix.chunks, ix.termsRead.Load()
			ix.Close()
			if err != nil {
				t.Fatal(err)
			}
			fresh := filepath.Join(tmp, "f"+string(rune('1'+n)))
			if err := BuildWith(ctx, cur, opts, fresh, fresh+".bleve"); err != nil {
				t.Fatal(err)
			}
			sameBundle(t, dir, fresh)
			if read > e.maxRead {
				t.Errorf("read %d of %d term chunks again, want at most %d", read, all, e.maxRead)
			}
			if e.maxTerms >= 0 && terms > int64(e.maxTerms) {
				t.Errorf("read the postings of %d terms again, want at most %d", terms, e.maxTerms)
			}
			t.Logf("read %d of %d term chunks again, the postings of %d terms", read, all, terms)
			if e.damage && read != all {
				t.Errorf("read %d of %d term chunks again after every t file was damaged", read, all)
			}
			// What did not change is a link to the previous bundle's file.
			if e.name == "nothing changed" {
				ents, _ := os.ReadDir(dir)
				for _, f := range ents {
					a, _ := os.Stat(filepath.Join(dir, f.Name()))
					b, err := os.Stat(filepath.Join(prev, f.Name()))
					if err != nil || !os.SameFile(a, b) {
						t.Errorf("%s was written again, not linked to the previous bundle's", f.Name())
					}
				}
			}
			sameHits(t, indexDir, fresh+".bleve", []string{"quyen tre em", "zyxwvutsrq", "torture", "dieu khoan moi", "hoc tap bien gioi"})
			prev = dir
		})
	}
}

// TestUpdateRefuses: an index that cannot be updated to the documents says
// why, with a notice for the reasons a user should hear of, and is left as
// it was.
func TestUpdateRefuses(t *testing.T) {
	ctx := context.Background()
	docs := loadFixture(t)
	tmp := t.TempDir()
	indexDir := filepath.Join(tmp, "index.bleve")
	if err := BuildWith(ctx, docs, Options{Version: "v1"}, filepath.Join(tmp, "b"), indexDir); err != nil {
		t.Fatal(err)
	}
	stale := func(err error, notice bool, reason string) {
		t.Helper()
		var se *StaleError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want a *StaleError", err)
		}
		if se.Notice != notice || !strings.Contains(se.Reason, reason) {
			t.Errorf("stale: %q notice %v, want %q notice %v", se.Reason, se.Notice, reason, notice)
		}
	}
	_, err := OpenForUpdate(filepath.Join(tmp, "none"), Options{Version: "v1"})
	stale(err, false, "no index")
	_, err = OpenForUpdate(indexDir, Options{Version: "v2"})
	stale(err, true, "another version of loa")
	_, err = OpenForUpdate(indexDir, Options{Version: "v1", Site: "/srv/other-site"})
	stale(err, true, "another site")

	for _, c := range []struct {
		name   string
		docs   []Doc
		reason string
	}{
		{"a page added", append(append([]Doc(nil), docs...), Doc{ID: "/x/", URL: "/x/", PageURL: "/x/", Title: "X", Body: "x", Lang: "vi"}), "added or removed"},
		{"a page removed", docs[1:], "added or removed"},
		{"half of them changed", func() []Doc {
			d := append([]Doc(nil), docs...)
			for i := 0; i < len(d); i += 2 {
				d[i].Body += " thêm"
			}
			return d
		}(), "more than a quarter"},
	} {
		ix, err := OpenForUpdate(indexDir, Options{Version: "v1"})
		if err != nil {
			t.Fatal(err)
		}
		err = ix.Update(ctx, c.docs, Options{Version: "v1"}, filepath.Join(tmp, "u"), "")
		ix.Close()
		stale(err, false, c.reason)
	}

	// A damaged record of the last export is a notice, not a failure.
	ix, err := OpenForUpdate(indexDir, Options{Version: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.idx.SetInternal([]byte(internalExportKey), []byte("not gob")); err != nil {
		t.Fatal(err)
	}
	err = ix.Update(ctx, docs, Options{Version: "v1"}, filepath.Join(tmp, "u2"), "")
	ix.Close()
	stale(err, true, "damaged record")

	// An update stopped between its batch and the end of its export (which
	// writes the record again) leaves no record.
	ix, err = OpenForUpdate(indexDir, Options{Version: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.idx.DeleteInternal([]byte(internalExportKey)); err != nil {
		t.Fatal(err)
	}
	err = ix.Update(ctx, docs, Options{Version: "v1"}, filepath.Join(tmp, "u3"), "")
	ix.Close()
	stale(err, true, "a build that did not finish (nothing is lost)")

	// A folder that is not an index.
	bad := filepath.Join(tmp, "bad.bleve")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "index_meta.json"), []byte("{"), 0o644)
	_, err = OpenForUpdate(bad, Options{Version: "v1"})
	stale(err, true, "cannot be opened")
}

// TestUpdateForgetsRemovedTerms: a word an edit removed from the only
// document that held it stays in the dictionary of Bleve's older segment
// (the document is only marked deleted there) until a merge rewrites that
// segment. Queries never expand to such a term: a typo of it, or a prefix of
// it, finds and scores what a fresh build of the same documents does.
func TestUpdateForgetsRemovedTerms(t *testing.T) {
	keepSegments(t)
	ctx := context.Background()
	docs := loadFixture(t)
	opts := Options{Version: "test"}
	i := len(docs) / 2
	withWord := append([]Doc(nil), docs...)
	withWord[i].Body += " qwertzuiop"
	tmp, indexDir, prev := buildFixture(t, withWord, opts)
	ix, err := OpenForUpdate(indexDir, opts)
	if err != nil {
		t.Fatal(err)
	}
	err = ix.Update(ctx, docs, opts, filepath.Join(tmp, "b1"), prev)
	ix.Close()
	if err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(tmp, "f")
	if err := BuildWith(ctx, docs, opts, fresh, fresh+".bleve"); err != nil {
		t.Fatal(err)
	}
	// A typo of the removed word (fuzzy), the removed word typed in part
	// (prefix), and the typo next to another word (corrected pairs).
	queries := []string{"quyen tre em qwertzuiap", "quyen qwertz", "qwertzuiap tre", "quyen tre em qwertzuiop~2"}
	for k, n := range sameHits(t, indexDir, fresh+".bleve", queries) {
		if n == 0 {
			t.Errorf("%q has no hits", queries[k])
		}
	}
}

// TestUpdateInPlace: an Index that updates the bundle it wrote itself, in
// its own folder (the preview, save after save, Options.Ephemeral: the
// record of the last export in memory), keeps that bundle's unchanged files
// unread and still leaves a fresh build's bundle (no file more, none less),
// and answers loa search as a fresh index does. Any other folder is read
// and checked; an update refused as stale leaves the record in memory. The
// same with the term dictionary in groups (g files, renamed as chunks move).
func TestUpdateInPlace(t *testing.T) {
	t.Run("dictionary in index.js", testUpdateInPlace)
	t.Run("dictionary in groups of 4 chunks", func(t *testing.T) {
		from, group := groupFrom, chunkGroup
		t.Cleanup(func() { groupFrom, chunkGroup = from, group })
		groupFrom, chunkGroup = 0, 4
		testUpdateInPlace(t)
	})
}

func testUpdateInPlace(t *testing.T) {
	keepSegments(t)
	ctx := context.Background()
	docs := orderDocs(loadFixture(t))
	for k := range bodyDocs {
		docs[bodyDocs+k].Body = docs[k].Body // two body files of one name
	}
	opts := Options{Version: "test"}
	tmp, indexDir, prev := buildFixture(t, docs, opts)
	ix, err := OpenForUpdate(indexDir, Options{Version: "test", Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	cur := append([]Doc(nil), docs...)
	i := len(docs) / 2
	// The folder of a bundle it did not write is never updated in place.
	if err := ix.Update(ctx, cur, opts, prev, prev); err == nil || ix.Wrote(prev) {
		t.Fatalf("updated %s in place, which the Index did not write", prev)
	}
	for n, edit := range []func(){
		func() { cur[i].Body += " Quyền được học tập." },
		func() { cur[i].Body = strings.Replace(cur[i].Body, "học tập", "học nghề", 1) },
		func() { cur[i+1].Title = "Điều khoản mới" },
		func() { cur[i].Body = docs[i].Body },
	} {
		edit()
		// The first and last updates write a new folder, the others update
		// the folder they wrote in place, as the preview does.
		inPlace := n == 1 || n == 2
		dir := filepath.Join(tmp, "b"+string(rune('1'+n)))
		if inPlace {
			dir = prev
		}
		if err := ix.Update(ctx, cur, opts, dir, prev); err != nil {
			t.Fatal(err)
		}
		if ix.exported != dir || (ix.unread > 0) != inPlace {
			t.Errorf("edit %d: exported %q, kept %d files unread", n, ix.exported, ix.unread)
		}
		fresh := filepath.Join(tmp, "f"+string(rune('1'+n)))
		if err := BuildWith(ctx, cur, opts, fresh, fresh+".bleve"); err != nil {
			t.Fatal(err)
		}
		sameBundle(t, dir, fresh)
		if ix.record == nil {
			t.Errorf("edit %d: the record of the export was not kept", n)
		}
		sameHitsOf(t, ix, fresh+".bleve", []string{"hoc nghe", "dieu khoan moi", "quyen tre em"})
		prev = dir
		if n == 0 {
			// A page added: refused as stale, with nothing changed.
			more := append(append([]Doc(nil), cur...), Doc{ID: "/moi/", URL: "/moi/", PageURL: "/moi/", Title: "Mới", Body: "Trang mới.", Lang: "vi", Kind: "page"})
			var se *StaleError
			if err := ix.Update(ctx, more, opts, filepath.Join(tmp, "stale"), prev); !errors.As(err, &se) || ix.record == nil || !ix.Wrote(prev) {
				t.Fatalf("a page added: %v; record kept %v, bundle known %v", err, ix.record != nil, ix.Wrote(prev))
			}
		}
	}
}

// TestBuildForUpdate: an index built for updates (the preview's first)
// knows its bundle as its own, so the first save already updates it in
// place, and the result is a fresh build's bundle.
func TestBuildForUpdate(t *testing.T) {
	ctx := context.Background()
	docs := loadFixture(t)
	opts := Options{Version: "test", Ephemeral: true}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "b")
	ix, err := BuildForUpdate(ctx, docs, opts, dir, filepath.Join(tmp, "index.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !ix.Wrote(dir) || ix.record == nil {
		t.Fatalf("the new index does not know its bundle (wrote %v, record %v)", ix.Wrote(dir), ix.record != nil)
	}
	cur := append([]Doc(nil), docs...)
	cur[len(cur)/2].Body += " Quyền được học tập."
	if err := ix.Update(ctx, cur, opts, dir, dir); err != nil {
		t.Fatal(err)
	}
	if ix.unread == 0 {
		t.Error("the first update read its own bundle's files")
	}
	fresh := filepath.Join(tmp, "f")
	if err := BuildWith(ctx, cur, opts, fresh, fresh+".bleve"); err != nil {
		t.Fatal(err)
	}
	sameBundle(t, dir, fresh)
	sameHitsOf(t, ix, fresh+".bleve", []string{"hoc tap", "quyen tre em"})
}
