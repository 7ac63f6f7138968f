package sitetest

import (
	"bytes"
	"compress/gzip"
	"context"
	"loa/internal/testtool"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package installs the browser.
const ChromiumPath = "/usr/bin/chromium"

// Browser is a headless Chromium for one test, with a record of every
// request pages made.
type Browser struct {
	Ctx context.Context

	mu       sync.Mutex
	requests []string
	bytes    float64 // bytes received for finished requests since the last Traffic
	count    int     // requests sent since the last Traffic
}

// NewBrowser starts headless Chromium with a fresh profile. It fails the test
// when Chromium is missing: `make test` installs it. The browser stops when
// the test ends.
func NewBrowser(t testing.TB) *Browser {
	t.Helper()
	return NewBrowserFor(t, 2*time.Minute)
}

// NewBrowserFor is NewBrowser for a test that needs the browser longer than
// two minutes (a benchmark).
func NewBrowserFor(t testing.TB, limit time.Duration) *Browser {
	t.Helper()
	path := ChromiumPath
	if p := os.Getenv("LOA_CHROMIUM"); p != "" {
		path = p
	}
	path = testtool.Tool(t, path, "chromium")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("allow-file-access-from-files", false),
		chromedp.WindowSize(412, 915),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, limit)
	b := &Browser{Ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.mu.Lock()
			b.requests = append(b.requests, e.Request.URL)
			b.count++
			b.mu.Unlock()
		case *network.EventLoadingFinished:
			b.mu.Lock()
			b.bytes += e.EncodedDataLength
			b.mu.Unlock()
		}
	})
	if err == nil {
		_, err = chromedp.Call(ctx, network.Enable, network.EnableParams{})
	}
	if err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
	})
	return b
}

// Requests returns the URLs requested so far and forgets them.
func (b *Browser) Requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := b.requests
	b.requests = nil
	return r
}

// Traffic returns how many requests pages sent and how many bytes they
// received (headers and bodies, as on the wire) since the last call.
func (b *Browser) Traffic() (requests int, bytes int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	requests, bytes = b.count, int64(b.bytes)
	b.count, b.bytes = 0, 0
	return requests, bytes
}

// Throttle makes every request of the browser go over a slow link: latency
// is added to each request before its response starts, and all responses
// share throughput bytes per second (the phone link is 400 ms and
// 50,000 bytes/s, 400 kbit/s). The cache is turned off, so each page load
// transfers what a first visit transfers.
func (b *Browser) Throttle(t testing.TB, latency time.Duration, throughput float64) {
	t.Helper()
	if _, err := chromedp.Call(b.Ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{
			Latency:            float64(latency.Milliseconds()),
			DownloadThroughput: throughput,
			UploadThroughput:   throughput,
		}},
	}); err != nil {
		t.Fatalf("throttling the network: %v", err)
	}
	if _, err := chromedp.Call(b.Ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatalf("turning the cache off: %v", err)
	}
}

// AssertNoThirdParty fails if any request went outside the allowed prefix
// (the test server's origin, or the file:// folder of the site).
func (b *Browser) AssertNoThirdParty(t testing.TB, allowed ...string) {
	t.Helper()
	for _, r := range b.Requests() {
		ok := strings.HasPrefix(r, "data:")
		for _, a := range allowed {
			if strings.HasPrefix(r, a) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("request outside the site: %s", r)
		}
	}
}

// Serve serves dir over HTTP on loopback under the sub-path prefix (for
// example "/quyen-con-nguoi/") and returns the base URL.
func Serve(t testing.TB, dir, prefix string) string {
	t.Helper()
	return serve(t, prefix, fileServer(dir))
}

// fileServer is Go's file server, except that it answers ".../index.html"
// with that file, as nginx, Apache and IIS do, where Go's redirects it to
// ".../" (one more round trip for every page the site links to).
func fileServer(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/index.html") {
			if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(r.URL.Path))); err == nil && st.Mode().IsRegular() {
				r2 := r.Clone(r.Context())
				r2.URL.Path = strings.TrimSuffix(r.URL.Path, "index.html")
				files.ServeHTTP(w, r2)
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}

// ServeGzip is Serve with gzip compression of responses for clients that
// accept it, as a portal's web server usually sends HTML, CSS and scripts
// (Content-Length is then the compressed size on the wire).
func ServeGzip(t testing.TB, dir, prefix string) string {
	t.Helper()
	files := fileServer(dir)
	return serve(t, prefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			files.ServeHTTP(w, r)
			return
		}
		rec := &bufferedResponse{header: http.Header{}}
		files.ServeHTTP(rec, r)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if rec.status != http.StatusOK {
			w.WriteHeader(rec.status)
			w.Write(rec.body.Bytes())
			return
		}
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write(rec.body.Bytes())
		zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(zb.Len()))
		w.Header().Add("Vary", "Accept-Encoding")
		w.WriteHeader(http.StatusOK)
		w.Write(zb.Bytes())
	}))
}

// bufferedResponse records a response so that ServeGzip can compress it.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) WriteHeader(code int)        { b.status = code }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }

// ServeWith404 is Serve, but answers a missing file with the site's
// 404.html and status 404, as Apache's ErrorDocument and nginx's error_page
// do: the page is sent at the missing URL, at any depth.
func ServeWith404(t testing.TB, dir, prefix string) string {
	t.Helper()
	files := http.FileServer(http.Dir(dir))
	return serve(t, prefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
		if _, err := os.Stat(name); err != nil {
			body, err := os.ReadFile(filepath.Join(dir, "404.html"))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(body)
			return
		}
		files.ServeHTTP(w, r)
	}))
}

func serve(t testing.TB, prefix string, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(prefix, http.StripPrefix(strings.TrimSuffix(prefix, "/"), h))
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + prefix
}

// FileURL returns the file:// URL of a path.
func FileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: path}).String()
}
