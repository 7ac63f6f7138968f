package treaty

import "testing"

func TestArticleAnchor(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		id   string
	}{{"vi", 28, "dieu-28"}, {"en", 1, "article-1"}, {"fr", 3, "article-3"}} {
		if got := ArticleAnchor(c.lang, c.n); got != c.id {
			t.Errorf("ArticleAnchor(%s, %d) = %s, want %s", c.lang, c.n, got, c.id)
		}
		if n, ok := ArticleNumber(c.lang, c.id); !ok || n != c.n {
			t.Errorf("ArticleNumber(%s, %s) = %d, %v", c.lang, c.id, n, ok)
		}
	}
	for _, id := range []string{"dieu-", "dieu-0", "dieu-1a", "article-2", "phan-1", "loi-noi-dau", "dieu--3"} {
		if n, ok := ArticleNumber("vi", id); ok {
			t.Errorf("ArticleNumber(vi, %s) = %d, want no article", id, n)
		}
	}
}

func TestParseCitation(t *testing.T) {
	if c, ok := ParseCitation("convention:crc/28"); !ok || c != (Citation{"crc", 28}) {
		t.Errorf("got %+v %v", c, ok)
	}
	for _, bad := range []string{"convention:crc/0", "convention:CRC/1", "convention:crc/", "convention:crc/28#x", "crc/28"} {
		if _, ok := ParseCitation(bad); ok {
			t.Errorf("ParseCitation(%q) accepted", bad)
		}
	}
}
