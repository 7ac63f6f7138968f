package search_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"loa/internal/build"
)

var dumpSiteDocs = flag.String("dump-site-docs", "", "write the repository site's search documents to this JSON file")

// TestDumpSiteDocs writes the documents the builder indexes for this
// repository's site, in the format of testdata/docs.json, so the parity test
// can run on them: go test ./internal/search -run DumpSiteDocs -dump-site-docs /tmp/site.json
// then go test ./internal/search -run Parity -parity-docs /tmp/site.json
func TestDumpSiteDocs(t *testing.T) {
	if *dumpSiteDocs == "" {
		t.Skip("run with -dump-site-docs FILE")
	}
	res, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS("../..")})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(res.SearchDocs(), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*dumpSiteDocs, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
