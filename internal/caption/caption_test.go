package caption

import (
	"strings"
	"testing"
	"testing/fstest"
)

func articles(code string) (int, bool) {
	n, ok := map[string]int{"crc": 54, "crpd": 50}[code]
	return n, ok
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"data/captions/crc.yaml":  {Data: []byte("convention: crc\narticles:\n  1: { en: \"Definition of the child\", vi: \"Định nghĩa trẻ em\" }\n")},
		"data/captions/crpd.yaml": {Data: []byte("convention: crpd\narticles:\n  1: { en: \"Purpose\", vi: \"Mục đích\", own: true }\n")},
	}
	cs, err := Load(fsys, articles)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := cs.Lookup("crc", 1); !ok || c.Text("vi") != "Định nghĩa trẻ em" || c.Text("en") != "Definition of the child" || c.Own {
		t.Errorf("crc 1: %+v %v", c, ok)
	}
	if c, ok := cs.Lookup("crpd", 1); !ok || !c.Own {
		t.Errorf("crpd 1: %+v %v", c, ok)
	}
	if _, ok := cs.Lookup("crc", 2); ok {
		t.Error("crc 2 has no caption")
	}
}

// TestErrors: every mistake an editor can make is positioned.
func TestErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"data/captions/crc.yaml": {Data: []byte("convention: crc\narticles:\n  55: { en: \"X\", vi: \"Y\" }\n  2: { en: \"\", vi: \"Y\", colour: red }\nextra: 1\n")},
		"data/captions/xyz.yaml": {Data: []byte("convention: xyz\n")},
		"data/captions/bad.yaml": {Data: []byte("convention: [\n")},
	}
	_, err := Load(fsys, articles)
	got := ""
	if err != nil {
		got = err.Error()
	}
	for _, want := range []string{
		`data/captions/bad.yaml:`,
		`data/captions/crc.yaml:3:3: article "55": CRC has articles 1 to 54`,
		`data/captions/crc.yaml:4:12: en: expected text`,
		`data/captions/crc.yaml:4:25: unknown caption key "colour" (known: en, vi, own)`,
		`data/captions/crc.yaml:5:1: unknown key "extra" (known: convention, articles)`,
		`data/captions/xyz.yaml:1:1: no convention page has code "xyz" (the file name)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
