package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// fileSet describes a folder of search files.
type fileSet struct {
	dir            string
	files          int
	raw, gz        int64
	largest        string
	largestRaw     int64
	largestGz      int64
	kinds          map[string]int // file count per kind (first name part)
	clientRaw      int64          // loa only: js/search.js + js/search-loader.js
	clientGz       int64
	clientFileList []string
}

// gzSize is the size a server sends with gzip: the file itself when it is
// gzip data already (Pagefind's), else its gzip at the default level.
func gzSize(b []byte) int64 {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		return int64(len(b))
	}
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return int64(buf.Len())
}

var gzCache sync.Map // path -> int64

func gzFile(p string) (raw, gz int64, err error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return 0, 0, err
	}
	if v, ok := gzCache.Load(p); ok {
		return int64(len(b)), v.(int64), nil
	}
	g := gzSize(b)
	gzCache.Store(p, g)
	return int64(len(b)), g, nil
}

func scanFiles(dir string) (fileSet, error) {
	s := fileSet{dir: dir, kinds: map[string]int{}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		g := gzSize(b)
		s.files++
		s.raw += int64(len(b))
		s.gz += g
		rel, _ := filepath.Rel(dir, p)
		if int64(len(b)) > s.largestRaw {
			s.largest, s.largestRaw, s.largestGz = filepath.ToSlash(rel), int64(len(b)), g
		}
		kind := strings.SplitN(strings.SplitN(filepath.ToSlash(rel), "/", 2)[0], ".", 2)[0]
		if strings.Contains(rel, string(filepath.Separator)) {
			kind = strings.SplitN(filepath.ToSlash(rel), "/", 2)[0] + "/"
		}
		s.kinds[kind]++
		return nil
	})
	return s, err
}

func measureSearchFiles(t *tools, r *results) error {
	var err error
	if r.loaFiles, err = scanFiles(filepath.Join(t.loaSite, "public", "search")); err != nil {
		return err
	}
	for _, f := range []string{"js/search.js", "js/search-loader.js"} {
		raw, gz, err := gzFile(filepath.Join(t.loaSite, "public", filepath.FromSlash(f)))
		if err == nil {
			r.loaFiles.clientRaw += raw
			r.loaFiles.clientGz += gz
			r.loaFiles.clientFileList = append(r.loaFiles.clientFileList, f)
		}
	}
	if r.pfFiles, err = scanFiles(filepath.Join(t.hugoSite, "public", "pagefind")); err != nil {
		return err
	}
	logf("search files: loa %d files, %d bytes (%d gzip); Pagefind %d files, %d bytes (%d gzip)",
		r.loaFiles.files, r.loaFiles.raw, r.loaFiles.gz, r.pfFiles.files, r.pfFiles.raw, r.pfFiles.gz)
	return nil
}

// benchQuery is one of the fixed queries; both tools get the same text, and
// each searches the pages of Lang (Pagefind from a page in that language,
// loa with its lang filter, as its search page does by default).
type benchQuery struct {
	Kind, Q, Lang string
}

var queries = []benchQuery{
	{"common word", "quyền", "vi"},
	{"common words", "trẻ em", "vi"},
	{"common words", "quyền trẻ em", "vi"},
	{"common words", "người khuyết tật", "vi"},
	{"phrase", `"bảo vệ trẻ em"`, "vi"},
	{"rare word", "00742", "vi"},
	{"prefix", "phân bi", "vi"},
	{"common words (en)", "rights of the child", "en"},
	{"phrase (en)", `"equal basis with others"`, "en"},
	{"prefix (en)", "educat", "en"},
}

// queryCost is what one first query cost one tool.
type queryCost struct {
	hits      int
	requests  int   // every request, client code included
	bytes     int64 // sent with gzip (see gzSize), client code included
	raw       int64
	dataReqs  int // index and result data only
	dataBytes int64
	files     []string
	err       string
}

func measureQueries(ctx context.Context, t *tools, r *results) error {
	logf("first queries: loa in Node (run-queries.js)")
	var err error
	if r.loaQueries, err = loaQueries(ctx, t, r); err != nil {
		return err
	}
	logf("first queries: Pagefind in headless Chromium")
	if r.pfQueries, err = pagefindQueries(ctx, t); err != nil {
		return err
	}
	for i, q := range queries {
		logf("  %-28q loa %d hits, %d requests, %d B gzip | Pagefind %d hits, %d requests, %d B gzip",
			q.Q, r.loaQueries[i].hits, r.loaQueries[i].requests, r.loaQueries[i].bytes,
			r.pfQueries[i].hits, r.pfQueries[i].requests, r.pfQueries[i].bytes)
	}
	return nil
}

// loaQueries runs loa's client in Node over the bundle. run-queries.js
// reports the bundle files each query loaded by name; the names are
// resolved against the bundle folder by trying them as given, with the
// suffix the script appends (read from the script itself, so a change of
// file format on the search branch is followed), and with any suffix a
// bundle file of that name has.
func loaQueries(ctx context.Context, t *tools, r *results) ([]queryCost, error) {
	script := filepath.Join(t.cfg.repo, "internal", "search", "jstest", "run-queries.js")
	src, err := os.ReadFile(script)
	if err != nil {
		return nil, err
	}
	r.runQueriesHeader = headerComment(string(src))
	suffixes := []string{""}
	for _, m := range regexp.MustCompile(`file\s*\+\s*['"](\.[A-Za-z0-9.]+)['"]`).FindAllStringSubmatch(string(src), -1) {
		suffixes = append(suffixes, m[1])
	}
	type in struct {
		Q    string `json:"q"`
		Lang string `json:"lang"`
		Kind string `json:"kind"`
		Code string `json:"code"`
	}
	var qs []in
	for _, q := range queries {
		qs = append(qs, in{Q: q.Q, Lang: q.Lang})
	}
	input, _ := json.Marshal(qs)
	inFile := filepath.Join(t.cfg.work, "logs", "loa-queries.json")
	os.WriteFile(inFile, input, 0o644)
	bundle := filepath.Join(t.loaSite, "public", "search")
	out, err := runLoggedStdin(ctx, t.cfg, "loa-queries", t.cfg.repo, []string{"LOA_TRACE=1"}, input, t.cfg.node, script, bundle)
	if err != nil {
		return nil, err
	}
	var res []struct {
		Hits  [][]any  `json:"hits"`
		Files []string `json:"files"`
		Error any      `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return nil, fmt.Errorf("run-queries.js output: %v (its header says:\n%s)", err, r.runQueriesHeader)
	}
	if len(res) != len(queries) {
		return nil, fmt.Errorf("run-queries.js answered %d of %d queries", len(res), len(queries))
	}
	costs := make([]queryCost, len(res))
	for i, x := range res {
		c := queryCost{hits: len(x.Hits), files: x.Files}
		if x.Error != nil {
			c.err = fmt.Sprint(x.Error)
		}
		if x.Files == nil && x.Error == nil {
			return nil, fmt.Errorf("run-queries.js did not report the files it loaded (LOA_TRACE=1); its header says:\n%s", r.runQueriesHeader)
		}
		for _, f := range x.Files {
			p, err := resolveBundleFile(bundle, f, suffixes)
			if err != nil {
				return nil, err
			}
			raw, gz, err := gzFile(p)
			if err != nil {
				return nil, err
			}
			c.dataReqs++
			c.dataBytes += gz
			c.raw += raw
		}
		// The search page also loads the client script (search-loader.js is
		// on every page already).
		c.requests = c.dataReqs + 1
		c.bytes = c.dataBytes + gzOf(filepath.Join(t.loaSite, "public", "js", "search.js"))
		c.raw += rawOf(filepath.Join(t.loaSite, "public", "js", "search.js"))
		costs[i] = c
	}
	return costs, nil
}

func gzOf(p string) int64  { _, g, _ := gzFile(p); return g }
func rawOf(p string) int64 { r, _, _ := gzFile(p); return r }

func resolveBundleFile(dir, name string, suffixes []string) (string, error) {
	for _, s := range suffixes {
		p := filepath.Join(dir, filepath.FromSlash(name+s))
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(name)+".*")); len(m) == 1 {
		return m[0], nil
	}
	return "", fmt.Errorf("run-queries.js reported file %q, which is not in %s (tried suffixes %q)", name, dir, suffixes)
}

// headerComment returns the leading // comment block of a script.
func headerComment(src string) string {
	var b strings.Builder
	for _, line := range strings.Split(src, "\n") {
		if !strings.HasPrefix(line, "//") {
			break
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func runLoggedStdin(ctx context.Context, c *config, name, dir string, env []string, stdin []byte, prog string, args ...string) (string, error) {
	f := filepath.Join(c.work, "logs", name+".stdin")
	if err := os.WriteFile(f, stdin, 0o644); err != nil {
		return "", err
	}
	return runLogged(ctx, c, name, dir, env, "sh", append([]string{"-c", `f=$1; shift; exec "$@" < "$f"`, "sh", f, prog}, args...)...)
}

// staticServer serves a folder on 127.0.0.1 and logs every request with the
// bytes it sent.
type staticServer struct {
	root string
	srv  *http.Server
	url  string
	mu   sync.Mutex
	log  []served
}

type served struct {
	path  string
	bytes int64
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

func newStaticServer(root string) (*staticServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &staticServer{root: root, url: "http://" + l.Addr().String()}
	fsrv := http.FileServer(http.Dir(root))
	s.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		cw := &countingWriter{ResponseWriter: w}
		fsrv.ServeHTTP(cw, r)
		s.mu.Lock()
		s.log = append(s.log, served{r.URL.Path, cw.n})
		s.mu.Unlock()
	})}
	go s.srv.Serve(l)
	return s, nil
}

func (s *staticServer) mark() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.log)
}

func (s *staticServer) since(k int) []served {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]served(nil), s.log[k:]...)
}

// pagefindCode lists Pagefind's client code (as opposed to index data).
func pagefindCode(p string) bool {
	b := path.Base(p)
	return strings.HasSuffix(b, ".js") || strings.HasPrefix(b, "wasm.")
}

// pagefindQueries runs each query in a fresh browser context (empty cache)
// on a page in the query's language: import pagefind.js, search, load the
// data of the first 10 results (what Pagefind's UI shows first).
func pagefindQueries(ctx context.Context, t *tools) ([]queryCost, error) {
	public := filepath.Join(t.hugoSite, "public")
	srv, err := newStaticServer(public)
	if err != nil {
		return nil, err
	}
	defer srv.srv.Close()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(t.cfg.chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(filepath.Join(t.cfg.work, "chromium-profile")),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-extensions", true),
		// Nothing but 127.0.0.1 resolves.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
	}
	os.RemoveAll(filepath.Join(t.cfg.work, "chromium-profile"))
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()
	bctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	if err := chromedp.Do(bctx); err != nil {
		return nil, fmt.Errorf("starting %s: %v", t.cfg.chromium, err)
	}
	costs := make([]queryCost, len(queries))
	for i, q := range queries {
		qctx, cancelQ := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
		qctx, cancelT := context.WithTimeout(qctx, 3*time.Minute)
		page := srv.url + "/"
		if q.Lang == "en" {
			page = srv.url + "/en/"
		}
		if err := chromedp.Do(qctx, chromedp.Navigate(page)); err != nil {
			cancelT()
			cancelQ()
			return nil, fmt.Errorf("opening %s: %v", page, err)
		}
		k := srv.mark()
		qj, _ := json.Marshal(q.Q)
		js := `(async (q) => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const s = await pf.search(q);
  const rs = (s && s.results) || [];
  await Promise.all(rs.slice(0, 10).map((r) => r.data()));
  return rs.length;
})(` + string(qj) + `)`
		n, err := chromedp.Run(qctx, chromedp.Evaluate[int](js, chromedp.EvalAwaitPromise))
		time.Sleep(300 * time.Millisecond) // let any request still in flight land in the log
		cancelT()
		cancelQ()
		c := queryCost{hits: n}
		if err != nil {
			c.err = err.Error()
		}
		for _, s := range srv.since(k) {
			if !strings.HasPrefix(s.path, "/pagefind/") {
				continue
			}
			c.requests++
			raw, gz, err := gzFile(filepath.Join(public, filepath.FromSlash(strings.TrimPrefix(s.path, "/"))))
			if err != nil {
				return nil, err
			}
			if s.bytes != raw {
				return nil, fmt.Errorf("%s: served %d bytes, file has %d", s.path, s.bytes, raw)
			}
			c.raw += raw
			c.bytes += gz
			c.files = append(c.files, strings.TrimPrefix(s.path, "/pagefind/"))
			if !pagefindCode(s.path) {
				c.dataReqs++
				c.dataBytes += gz
			}
		}
		sort.Strings(c.files)
		costs[i] = c
	}
	return costs, nil
}
