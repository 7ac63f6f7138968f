package build_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"loa/internal/build"
	"loa/internal/sitetest"
)

// TestIncrementalRebuild checks that a Builder reused across builds gives
// exactly the output of a fresh build after each kind of edit.
func TestIncrementalRebuild(t *testing.T) {
	fsys := sitetest.FS(cfg + `
-- content/_index.md --
---
title: Home
---
-- content/a/_index.md --
---
title: A
---
-- content/a/one.md --
---
title: One
---
Body one. [two](two.md)
-- content/a/two.md --
---
title: Two
---
## Heading two
Body two.
`)
	b := build.New()
	steps := []struct {
		name string
		edit func(fstest.MapFS)
		want string // a string the output of a/one must then contain
		work build.Work
	}{
		{"first build", func(fstest.MapFS) {}, "Body one.", build.Work{Markdown: 4, Layouts: 4}},
		{"nothing changed", func(fstest.MapFS) {}, "Body one.", build.Work{}},
		// The edited page, then its section and the home page, which list it.
		{"body edit", func(f fstest.MapFS) { f["content/a/one.md"].Data = []byte("---\ntitle: One\n---\nBody changed.\n") }, "Body changed.", build.Work{Markdown: 1, Layouts: 3}},
		// Titles are in every page's metadata key (menus, lists, links).
		{"title of another page", func(f fstest.MapFS) {
			f["content/a/two.md"].Data = []byte("---\ntitle: Two renamed\n---\n## Heading two\n")
		}, "Body changed.", build.Work{Markdown: 1, Layouts: 4}},
		{"layout edit", func(f fstest.MapFS) {
			f["layouts/_default/single.html"].Data = []byte(`{{ define "main" }}<h1 class="new">{{ .Title }}</h1>{{ .Content }}{{ end }}`)
		}, `<h1 class="new">One</h1>`, build.Work{Markdown: 0, Layouts: 4}},
	}
	for _, st := range steps {
		st.edit(fsys)
		got, err := b.Build(context.Background(), build.Options{FS: fsys})
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		fresh, err := build.New().Build(context.Background(), build.Options{FS: fsys})
		if err != nil {
			t.Fatal(err)
		}
		sitetest.AssertSameFiles(t, st.name, got.Files, fresh.Files)
		if got.Work != st.work {
			t.Errorf("%s: rendered %+v, want %+v", st.name, got.Work, st.work)
		}
		if !strings.Contains(string(got.Files["a/one/index.html"]), st.want) {
			t.Errorf("%s: a/one does not contain %q", st.name, st.want)
		}
	}
}
