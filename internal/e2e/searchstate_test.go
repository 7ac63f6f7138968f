package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"loa/internal/sitetest"
)

// status is one change of the search page's status line seen by the probe:
// when (ms since navigation), the text and aria-busy of the results then.
type status struct {
	At   float64
	Text string
	Busy string
}

func statuses(t *testing.T, b *sitetest.Browser) []status {
	t.Helper()
	raw := eval[[][]any](t, b, `window.__probe.statuses`)
	out := make([]status, len(raw))
	for i, r := range raw {
		out[i].At = r[0].(float64)
		out[i].Text = r[1].(string)
		out[i].Busy, _ = r[2].(string)
	}
	return out
}

// TestSearchShowsItsState types a query on the slow link and checks that the
// status line says "Đang tìm…" (with aria-busy) within 150 ms of the key
// that makes the first query (the second: one letter does not search), that nothing clears it before the current query has its result, and
// that it ends with the count of the listed results, not busy.
func TestSearchShowsItsState(t *testing.T) {
	dir := builtSite(t)
	base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
	b := slowBrowser(t, 2*time.Minute)
	for _, tc := range []struct{ page, q, searching, final string }{
		{"tim-kiem/index.html", "quyen tre em", "Đang tìm…", `^Đang hiển thị 10 trong (\d+) kết quả cho “quyen tre em”$`},
		{"en/search/index.html", "torture", "Searching…", `^Showing 10 of (\d+) results for “torture”$`},
	} {
		t.Run(tc.q, func(t *testing.T) {
			openLoaded(t, b, base+tc.page)
			settle(t, b, 500*time.Millisecond)
			typeSlowly(t, b, tc.q)
			firstResult(t, b)
			// The first hit is listed before the others arrive; the status follows them.
			if _, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](`!document.getElementById("search-results").hasAttribute("aria-busy")`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
				t.Fatalf("still busy: %v", err)
			}
			// The first key is a single letter, which does not search: the query starts at the second.
			first := eval[float64](t, b, `window.__probe.inputs[1]`)
			st := statuses(t, b)
			t.Logf("statuses: %v", st)
			var i int
			for i = 0; i < len(st) && st[i].Text == ""; i++ {
			}
			if i == len(st) || st[i].Text != tc.searching || st[i].At-first > 150 {
				t.Fatalf("status after the second key (at %.0f ms): %v, want %q within 150 ms", first, st, tc.searching)
			}
			if st[i].Busy != "true" {
				t.Errorf("aria-busy is %q while the status says %q", st[i].Busy, st[i].Text)
			}
			// From "Searching…" the status changes once: to the result of the current query.
			if rest := st[i+1:]; len(rest) != 1 {
				t.Errorf("after %q the status changed %d times, want once: %v", tc.searching, len(rest), rest)
			}
			last := st[len(st)-1]
			m := regexp.MustCompile(tc.final).FindStringSubmatch(last.Text)
			if m == nil {
				t.Fatalf("final status %q, want %s", last.Text, tc.final)
			}
			if n, _ := strconv.Atoi(m[1]); n <= 10 {
				t.Errorf("final status %q: want more than 10 results", last.Text)
			}
			if last.Busy != "" {
				t.Errorf("aria-busy is %q with the final status", last.Busy)
			}
			if n := eval[int](t, b, `document.querySelectorAll("#search-results li").length`); n != 10 {
				t.Errorf("%d results listed, the status says 10", n)
			}
		})
	}
}

// TestSearchWhileTyping types "quyen tre em" one key every 150 ms on the slow
// link: the first key (a single letter) sends no request, the debounce has
// grown with the measured load time, and the whole query sends few requests.
func TestSearchWhileTyping(t *testing.T) {
	dir := builtSite(t)
	base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
	b := slowBrowser(t, 2*time.Minute)
	openLoaded(t, b, base+"tim-kiem/index.html")
	settle(t, b, 500*time.Millisecond)
	typeSlowly(t, b, "q")
	time.Sleep(1500 * time.Millisecond)
	if r, _ := b.Traffic(); r != 0 {
		t.Errorf("typing one letter sent %d requests, want none", r)
	}
	if got := eval[string](t, b, `document.getElementById("search-status").textContent`); got != "" {
		t.Errorf("status after one letter: %q, want empty", got)
	}
	last := eval[float64](t, b, `loaSearch.lastLoadMs`)
	t.Logf("last bundle file took %.0f ms: debounce at least %.0f ms", last, min(600, max(150, last/4)))
	if last < 400 {
		t.Errorf("lastLoadMs = %.0f on a 400 ms link", last)
	}
	eval[bool](t, b, `(document.getElementById("search-q").value = "", true)`)
	typeSlowly(t, b, "quyen tre em")
	after, _ := firstResult(t, b)
	req, bytes := settle(t, b, time.Second)
	t.Logf("quyen tre em typed at 150 ms per key: %d requests, %.1f KiB, first result %.2f s after the last key", req, float64(bytes)/1024, after.Seconds())
	// Before issue 12: 44 requests, 187 KiB. Since bundle schema 6 every key
	// from the second letter of a word also loads that word's term chunk
	// (a few small files that are the query's own when the word is done):
	// 21 requests, 77 KiB.
	if req > 24 || bytes > 100<<10 {
		t.Errorf("typing sent %d requests, %.1f KiB, want at most 24 and 100 KiB: %v", req, float64(bytes)/1024, b.Requests())
	}
}

// TestSearchLinkOpensFast opens a shared ?q= link on the slow link and
// checks that the index was requested before the page's search scripts
// had run, and the time to the first result.
func TestSearchLinkOpensFast(t *testing.T) {
	dir := builtSite(t)
	base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
	b := slowBrowser(t, 2*time.Minute)
	b.Requests()
	navigate(t, b, base+"tim-kiem/index.html?q=bao%20luc%20gia%20dinh")
	_, open := firstResult(t, b)
	reqs := b.Requests()
	t.Logf("first result %.2f s after opening the link", open.Seconds())
	idx, ui := -1, -1
	for i, r := range reqs {
		if strings.HasSuffix(r, "/search/index.js") && idx < 0 {
			idx = i
		}
		if strings.HasSuffix(r, "/js/search.js") && ui < 0 {
			ui = i
		}
	}
	if idx < 0 || idx > ui+1 {
		t.Errorf("index.js requested at %d, search.js at %d: want the index with the page's scripts (%v)", idx, ui, reqs)
	}
	// Before: 6.5 s. The target, 2.5 s, is below what this link allows
	// (bench/RESULTS-search-phone.md): ~78 KB of page, style and scripts take
	// 1.6 s at 50,000 bytes/s, then three rounds of bundle files (lexicons,
	// term shards, titles) of 400 ms each plus their bytes. The gain is kept
	// by the request order asserted above (a deterministic check); the time
	// is logged and reported in the bench file, and bounded here only
	// against a hang, since a loaded CI machine moves timings.
	t.Logf("first result %.2f s after opening the link", open.Seconds())
	if open > 15*time.Second {
		t.Errorf("first result %.2f s after opening the link, want well under 15 s", open.Seconds())
	}
}

// TestSearchShowMore clicks "show more" on the search page at 360x740: the
// first ten results stay as they were, the new ones follow them, focus moves
// to the first new result's link, and the status counts what is listed.
func TestSearchShowMore(t *testing.T) {
	dir := builtSite(t)
	base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
	b := sitetest.NewBrowser(t)
	viewport(t, b, phoneW, phoneH, true)
	for _, tc := range []struct{ url, showing string }{
		{"tim-kiem/index.html?q=quyen", "Đang hiển thị %d trong %d kết quả cho “quyen”"},
		{"en/search/index.html?q=child", "Showing %d of %d results for “child”"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			navigate(t, b, base+tc.url)
			waitResults(t, b)
			links := `[...document.querySelectorAll("#search-results li h2 a")].map(a => a.getAttribute("href"))`
			before := eval[[]string](t, b, links)
			var total, shown int
			if _, err := fmt.Sscanf(eval[string](t, b, `document.getElementById("search-status").textContent`), tc.showing, &shown, &total); err != nil || shown != len(before) || shown != 10 {
				t.Fatalf("status %q (%v), %d results listed", eval[string](t, b, `document.getElementById("search-status").textContent`), err, len(before))
			}
			if err := chromedp.Do(b.Ctx, chromedp.Click(chromedp.CSS("#search-results .search-more"))); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](`document.querySelectorAll("#search-results li").length > 10 && !document.getElementById("search-results").ariaBusy`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
				t.Fatalf("show more added nothing: %v", err)
			}
			after := eval[[]string](t, b, links)
			want := min(total, 30)
			if len(after) != want || strings.Join(after[:10], " ") != strings.Join(before, " ") {
				t.Errorf("after show more: %d results, the first ten %v, want %d with the first ten unchanged %v", len(after), after[:min(10, len(after))], want, before)
			}
			if got := eval[string](t, b, `document.getElementById("search-status").textContent`); got != fmt.Sprintf(tc.showing, len(after), total) && !(len(after) == total) {
				t.Errorf("status %q, want %q", got, fmt.Sprintf(tc.showing, len(after), total))
			}
			focus := eval[string](t, b, `(() => { const a = document.activeElement, first = document.querySelectorAll("#search-results li")[10]; return first && first.querySelector("a") === a ? "" : (a.outerHTML || a.tagName).slice(0, 120); })()`)
			if focus != "" {
				t.Errorf("focus is on %s, want the first new result's link", focus)
			}
		})
	}
}
