package publish

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPackDeterministic packs the same site twice, once from files with
// other modification times, and expects the same bytes.
func TestPackDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	writeTree(t, a, siteV1())
	writeTree(t, b, siteV1())
	old := time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)
	filepath.WalkDir(b, func(p string, _ os.DirEntry, _ error) error { return os.Chtimes(p, old, old) })

	zips := [2]string{filepath.Join(dir, "1.zip"), filepath.Join(dir, "2.zip")}
	for i, from := range []string{a, b} {
		res, err := Pack(context.Background(), PackOptions{From: from, Out: zips[i]})
		if err != nil {
			t.Fatal(err)
		}
		if res.Files != 7 {
			t.Errorf("packed %d files, want 7", res.Files)
		}
	}
	z1, _ := os.ReadFile(zips[0])
	z2, _ := os.ReadFile(zips[1])
	if !bytes.Equal(z1, z2) {
		t.Fatal("two packs of the same site differ")
	}

	zr, err := zip.NewReader(bytes.NewReader(z1), int64(len(z1)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(PackTime) || f.Mode() != 0o644 {
			t.Errorf("%s: modified %v mode %v", f.Name, f.Modified, f.Mode())
		}
	}
	want := "cong-uoc/crc/index.html css/main.css huong-dan/a/index.html index.html js/search.js search/meta.json search/shards/qu.json"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("entries\n got %s\nwant %s", got, want)
	}

	out := t.TempDir()
	if err := Unpack(zips[0], out); err != nil {
		t.Fatal(err)
	}
	assertTree(t, out, published(siteV1()))
}

func TestPackFaults(t *testing.T) {
	dir := t.TempDir()
	from := filepath.Join(dir, "public")
	writeTree(t, from, map[string]string{"css/main.css": "x"})
	tests := []struct {
		name string
		opts PackOptions
		want string
	}{
		{"no build", PackOptions{From: filepath.Join(dir, "nothing"), Out: filepath.Join(dir, "x.zip")},
			"nothing: cannot read the built site: no such file or directory; run loa build first"},
		{"no index.html", PackOptions{From: from, Out: filepath.Join(dir, "x.zip")},
			filepath.Join("public", "index.html") + ": missing, so this is not a built site"},
		{"zip inside the site", PackOptions{From: from, Out: filepath.Join(from, "site.zip")},
			"site.zip: is inside the built site"},
		{"folder of the zip missing", PackOptions{Source: site(siteV1()), Out: filepath.Join(dir, "no", "x.zip")},
			"x.zip: cannot write: no such file or directory; run loa pack again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Pack(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error:\n%v\nwant it to contain\n%s", err, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("failed packs left files: %v", entries)
	}
}
