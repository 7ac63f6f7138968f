package e2e

import (
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"loa/internal/sitetest"
)

// The link: 400 kbit/s (50,000 bytes/s) with 400 ms round trips.
const (
	slowLatency    = 400 * time.Millisecond
	slowThroughput = 50000
	keyInterval    = 150 * time.Millisecond
)

// probeJS is added to every new document before its own scripts: it notes
// the times of the input events and of the first moment the search page
// shows a result for the query in __probe.want (by default the page's ?q=):
// a result link with the status naming the query, or in the list whose
// data-q is the query (search.js lists the first hit before the others),
// and the status texts it showed, with their times, all in milliseconds
// since the navigation started (performance.now()).
const probeJS = `(() => {
	const P = window.__probe = {want: new URLSearchParams(location.search).get("q"), inputs: [], lastInput: 0, first: 0, statuses: []};
	addEventListener("input", () => { P.lastInput = performance.now(); P.inputs.push(P.lastInput); }, true);
	let last = null;
	const check = () => {
		const st = document.getElementById("search-status");
		if (st && st.textContent !== last) { last = st.textContent; P.statuses.push([Math.round(performance.now()), last, (document.getElementById("search-results") || {}).ariaBusy || null]); }
		if (P.first || P.want == null || !st) return;
		const list = document.querySelector("#search-results ol[data-q]");
		if (document.querySelector("#search-results a[href]") && (st.textContent.includes("“" + P.want + "”") || (list && list.getAttribute("data-q") === P.want))) P.first = performance.now();
	};
	new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-busy"]});
})()`

// slowBrowser is a browser at 360x740 on the slow link, with the
// probe in every page.
func slowBrowser(t *testing.T, limit time.Duration) *sitetest.Browser {
	t.Helper()
	b := sitetest.NewBrowserFor(t, limit)
	viewport(t, b, phoneW, phoneH, true)
	if _, err := chromedp.Call(b.Ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probeJS}); err != nil {
		t.Fatal(err)
	}
	b.Throttle(t, slowLatency, slowThroughput)
	return b
}

// openLoaded opens a page and waits for its load event.
func openLoaded(t *testing.T, b *sitetest.Browser, u string) {
	t.Helper()
	navigate(t, b, u)
	if _, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](`document.readyState === "complete"`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("%s did not load: %v", u, err)
	}
}

// typeSlowly focuses the search box and types q one key every keyInterval,
// as a reader on a phone keyboard does.
func typeSlowly(t *testing.T, b *sitetest.Browser, q string) {
	t.Helper()
	if err := chromedp.Do(b.Ctx, chromedp.Focus(chromedp.CSS("#search-q"))); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, b, `(window.__probe.want = `+jsString(q)+`, true)`)
	start := time.Now()
	for i, r := range q {
		time.Sleep(time.Until(start.Add(time.Duration(i) * keyInterval)))
		if err := chromedp.Do(b.Ctx, chromedp.KeyEvent(string(r))); err != nil {
			t.Fatal(err)
		}
	}
}

// paste focuses the search box and inserts q at once, as pasting does.
func paste(t *testing.T, b *sitetest.Browser, q string) {
	t.Helper()
	if err := chromedp.Do(b.Ctx, chromedp.Focus(chromedp.CSS("#search-q"))); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, b, `(window.__probe.want = `+jsString(q)+`, true)`)
	if _, err := chromedp.Call(b.Ctx, input.InsertText, input.InsertTextParams{Text: q}); err != nil {
		t.Fatal(err)
	}
}

// firstResult waits for the probe to see a result for its query and returns
// the time from the last input event to it, and from the navigation to it.
func firstResult(t *testing.T, b *sitetest.Browser) (afterInput, afterOpen time.Duration) {
	t.Helper()
	got, err := chromedp.Run(b.Ctx, chromedp.Poll[[]float64](`window.__probe && window.__probe.first ? [window.__probe.lastInput, window.__probe.first] : null`,
		chromedp.WithPollingTimeout(40*time.Second), chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		t.Fatalf("no result for %q: %v (statuses %v)", eval[string](t, b, `window.__probe.want`), err, eval[any](t, b, `window.__probe.statuses`))
	}
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	return ms(got[1] - got[0]), ms(got[1])
}

// settle waits until the page has sent no request for quiet, so that the
// traffic a query caused is counted whole.
func settle(t *testing.T, b *sitetest.Browser, quiet time.Duration) (requests int, bytes int64) {
	t.Helper()
	for {
		time.Sleep(quiet)
		r, n := b.Traffic()
		requests += r
		bytes += n
		if r == 0 {
			return requests, bytes
		}
	}
}

// TestSearchPhoneBench is bench/search-phone.sh: on the slow link at
// 360x740, for each query it opens the search page and, once it has loaded,
// types the query one key every 150 ms, then opens it again and pastes the
// query, then opens the query's ?q= link; it reports the time to the first
// result and the requests and bytes the query caused (after the page had
// loaded, until the network is quiet). Every page load starts with an empty
// cache. It runs only with LOA_SEARCH_PHONE_BENCH=1.
func TestSearchPhoneBench(t *testing.T) {
	if os.Getenv("LOA_SEARCH_PHONE_BENCH") == "" {
		t.Skip("set LOA_SEARCH_PHONE_BENCH=1 (bench/search-phone.sh)")
	}
	dir := builtSite(t)
	base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
	if os.Getenv("LOA_SEARCH_PHONE_GZIP") == "1" {
		// As a portal's web server usually sends text: compressed.
		base = sitetest.ServeGzip(t, dir, "/quyen-con-nguoi/")
	}
	b := slowBrowser(t, 25*time.Minute)
	queries := []struct{ page, q string }{
		{"tim-kiem/index.html", "quyen tre em"},
		{"tim-kiem/index.html", "bao luc gia dinh"},
		{"tim-kiem/index.html", "tra tan"},
		{"tim-kiem/index.html", "lao dong tre em"},
		{"tim-kiem/index.html", "nguoi khuyet tat"},
		{"tim-kiem/index.html", "phan biet doi xu"},
		{"tim-kiem/index.html", "dieu 28"},
		{"tim-kiem/index.html", "quyền được học"},
		{"en/search/index.html", "child labour"},
		{"en/search/index.html", "torture"},
	}
	var rows, waterfall []string
	var sum [3]time.Duration
	var sumReq [2]int
	var sumBytes [2]int64
	for _, tc := range queries {
		openLoaded(t, b, base+tc.page)
		loadReq, loadBytes := settle(t, b, 500*time.Millisecond)
		typeSlowly(t, b, tc.q)
		typed, _ := firstResult(t, b)
		tReq, tBytes := settle(t, b, time.Second)

		openLoaded(t, b, base+tc.page)
		settle(t, b, 500*time.Millisecond)
		paste(t, b, tc.q)
		pasted, _ := firstResult(t, b)
		pReq, pBytes := settle(t, b, time.Second)

		navigate(t, b, base+tc.page+"?q="+url.QueryEscape(tc.q))
		_, link := firstResult(t, b)
		if tc == queries[0] {
			// Where the time of a ?q= link goes: every request, from the start of the navigation (ms).
			waterfall = eval[[]string](t, b, `[["nav", 0, Math.round(performance.getEntriesByType("navigation")[0].responseEnd)].join(" ")].concat(performance.getEntriesByType("resource").map(e => [e.name.replace(/^.*\/quyen-con-nguoi\//, ""), Math.round(e.startTime), Math.round(e.responseEnd)].join(" ")), ["first result", Math.round(window.__probe.first)].join(" "))`)
		}
		lReq, lBytes := settle(t, b, time.Second)

		rows = append(rows, fmt.Sprintf("| %s | %.2f s | %d / %.1f KiB | %.2f s | %d / %.1f KiB | %.2f s | %d / %.1f KiB | %d / %.1f KiB |",
			tc.q, typed.Seconds(), tReq, float64(tBytes)/1024, pasted.Seconds(), pReq, float64(pBytes)/1024,
			link.Seconds(), lReq, float64(lBytes)/1024, loadReq, float64(loadBytes)/1024))
		sum[0] += typed
		sum[1] += pasted
		sum[2] += link
		sumReq[0] += tReq
		sumReq[1] += pReq
		sumBytes[0] += tBytes
		sumBytes[1] += pBytes
	}
	n := time.Duration(len(queries))
	t.Log("| query | typed: last key -> first result | typed: requests / bytes | pasted: -> first result | pasted: requests / bytes | ?q= link: open -> first result | ?q= link: requests / bytes | page load before typing: requests / bytes |")
	t.Log("| --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, r := range rows {
		t.Log(r)
	}
	t.Logf("| **mean** | %.2f s | %.1f / %.1f KiB | %.2f s | %.1f / %.1f KiB | %.2f s | | |",
		(sum[0] / n).Seconds(), float64(sumReq[0])/float64(n), float64(sumBytes[0])/1024/float64(n),
		(sum[1] / n).Seconds(), float64(sumReq[1])/float64(n), float64(sumBytes[1])/1024/float64(n), (sum[2] / n).Seconds())
	t.Logf("")
	t.Logf("The ?q= link of %q, request by request (file, start, end of response, in ms since the navigation started):", queries[0].q)
	t.Logf("")
	for _, w := range waterfall {
		t.Logf("    %s", w)
	}
}
