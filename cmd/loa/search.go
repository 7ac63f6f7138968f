package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"strings"

	"loa/internal/diag"
	"loa/internal/search"
	"loa/internal/state"
)

// runSearch is `loa search [--json] [--lang vi|en] [--limit N] QUERY`: it
// searches the index of the last build (.loa/index.bleve) with the
// same query language and ranking as the site's search page.
func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loa search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the hits as a JSON array")
	lang := fs.String("lang", "", "only pages in this language: vi or en (default: both)")
	limit := fs.Int("limit", 10, "maximum number of hits (0 or less: all)")
	kind := fs.String("kind", "", "only this kind of page: convention, guidance or page")
	code := fs.String("code", "", "only this convention, e.g. crc")
	root := fs.String("root", ".", "site root folder (holds loa.yaml)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loa search [--json] [--lang vi|en] [--limit N] [--kind K] [--code C] QUERY")
		fmt.Fprintln(stderr, "\nQUERY: words (accents optional), \"a phrase\", +must, -mustnot, word~2 (typos), word* (prefix).")
		fs.PrintDefaults()
	}
	// Flags may come before or after the query words.
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(words) == 0 {
		fs.Usage()
		return 2
	}
	if *lang != "" && *lang != "vi" && *lang != "en" {
		fmt.Fprintf(stderr, "loa search: --lang %q: want vi or en\n", *lang)
		return 2
	}
	st, err := state.Open(filepath.Join(*root, state.DirName))
	if err != nil {
		if errors.Is(err, state.ErrNoState) {
			fmt.Fprintf(stderr, "loa search: no search index from a build of this loa (%s): run `loa build` first\n", printable(err))
		} else {
			fmt.Fprintf(stderr, "loa search: %s\n", printable(err))
		}
		return 1
	}
	ix, err := search.Open(st.Index())
	if err != nil {
		if errors.Is(err, search.ErrNoIndex) {
			fmt.Fprintf(stderr, "loa search: no search index in %s: run `loa build` first\n", diag.Printable(st.Index()))
		} else if errors.Is(err, search.ErrIndexBusy) {
			fmt.Fprintf(stderr, "loa search: a running loa build is updating the search index %s; search again when it has finished\n", diag.Printable(st.Index()))
		} else {
			fmt.Fprintf(stderr, "loa search: %s\n", printable(err))
		}
		return 1
	}
	defer ix.Close()
	n := *limit
	if n <= 0 {
		n = -1
	}
	hits, err := ix.Search(ctx, search.Query{Text: strings.Join(words, " "), Lang: *lang, Kind: *kind, Code: *code, Limit: n})
	if err != nil {
		var qe *search.QueryError
		if errors.As(err, &qe) {
			fmt.Fprintf(stderr, "loa search: %s\n", diag.Printable(qe.Msg))
			return 1
		}
		fmt.Fprintf(stderr, "loa search: %s\n", printable(err))
		return 1
	}
	if *asJSON {
		if hits == nil {
			hits = []search.Hit{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(hits); err != nil {
			fmt.Fprintf(stderr, "loa search: %s\n", printable(err))
			return 1
		}
		return 0
	}
	if len(hits) == 0 {
		fmt.Fprintln(stdout, "no results")
		return 0
	}
	// Titles, addresses and snippets come from the site's files: each is
	// printed on its own line, escaped.
	for i, h := range hits {
		title := h.Title
		if h.PageTitle != "" && h.PageTitle != h.Title {
			title += " — " + h.PageTitle
		}
		fmt.Fprintf(stdout, "%d. %s  [%.4g]\n   %s\n   %s\n", i+1, diag.Printable(title), h.Score, diag.Printable(h.URL), plainSnippet(h.Snippet))
	}
	return 0
}

// plainSnippet turns a snippet's HTML into one line of terminal text,
// matches in *stars*. It escapes after unescaping the HTML, which may
// produce control characters ("&#27;").
func plainSnippet(s string) string {
	s = strings.NewReplacer("<mark>", "*", "</mark>", "*").Replace(s)
	return diag.Printable(html.UnescapeString(s))
}
