package e2e

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"loa/internal/sitetest"
)

// TestNotFoundPage serves the built site under its configured sub-path and
// under another one, with a server that answers missing files with 404.html
// as Apache and nginx do, opens missing URLs at several depths and checks
// that the page is styled, has its skip link, and that every link and the
// search form lead to existing pages; then the same from disk.
func TestNotFoundPage(t *testing.T) {
	dir := builtSite(t)
	b := sitetest.NewBrowser(t)
	viewport(t, b, phoneW, phoneH, true)
	type start struct{ name, url, base string }
	var starts []start
	for _, prefix := range []string{"/quyen-con-nguoi/", "/other/path/"} {
		base := sitetest.ServeWith404(t, dir, prefix)
		// Probes reach one folder below the deepest page (en/conventions/crc/28/x/); deeper, only the
		// configured sub-path works (without script).
		missing := []string{"khong-co-trang-nay", "cong-uoc/crc/99/", "en/conventions/crc/28/x/", "a/b/c/d/e.html"}
		if prefix == "/quyen-con-nguoi/" {
			missing = append(missing, "en/conventions/crc/28/x/y/z/")
		}
		for _, missing := range missing {
			starts = append(starts, start{strings.Trim(prefix, "/") + "/" + missing, base + missing, base})
		}
	}
	starts = append(starts, start{"file", sitetest.FileURL(filepath.Join(dir, "404.html")), sitetest.FileURL(dir) + "/"})
	for _, st := range starts {
		t.Run(strings.NewReplacer("/", "_").Replace(st.name), func(t *testing.T) {
			navigate(t, b, st.url)
			// On another folder or from disk the stylesheet is repointed by js/loa-404.js after parsing: wait for it.
			if _, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](`getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() !== ""
				&& getComputedStyle(document.body).fontFamily.includes("system-ui")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
				t.Fatalf("the 404 page is not styled: %v (font %q)", err, eval[string](t, b, `getComputedStyle(document.body).fontFamily`))
			}
			got := eval[map[string]any](t, b, `({
				h1: document.querySelector("h1").textContent,
				skip: (document.querySelector("a.skip-link") || {}).hash || "",
				main: !!document.getElementById("main"),
				links: [...document.querySelectorAll("a[href]")].filter(a => !a.getAttribute("href").startsWith("#")).map(a => a.href),
				action: document.querySelector("main form[role=search]").action,
			})`)
			if got["h1"] == "" || got["skip"] != "#main" || got["main"] != true {
				t.Errorf("h1 %q, skip link to %q, main present %v", got["h1"], got["skip"], got["main"])
			}
			links := append(got["links"].([]any), got["action"])
			if len(links) < 8 {
				t.Errorf("only %d links", len(links))
			}
			for _, l := range links {
				if f := siteFile(t, dir, st.base, l.(string)); f == "" {
					t.Errorf("link %s is not a page of the site", l)
				}
			}
			if st.name == "other/path/cong-uoc/crc/99/" || st.name == "file" {
				// The search loader was loaded from the root too: the box shows results that lead into the site.
				if err := chromedp.Do(b.Ctx, chromedp.SendKeys(chromedp.CSS("#nf-q"), "tre em")); err != nil {
					t.Fatal(err)
				}
				hit, err := chromedp.Run(b.Ctx, chromedp.Poll[string](`(document.querySelector(".search-dropdown a[href]") || {}).href || false`, chromedp.WithPollingTimeout(20*time.Second)))
				if err != nil {
					t.Fatalf("no search results on the 404 page: %v", err)
				}
				if siteFile(t, dir, st.base, hit) == "" {
					t.Errorf("search result %s is not a page of the site", hit)
				}
				screenshot(t, b, "404-"+strings.Split(st.name, "/")[0])
			}
			// Probes for the root above the site's folder stay on the same server, or on the same disk.
			b.AssertNoThirdParty(t, strings.Join(strings.SplitAfterN(st.base, "/", 4)[:3], ""))
		})
	}
}

// siteFile maps a URL under base to the file of the built site in dir that
// it names, or returns "" when it is outside the site or missing.
func siteFile(t *testing.T, dir, base, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	u.RawQuery, u.Fragment = "", ""
	s := u.String()
	if !strings.HasPrefix(s, base) {
		return ""
	}
	rel, err := url.PathUnescape(strings.TrimPrefix(s, base))
	if err != nil {
		return ""
	}
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	f := filepath.Join(dir, filepath.FromSlash(rel))
	if st, err := os.Stat(f); err != nil || st.IsDir() {
		return ""
	}
	return f
}
