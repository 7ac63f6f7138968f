package feed

import (
	"strings"
	"testing"
	"time"
)

func TestSitemap(t *testing.T) {
	got := string(Sitemap([]URL{
		{Loc: "https://e.vn/b/?x=1&y=2"},
		{Loc: "https://e.vn/a/", Lastmod: time.Date(2024, 4, 5, 10, 0, 0, 0, time.UTC)},
	}))
	want := `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://e.vn/a/</loc><lastmod>2024-04-05</lastmod></url>
  <url><loc>https://e.vn/b/?x=1&amp;y=2</loc></url>
</urlset>
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestRSS(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC) }
	var items []Item
	for i := 1; i <= MaxItems+5; i++ {
		items = append(items, Item{Title: "T", Link: "https://e.vn/p" + string(rune('a'+i%26)) + "/", Date: d(1 + i%28)})
	}
	items = append(items, Item{Title: "Mới <nhất>", Link: "https://e.vn/new/", Date: d(29), Description: "a & b"})
	got := string(RSS("Trang", "https://e.vn/", "vi", items))
	if n := strings.Count(got, "<item>"); n != MaxItems {
		t.Errorf("%d items, want %d", n, MaxItems)
	}
	first := strings.Index(got, "<item>")
	if !strings.HasPrefix(got[first:], "<item><title>Mới &lt;nhất&gt;</title><link>https://e.vn/new/</link><guid>https://e.vn/new/</guid><pubDate>Mon, 29 Jan 2024 00:00:00 +0000</pubDate><description>a &amp; b</description></item>") {
		t.Errorf("newest item first, escaped:\n%s", got[first:first+300])
	}
}

func TestRedirect(t *testing.T) {
	got := string(Redirect("vi", `Điều 28 — "CRC"`, "https://e.vn/cong-uoc/crc/#dieu-28", "../index.html#dieu-28"))
	for _, w := range []string{`<html lang="vi">`, `<title>Điều 28 — &#34;CRC&#34;</title>`, `<meta http-equiv="refresh" content="0; url=../index.html#dieu-28">`,
		`<link rel="canonical" href="https://e.vn/cong-uoc/crc/#dieu-28">`, `<a href="../index.html#dieu-28">`} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %s in:\n%s", w, got)
		}
	}
}
