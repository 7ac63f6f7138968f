package search

import (
	"context"
	"encoding/json"
	"fmt"
	"loa/internal/testtool"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser test serves a small site (a search page, a convention page with
// a header search box, and the fixture's bundle) and drives headless Chromium
// over HTTP and from file://. It is skipped when Chromium is not installed.

const testSearchPage = `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Tìm kiếm</title></head>
<body>
<form class="search-form" action="index.html" role="search"><input type="search" name="q" data-loa-search aria-label="q"></form>
<main>
<form role="search" data-loa-search-form>
<input id="search-q" type="search" name="q" data-loa-search>
<select name="lang"><option value="vi" selected>vi</option><option value="">all</option></select>
<select name="kind"><option value="">all</option></select>
<select name="code"><option value="">all</option></select>
</form>
<p id="search-status" role="status" aria-live="polite"></p>
<section id="search-results"></section>
<script src="../js/search.js" data-search-root="../search/index.html" defer></script>
</main>
<script src="../js/search-loader.js" data-search-root="../" data-search-page="index.html" defer></script>
</body></html>`

const testOtherPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>CRC</title></head>
<body>
<form class="search-form" action="../../search/index.html" role="search"><input id="hq" type="search" name="q" data-loa-search aria-label="q"></form>
<main><h1>Convention on the Rights of the Child</h1></main>
<script src="../../../js/search-loader.js" data-search-root="../../../" data-search-page="../../search/index.html" defer></script>
</body></html>`

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(to), 0o755)
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeTestSite(t *testing.T) string {
	t.Helper()
	site := t.TempDir()
	if err := Build(context.Background(), loadFixture(t), filepath.Join(site, "search"), filepath.Join(t.TempDir(), "index.bleve")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"js/search-engine.js", "js/search.js", "js/search-loader.js", "css/search.css"} {
		copyFile(t, filepath.Join("../../static", f), filepath.Join(site, f))
	}
	for path, page := range map[string]string{"tim-kiem/index.html": testSearchPage, "en/conventions/crc/index.html": testOtherPage} {
		os.MkdirAll(filepath.Dir(filepath.Join(site, path)), 0o755)
		if err := os.WriteFile(filepath.Join(site, path), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return site
}

// browser wraps a chromedp tab for the test.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := testtool.Tool(t, "/usr/bin/chromium", "chromium")
	if p := os.Getenv("LOA_CHROMIUM"); p != "" {
		path = testtool.Tool(t, p, "chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx); err != nil { // starts the browser; no timeout on this first call
		t.Fatalf("chromium does not start: %v", err)
	}
	ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel3)
	return &browser{t: t, ctx: ctx}
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

func evalJS[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%.60s: %v", expr, err)
	}
	return v
}

func (b *browser) poll(expr string, d time.Duration) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(d))); err != nil {
		b.t.Fatalf("waiting for %s: %v", expr, err)
	}
}

// query sets the search box and fires its input event (as typing does).
const setQuery = `(q => { const i = document.querySelector('#search-q'); i.value = q; i.dispatchEvent(new Event('input')); })`

func TestBrowser(t *testing.T) {
	b := newBrowser(t)
	site := writeTestSite(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	defer srv.Close()

	for _, c := range []struct{ name, base string }{{"http", srv.URL + "/"}, {"file", "file://" + filepath.ToSlash(site) + "/"}} {
		t.Run(c.name, func(t *testing.T) {
			b.t = t
			// A search page opened with ?q= searches at once; results link to the article.
			b.do(chromedp.Navigate(c.base + "tim-kiem/index.html?q=quyen+tre+em+duoc+hoc"))
			b.poll(`document.querySelector('#search-results h2 a')`, 15*time.Second)
			href := evalJS[string](b, `document.querySelector('#search-results h2 a').getAttribute('href')`)
			status := evalJS[string](b, `document.querySelector('#search-status').textContent`)
			if href != "../cong-uoc/crc/index.html" || !strings.Contains(status, "kết quả") {
				t.Errorf("first link %q, status %q", href, status)
			}
			// Typing a new query with all languages replaces the results.
			evalJS[chromedp.Void](b, `document.querySelector('select[name=lang]').value = ''`)
			b.do(chromedp.Focus(chromedp.CSS("#search-q")))
			evalJS[chromedp.Void](b, `document.querySelector('#search-q').value = ''`)
			b.do(chromedp.SendKeys(chromedp.CSS("#search-q"), "torture"))
			// One item per hit: the first article link is CAT's.
			b.poll(`/conventions\/cat\/index\.html#article-/.test((document.querySelector('#search-results a[href*="#"]')||{}).href||'')`, 15*time.Second)
			if loc := evalJS[string](b, `location.search`); c.name == "http" && !strings.Contains(loc, "q=torture") {
				t.Errorf("location.search %q", loc)
			}
			// Arrow down from the box moves to the first result.
			b.do(chromedp.SendKeys(chromedp.CSS("#search-q"), kb.ArrowDown))
			if tag := evalJS[string](b, `document.activeElement.tagName`); tag != "A" {
				t.Errorf("ArrowDown focused %s", tag)
			}
			// Bad input: a message, no exception, the page stays usable.
			for _, q := range []string{`"`, `+`, `!!!`, `<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>`,
				strings.Repeat("quyền ", 3000), `/tor.*/ [1 TO 5] title:x^2`} {
				evalJS[chromedp.Void](b, setQuery+`(`+jsString(q)+`)`)
				b.do(chromedp.Sleep(500 * time.Millisecond)) // the input handler waits 120 ms
				status := evalJS[string](b, `document.querySelector('#search-status').textContent`)
				if evalJS[bool](b, `!!window.pwned || !!document.querySelector('#search-results script, #search-results img')`) {
					t.Errorf("%.20q: markup from the query was used", q)
				}
				if strings.TrimSpace(status) == "" {
					t.Errorf("%.20q: no message", q)
				}
			}
			evalJS[chromedp.Void](b, setQuery+`("tra tấn")`)
			b.poll(`/tra tấn/.test(document.querySelector('#search-status').textContent) && document.querySelector('#search-results mark')`, 10*time.Second)
		})
	}

	t.Run("lazy", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Navigate(srv.URL+"/en/conventions/crc/index.html"), chromedp.Sleep(300*time.Millisecond))
		before := evalJS[[]string](b, `performance.getEntriesByType('resource').map(e => e.name)`)
		for _, r := range before {
			if !strings.HasSuffix(r, "search-loader.js") {
				t.Errorf("loaded before focus: %s", r)
			}
		}
		b.do(chromedp.Focus(chromedp.CSS("#hq")), chromedp.SendKeys(chromedp.CSS("#hq"), "best interests"))
		b.poll(`document.querySelector('.search-dropdown h3 a')`, 15*time.Second)
		href := evalJS[string](b, `document.querySelector('.search-dropdown h3 a').getAttribute('href')`)
		if !strings.HasPrefix(href, "../../../en/conventions/") {
			t.Errorf("dropdown link %q", href)
		}
	})

	t.Run("querytime", func(t *testing.T) {
		b.t = t
		var list []string
		for _, q := range readQueries(t) {
			list = append(list, jsString(q.Q))
		}
		b.do(chromedp.Navigate(srv.URL + "/tim-kiem/index.html"))
		b.poll(`window.loaSearch && loaSearch.engine`, 10*time.Second)
		ms := evalJS[[]float64](b, `(async () => { const qs = [`+strings.Join(list, ",")+`]; const out = [];
			for (const q of qs) { try { await loaSearch.engine.search(q, {lang: ''}); } catch (e) {}
			  const t0 = performance.now(); try { await loaSearch.engine.search(q, {lang: ''}); } catch (e) {}
			  out.push(performance.now() - t0); } return out; })()`)
		sort.Float64s(ms)
		p95 := ms[len(ms)*95/100]
		t.Logf("Chromium query time over %d queries, files loaded: median %.2f ms, p95 %.2f ms, max %.2f ms", len(ms), ms[len(ms)/2], p95, ms[len(ms)-1])
		if p95 > 10 {
			t.Errorf("p95 query time %.2f ms, want < 10 ms", p95)
		}
	})

	t.Run("broken bundle", func(t *testing.T) {
		b.t = t
		broken := writeTestSite(t)
		idx := filepath.Join(broken, "search", "index.js")
		orig, _ := os.ReadFile(idx)
		os.WriteFile(idx, []byte(strings.Replace(string(orig), fmt.Sprintf(`{"v":%d,`, SchemaVersion), `{"v":99,`, 1)), 0o644)
		b.do(chromedp.Navigate("file://" + filepath.ToSlash(broken) + "/tim-kiem/index.html?q=quyen"))
		b.poll(`document.querySelector('#search-status').textContent.length > 20`, 10*time.Second)
		if status := evalJS[string](b, `document.querySelector('#search-status').textContent`); !strings.Contains(status, "Chỉ mục tìm kiếm không khớp") {
			t.Errorf("schema status %q", status)
		}
		os.WriteFile(idx, orig, 0o644)
		shards, _ := filepath.Glob(filepath.Join(broken, "search", "t.*.js"))
		for _, s := range shards {
			os.Remove(s)
		}
		b.do(chromedp.Navigate("file://" + filepath.ToSlash(broken) + "/tim-kiem/index.html?q=quyen"))
		b.poll(`document.querySelector('#search-status').textContent.length > 20`, 25*time.Second)
		if status := evalJS[string](b, `document.querySelector('#search-status').textContent`); !strings.Contains(status, "Không tải được") {
			t.Errorf("missing shard status %q", status)
		}
	})
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
