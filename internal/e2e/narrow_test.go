package e2e

import (
	"context"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"loa/internal/build"
	"loa/internal/sitetest"
)

// longTitle is a title no screen holds on one line, with a word longer than
// a 320 px screen (an unbroken code, as pasted from a document).
const longTitle = "Kế hoạch số 68/KH-UBND về triển khai thực hiện Đề án “Truyền thông về quyền con người ở Việt Nam giai đoạn 2023 - 2028” trên địa bàn huyện năm 2024, kèm theo phụ lục KH-UBND-2024-PL01-TRUYENTHONGQUYENCONNGUOI-VIETNAM-GIAIDOAN2023-2028 và các biểu mẫu báo cáo định kỳ hằng quý, sáu tháng và cả năm"

// longSite is the repository's site (layouts, static files, UI strings,
// configuration) with a few pages of its own, among them a section and a
// page with a very long title, built into a temporary folder.
func longSite(t *testing.T) string {
	t.Helper()
	root, _ := filepath.Abs("../..")
	fsys := fstest.MapFS{}
	for _, dir := range []string{"layouts", "static", "i18n"} {
		filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(root, p)
				fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
			}
			return nil
		})
	}
	cfg, _ := os.ReadFile(filepath.Join(root, "loa.yaml"))
	fsys["loa.yaml"] = &fstest.MapFile{Data: cfg}
	page := func(name, front, body string) {
		fsys["content/"+name] = &fstest.MapFile{Data: []byte("---\n" + front + "\n---\n" + body + "\n")}
	}
	page("_index.md", "title: Trang chủ", "Xin chào.")
	page("_index.en.md", "title: Home", "Hello.")
	page("tim-kiem.md", "title: Tìm kiếm\nlayout: search", "")
	page("search.en.md", "title: Search\nlayout: search", "")
	page("gioi-thieu.md", "title: Giới thiệu", "A.")
	page("about.en.md", "title: About", "A.")
	page("cong-uoc/_index.md", "title: Công ước", "")
	page("conventions/_index.en.md", "title: Conventions", "")
	page("huong-dan/_index.md", "title: \""+longTitle+"\"", "Mục có tên rất dài.")
	page("huong-dan/dai.md", "title: \""+longTitle+"\"\ndate: 2024-05-01", "## "+longTitle+"\n\nVăn bản.\n\n## Mục hai\n\nA.\n\n## Mục ba\n\nB.")
	res, err := build.New().Build(context.Background(), build.Options{FS: fsys})
	if err != nil {
		t.Fatalf("building the long-title site: %v", err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	if err := res.Write(context.Background(), build.WriteOptions{Out: out, Root: dir, State: filepath.Join(dir, ".loa")}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNarrowScreen opens pages at 320 px, the narrowest screen WCAG's
// reflow asks for: every page of the built site, a page and a section with
// a very long title, and the search page with a 300-character query, with
// spaces and without. None may scroll sideways.
func TestNarrowScreen(t *testing.T) {
	b := sitetest.NewBrowser(t)
	viewport(t, b, 320, 640, true)
	check := func(t *testing.T, u string) {
		t.Helper()
		w := eval[map[string]any](t, b, `({sw: document.documentElement.scrollWidth, wide: [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 321).slice(0, 3).map(e => e.tagName + "." + e.className)})`)
		if w["sw"].(float64) > 320 {
			t.Errorf("%s scrolls sideways at 320 px: scrollWidth %v (%v)", u, w["sw"], w["wide"])
		}
	}
	t.Run("every page", func(t *testing.T) {
		dir := builtSite(t)
		base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
		n := 0
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || isRedirect(p) {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			navigate(t, b, base+filepath.ToSlash(rel))
			check(t, rel)
			n++
			return nil
		})
		t.Logf("%d pages at 320 px", n)
	})
	t.Run("long titles", func(t *testing.T) {
		dir := longSite(t)
		base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
		for _, p := range []string{"huong-dan/dai/", "huong-dan/", "", "tim-kiem/"} {
			navigate(t, b, base+p)
			check(t, p)
		}
		navigate(t, b, base+"huong-dan/dai/")
		screenshot(t, b, "narrow-long-title")
	})
	t.Run("long query", func(t *testing.T) {
		dir := builtSite(t)
		base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
		words := strings.Repeat("quyền trẻ em được học tập ", 12)[:300]
		for _, q := range []string{words, strings.Repeat("quyentreem", 30)} {
			navigate(t, b, base+"tim-kiem/index.html?q="+url.QueryEscape(q))
			waitStatus(t, b)
			check(t, "tim-kiem/?q="+q[:20]+"…")
		}
		screenshot(t, b, "narrow-long-query")
	})
}

// waitStatus waits until the search page has said something about the query.
func waitStatus(t *testing.T, b *sitetest.Browser) {
	t.Helper()
	pollAcrossNavigation[bool](t, b, `(() => { const s = document.getElementById("search-status"); return s && s.textContent && !/^(Đang tìm|Searching)/.test(s.textContent) ? true : null; })()`)
}

// isRedirect reports whether an output file is a redirect page (an alias or
// an article's short URL), which the browser leaves at once.
func isRedirect(p string) bool {
	data, err := os.ReadFile(p)
	return err == nil && strings.Contains(string(data), `http-equiv="refresh"`)
}
