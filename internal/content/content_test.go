package content

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"loa/internal/config"
)

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse("loa.yaml", []byte("title: T\nbaseURL: https://e.org/x/\nlanguages:\n  vi: {name: Tiếng Việt}\n  en: {name: English}\n"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestURLs(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":             {Data: []byte("---\ntitle: Home\n---\n")},
		"content/_index.en.md":          {Data: []byte("---\ntitle: Home\n---\n")},
		"content/huong-dan/_index.md":   {Data: []byte("---\ntitle: HD\n---\n")},
		"content/huong-dan/a.md":        {Data: []byte("---\ntitle: A\n---\nbody\n")},
		"content/huong-dan/b.md":        {Data: []byte("---\ntitle: B\nslug: bee\n---\n")},
		"content/huong-dan/c/index.md":  {Data: []byte("---\ntitle: C\n---\n")},
		"content/conventions/crc.en.md": {Data: []byte("---\ntitle: CRC\ntranslationKey: convention-crc\n---\n")},
		"content/gioi-thieu.md":         {Data: []byte("---\ntitle: GT\n---\n")},
		"content/.swp.md":               {Data: []byte("\xff")},
	}
	pages, err := Load(context.Background(), fsys, testConfig(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pages {
		got = append(got, p.Path+" "+p.Lang+" "+p.Kind+" "+p.Section+" "+p.URL+" "+p.Key)
	}
	want := []string{
		"content/_index.en.md en home  /en/ path:_index",
		"content/_index.md vi home  / path:_index",
		"content/conventions/crc.en.md en page conventions /en/conventions/crc/ convention-crc",
		"content/gioi-thieu.md vi page  /gioi-thieu/ path:gioi-thieu",
		"content/huong-dan/_index.md vi section huong-dan /huong-dan/ path:huong-dan/_index",
		"content/huong-dan/a.md vi page huong-dan /huong-dan/a/ path:huong-dan/a",
		"content/huong-dan/b.md vi page huong-dan /huong-dan/bee/ path:huong-dan/b",
		"content/huong-dan/c/index.md vi page huong-dan /huong-dan/c/ path:huong-dan/c/index",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if pages[5].BodyLine != 4 || string(pages[5].Body) != "body\n" {
		t.Errorf("body of a.md: line %d %q", pages[5].BodyLine, pages[5].Body)
	}
}

func TestFrontMatter(t *testing.T) {
	fm, err := parseFrontMatter("a.md", []byte("title: \"Điều 1\"\ndate: 2024-04-05\nlastmod: 2024-05-01T10:00:00+07:00\ndraft: false\nweight: 3\naliases: [a/b, c]\ntags: x\ntoc: false\ncode: crc\nadopted: 1989-11-20\narticles: 54\n"))
	if err != nil {
		t.Fatal(err)
	}
	if fm.Title != "Điều 1" || !fm.Date.Equal(time.Date(2024, 4, 5, 0, 0, 0, 0, time.UTC)) || fm.Weight != 3 || len(fm.Aliases) != 2 || fm.Tags[0] != "x" || *fm.TOC {
		t.Errorf("unexpected %+v", fm)
	}
	if fm.Params["code"] != "crc" || fm.Params["adopted"] != "1989-11-20" || fm.Params["articles"] != 54 {
		t.Errorf("params %+v", fm.Params)
	}
	if fm.AliasPos[1].Line != 7 || fm.AliasPos[1].Col != 16 {
		t.Errorf("alias position %+v", fm.AliasPos[1])
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		src, yaml, body string
		line            int
	}{
		{"no front matter\n", "", "no front matter\n", 1},
		{"---\na: 1\n---\nbody", "a: 1\n", "body", 4},
		{"---\r\na: 1\r\n---\r\nbody", "a: 1\r\n", "body", 4},
		{"---\n---\n", "", "", 3},
		{"---\na: 1\n---", "a: 1\n", "", 4},
		{"----\n", "", "----\n", 1},
	}
	for _, tc := range tests {
		y, b, l, err := split("f", []byte(tc.src))
		if err != nil || string(y) != tc.yaml || string(b) != tc.body || l != tc.line {
			t.Errorf("split(%q) = %q, %q, %d, %v", tc.src, y, b, l, err)
		}
	}
}

// FuzzFrontMatter checks that no input makes the reader panic, and that every
// error it returns is positioned.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{"---\ntitle: x\n---\n", "---\ndate: [\n---\n", "---\n: :\n---", "---\naliases: {a: 1}\n---\n", "---\r\n\t---\n", "---\nweight: 1e9999\n---\n"} {
		f.Add([]byte(s))
	}
	cfg, _ := config.Parse("loa.yaml", []byte("title: T\nbaseURL: https://e.org/\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		fsys := fstest.MapFS{"content/a.md": {Data: src}}
		_, err := Load(context.Background(), fsys, cfg, Options{Drafts: true})
		if err != nil && !strings.HasPrefix(err.Error(), "content/a.md:") {
			t.Fatalf("error without position: %v", err)
		}
	})
}

// TestCache checks when a cached page is reused: only for files whose size
// and modification time are unchanged and not recent (racy) at load time.
func TestCache(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "content"), 0o755))
	file := filepath.Join(dir, "content", "a.md")
	old := time.Now().Add(-time.Hour)
	write := func(body string, mod time.Time) {
		t.Helper()
		must(os.WriteFile(file, []byte("---\ntitle: A\n---\n"+body), 0o644))
		must(os.Chtimes(file, mod, mod))
	}
	cfg := testConfig(t)
	var cache Cache
	load := func() string {
		t.Helper()
		pages, err := Load(context.Background(), os.DirFS(dir), cfg, Options{Cache: &cache})
		must(err)
		return string(pages[0].Body)
	}
	write("one", old)
	if got := load(); got != "one" {
		t.Fatalf("got %q", got)
	}
	write("two", old) // same size, same old time: taken from the cache
	if got := load(); got != "one" {
		t.Errorf("same size and time: got %q, want the cached page", got)
	}
	write("three", old) // another size
	if got := load(); got != "three" {
		t.Errorf("new size: got %q", got)
	}
	recent := time.Now()
	write("fouR!", recent)
	load()
	write("five!", recent) // same size and time, but too recent to trust
	if got := load(); got != "five!" {
		t.Errorf("racy time: got %q, want the file re-read", got)
	}
}

// TestWatchedCache: a watched Cache looks again only at the names it was
// told changed (a file changed behind its back keeps its cached page, which
// shows that content/ was not walked), and sees pages and folders that were
// added, changed and removed when it was told; ForgetAll and a symlink in
// content/ make it walk.
func TestWatchedCache(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	write := func(name, body string) {
		t.Helper()
		file := filepath.Join(dir, filepath.FromSlash(name))
		must(os.MkdirAll(filepath.Dir(file), 0o755))
		must(os.WriteFile(file, []byte("---\ntitle: T\n---\n"+body), 0o644))
		must(os.Chtimes(file, old, old))
	}
	cfg := testConfig(t)
	var cache Cache
	cache.Watch(true)
	load := func() string {
		t.Helper()
		pages, err := Load(context.Background(), os.DirFS(dir), cfg, Options{Cache: &cache})
		must(err)
		var got []string
		for _, p := range pages {
			got = append(got, strings.TrimPrefix(p.Path, "content/")+"="+string(p.Body))
		}
		return strings.Join(got, " ")
	}
	step := func(what, want string, forget ...string) {
		t.Helper()
		cache.Forget(forget...)
		if got := load(); got != want {
			t.Errorf("%s: got %q, want %q", what, got, want)
		}
	}
	write("content/a.md", "a1")
	write("content/s/b.md", "b1")
	step("first load", "a.md=a1 s/b.md=b1")
	write("content/a.md", "a2-longer")
	step("a change not reported", "a.md=a1 s/b.md=b1")
	step("reported", "a.md=a2-longer s/b.md=b1", "content/a.md")
	write("content/s/c.md", "c1")
	write("content/s/.c.md.swp", "swap")
	step("a page added", "a.md=a2-longer s/b.md=b1 s/c.md=c1", "content/s/c.md", "content/s/.c.md.swp", "content/s/4913")
	must(os.Remove(filepath.Join(dir, "content", "s", "b.md")))
	step("a page removed", "a.md=a2-longer s/c.md=c1", "content/s/b.md")
	write("content/t/u/d.md", "d1")
	step("a folder added", "a.md=a2-longer s/c.md=c1 t/u/d.md=d1", "content/t")
	must(os.RemoveAll(filepath.Join(dir, "content", "t")))
	step("a folder removed", "a.md=a2-longer s/c.md=c1", "content/t")
	write("content/a.md", "a3-longer-still")
	cache.ForgetAll()
	step("everything forgotten", "a.md=a3-longer-still s/c.md=c1")

	// A symlink in content/: every load walks (a change to its target is
	// reported under the target's name).
	write("elsewhere/e.md", "e1")
	must(os.Symlink(filepath.Join("..", "elsewhere"), filepath.Join(dir, "content", "l")))
	step("a link added", "a.md=a3-longer-still l/e.md=e1 s/c.md=c1", "content/l")
	write("content/x.md", "x1")
	step("with a link, a page added unreported", "a.md=a3-longer-still l/e.md=e1 s/c.md=c1 x.md=x1")

	cache.Watch(false)
	must(os.Remove(filepath.Join(dir, "content", "l")))
	step("not watched", "a.md=a3-longer-still s/c.md=c1 x.md=x1")
}

// TestFrontMatterRequired: a page without YAML front matter, in another
// format, without a title, or with a key given twice is an error naming
// the expected form.
func TestFrontMatterRequired(t *testing.T) {
	fsys := fstest.MapFS{
		"content/none.md":    {Data: []byte("# Tiêu đề\n\nVăn bản.\n")},
		"content/toml.md":    {Data: []byte("+++\ntitle = \"T\"\n+++\nx\n")},
		"content/empty.md":   {Data: []byte("")},
		"content/notitle.md": {Data: []byte("---\ndate: 2024-01-02\n---\nx\n")},
		"content/dup.md":     {Data: []byte("---\ntitle: A\ndate: 2024-01-02\ntitle: B\n---\n")},
	}
	_, err := Load(context.Background(), fsys, testConfig(t), Options{})
	const form = `start the file with a line "---", then title: "Tên trang" (and other keys), then another "---" line`
	want := strings.Join([]string{
		"content/dup.md:4:1: title: the key is given twice (first on line 2): keep one",
		"content/empty.md:1:1: the page has no front matter: " + form,
		"content/none.md:1:1: the page has no front matter: " + form,
		`content/notitle.md:1:1: the page has no title: add a line such as title: "Tên trang" between the --- lines`,
		"content/toml.md:1:1: front matter in TOML (+++) is not supported: write it as YAML; " + form,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

// vanishingFS lists a file that is gone when it is read, as when an editor
// deletes files during a preview.
type vanishingFS struct{ fstest.MapFS }

func (v vanishingFS) Open(name string) (fs.File, error) {
	if name == "content/gone.md" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return v.MapFS.Open(name)
}

func (v vanishingFS) ReadFile(name string) ([]byte, error) {
	if name == "content/gone.md" {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return v.MapFS.ReadFile(name)
}

func (v vanishingFS) Stat(name string) (fs.FileInfo, error) {
	if name == "content/gone.md" {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return v.MapFS.Stat(name)
}

// TestVanishedFile: a file deleted between listing and reading is not an
// error; the site simply no longer has the page.
func TestVanishedFile(t *testing.T) {
	fsys := vanishingFS{fstest.MapFS{
		"content/a.md":    {Data: []byte("---\ntitle: A\n---\n")},
		"content/gone.md": {Data: []byte("---\ntitle: Gone\n---\n")},
	}}
	pages, err := Load(context.Background(), fsys, testConfig(t), Options{})
	if err != nil {
		t.Fatalf("a vanished file is an error: %v", err)
	}
	if len(pages) != 1 || pages[0].Path != "content/a.md" {
		t.Errorf("pages %v, want only content/a.md", pages)
	}
}
