package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"loa/internal/build"
	"loa/internal/sitetest"
)

var (
	siteOnce sync.Once
	siteDir  string
	siteErr  error
)

// builtSite builds the repository's site once per test binary into a
// temporary folder and returns the folder.
func builtSite(t *testing.T) string {
	t.Helper()
	siteOnce.Do(func() {
		root, err := filepath.Abs("../..")
		if err != nil {
			siteErr = err
			return
		}
		res, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS(root)})
		if err != nil {
			siteErr = err
			return
		}
		siteDir, siteErr = os.MkdirTemp("", "loa-e2e-")
		if siteErr != nil {
			return
		}
		siteErr = res.Write(context.Background(), build.WriteOptions{Out: filepath.Join(siteDir, "public"), Root: root, State: filepath.Join(siteDir, ".loa")})
	})
	if siteErr != nil {
		t.Fatalf("building the site: %v", siteErr)
	}
	return filepath.Join(siteDir, "public")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if siteDir != "" {
		os.RemoveAll(siteDir)
	}
	os.Exit(code)
}

func screenshot(t *testing.T, b *sitetest.Browser, name string) {
	t.Helper()
	dir := os.Getenv("LOA_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.Ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

func eval[T any](t *testing.T, b *sitetest.Browser, js string) T {
	t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

func navigate(t *testing.T, b *sitetest.Browser, url string) {
	t.Helper()
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
}

// TestPagesOverHTTPAndDisk opens the home page over HTTP under a sub-path and
// from disk, follows every internal link on it, and checks that each target
// loads, has a title and a main heading, and that nothing was requested from
// outside the site.
func TestPagesOverHTTPAndDisk(t *testing.T) {
	dir := builtSite(t)
	b := sitetest.NewBrowser(t)
	base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
	for _, start := range []struct{ name, url, origin string }{
		{"http", base, base},
		{"file", sitetest.FileURL(filepath.Join(dir, "index.html")), sitetest.FileURL(dir) + "/"},
	} {
		t.Run(start.name, func(t *testing.T) {
			navigate(t, b, start.url)
			screenshot(t, b, start.name+"-home")
			links := eval[[]string](t, b, `[...document.querySelectorAll("a[href]")].map(a => a.href).filter(h => !h.startsWith("mailto:"))`)
			if len(links) < 10 {
				t.Fatalf("home page has only %d links", len(links))
			}
			seen := map[string]bool{}
			for _, l := range links {
				u := strings.SplitN(l, "#", 2)[0]
				if seen[u] || !strings.HasPrefix(u, start.origin) {
					if !strings.HasPrefix(u, start.origin) {
						t.Errorf("link leaves the site: %s", l)
					}
					continue
				}
				seen[u] = true
				if start.name == "file" && strings.HasSuffix(u, "/") {
					t.Errorf("link to a folder does not work from disk: %s", l)
					continue
				}
				navigate(t, b, u)
				got := eval[map[string]any](t, b, `({title: document.title, h1: (document.querySelector("h1")||{}).textContent || "", lang: document.documentElement.lang})`)
				if got["title"] == "" || got["h1"] == "" || got["lang"] == "" {
					t.Errorf("%s: title %q, h1 %q, lang %q", u, got["title"], got["h1"], got["lang"])
				}
			}
			b.AssertNoThirdParty(t, start.origin)
		})
	}
}

// TestArticleShortURL opens /en/conventions/crc/28/ and /cong-uoc/crc/28/ and
// checks that the reader lands on article 28, over HTTP and from disk.
func TestArticleShortURL(t *testing.T) {
	dir := builtSite(t)
	b := sitetest.NewBrowser(t)
	base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
	cases := []struct{ name, url, wantPath, wantHash, wantText string }{
		// The test server answers …/index.html with the file, as nginx, Apache and IIS do.
		{"en-http", base + "en/conventions/crc/28/", "/quyen-con-nguoi/en/conventions/crc/index.html", "#article-28", "Article 28"},
		{"vi-http", base + "cong-uoc/crc/28/", "/quyen-con-nguoi/cong-uoc/crc/index.html", "#dieu-28", "Điều 28"},
		{"en-file", sitetest.FileURL(filepath.Join(dir, "en/conventions/crc/28/index.html")), filepath.Join(dir, "en/conventions/crc/index.html"), "#article-28", "Article 28"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			navigate(t, b, tc.url)
			// The redirect is a meta refresh: wait until the target has loaded.
			if err := chromedp.Do(b.Ctx, chromedp.WaitVisible(chromedp.CSS(tc.wantHash))); err != nil {
				t.Fatalf("waiting for %s: %v", tc.wantHash, err)
			}
			// Wait until (smooth) scrolling to the anchor has settled.
			got, err := chromedp.Run(b.Ctx, chromedp.Evaluate[map[string]any](`new Promise(done => {
				const el = document.querySelector(location.hash);
				let last = NaN;
				const check = () => {
					const top = el.getBoundingClientRect().top;
					if (top === last) done({path: location.pathname, hash: location.hash, text: el.textContent, top});
					else { last = top; setTimeout(check, 150); }
				};
				check();
			})`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if got["path"] != tc.wantPath || got["hash"] != tc.wantHash || !strings.Contains(got["text"].(string), tc.wantText) {
				t.Errorf("landed on %v, want %s%s (%q)", got, tc.wantPath, tc.wantHash, tc.wantText)
			}
			if top := got["top"].(float64); top < -5 || top > 200 {
				t.Errorf("article heading is not at the top of the viewport: top=%v", top)
			}
			screenshot(t, b, "article-"+tc.name)
		})
	}
}
