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
		name    string
		edit    func(fstest.MapFS)
		want    string // a string the output of a/one must then contain
		work    build.Work
		wantErr string // or the error the build must fail with
	}{
		{"first build", func(fstest.MapFS) {}, "Body one.", build.Work{Markdown: 4, Layouts: 4}, ""},
		{"nothing changed", func(fstest.MapFS) {}, "Body one.", build.Work{}, ""},
		// The edited page, then its section and the home page, which list it.
		{"body edit", func(f fstest.MapFS) { f["content/a/one.md"].Data = []byte("---\ntitle: One\n---\nBody changed.\n") }, "Body changed.", build.Work{Markdown: 1, Layouts: 3}, ""},
		// Titles are in every page's metadata key (menus, lists, links).
		{"title of another page", func(f fstest.MapFS) {
			f["content/a/two.md"].Data = []byte("---\ntitle: Two renamed\n---\n## Heading two\n")
		}, "Body changed.", build.Work{Markdown: 1, Layouts: 4}, ""},
		{"layout edit", func(f fstest.MapFS) {
			f["layouts/_default/single.html"].Data = []byte(`{{ define "main" }}<h1 class="new">{{ .Title }}</h1>{{ .Content }}{{ end }}`)
		}, `<h1 class="new">One</h1>`, build.Work{Markdown: 0, Layouts: 4}, ""},
		// The sitemap and feeds follow dates and descriptions.
		{"date and description", func(f fstest.MapFS) {
			f["content/a/two.md"].Data = []byte("---\ntitle: Two renamed\ndate: 2024-05-06\ndescription: Mô tả\n---\n## Heading two\n")
		}, "Body changed.", build.Work{Markdown: 1, Layouts: 4}, ""},
		// A new file can be a link's target: every page's links are resolved again.
		{"static file added", func(f fstest.MapFS) {
			f["static/css/extra.css"] = &fstest.MapFile{Data: []byte("body  {  color : red ; }\n")}
		}, "Body changed.", build.Work{Markdown: 4, Layouts: 4}, ""},
		{"static file changed again", func(f fstest.MapFS) {
			f["static/css/extra.css"].Data = []byte("body  {  color : blue ; }\n")
		}, "Body changed.", build.Work{}, ""},
		{"layout links to the static file", func(f fstest.MapFS) {
			f["layouts/_default/single.html"].Data = []byte(`{{ define "main" }}<link rel="stylesheet" href="{{ .Rel "/css/extra.css" }}"><h1 class="new">{{ .Title }}</h1>{{ .Content }}{{ end }}`)
		}, "css/extra.css", build.Work{Layouts: 4}, ""},
		// The output check, after a build whose pages are reused.
		{"the static file removed", func(f fstest.MapFS) { delete(f, "static/css/extra.css") }, "", build.Work{}, "links to ../../css/extra.css"},
		{"nothing changed after the error", func(fstest.MapFS) {}, "", build.Work{}, "links to ../../css/extra.css"},
		{"the static file back", func(f fstest.MapFS) {
			f["static/css/extra.css"] = &fstest.MapFile{Data: []byte("body{color:blue}\n")}
		}, "css/extra.css", build.Work{Markdown: 4, Layouts: 4}, ""},
		// A layout's broken link made while a page's link is broken (the
		// output is not checked then) is found once the page is fixed,
		// though the other pages' output is the failed build's.
		{"a broken link in a layout and in a page", func(f fstest.MapFS) {
			f["layouts/_default/single.html"].Data = []byte(`{{ define "main" }}<link rel="stylesheet" href="{{ .Rel "/css/nope.css" }}">{{ .Content }}{{ end }}`)
			f["content/a/_index.md"].Data = []byte("---\ntitle: A\n---\nSee [x](nope.md)\n")
		}, "", build.Work{}, "nope.md"},
		{"the section page fixed", func(f fstest.MapFS) {
			f["content/a/_index.md"].Data = []byte("---\ntitle: A\n---\nFixed.\n")
		}, "", build.Work{}, "links to ../../css/nope.css"},
	}
	for _, st := range steps {
		st.edit(fsys)
		got, err := b.Build(context.Background(), build.Options{FS: fsys})
		if st.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), st.wantErr) {
				t.Errorf("%s: error %v, want %q", st.name, err, st.wantErr)
			}
			continue
		}
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
