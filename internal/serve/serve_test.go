package serve_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"loa/internal/serve"
	"loa/internal/sitetest"
)

const site = `
-- loa.yaml --
title: "Trang thử"
baseURL: "https://example.org/qcn/"
languages:
  vi: { name: "Tiếng Việt", weight: 1 }
-- content/_index.md --
---
title: Trang chủ
---
Xin chào. Xem [bài một](huong-dan/a.md).
-- content/huong-dan/_index.md --
---
title: Hướng dẫn
---
-- content/huong-dan/a.md --
---
title: Bài một
---
Nội dung đầu tiên.
-- static/css/site.css --
body { color: black }
-- static/img/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
` + sitetest.MinimalLayouts

// writeSite writes a txtar archive into dir.
func writeSite(t testing.TB, dir, archive string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(strings.TrimLeft(archive, "\n"))).Files {
		writeFile(t, dir, f.Name, string(f.Data))
	}
}

func writeFile(t testing.TB, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// preview is a running server on a site in a temporary folder.
type preview struct {
	root string
	srv  *serve.Server
	url  string // "http://127.0.0.1:port"
	log  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startPreview(t testing.TB, root string) *preview {
	return startPreviewWith(t, root, nil)
}

// startPreviewWith starts a preview of root with search (nil: none).
func startPreviewWith(t testing.TB, root string, search serve.Search) *preview {
	t.Helper()
	log := &syncBuffer{}
	srv, err := serve.New(serve.Config{Root: root, Addr: "127.0.0.1:0", Debounce: 2 * time.Millisecond, Log: log, Search: search})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("the server did not stop within 10s of cancellation")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", log.String())
		}
	})
	return &preview{root: root, srv: srv, url: strings.TrimSuffix(srv.URL(), "/"), log: log}
}

func newPreview(t testing.TB, archive string) *preview {
	t.Helper()
	root := t.TempDir()
	writeSite(t, root, archive)
	return startPreview(t, root)
}

type event struct {
	Name string
	Data map[string]any
}

// events connects to the event stream. The first event is "hello".
func (p *preview) events(t testing.TB) <-chan event {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", p.url+"/__loa/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan event, 1000)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		var ev event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.Name = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				json.Unmarshal([]byte(line[len("data: "):]), &ev.Data)
			case line == "" && ev.Name != "":
				ch <- ev
				ev = event{}
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		resp.Body.Close()
		wg.Wait()
	})
	return ch
}

// next returns the next event with one of the names, skipping others.
func next(t testing.TB, ch <-chan event, names ...string) event {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("event stream closed while waiting for %v", names)
			}
			for _, n := range names {
				if ev.Name == n {
					return ev
				}
			}
		case <-deadline:
			t.Fatalf("no %v event within 15s", names)
		}
	}
}

func (p *preview) get(t testing.TB, path string) (int, string, http.Header) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(p.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// until waits for cond, checking it again after every event from the
// server, and fails after a deadline.
func until(t testing.TB, ch <-chan event, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for !cond() {
		select {
		case _, ok := <-ch:
			if !ok {
				t.Fatalf("event stream closed while waiting for %s", what)
			}
		case <-deadline:
			t.Fatalf("%s: not within 60s", what)
		}
	}
}

func TestServe(t *testing.T) {
	p := newPreview(t, site)
	ev := p.events(t)
	next(t, ev, "hello")
	until(t, ev, "first build", func() bool { code, _, _ := p.get(t, "/"); return code == 200 })

	tests := []struct {
		path, ctype string
		code        int
		contains    string
	}{
		{"/", "text/html; charset=utf-8", 200, `<script src="/__loa/live.js" data-loa-build="1"></script>` + "\n</body>"},
		{"/huong-dan/a/", "text/html; charset=utf-8", 200, "Nội dung đầu tiên."},
		{"/huong-dan/a/index.html", "text/html; charset=utf-8", 200, "Nội dung đầu tiên."},
		{"/css/site.css", "text/css; charset=utf-8", 200, "color:#000"}, // minified,
		{"/img/logo.svg", "image/svg+xml", 200, "<svg"},
		{"/sitemap.xml", "application/xml; charset=utf-8", 200, "<urlset"},
		{"/huong-dan/a", "", 301, ""},
		{"/khong-co/", "", 404, ""},
		{"/__loa/live.js", "text/javascript; charset=utf-8", 200, "EventSource"},
		{"/search?q=x", "application/json", 501, "not available"},
	}
	for _, tt := range tests {
		code, body, h := p.get(t, tt.path)
		if code != tt.code {
			t.Errorf("GET %s: status %d, want %d", tt.path, code, tt.code)
		}
		if tt.ctype != "" && h.Get("Content-Type") != tt.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tt.path, h.Get("Content-Type"), tt.ctype)
		}
		if !strings.Contains(body, tt.contains) {
			t.Errorf("GET %s: body does not contain %q:\n%s", tt.path, tt.contains, body)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff header", tt.path)
		}
	}
	if _, _, h := p.get(t, "/huong-dan/a"); h.Get("Location") != "/huong-dan/a/" {
		t.Errorf("redirect to %q, want /huong-dan/a/", h.Get("Location"))
	}
	// The preview never writes the site to disk.
	if _, err := os.Stat(filepath.Join(p.root, "public")); !os.IsNotExist(err) {
		t.Errorf("public/ exists after serving: %v", err)
	}
}

// TestPathTraversal sends raw requests, which no HTTP client would clean up
// first.
func TestPathTraversal(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "site")
	writeSite(t, root, site)
	writeFile(t, dir, "secret.txt", "TOP SECRET")
	writeFile(t, root, "loa-secret.txt", "ROOT SECRET") // in the site folder, but not part of the site
	p := startPreview(t, root)
	ev := p.events(t)
	until(t, ev, "first build", func() bool { code, _, _ := p.get(t, "/"); return code == 200 })
	for _, path := range []string{
		"/../secret.txt",
		"/../../secret.txt",
		"/css/../../secret.txt",
		"/%2e%2e/secret.txt",
		"/%2E%2E/%2e%2e/secret.txt",
		"/css/%2e%2e/%2e%2e/secret.txt",
		"/..%2fsecret.txt",
		"/css%2f..%2f..%2fsecret.txt",
		"/..%5csecret.txt",
		"/..\\secret.txt",
		"/css/..\\..\\secret.txt",
		"/%5c..%5csecret.txt",
		"/loa-secret.txt",
		"/../site/loa-secret.txt",
		"/loa.yaml",
		"/content/_index.md",
		"/css/./site.css",
		"//etc/passwd",
		"/css/site.css%00.html",
		"/%c0%ae%c0%ae/secret.txt",
		"/.%2e/secret.txt",
	} {
		status, body := rawGet(t, p.srv.Addr().String(), path)
		if strings.Contains(body, "SECRET") || strings.Contains(body, "baseURL") || strings.Contains(body, "root:") {
			t.Errorf("GET %s served a file outside the site (status %s)", path, status)
		}
		if !strings.Contains(status, " 400 ") && !strings.Contains(status, " 404 ") {
			t.Errorf("GET %s: %s, want 400 or 404", path, status)
		}
	}
}

func rawGet(t *testing.T, addr, path string) (status, body string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path)
	b, _ := io.ReadAll(c)
	s := string(b)
	status, _, _ = strings.Cut(s, "\r\n")
	return status + " ", s
}

// TestSymlinkOutside: a static file that is a symlink leaving the site is a
// build error, and its target is never served.
func TestSymlinkOutside(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "site")
	writeSite(t, root, site)
	writeFile(t, dir, "secret.txt", "TOP SECRET")
	if err := os.Symlink("../../../secret.txt", filepath.Join(root, "static/css/leak.txt")); err != nil {
		t.Fatal(err)
	}
	p := startPreview(t, root)
	ev := p.events(t)
	e := next(t, ev, "errors")
	if !strings.Contains(fmt.Sprint(e.Data), "static/css/leak.txt") {
		t.Errorf("errors do not name the symlink: %v", e.Data)
	}
	for _, path := range []string{"/css/leak.txt", "/", "/secret.txt"} {
		if _, body, _ := p.get(t, path); strings.Contains(body, "SECRET") {
			t.Errorf("GET %s served the symlink's target", path)
		}
	}
	// Removing the link fixes the site.
	os.Remove(filepath.Join(root, "static/css/leak.txt"))
	next(t, ev, "reload")
	if code, _, _ := p.get(t, "/"); code != 200 {
		t.Errorf("GET / after the fix: %d", code)
	}
}

func TestReloadAndErrors(t *testing.T) {
	p := newPreview(t, site)
	ev := p.events(t)
	until(t, ev, "first build", func() bool { code, _, _ := p.get(t, "/"); return code == 200 })

	writeFile(t, p.root, "content/huong-dan/a.md", "---\ntitle: Bài một\n---\nNội dung mới.\n")
	// The reload of the first build may still be on its way: wait for the
	// page to change rather than for the next reload event.
	until(t, ev, "page rebuilt", func() bool {
		_, body, _ := p.get(t, "/huong-dan/a/")
		return strings.Contains(body, "Nội dung mới.")
	})

	// A citation of an article that does not exist.
	writeFile(t, p.root, "content/huong-dan/a.md", "---\ntitle: Bài một\n---\nNội dung hỏng.\n\nXem [Điều 99](convention:crc/99).\n")
	e := next(t, ev, "errors")
	errs := errLines(e)
	if !strings.Contains(errs, "content/huong-dan/a.md:6:5: citation") {
		t.Errorf("errors do not name the file and line: %s", errs)
	}
	if _, body, _ := p.get(t, "/huong-dan/a/"); !strings.Contains(body, "Nội dung mới.") {
		t.Errorf("the last good version is not served during an error:\n%s", body)
	}
	if !strings.Contains(p.log.String(), "content/huong-dan/a.md:6:") {
		t.Errorf("the terminal does not show the error:\n%s", p.log.String())
	}
	// A page opened now gets the errors at once.
	ev2 := p.events(t)
	next(t, ev2, "hello")
	next(t, ev2, "errors")

	writeFile(t, p.root, "content/huong-dan/a.md", "---\ntitle: Bài một\n---\nĐã sửa.\n")
	next(t, ev, "reload")
	next(t, ev2, "reload")
	if _, body, _ := p.get(t, "/huong-dan/a/"); !strings.Contains(body, "Đã sửa.") {
		t.Errorf("page not rebuilt after the fix:\n%s", body)
	}
}

// TestServesSearchBundle: the preview serves its search bundle beside the
// site's files, and the bundle of an edit once its index is updated.
func TestServesSearchBundle(t *testing.T) {
	idx, err := serve.NewSearchIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	root := t.TempDir()
	writeSite(t, root, site)
	p := startPreviewWith(t, root, idx)
	ev := p.events(t)
	until(t, ev, "first build", func() bool { code, _, _ := p.get(t, "/"); return code == 200 })
	code, before, _ := p.get(t, "/search/index.js")
	if code != 200 || !strings.HasPrefix(before, `loaSearch.add("index",`) {
		t.Fatalf("GET /search/index.js = %d %.60q", code, before)
	}
	writeFile(t, root, "content/huong-dan/a.md", "---\ntitle: Bài một\n---\nTừ mới zzkhoa.\n")
	// The bundle is swapped in after the reload, without an event: polled.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		_, after, _ := p.get(t, "/search/index.js")
		if after != before && strings.HasPrefix(after, `loaSearch.add("index",`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edit's bundle was not served within 60s")
		}
	}
	if _, body, _ := p.get(t, "/huong-dan/a/"); !strings.Contains(body, "zzkhoa") {
		t.Errorf("the page is not the edited one:\n%s", body)
	}
}

// TestFaults drives the server with the ways files change in practice. Each
// case ends with the state on disk, and bad input is reported, not fatal.
func TestFaults(t *testing.T) {
	tests := []struct {
		name    string
		do      func(t *testing.T, root string)
		errText string // the error the server must report on the way, if any
		fix     func(t *testing.T, root string)
		path    string // then this page ...
		want    string // ... shows this
		gone    string // and this page is not found, if set
	}{
		{name: "rename save", do: func(t *testing.T, root string) {
			tmp := filepath.Join(root, "content/huong-dan/.a.md.swp")
			os.WriteFile(tmp, []byte("---\ntitle: Bài một\n---\nLưu kiểu vim.\n"), 0o644)
			os.Rename(filepath.Join(root, "content/huong-dan/a.md"), filepath.Join(root, "content/huong-dan/a.md~"))
			os.Rename(tmp, filepath.Join(root, "content/huong-dan/a.md"))
			os.Remove(filepath.Join(root, "content/huong-dan/a.md~"))
		}, path: "/huong-dan/a/", want: "Lưu kiểu vim."},
		{name: "delete and recreate", do: func(t *testing.T, root string) {
			os.Remove(filepath.Join(root, "content/huong-dan/a.md"))
			writeFile(t, root, "content/huong-dan/a.md", "---\ntitle: Bài một\n---\nTạo lại.\n")
		}, path: "/huong-dan/a/", want: "Tạo lại."},
		{name: "folder rename", do: func(t *testing.T, root string) {
			writeFile(t, root, "content/_index.md", "---\ntitle: Trang chủ\n---\nXin chào.\n")
			if err := os.Rename(filepath.Join(root, "content/huong-dan"), filepath.Join(root, "content/tai-lieu")); err != nil {
				t.Fatal(err)
			}
			writeFile(t, root, "content/tai-lieu/a.md", "---\ntitle: Bài một\n---\nThư mục mới.\n")
		}, path: "/tai-lieu/a/", want: "Thư mục mới.", gone: "/huong-dan/a/"},
		{name: "page added, page removed", do: func(t *testing.T, root string) {
			writeFile(t, root, "content/_index.md", "---\ntitle: Trang chủ\n---\nXin chào.\n")
			writeFile(t, root, "content/huong-dan/moi.md", "---\ntitle: Bài mới\n---\nTrang mới.\n")
			os.Remove(filepath.Join(root, "content/huong-dan/a.md"))
		}, path: "/huong-dan/moi/", want: "Trang mới.", gone: "/huong-dan/a/"},
		{name: "burst of 1,000 writes", do: func(t *testing.T, root string) {
			for i := range 1000 {
				writeFile(t, root, fmt.Sprintf("content/huong-dan/p%d.md", i%20), fmt.Sprintf("---\ntitle: P\n---\nLần ghi %d.\n", i))
			}
		}, path: "/huong-dan/p19/", want: "Lần ghi 999."},
		{name: "half-written file", do: func(t *testing.T, root string) {
			writeFile(t, root, "content/huong-dan/a.md", "---\ntitle: Bài một\n")
		}, errText: "content/huong-dan/a.md:1:1: front matter is not closed", fix: func(t *testing.T, root string) {
			writeFile(t, root, "content/huong-dan/a.md", "---\ntitle: Bài một\n---\nGhi xong.\n")
		}, path: "/huong-dan/a/", want: "Ghi xong."},
		{name: "layout with a template error", do: func(t *testing.T, root string) {
			writeFile(t, root, "layouts/_default/single.html", `{{ define "main" }}<h1>{{ .Title }</h1>{{ end }}`)
		}, errText: "layouts/_default/single.html:1:", fix: func(t *testing.T, root string) {
			writeFile(t, root, "layouts/_default/single.html", `{{ define "main" }}<h1 class="sua">{{ .Title }}</h1>{{ .Content }}{{ end }}`)
		}, path: "/huong-dan/a/", want: `<h1 class="sua">`},
		{name: "config with a syntax error", do: func(t *testing.T, root string) {
			writeFile(t, root, "loa.yaml", "title: \"Trang thử\nbaseURL: [\n")
		}, errText: "loa.yaml:", fix: func(t *testing.T, root string) {
			writeFile(t, root, "loa.yaml", "title: \"Trang đã sửa\"\nbaseURL: \"https://example.org/\"\n")
		}, path: "/huong-dan/a/", want: "Trang đã sửa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPreview(t, site+"-- layouts/_default/baseof.html --\n<!DOCTYPE html><html><head><title>{{ .Title }} · {{ .Site.Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n")
			ev := p.events(t)
			until(t, ev, "first build", func() bool { code, _, _ := p.get(t, "/"); return code == 200 })
			tt.do(t, p.root)
			if tt.errText != "" {
				e := next(t, ev, "errors")
				if s := errLines(e); !strings.Contains(s, tt.errText) {
					t.Errorf("errors = %s, want %q", s, tt.errText)
				}
				if code, _, _ := p.get(t, "/huong-dan/a/"); code != 200 {
					t.Errorf("the last good site is not served during the error: %d", code)
				}
				tt.fix(t, p.root)
			}
			until(t, ev, tt.path+" shows "+tt.want, func() bool {
				_, body, _ := p.get(t, tt.path)
				return strings.Contains(body, tt.want)
			})
			if tt.gone != "" {
				if code, _, _ := p.get(t, tt.gone); code != 404 {
					t.Errorf("GET %s = %d, want 404 (its file is gone)", tt.gone, code)
				}
			}
		})
	}
}

// TestNoSiteYet: a site that does not build at start shows a placeholder
// with the errors, and the real site once it is fixed.
func TestNoSiteYet(t *testing.T) {
	root := t.TempDir()
	writeSite(t, root, site)
	writeFile(t, root, "loa.yaml", "title: [\n")
	p := startPreview(t, root)
	ev := p.events(t)
	next(t, ev, "errors")
	code, body, _ := p.get(t, "/huong-dan/a/")
	if code != 503 || !strings.Contains(body, "/__loa/live.js") {
		t.Errorf("placeholder: %d\n%s", code, body)
	}
	writeSite(t, root, site)
	next(t, ev, "reload")
	if code, _, _ := p.get(t, "/huong-dan/a/"); code != 200 {
		t.Errorf("after the fix: %d", code)
	}
}

// errLines formats the errors of an "errors" event as the terminal shows
// them.
func errLines(e event) string {
	var b strings.Builder
	list, _ := e.Data["errors"].([]any)
	for _, it := range list {
		m, _ := it.(map[string]any)
		fmt.Fprintf(&b, "%v: %v\n", m["position"], m["message"])
	}
	return b.String()
}

// TestHostHeader: a request whose Host is not a loopback name or the bound
// address (a page on another name that resolves to 127.0.0.1: DNS
// rebinding) gets 403 and a short explanation on every path, the live
// reload stream and the search endpoint included.
func TestHostHeader(t *testing.T) {
	p := newPreview(t, site)
	ev := p.events(t)
	until(t, ev, "first build", func() bool { code, _, _ := p.get(t, "/"); return code == 200 })
	port := p.srv.Addr().(*net.TCPAddr).Port
	do := func(method, host, path string) (int, string, http.Header) {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, method, p.url+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.Header.Get("Content-Type") == "text/event-stream; charset=utf-8" {
			// The stream never ends: its first event is enough.
			line, _ := bufio.NewReader(resp.Body).ReadString('\n')
			return resp.StatusCode, line, resp.Header
		}
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	paths := []string{"/", "/huong-dan/a/", "/css/site.css", "/__loa/events", "/__loa/live.js", "/search?q=x", "/khong-co/", "/../secret.txt"}
	for _, host := range []string{"evil.example", fmt.Sprintf("evil.example:%d", port), "localhost.evil.example", "10.0.0.1"} {
		want := fmt.Sprintf("loa serve: this preview answers only requests for localhost or the address it listens on, not for %q, so that other web pages cannot read it. Open %s instead.\n"+
			"Bản xem trước chỉ trả lời yêu cầu gửi tới localhost hoặc địa chỉ nó đang nghe, để trang web khác không đọc được nó. Hãy mở %s.\n", host, p.srv.URL(), p.srv.URL())
		for _, path := range paths {
			for _, method := range []string{"GET", "HEAD", "POST"} {
				code, body, h := do(method, host, path)
				if method == "HEAD" {
					body = want
				}
				if code != 403 || body != want || h.Get("Content-Type") != "text/plain; charset=utf-8" {
					t.Errorf("%s %s with Host %q: %d %q\n%q, want 403 text/plain\n%q", method, path, host, code, h.Get("Content-Type"), body, want)
				}
			}
		}
	}
	for _, host := range []string{fmt.Sprintf("localhost:%d", port), fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("[::1]:%d", port), "localhost", "preview.localhost"} {
		for _, tt := range []struct {
			path  string
			code  int
			start string
		}{
			{"/", 200, "<!DOCTYPE html>"},
			{"/huong-dan/a/", 200, "<!DOCTYPE html>"},
			{"/css/site.css", 200, "body{color:#000}"}, // minified (minify: true by default)
			{"/__loa/events", 200, "event: hello\n"},
			{"/search?q=x", 501, `{"error":"search is not available in this preview"}`},
		} {
			if code, body, _ := do("GET", host, tt.path); code != tt.code || !strings.HasPrefix(body, tt.start) {
				t.Errorf("GET %s with Host %q: %d %.60q, want %d %q…", tt.path, host, code, body, tt.code, tt.start)
			}
		}
	}
}

// TestLogTerminalSafety: the terminal lines of the preview name a file
// whose name holds an escape sequence escaped; the overlay's JSON gives the
// name as it is.
func TestLogTerminalSafety(t *testing.T) {
	p := newPreview(t, site)
	ev := p.events(t)
	until(t, ev, "first build", func() bool { code, _, _ := p.get(t, "/"); return code == 200 })
	writeFile(t, p.root, "content/b\x1b[2J.md", "---\ntitle: [\n---\n")
	e := next(t, ev, "errors")
	if errs := errLines(e); !strings.Contains(errs, "content/b\x1b[2J.md:2:1: invalid YAML") {
		t.Errorf("overlay errors: %q", errs)
	}
	until(t, ev, "the failed build is logged", func() bool { return strings.Contains(p.log.String(), "loa: build failed") })
	log := p.log.String()
	if strings.ContainsAny(log, "\x1b\x07") {
		t.Errorf("the log holds a raw escape:\n%q", log)
	}
	for _, want := range []string{
		`content/b\x1b[2J.md:2:1: invalid YAML: did not find expected node content` + "\n",
		`loa: build failed after a change to content/b\x1b[2J.md; still serving the last good version` + "\n",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
}
