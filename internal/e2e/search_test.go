package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"loa/internal/publish"
	"loa/internal/sitetest"
)

// searchAndFollow types a query into the search page's box, waits for the
// results, checks the first one, follows it and returns where it landed.
func searchAndFollow(t *testing.T, b *sitetest.Browser, pageURL, query, wantFirst string) string {
	t.Helper()
	navigate(t, b, pageURL)
	if err := chromedp.Do(b.Ctx,
		chromedp.WaitVisible(chromedp.CSS("#search-q")),
		chromedp.SendKeys(chromedp.CSS("#search-q"), query),
	); err != nil {
		t.Fatalf("typing %q: %v", query, err)
	}
	// Results are rendered as links inside #search-results, in rank order.
	first, err := chromedp.Run(b.Ctx, chromedp.Poll[string](`(() => {
		const a = document.querySelector("#search-results a[href]");
		return a ? a.getAttribute("href") : false;
	})()`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		status, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.getElementById("search-status").textContent`))
		t.Fatalf("no result for %q (status: %q): %v", query, status, err)
	}
	if !strings.Contains(first, wantFirst) {
		t.Errorf("first result for %q links to %s, want %s", query, first, wantFirst)
	}
	// Follow the first result that names an article or section.
	href, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`(() => {
		const a = [...document.querySelectorAll("#search-results a[href]")].find(a => a.getAttribute("href").includes("#"));
		if (!a) return "";
		a.setAttribute("data-follow", "1");
		return a.getAttribute("href");
	})()`))
	if err != nil || href == "" {
		t.Fatalf("no result links to an article for %q (%v)", query, err)
	}
	if err := chromedp.Do(b.Ctx, chromedp.Click(chromedp.CSS(`#search-results a[data-follow]`))); err != nil {
		t.Fatalf("following %s: %v", href, err)
	}
	want := href[strings.Index(href, "#"):]
	deadline := time.Now().Add(15 * time.Second)
	for {
		// The page is navigating: evaluation fails until the new document exists.
		loc, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`(location.hash && document.querySelector(location.hash)) ? location.href : ""`))
		if err == nil && strings.HasSuffix(loc, want) {
			return loc
		}
		if time.Now().After(deadline) {
			t.Fatalf("following %s did not land on %s (at %q, %v)", href, want, loc, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestSearchOnBuiltSite types queries on the built site over HTTP and from
// disk, and follows the first result to the article it names.
func TestSearchOnBuiltSite(t *testing.T) {
	dir := builtSite(t)
	b := sitetest.NewBrowser(t)
	base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
	cases := []struct{ name, page, query, wantFirst, wantLanding string }{
		{"http-vi-no-diacritics", base + "tim-kiem/index.html", "tra tan", "cong-uoc/cat/", "#dieu-"},
		{"http-en", base + "en/search/index.html", "torture", "conventions/cat/", "#article-"},
		{"file-vi", sitetest.FileURL(filepath.Join(dir, "tim-kiem/index.html")), "quyen tre em duoc hoc", "cong-uoc/crc/", "#dieu-"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc := searchAndFollow(t, b, tc.page, tc.query, tc.wantFirst)
			if !strings.Contains(loc, tc.wantLanding) {
				t.Errorf("landed on %s, want an anchor %s…", loc, tc.wantLanding)
			}
		})
	}
	b.AssertNoThirdParty(t, base, sitetest.FileURL(dir)+"/")
}

// TestPackOpensFromDisk packs the built site, unzips it into a fresh folder,
// opens it from file:// and searches in it.
func TestPackOpensFromDisk(t *testing.T) {
	dir := builtSite(t)
	tmp := t.TempDir()
	zip := filepath.Join(tmp, "site.zip")
	if _, err := publish.Pack(context.Background(), publish.PackOptions{From: dir, Out: zip}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "unzipped")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := publish.Unpack(zip, out); err != nil {
		t.Fatal(err)
	}
	b := sitetest.NewBrowser(t)
	navigate(t, b, sitetest.FileURL(filepath.Join(out, "index.html")))
	if h1 := eval[string](t, b, `document.querySelector("h1").textContent`); h1 == "" {
		t.Errorf("the unzipped home page has no heading")
	}
	loc := searchAndFollow(t, b, sitetest.FileURL(filepath.Join(out, "tim-kiem/index.html")), "quyen tre em", "cong-uoc/")
	if !strings.HasPrefix(loc, sitetest.FileURL(out)) {
		t.Errorf("search result left the unzipped site: %s", loc)
	}
	b.AssertNoThirdParty(t, sitetest.FileURL(out)+"/")
}
