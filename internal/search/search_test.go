package search

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func buildTestIndex(t *testing.T, docs []Doc) *Index {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "search")
	if err := Build(context.Background(), docs, dir, filepath.Join(dir, "index.bleve")); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(filepath.Join(dir, "index.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func viDoc(id, title, body string) Doc {
	return Doc{ID: id, URL: id, PageURL: id, PageTitle: title, Title: title, Body: body, Lang: "vi", Kind: "page"}
}

func ids(hits []Hit) []string {
	var rv []string
	for _, h := range hits {
		rv = append(rv, h.ID)
	}
	return rv
}

func TestVietnameseAnalysis(t *testing.T) {
	ix := buildTestIndex(t, []Doc{
		viDoc("/quyen/", "Quyền trẻ em", "Mọi trẻ em đều có quyền được học tập."),
		viDoc("/quyen-sach/", "Sách", "Một quyển sách hay về lịch sử."),
		viDoc("/quyen-gop/", "Quyên góp", "Quyên góp ủng hộ đồng bào vùng lũ."),
		viDoc("/duong/", "Đường", "Con đường đến trường."),
		viDoc("/duong-ascii/", "Duong", "Ten rieng duong viet khong dau."),
		viDoc("/nfd/", "Tra tấn", "Cấm tra tấn"), // NFD input below
	})
	tests := []struct {
		q     string
		first string // expected best hit
		has   []string
	}{
		{"quyen", "", []string{"/quyen/", "/quyen-sach/", "/quyen-gop/"}},
		{"quyển", "/quyen-sach/", []string{"/quyen-gop/"}},
		{"quyên", "/quyen-gop/", nil},
		{"Đường", "/duong/", []string{"/duong-ascii/"}},
		{"duong", "", []string{"/duong/", "/duong-ascii/"}},
		{"quyen tre em", "/quyen/", nil},
		{"quyen tre em duoc hoc", "/quyen/", nil},
		{"tra tấn", "/nfd/", nil},
		{"truong", "/duong/", nil},          // "trường"
		{"quyenn", "", []string{"/quyen/"}}, // a typo
		{"qyuen", "", []string{"/quyen/"}},  // a transposition
		{"\"trẻ em\"", "/quyen/", nil},
	}
	for _, tt := range tests {
		hits, err := ix.Search(context.Background(), Query{Text: tt.q})
		if err != nil {
			t.Errorf("%q: %v", tt.q, err)
			continue
		}
		got := ids(hits)
		if len(got) == 0 {
			t.Errorf("%q: no hits", tt.q)
			continue
		}
		if tt.first != "" && got[0] != tt.first {
			t.Errorf("%q: first hit %s, want %s (all: %v)", tt.q, got[0], tt.first, got)
		}
		for _, h := range tt.has {
			if !strings.Contains(strings.Join(got, " ")+" ", h+" ") {
				t.Errorf("%q: %s missing from %v", tt.q, h, got)
			}
		}
	}
}

func TestFoldNFD(t *testing.T) {
	for in, want := range map[string]string{
		"quyền": "quyen", "Đường": "Duong", "đ": "d", "tra tấn": "tra tan",
		"qu\u00ea\u0300n": "quen", "que\u0302\u0300n": "quen", "naïve": "naive", "abc": "abc",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBadQueries(t *testing.T) {
	ix := buildTestIndex(t, []Doc{viDoc("/a/", "Quyền trẻ em", "Mọi trẻ em đều có quyền.")})
	for _, q := range []string{"", "   ", "?!.,;", "+", "-", "+ -", "\"", "\"\"", "-quyền"} {
		_, err := ix.Search(context.Background(), Query{Text: q})
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("%q: err = %v, want a QueryError", q, err)
		}
	}
	for _, q := range []string{
		strings.Repeat("quyền ", 2000), "\"quyền trẻ", "quyền\"", "/quy.*/", "title:quyền", "quyền^3",
		"[1 TO 5]", ">5", "<script>alert(1)</script>", "quyền~9", "a*", "*", "quy?n", "+quyền -trẻ", "\xff\xfe",
	} {
		if _, err := ix.Search(context.Background(), Query{Text: q}); err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Errorf("%.30q: %v", q, err)
			}
		}
	}
	hits, err := ix.Search(context.Background(), Query{Text: "<script>alert(1)</script> quyền"})
	if err != nil || len(hits) != 1 {
		t.Fatalf("script query: %v %v", hits, err)
	}
	if strings.Contains(hits[0].Snippet, "<script") {
		t.Errorf("snippet not escaped: %s", hits[0].Snippet)
	}
}

func TestSnippetEscapes(t *testing.T) {
	ix := buildTestIndex(t, []Doc{viDoc("/a/", "A", "Trẻ em <b>có quyền</b> & nghĩa vụ")})
	hits, err := ix.Search(context.Background(), Query{Text: "quyen"})
	if err != nil || len(hits) != 1 {
		t.Fatal(hits, err)
	}
	want := "Trẻ em &lt;b&gt;có <mark>quyền</mark>&lt;/b&gt; &amp; nghĩa vụ"
	if hits[0].Snippet != want {
		t.Errorf("snippet %q, want %q", hits[0].Snippet, want)
	}
}

func TestOpenMissing(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "index.bleve"))
	if !errors.Is(err, ErrNoIndex) {
		t.Fatalf("err = %v, want ErrNoIndex", err)
	}
}

// TestOpenBusy: an index held open for writing (a build updating it) is
// reported as busy after Open's wait, not as a raw timeout.
func TestOpenBusy(t *testing.T) {
	tmp := t.TempDir()
	path := filepath.Join(tmp, "index.bleve")
	docs := []Doc{{ID: "/a/", URL: "/a/", PageURL: "/a/", Title: "A", PageTitle: "A", Body: "quyền", Lang: "vi", Kind: "page"}}
	if err := BuildWith(context.Background(), docs, Options{Version: "v"}, filepath.Join(tmp, "b"), path); err != nil {
		t.Fatal(err)
	}
	w, err := OpenForUpdate(path, Options{Version: "v"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := Open(path); !errors.Is(err, ErrIndexBusy) {
		t.Fatalf("err = %v, want ErrIndexBusy", err)
	}
}

var parityDocs = flag.String("parity-docs", "testdata/docs.json", "documents (JSON) for the parity and bench tests")

func loadFixture(t testing.TB) []Doc {
	t.Helper()
	raw, err := os.ReadFile(*parityDocs)
	if err != nil {
		t.Fatal(err)
	}
	var docs []Doc
	if err := json.Unmarshal(raw, &docs); err != nil {
		t.Fatal(err)
	}
	return docs
}

// TestDeterministicBundle builds the fixture twice and compares every bundle file.
func TestDeterministicBundle(t *testing.T) {
	docs := loadFixture(t)
	var dirs []string
	for i := 0; i < 2; i++ {
		dir := filepath.Join(t.TempDir(), "search")
		if err := Build(context.Background(), docs, dir, filepath.Join(dir, "index.bleve")); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	a, _ := os.ReadDir(dirs[0])
	b, _ := os.ReadDir(dirs[1])
	if len(a) != len(b) {
		t.Fatalf("%d files vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Name() != b[i].Name() {
			t.Fatalf("file %s vs %s", a[i].Name(), b[i].Name())
		}
		if a[i].IsDir() {
			continue
		}
		x, _ := os.ReadFile(filepath.Join(dirs[0], a[i].Name()))
		y, _ := os.ReadFile(filepath.Join(dirs[1], b[i].Name()))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs", a[i].Name())
		}
	}
}

func TestLangAndFilters(t *testing.T) {
	ix := buildTestIndex(t, loadFixture(t))
	hits, err := ix.Search(context.Background(), Query{Text: "torture", Lang: "en", Code: "cat", Limit: -1})
	if err != nil || len(hits) == 0 {
		t.Fatal(hits, err)
	}
	for _, h := range hits {
		if h.Code != "cat" || h.Lang != "en" {
			t.Errorf("hit %s: code %s lang %s", h.ID, h.Code, h.Lang)
		}
	}
	hits, err = ix.Search(context.Background(), Query{Text: "tra tấn", Lang: "vi"})
	if err != nil || len(hits) == 0 || hits[0].Lang != "vi" {
		t.Fatal(hits, err)
	}
}

func TestFoldFastPathMatchesSlow(t *testing.T) {
	for r := rune(0x80); r < 0x3000; r++ {
		for _, s := range []string{string(r), "a" + string(r) + "b", string(r) + "\u0301", "\u1100" + string(r)} {
			if got, want := Fold(s), foldSlow(s); got != want {
				t.Fatalf("Fold(%q) = %q, slow path %q", s, got, want)
			}
		}
	}
}

// TestBigrams checks that adjacent query syllables count as a unit: the
// document where they stand side by side ranks first, in both engines (the
// parity test compares scores).
func TestBigrams(t *testing.T) {
	ix := buildTestIndex(t, []Doc{
		viDoc("/quoc-gia/", "Kế hoạch", "Quốc gia ban hành quy định về bạo lực học đường và nơi ở của gia đình."),
		viDoc("/bao-luc/", "Điều 19", "Bảo vệ trẻ em khỏi bạo lực gia đình."),
	})
	hits, err := ix.Search(context.Background(), Query{Text: "bao luc gia dinh", Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(hits); len(got) != 2 || got[0] != "/bao-luc/" {
		t.Errorf("bao luc gia dinh: %v, want /bao-luc/ first", got)
	}
	if _, err := ix.Search(context.Background(), Query{Text: "to be or not to be", Lang: "en"}); err != nil {
		t.Errorf("stop words only: %v, want a search", err)
	}
}

// TestTypoPairs checks that a misspelt syllable is corrected for the pair it
// forms with its neighbour: "giao duk" finds the document where "giáo dục"
// stands, first, in both engines (the parity test has such queries).
func TestTypoPairs(t *testing.T) {
	ix := buildTestIndex(t, []Doc{
		viDoc("/giao-thong/", "Điều 5", "Giao thông công cộng và du lịch, dục tốc bất đạt."),
		viDoc("/giao-duc/", "Điều 28", "Trẻ em có quyền được giáo dục, học tập và vui chơi trong môi trường an toàn."),
	})
	if got := ix.corrections(clause{Text: "duk"}, "vi"); !reflect.DeepEqual(got, []string{"du", "duc"}) {
		t.Errorf("corrections(duk) = %v, want [du duc]", got)
	}
	for _, w := range []string{"duc", "dục", "du", "28"} {
		if got := ix.corrections(clause{Text: w}, "vi"); got != nil {
			t.Errorf("corrections(%s) = %v, want none", w, got)
		}
	}
	hits, err := ix.Search(context.Background(), Query{Text: "giao duk", Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(hits); len(got) != 2 || got[0] != "/giao-duc/" {
		t.Errorf("giao duk: %v, want /giao-duc/ first", got)
	}
}

// TestEdgeCases covers numbers, article numbers no convention has, and the
// look-alike letters of Đ.
func TestEdgeCases(t *testing.T) {
	art := func(id, title, body, kw string) Doc {
		d := viDoc(id, title, body)
		d.Keywords = kw
		return d
	}
	ix := buildTestIndex(t, []Doc{
		viDoc("/cv/", "Công văn", "Thực hiện Công văn 5768 năm 2024."),
		art("/crc/#dieu-5", "Điều 5", "Trách nhiệm của cha mẹ.", "crc\nđiều 5"),
		viDoc("/eth/", "Ðường đến trường", "Con \u00f0ường và con \u0256ường."), // Ð U+00D0, ð U+00F0, ɖ U+0256
	})
	for _, q := range []string{"5769", "2029", "576", "202"} {
		hits, err := ix.Search(context.Background(), Query{Text: q, Lang: "vi"})
		if err != nil || len(hits) != 0 {
			t.Errorf("%q: %v %v, want no hits (numbers are not typo-corrected or expanded)", q, ids(hits), err)
		}
	}
	if hits, _ := ix.Search(context.Background(), Query{Text: "5768", Lang: "vi"}); len(hits) != 1 {
		t.Errorf("5768: %v", ids(hits))
	}
	for _, q := range []string{"điều 55", "dieu 55 crc", "article 55"} {
		_, err := ix.Search(context.Background(), Query{Text: q})
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Key != "noarticle" || qe.Detail != "55" {
			t.Errorf("%q: %v, want a noarticle error for 55", q, err)
		}
	}
	if hits, err := ix.Search(context.Background(), Query{Text: "dieu 5 crc", Lang: "vi"}); err != nil || len(hits) == 0 || hits[0].ID != "/crc/#dieu-5" {
		t.Errorf("dieu 5 crc: %v %v", ids(hits), err)
	}
	for _, q := range []string{"đường", "Đường", "duong", "Ðường", "Ɖường"} {
		hits, err := ix.Search(context.Background(), Query{Text: q, Lang: "vi"})
		if err != nil || len(hits) == 0 || hits[0].ID != "/eth/" {
			t.Errorf("%q: %v %v, want /eth/", q, ids(hits), err)
		}
	}
	if DD("Ðiều ɖó") != "Điều đó" || Fold("ÐƉðɖ") != "DDdd" {
		t.Errorf("DD/Fold of look-alikes: %q %q", DD("Ðiều ɖó"), Fold("ÐƉðɖ"))
	}
}

// TestSnippetWords checks that snippets start and end at word boundaries and
// mark whole words.
func TestSnippetWords(t *testing.T) {
	body := strings.Repeat("quyền con người ", 20) + "bảo vệ trẻ em khỏi bạo lực gia đình " + strings.Repeat("và xâm hại ", 30)
	got := markText(body, []locSpan{{strings.Index(body, "trẻ"), strings.Index(body, "trẻ") + len("trẻ")}, {strings.Index(body, "em khỏi"), strings.Index(body, "em khỏi") + 2}}, 40)
	if !strings.HasPrefix(got, "… ") || !strings.HasSuffix(got, " …") {
		t.Fatalf("snippet %q", got)
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(got, "… "), " …")
	for _, w := range strings.Fields(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(inner)) {
		if !strings.Contains(" "+body+" ", " "+w+" ") {
			t.Errorf("snippet %q has a cut word %q", got, w)
		}
	}
	if !strings.Contains(got, "<mark>trẻ</mark> <mark>em</mark>") {
		t.Errorf("snippet %q does not mark whole words", got)
	}
	// A mark at the end of the window is not cut.
	got = markText("một hai ba bốn năm sáu bảy tám chín mười", []locSpan{{len("một hai ba bốn "), len("một hai ba bốn năm")}}, 16)
	if !strings.Contains(got, "<mark>năm</mark>") {
		t.Errorf("snippet %q cuts its mark", got)
	}
}

// TestBundleNamesFollowContent: every bundle file but index.js is named by
// its own content, so replacing one word of one document by another (the
// document's length unchanged) renames only the few files whose content
// changed, which is all a publish then copies; the rest keep their names.
func TestBundleNamesFollowContent(t *testing.T) {
	docs := loadFixture(t)
	names := func(docs []Doc) map[string]bool {
		t.Helper()
		dir := filepath.Join(t.TempDir(), "search")
		if err := Build(context.Background(), docs, dir, filepath.Join(t.TempDir(), "index.bleve")); err != nil {
			t.Fatal(err)
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		set := map[string]bool{}
		for _, e := range ents {
			set[e.Name()] = true
		}
		return set
	}
	before := names(docs)
	edited := append([]Doc(nil), docs...)
	i := len(edited) / 2
	body := edited[i].Body
	f := strings.Fields(body)
	if len(f) < 3 {
		t.Fatalf("fixture document %d is too short", i)
	}
	edited[i].Body = strings.Replace(body, f[1], "zyxwvutsrq", 1) // one word for another
	after := names(edited)
	renamed := 0
	for n := range after {
		if !before[n] {
			renamed++
		}
	}
	if !before["index.js"] || !after["index.js"] {
		t.Fatal("no index.js")
	}
	if renamed == 0 || renamed > 20 {
		t.Errorf("a one-word edit renamed %d of %d files, want a handful (the files whose content changed)", renamed, len(after))
	}
	t.Logf("a one-word edit renamed %d of %d bundle files", renamed, len(after))
}

// TestBundleFilesSince: a file named by its content hash is taken from the
// bundle held before instead of read again; index.js, whose name is fixed,
// is always read.
func TestBundleFilesSince(t *testing.T) {
	dir := t.TempDir()
	docs := []Doc{{ID: "/a/", URL: "/a/", PageURL: "/a/", Title: "A", PageTitle: "A", Body: "quyền trẻ em", Lang: "vi", Kind: "page"}}
	if err := Build(context.Background(), docs, dir, filepath.Join(t.TempDir(), "index.bleve")); err != nil {
		t.Fatal(err)
	}
	read, err := BundleFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	prev := map[string][]byte{"search/index.js": []byte("old")}
	var hashed string
	for name := range read {
		if name != "search/index.js" {
			hashed = name
			prev[name] = []byte("held")
		}
	}
	got, err := BundleFilesSince(dir, prev)
	if err != nil {
		t.Fatal(err)
	}
	if string(got[hashed]) != "held" || !bytes.Equal(got["search/index.js"], read["search/index.js"]) || len(got) != len(read) {
		t.Errorf("%s: %q, index.js %.20q: want the held copy, and index.js read again", hashed, got[hashed], got["search/index.js"])
	}
}
