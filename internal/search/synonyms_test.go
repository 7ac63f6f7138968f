package search

import (
	"context"
	"strings"
	"testing"
)

func TestParseSynonyms(t *testing.T) {
	syn, err := ParseSynonyms("s.yaml", []byte("same:\n  - [Hội họp, tụ tập]\nalso:\n  tàn tật: [khuyết tật]\n  a b: c\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, r := range syn.Rules {
		got = append(got, r.From+" -> "+strings.Join(r.To, ", "))
	}
	want := "a b -> c | hoi hop -> tụ tập | tan tat -> khuyết tật | tu tap -> Hội họp"
	if strings.Join(got, " | ") != want {
		t.Errorf("rules:\n %s\nwant\n %s", strings.Join(got, " | "), want)
	}
	bad := []struct{ src, want string }{
		{"same: [[a, b]\n", "s.yaml:1:1: invalid YAML:"},
		{"same:\n  - [a, b]\nwords: x\n", `s.yaml:3:1: unknown key "words" (known: same, also)`},
		{"same:\n  - [a]\n", "s.yaml:2:5: same: a group is a list of two or more words or phrases"},
		{"also:\n  a: [b]\n  b: [c]\n  c: [A]\n", `s.yaml:4:7: cycle in the one-way synonyms: "a" leads back to itself`},
		{"also:\n  x: [\"\"]\n", "s.yaml:2:7: expected a word or phrase"},
	}
	for _, tc := range bad {
		_, err := ParseSynonyms("s.yaml", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %s", tc.src, err, tc.want)
		}
	}
}

// TestSynonyms checks that a reader's word finds the text's word, and that
// the text's own word still ranks its document first.
func TestSynonyms(t *testing.T) {
	syn, err := ParseSynonyms("s.yaml", []byte("same:\n  - [hội họp, tụ tập]\nalso:\n  tàn tật: [khuyết tật]\n"))
	if err != nil {
		t.Fatal(err)
	}
	docs := []Doc{
		viDoc("/hoi-hop/", "Điều 21", "Quyền hội họp hòa bình được công nhận."),
		viDoc("/khuyet-tat/", "Điều 1", "Người khuyết tật có quyền bình đẳng."),
		viDoc("/khac/", "Điều 2", "Một văn bản khác."),
	}
	dir := t.TempDir()
	if err := BuildWith(context.Background(), docs, Options{Synonyms: syn}, dir+"/search", dir+"/index.bleve"); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir + "/index.bleve")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for q, want := range map[string]string{"tu tap": "/hoi-hop/", "nguoi tan tat": "/khuyet-tat/", "tàn tật": "/khuyet-tat/"} {
		hits, err := ix.Search(context.Background(), Query{Text: q, Lang: "vi"})
		if err != nil || len(hits) == 0 || hits[0].ID != want {
			t.Errorf("%q: %v %v, want %s first", q, ids(hits), err, want)
		}
	}
}
