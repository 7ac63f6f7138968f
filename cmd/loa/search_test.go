package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"loa/internal/search"
	"loa/internal/state"
)

func TestSearchCommand(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := runSearch(context.Background(), []string{"--root", out, "tra tấn"}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "run `loa build` first") {
		t.Fatalf("without index: code %d, stderr %q", code, stderr.String())
	}
	docs := []search.Doc{
		{ID: "/cong-uoc/cat/", URL: "/cong-uoc/cat/", PageURL: "/cong-uoc/cat/", PageTitle: "Công ước Chống tra tấn",
			Title: "Công ước Chống tra tấn", Body: "Không ai bị tra tấn.", Lang: "vi", Kind: "convention", Code: "cat"},
		{ID: "/en/conventions/cat/#article-1", URL: "/en/conventions/cat/#article-1", PageURL: "/en/conventions/cat/",
			PageTitle: "Convention against Torture", Title: "Article 1", Body: "Torture means <any> act.", Lang: "en", Kind: "convention", Code: "cat"},
	}
	st, err := state.Create(filepath.Join(out, state.DirName))
	if err != nil {
		t.Fatal(err)
	}
	if err := search.Build(context.Background(), docs, filepath.Join(out, "public", "search"), st.Index()); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	if code := runSearch(context.Background(), []string{"--root", out, "tra", "tan", "--json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("code %d: %s", code, stderr.String())
	}
	var hits []map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &hits); err != nil {
		t.Fatal(err, stdout.String())
	}
	if len(hits) != 1 || hits[0]["url"] != "/cong-uoc/cat/" || !strings.Contains(hits[0]["snippet"].(string), "<mark>tra</mark>") {
		t.Fatalf("hits: %v", hits)
	}
	for _, k := range []string{"url", "title", "score", "snippet"} {
		if _, ok := hits[0][k]; !ok {
			t.Errorf("JSON hit has no %q", k)
		}
	}
	stdout.Reset()
	if code := runSearch(context.Background(), []string{"--root", out, "--lang", "en", "torture"}, &stdout, &stderr); code != 0 ||
		!strings.Contains(stdout.String(), "/en/conventions/cat/#article-1") || !strings.Contains(stdout.String(), "<any>") {
		t.Fatalf("text output %q", stdout.String())
	}
	stderr.Reset()
	if code := runSearch(context.Background(), []string{"--root", out, "!!!"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "nothing to search") {
		t.Fatalf("punctuation: code %d %q", code, stderr.String())
	}
}

// TestSearchOldState: a build-state folder from another version of loa is
// not read; the message says to build.
func TestSearchOldState(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".loa"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, ".loa", "state.json"), []byte(`{"schema": 0}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runSearch(context.Background(), []string{"--root", root, "tre em"}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "written by another version of loa") || !strings.Contains(stderr.String(), "run `loa build` first") {
		t.Fatalf("old state: code %d, stderr %q", code, stderr.String())
	}
}
