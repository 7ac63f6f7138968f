package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	loabuild "loa/internal/build"
	"loa/internal/search"
	"loa/internal/sitetest"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBuildOutSafety: `loa build --out DIR` replaces DIR only when it is new,
// empty or an output loa wrote; every other case stops before any work with
// the reason, exit 1, and leaves DIR and the site exactly as they were.
func TestBuildOutSafety(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	writeSmallSite(t, site)
	writeFiles(t, dir, map[string]string{
		"portal/index.html":   "<p>the district portal</p>",
		"portal/tin-tuc.html": "news",
		"notes.txt":           "my notes",
	})
	build := func(args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"build", "--quiet", "--root", site}, args...), &stdout, &stderr)
		return code, stderr.String()
	}
	code, errs := build()
	if code != 0 {
		t.Fatalf("the small site does not build:\n%s", errs)
	}
	// Without --quiet, one line says what was built (counted before Write
	// releases the pages and files).
	var summary bytes.Buffer
	if code := run(context.Background(), []string{"build", "--root", site}, &summary, &bytes.Buffer{}); code != 0 {
		t.Fatalf("the second build failed: %d", code)
	}
	if !regexp.MustCompile(`^loa: built [1-9][0-9]* pages, [1-9][0-9]* files into `).MatchString(summary.String()) {
		t.Errorf("summary %q, want the numbers of pages and files built", summary.String())
	}
	// The repository's loa.yaml still has the placeholder address: said once, as a warning.
	if n := strings.Count(errs, "loa.yaml:3:10: warning: baseURL is still the placeholder https://example.gov.vn/quyen-con-nguoi/"); n != 1 {
		t.Errorf("the placeholder baseURL warning appears %d times, want once:\n%s", n, errs)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "index.html")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"search/index.bleve", "loa-manifest.json", "js/test"} {
		if _, err := os.Stat(filepath.Join(site, "public", bad)); !os.IsNotExist(err) {
			t.Errorf("public/%s exists; readers never request it", bad)
		}
	}
	// loa search, publish and pack work from the build-state folder.
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"search", "--root", site, "xin chao"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "Trang chủ") {
		t.Errorf("loa search: exit %d, %s %s", code, stdout.String(), stderr.String())
	}
	// While a build holds the index, loa search says so (after waiting 2 s).
	abs, _ := filepath.Abs(site)
	held, err := search.OpenForUpdate(filepath.Join(site, ".loa", search.IndexDir), search.Options{Version: loabuild.Version(), Site: abs})
	if err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"search", "--root", site, "xin chao"}, &stdout, &stderr)
	held.Close()
	if want := "a running loa build is updating the search index"; code != 1 || !strings.Contains(stderr.String(), want) {
		t.Errorf("loa search during a build: exit %d, %q; want 1 and %q", code, stderr.String(), want)
	}
	portal := filepath.Join(dir, "portal2")
	if err := os.Mkdir(portal, 0o755); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"publish", "--from", filepath.Join(site, "public"), "--to", portal}, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
		t.Errorf("loa publish: exit %d, %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(portal, "index.html")); err != nil {
		t.Errorf("publish: %v", err)
	}
	zip := filepath.Join(dir, "site.zip")
	for i := 0; i < 2; i++ { // the second pack replaces the zip the first wrote
		stderr.Reset()
		if code := run(context.Background(), []string{"pack", "--from", filepath.Join(site, "public"), "--out", zip}, &stdout, &stderr); code != 0 {
			t.Errorf("loa pack #%d: exit %d, %s", i+1, code, stderr.String())
		}
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"pack", "--from", filepath.Join(site, "public"), "--out", filepath.Join(dir, "notes.txt")}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "already exists and is not a zip that loa pack wrote") {
		t.Errorf("pack over a foreign file: exit %d, %s", code, stderr.String())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "my notes" {
		t.Errorf("notes.txt overwritten: %q", b)
	}
	// Foreign files put in public/ by hand are replaced with it.
	writeFiles(t, site, map[string]string{"public/added-by-hand.txt": "x"})
	if code, errs := build(); code != 0 {
		t.Fatalf("rebuild into its own output: %s", errs)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "added-by-hand.txt")); !os.IsNotExist(err) {
		t.Errorf("public/ was not replaced as a whole")
	}
	snapshot := func() string {
		var b strings.Builder
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err == nil && !strings.Contains(p, string(filepath.Separator)+".loa") {
				data, _ := os.ReadFile(p)
				b.WriteString(p + fi.Mode().String() + string(data) + "\n")
			}
			return nil
		})
		return b.String()
	}
	before := snapshot()
	for _, c := range []struct{ out, want string }{
		{filepath.Join(dir, "portal"), "portal: holds files that loa has no record of writing"},
		{filepath.Join(site, "content"), "content: is inside the site's content folder"},
		{site, "site: is the site's own folder or holds it"},
		{filepath.Join(dir, "notes.txt"), "notes.txt: is a file, not a folder"},
	} {
		code, errs := build("--out", c.out)
		if code != 1 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "nothing was written") {
			t.Errorf("--out %s: exit %d, stderr %q; want exit 1 and %q", c.out, code, errs, c.want)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("a refused build changed files")
	}
	// A stray argument is an error, not a silently ignored --out.
	if code, errs := build("foo", "--out", filepath.Join(dir, "x")); code != 2 || !strings.Contains(errs, `unexpected argument "foo"`) {
		t.Errorf("stray argument: exit %d, %q", code, errs)
	}
}

// writeSmallSite writes a complete small site into dir: the repository's
// own config, layouts, i18n and static files and a page in each section.
func writeSmallSite(t *testing.T, dir string) {
	t.Helper()
	repo := sitetestRoot(t)
	for _, d := range []string{"layouts", "i18n", "static"} {
		copyTree(t, filepath.Join(repo, d), filepath.Join(dir, d))
	}
	cfg, err := os.ReadFile(filepath.Join(repo, "loa.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"loa.yaml":                         string(cfg),
		"content/_index.md":                "---\ntitle: Trang chủ\n---\nXin chào.\n",
		"content/_index.en.md":             "---\ntitle: Home\n---\nHello.\n",
		"content/tim-kiem.md":              "---\ntitle: Tìm kiếm\nlayout: search\n---\n",
		"content/search.en.md":             "---\ntitle: Search\nlayout: search\n---\n",
		"content/gioi-thieu.md":            "---\ntitle: Giới thiệu\n---\nA.\n",
		"content/about.en.md":              "---\ntitle: About\n---\nA.\n",
		"content/huong-dan/_index.md":      "---\ntitle: Hướng dẫn\n---\n",
		"content/cong-uoc/_index.md":       "---\ntitle: Công ước\n---\n",
		"content/conventions/_index.en.md": "---\ntitle: Conventions\n---\n",
	})
}

func sitetestRoot(t *testing.T) string { return sitetest.RepoRoot(t) }

// copyTree copies the regular files below src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBuildSignal: Ctrl-C (SIGINT) or SIGTERM during `loa build` of the
// repository's site stops it promptly at any phase (loading, rendering,
// layouts, the search index, writing) with a plain message and exit status
// 130, and the output folder is left as it was (here: not created).
func TestBuildSignal(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := sitetestRoot(t)
	for _, tt := range []struct {
		sig   syscall.Signal
		after time.Duration
	}{
		// Not earlier: before main installs its handler a signal kills
		// any program (the race detector makes startup slow).
		{syscall.SIGINT, 300 * time.Millisecond},
		{syscall.SIGINT, 600 * time.Millisecond},
		{syscall.SIGTERM, 800 * time.Millisecond},
		{syscall.SIGINT, 1200 * time.Millisecond},
	} {
		t.Run(fmt.Sprint(tt.sig, " after ", tt.after), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "public")
			cmd := exec.Command(exe, "build", "--root", root, "--out", out)
			// The race detector sleeps 1 s at exit unless told not to.
			cmd.Env = append(os.Environ(), "LOA_TEST_MAIN=1", "GORACE=atexit_sleep_ms=0")
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill() })
			// The moment of Ctrl-C is the input here, not a wait for a result.
			time.Sleep(tt.after)
			begin := time.Now()
			cmd.Process.Signal(tt.sig)
			err := cmd.Wait()
			d := time.Since(begin)
			if err == nil {
				t.Logf("the build finished before the signal: %s", stdout.String())
				return
			}
			t.Logf("stopped %v after the signal", d)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 || d > stopSlack {
				t.Errorf("exit %v after %v, want status 130 within %v (target 500ms); stderr:\n%s", err, d, stopSlack, stderr.String())
			}
			if !strings.Contains(stderr.String(), "loa: stopped (interrupted);") {
				t.Errorf("stderr %q, want the plain message", stderr.String())
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the output folder was written by a stopped build")
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("left behind: %v", ents)
			}
		})
	}
}
