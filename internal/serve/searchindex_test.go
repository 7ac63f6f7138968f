package serve

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"loa/internal/build"
	"loa/internal/output"
	"loa/internal/search"
	"loa/internal/sitetest"
)

// TestSearchIndexUpdates: after a save the preview's index is updated in
// place (the same folder) and serves the bundle a fresh build of the same
// documents writes; a page added makes a new index; /search finds the new
// words each time.
func TestSearchIndexUpdates(t *testing.T) {
	ctx := context.Background()
	fsys := sitetest.FS(`
-- loa.yaml --
title: "Trang thử"
baseURL: "https://example.org/qcn/"
defaultLanguage: vi
languages:
  vi: { name: "Tiếng Việt", weight: 1 }
-- content/_index.md --
---
title: Trang chủ
---
Mọi trẻ em có quyền được học.
-- content/a.md --
---
title: A
---
Tra tấn bị cấm. Quyền trẻ em được bảo vệ.
-- content/b.md --
---
title: B
---
Bạo lực gia đình bị nghiêm cấm.
`)
	res := func(fsys fstest.MapFS) *build.Result {
		t.Helper()
		r, err := build.New().Build(ctx, build.Options{FS: fsys})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	idx, err := NewSearchIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	notified := make(chan output.Files, 4)
	idx.setNotify(func(f output.Files) { notified <- f })
	if _, err := idx.Update(ctx, res(fsys)); err != nil {
		t.Fatal(err)
	}
	first := idx.ixDir
	find := func(word string) {
		t.Helper()
		hits, err := idx.Query(ctx, url.Values{"q": {word}})
		if err != nil {
			t.Fatal(err)
		}
		if h := hits.([]search.Hit); len(h) == 0 || !strings.Contains(h[0].URL, "/a/") {
			t.Errorf("%q: hits %v, want /a/ first", word, h)
		}
	}
	find("tra tan")
	steps := []struct {
		name    string
		edit    func()
		word    string
		inPlace bool
	}{
		{"a word added", func() {
			fsys["content/a.md"].Data = []byte("---\ntitle: A\n---\nTra tấn bị cấm. Quyền trẻ em được bảo vệ. zyxwvuts\n")
		}, "zyxwvuts", true},
		{"a page added", func() {
			fsys["content/c.md"] = &fstest.MapFile{Data: []byte("---\ntitle: C\n---\nLao động trẻ em.\n")}
		}, "zyxwvuts", false},
	}
	for _, st := range steps {
		st.edit()
		r := res(fsys)
		if _, err := idx.Update(ctx, r); err != nil {
			t.Fatal(err)
		}
		var bundle output.Files
		select {
		case bundle = <-notified:
		case <-time.After(time.Minute):
			t.Fatalf("%s: no new bundle", st.name)
		}
		if got := idx.ixDir == first; got != st.inPlace {
			t.Errorf("%s: index updated in place %v, want %v", st.name, got, st.inPlace)
		}
		find(st.word)
		dir := t.TempDir()
		if err := search.BuildWith(ctx, r.SearchDocs(), r.SearchOptions(), dir, filepath.Join(t.TempDir(), "i")); err != nil {
			t.Fatal(err)
		}
		fresh, err := search.BundleFiles(dir)
		if err != nil {
			t.Fatal(err)
		}
		sitetest.AssertSameFiles(t, st.name, bundle, fresh)
	}
}
