package publish

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, got, 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update and review the diff):\n%s", file, got)
	}
}

func testSite() fstest.MapFS {
	return fstest.MapFS{
		"index.html":                   {Data: []byte("<h1>Trang chủ</h1>")},
		"css/main.css":                 {Data: []byte("body{}")},
		"cong-uoc/crc/index.html":      {Data: []byte("<h1>CRC</h1>")},
		"search/meta.json":             {Data: []byte(`{"docs":2}`)},
		"search/shards/qu.json":        {Data: []byte(`{"quyen":[1]}`)},
		"search/index.bleve/store.bin": {Data: []byte("bleve")},
		"search/index.bleve/meta.json": {Data: []byte("{}")},
		ManifestName:                   {Data: []byte("old")},
	}
}

func TestBuildManifest(t *testing.T) {
	m, err := BuildManifest(testSite())
	if err != nil {
		t.Fatal(err)
	}
	m.Generator = "loa test" // the real one depends on how the binary was built
	data, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "manifest.golden", data)
	for _, f := range m.Files {
		if Excluded(f.Path) {
			t.Errorf("manifest lists excluded %s", f.Path)
		}
	}

	back, err := ReadManifest(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := back.MarshalJSON()
	if !bytes.Equal(again, data) {
		t.Errorf("read and written again differs:\n%s\nwant\n%s", again, data)
	}
}

func TestReadManifestErrors(t *testing.T) {
	const h = `"0000000000000000000000000000000000000000000000000000000000000000"`
	tests := []struct {
		name, json, want string
	}{
		{"truncated", `{"schema":1,"files":[`, "not a loa manifest"},
		{"no schema", `{"files":[]}`, "no schema version"},
		{"newer", `{"schema":7,"generator":"loa v9","files":[]}`, "newer loa (loa v9, manifest schema 7"},
		{"escape", `{"schema":1,"files":[{"path":"../etc/passwd","size":1,"sha256":` + h + `}]}`, "not a clean relative path"},
		{"absolute", `{"schema":1,"files":[{"path":"/etc/passwd","size":1,"sha256":` + h + `}]}`, "not a clean relative path"},
		{"reserved", `{"schema":1,"files":[{"path":".loa-published.json","size":1,"sha256":` + h + `}]}`, "reserved"},
		{"twice", `{"schema":1,"files":[{"path":"a","size":1,"sha256":` + h + `},{"path":"a","size":1,"sha256":` + h + `}]}`, "listed twice"},
		{"no size", `{"schema":1,"files":[{"path":"a","sha256":` + h + `}]}`, "no valid size"},
		{"bad hash", `{"schema":1,"files":[{"path":"a","size":1,"sha256":"xyz"}]}`, "no valid sha256"},
		{"trailing", `{"schema":1,"files":[]} {}`, "data after the end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadManifest(strings.NewReader(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
			var se *SchemaError
			if errors.As(err, &se) != (tt.name == "newer") {
				t.Errorf("errors.As(*SchemaError) = %v", !(tt.name == "newer"))
			}
		})
	}
}
