// Package sitetest builds whole small sites written as one txtar string, for
// tests that read like specifications:
//
//	res := sitetest.Build(t, `
//	-- loa.yaml --
//	title: T
//	baseURL: https://example.org/
//	-- content/_index.md --
//	# Hello
//	`)
//	res.AssertContains(t, "index.html", "<h1")
//
// A minimal layout set is added unless the archive has its own
// layouts/_default/baseof.html.
package sitetest

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"loa/internal/build"
)

// MinimalLayouts is a small layout set for tests that are not about layouts.
const MinimalLayouts = `
-- layouts/_default/baseof.html --
<!DOCTYPE html><html lang="{{ .Lang }}"><head><title>{{ .Title }}</title><link rel="stylesheet" href="{{ .Rel "/css/chroma.css" }}"></head><body>{{ block "main" . }}{{ end }}</body></html>
-- layouts/_default/single.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Translations }}<a hreflang="{{ .Lang }}" href="{{ $.Rel .URL }}">{{ .LangName }}</a>{{ end }}{{ .Content }}{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ $.Rel .URL }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
`

// FS turns a txtar archive into an in-memory file system.
func FS(archive string) fstest.MapFS {
	a := txtar.Parse([]byte(strings.TrimLeft(archive, "\n")))
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	if _, ok := fsys["layouts/_default/baseof.html"]; !ok {
		for _, f := range txtar.Parse([]byte(strings.TrimLeft(MinimalLayouts, "\n"))).Files {
			if _, ok := fsys[f.Name]; !ok {
				fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
			}
		}
	}
	return fsys
}

// Result is a built test site.
type Result struct {
	*build.Result
}

// Build builds the archive and fails the test on error.
func Build(t testing.TB, archive string) *Result {
	t.Helper()
	res, err := build.New().Build(context.Background(), build.Options{FS: FS(archive)})
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return &Result{res}
}

// BuildErr builds the archive, expects failure and returns the error text.
func BuildErr(t testing.TB, archive string) string {
	t.Helper()
	_, err := build.New().Build(context.Background(), build.Options{FS: FS(archive)})
	if err == nil {
		t.Fatalf("build succeeded, want an error")
	}
	return err.Error()
}

// File returns an output file or fails.
func (r *Result) File(t testing.TB, path string) string {
	t.Helper()
	b, ok := r.Files[path]
	if !ok {
		t.Fatalf("no output file %s; have %v", path, r.Files.Paths())
	}
	return string(b)
}

// AssertContains fails unless the output file contains every want string.
func (r *Result) AssertContains(t testing.TB, path string, want ...string) {
	t.Helper()
	got := r.File(t, path)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not contain %q; it is:\n%s", path, w, got)
		}
	}
}

// AssertNotContains fails if the output file contains any of the strings.
func (r *Result) AssertNotContains(t testing.TB, path string, unwanted ...string) {
	t.Helper()
	got := r.File(t, path)
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("%s contains %q; it is:\n%s", path, w, got)
		}
	}
}
