// Package content reads the pages of a site from the content/ folder.
//
// Every Markdown file (.md) under content/ is a page. Its language comes from
// the file name: "page.md" is in the default language, "page.en.md" in
// English. Pages in the default language live at the root of the site, others
// under "/<lang>/". URLs are pretty: content/huong-dan/ke-hoach.md becomes
// /huong-dan/ke-hoach/ (written as huong-dan/ke-hoach/index.html).
//
// "_index.md" is the page of its folder (a section, or the home page at the
// top); "index.md" makes its folder a single page (a page bundle). The first
// folder under content/ is the page's section. A front-matter slug replaces
// the last URL segment. Drafts are left out unless asked for.
//
// This package never produces HTML; it reads files through fs.FS so tests run
// in memory.
package content

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"loa/internal/config"
	"loa/internal/diag"
	"loa/internal/sitefs"

	"golang.org/x/text/unicode/norm"
)

// Dir is the folder of content files at the site root.
const Dir = "content"

// Kinds of page.
const (
	KindHome    = "home"
	KindSection = "section"
	KindPage    = "page"
)

// Page is one content file, parsed but not rendered.
type Page struct {
	Path     string // slash path relative to the site root: "content/huong-dan/a.md"
	Lang     string
	Kind     string
	Section  string // first folder under content/, "" for the home page and top-level pages
	URL      string // pretty site path, always starting and ending with "/"
	Front    FrontMatter
	Body     []byte
	BodyLine int // line of the file where Body starts
	// Key groups translations of one page: the translationKey, or the path
	// without its language suffix.
	Key string
}

// Options controls loading.
type Options struct {
	Drafts bool   // include pages with draft: true
	Cache  *Cache // reuse pages whose file did not change since the last Load (nil: read everything)
}

// Cache remembers parsed pages by file, for a process that loads the same
// site again and again (the preview server). A file is read again when its
// size or modification time changed, when the file system reports no
// modification time (in-memory file systems in tests), or when it was
// modified less than racyWindow before the load: file times are only as fine
// as the kernel's clock tick, so two saves of the same size within one tick
// look alike (the "racy git" problem). The zero value is
// ready to use; it is safe for concurrent use.
//
// A watched Cache (Watch) also keeps the listing of content/ between loads,
// as a file watcher's client can (Hugo's server does the same): a load then
// looks again only at the names Forget was given, instead of walking every
// folder and every file's metadata.
type Cache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry

	watched bool
	listing []File          // the last walk's files, sorted; nil: walk
	dirty   map[string]bool // names given to Forget since the listing was made
}

type cacheEntry struct {
	size int64
	mod  time.Time
	cfg  *config.Config
	page *Page
}

// racyWindow is how recent a modification time must be for the cache not to
// trust it.
const racyWindow = 2 * time.Second

func (c *Cache) get(f File, cfg *config.Config, start time.Time) *Page {
	if c == nil || f.Mod.IsZero() || !f.Mod.Before(start.Add(-racyWindow)) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[f.Name]
	if !ok || e.size != f.Size || !e.mod.Equal(f.Mod) || e.cfg != cfg && !sameLanguages(e.cfg, cfg) {
		return nil
	}
	return e.page
}

// Forget drops the cached pages of the named files (slash paths from the
// site root, "content/a.md"), so the next Load reads them again even if
// their size and modification time look unchanged (a copy made with cp -p,
// an unzip). The preview calls it with every path the watcher reports.
func (c *Cache) Forget(names ...string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range names {
		delete(c.entries, n)
		if c.dirty == nil {
			c.dirty = map[string]bool{}
		}
		c.dirty[n] = true
	}
}

// Watch(true) makes the Cache keep the listing of content/ between loads:
// the caller promises to pass every changed file or folder to Forget, and to
// call ForgetAll when it cannot know what changed (a watcher that dropped
// events). Watch(false), the default, makes every Load walk content/.
func (c *Cache) Watch(on bool) {
	c.mu.Lock()
	c.watched = on
	c.listing, c.dirty = nil, nil
	c.mu.Unlock()
}

// ForgetAll drops every cached page and the listing: the next Load walks
// content/ and reads every file.
func (c *Cache) ForgetAll() {
	c.mu.Lock()
	c.entries, c.listing, c.dirty = nil, nil, nil
	c.mu.Unlock()
}

// list returns the Markdown files under content/, sorted: the kept listing
// with the forgotten names looked at again when the Cache is watched and
// that suffices, else a walk. A forgotten name that is now, or was, a
// folder or a symlink, or that cannot be looked at, makes it walk.
func (c *Cache) list(fsys fs.FS) ([]File, *diag.List) {
	if c == nil {
		files, errs, _ := walk(fsys)
		return files, errs
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.watched && c.listing != nil {
		if files, ok := c.relist(fsys); ok {
			c.listing, c.dirty = files, nil
			return slices.Clone(files), &diag.List{}
		}
	}
	files, errs, linked := walk(fsys)
	c.listing, c.dirty = nil, nil
	if c.watched && !linked && errs.Len() == 0 {
		// A listing with symlinks is not kept: a change to a link's
		// target is reported under the target's name.
		c.listing = slices.Clone(files)
	}
	return files, errs
}

// relist applies the forgotten names to the kept listing; ok is false when
// only a walk can tell.
func (c *Cache) relist(fsys fs.FS) (files []File, ok bool) {
	files = c.listing
	for _, name := range slices.Sorted(maps.Keys(c.dirty)) {
		if name == Dir || name == "." || name == "" {
			return nil, false
		}
		rest, under := strings.CutPrefix(name, Dir+"/")
		if !under || dotted(rest) {
			continue // not a page's file, or one a walk skips
		}
		i, found := slices.BinarySearchFunc(files, name, func(f File, n string) int { return strings.Compare(f.Name, n) })
		info, err := fs.Lstat(fsys, name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if found {
				files = slices.Delete(slices.Clone(files), i, i+1)
			} else if i < len(files) && strings.HasPrefix(files[i].Name, name+"/") {
				return nil, false // a folder that held pages is gone
			}
		case err != nil, info.IsDir(), !info.Mode().IsRegular():
			return nil, false
		case !strings.HasSuffix(name, ".md"):
		case found:
			files = slices.Clone(files)
			files[i] = File{Name: name, Size: info.Size(), Mod: info.ModTime()}
		default:
			files = slices.Insert(slices.Clone(files), i, File{Name: name, Size: info.Size(), Mod: info.ModTime()})
		}
	}
	return files, true
}

// dotted reports whether a slash path has a segment a walk skips (".git",
// an editor's ".a.md.swp").
func dotted(name string) bool {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

func (c *Cache) put(f File, cfg *config.Config, p *Page, keep map[string]cacheEntry) {
	if c == nil || f.Mod.IsZero() {
		return
	}
	c.mu.Lock()
	keep[f.Name] = cacheEntry{size: f.Size, mod: f.Mod, cfg: cfg, page: p}
	c.mu.Unlock()
}

// sameLanguages reports whether two configs give pages the same language
// and URL: the only parts of the config a Page depends on.
func sameLanguages(a, b *config.Config) bool {
	if a == nil || b == nil || a.DefaultLanguage != b.DefaultLanguage || len(a.Languages) != len(b.Languages) {
		return false
	}
	for i := range a.Languages {
		if a.Languages[i].Code != b.Languages[i].Code {
			return false
		}
	}
	return true
}

// Load reads every page under content/ in fsys (the site root). All problems
// of all files are returned together as a *diag.List, along with the pages
// that could be read, so that the caller can report its own problems too.
func Load(ctx context.Context, fsys fs.FS, cfg *config.Config, opts Options) ([]*Page, error) {
	start := time.Now()
	files, errs := opts.Cache.list(fsys)
	pages := make([]*Page, len(files))
	keep := make(map[string]cacheEntry, len(files))
	// Cached pages first, in one pass (a preview's save reads one file of
	// thousands); then the other files, read in parallel.
	var todo []int
	for i, f := range files {
		if p := opts.Cache.get(f, cfg, start); p != nil {
			opts.Cache.put(f, cfg, p, keep)
			pages[i] = p
		} else {
			todo = append(todo, i)
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for _, i := range todo {
		if ctx.Err() != nil {
			break
		}
		f := files[i]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			p, err := readPage(fsys, f.Name, cfg)
			if errors.Is(err, fs.ErrNotExist) {
				// Deleted between listing and reading (an editor saving,
				// files removed during the preview): the page is gone, which
				// is not an error of the site.
				return
			}
			if err != nil {
				errs.Add(err)
				return
			}
			opts.Cache.put(f, cfg, p, keep)
			pages[i] = p
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Cache != nil {
		opts.Cache.mu.Lock()
		opts.Cache.entries = keep // forget files that are gone
		opts.Cache.mu.Unlock()
	}
	var out []*Page
	for _, p := range pages {
		if p != nil && (opts.Drafts || !p.Front.Draft) {
			out = append(out, p)
		}
	}
	checkURLs(out, errs)
	return out, errs.Err()
}

// walk lists the Markdown files under content/, sorted; linked reports
// whether it went through a symlink.
func walk(fsys fs.FS) (files []File, errs *diag.List, linked bool) {
	all, errs, linked := walkFiles(fsys, Dir, true)
	for _, f := range all {
		if strings.HasSuffix(f.Name, ".md") {
			files = append(files, f)
		}
	}
	return files, errs, linked
}

// File is a file found by WalkFiles.
type File struct {
	Name string    // slash path in the site, as the reader would name it (a symlink's own path)
	Size int64     // zero when unknown (a symlink)
	Mod  time.Time // zero when unknown
}

// WalkFiles lists the files below dir in fsys, sorted. Symlinks are followed
// only when they stay inside the site, through every hop (sitefs.Resolve);
// one that leaves it is an error naming the link. Each real folder is walked
// once: a link back to a folder being walked (a loop, "ln -s . content/l1")
// or to one walked already is an error at the link, so the walk always ends.
// A missing dir has no files. Dot files are skipped when skipDot is set
// (editor swap files, .DS_Store in content/).
func WalkFiles(fsys fs.FS, dir string, skipDot bool) ([]File, *diag.List) {
	files, errs, _ := walkFiles(fsys, dir, skipDot)
	return files, errs
}

// walkFiles is WalkFiles; linked reports whether it went through a symlink.
func walkFiles(fsys fs.FS, dir string, skipDot bool) (files []File, errs *diag.List, linked bool) {
	errs = &diag.List{}
	if _, err := fs.Stat(fsys, dir); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			errs.Add(diag.Wrap(diag.Position{File: dir}, "cannot read folder", err))
		}
		return nil, errs, false
	}
	real, err := sitefs.Resolve(fsys, dir)
	if err != nil {
		errs.Add(symlinkError(dir, err))
		return nil, errs, false
	}
	linked = real != dir
	walked := map[string]string{real: dir} // real folder -> the name it was walked as
	var visit func(dir string)
	visit = func(dir string) {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			errs.Add(diag.Wrap(diag.Position{File: dir}, "cannot read folder", err))
			return
		}
		for _, e := range entries {
			name := path.Join(dir, e.Name())
			if skipDot && strings.HasPrefix(e.Name(), ".") {
				continue
			}
			isDir := e.IsDir()
			if e.Type()&fs.ModeSymlink != 0 {
				linked = true
				target, err := checkSymlink(fsys, name)
				if err != nil {
					errs.Add(err)
					continue
				}
				info, err := fs.Stat(fsys, target)
				if err != nil {
					errs.Add(diag.Wrap(diag.Position{File: name}, "broken symlink", err))
					continue
				}
				isDir = info.IsDir()
				if isDir {
					if prev, ok := walked[target]; ok {
						what := "the same folder as " + prev
						if name == prev || strings.HasPrefix(name, prev+"/") {
							what = "a folder that holds it (" + prev + "), a loop"
						}
						errs.Add(diag.Errorf(diag.Position{File: name}, "symlink points to %s: remove the link", what))
						continue
					}
					walked[target] = name
				}
			}
			if isDir {
				if e.Type()&fs.ModeSymlink == 0 {
					// A plain folder: record its real path too, so a link
					// to it found later is recognised.
					if real, err := sitefs.Resolve(fsys, name); err == nil {
						walked[real] = name
					}
				}
				visit(name)
				continue
			}
			f := File{Name: name}
			if info, err := e.Info(); err == nil && e.Type().IsRegular() {
				f.Size, f.Mod = info.Size(), info.ModTime()
			}
			files = append(files, f)
		}
	}
	visit(dir)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, errs, linked
}

// checkSymlink verifies that the symlink at name (a slash path in fsys)
// resolves inside the site through every hop, and returns the real path it
// leads to.
func checkSymlink(fsys fs.FS, name string) (string, error) {
	target, err := sitefs.Resolve(fsys, name)
	if err != nil {
		return "", symlinkError(name, err)
	}
	return target, nil
}

// symlinkError positions an error from resolving a link at the link.
func symlinkError(name string, err error) *diag.Error {
	var esc *sitefs.EscapeError
	if errors.As(err, &esc) {
		return diag.Errorf(diag.Position{File: name}, "%s: copy the file into the site instead", esc.Error())
	}
	if errors.Is(err, sitefs.ErrLoop) {
		return diag.Errorf(diag.Position{File: name}, "symlink loop: remove the link")
	}
	return diag.Wrap(diag.Position{File: name}, "cannot read symlink", err)
}

// MaxFileBytes is the largest content file read: the Markdown limit of a
// page (markdown.MaxPageBytes, 4 MiB) plus room for front matter. A larger
// file is refused before it is read, so its size never turns into memory.
const MaxFileBytes = 4<<20 + 64<<10

func readPage(fsys fs.FS, file string, cfg *config.Config) (*Page, error) {
	if info, err := fs.Stat(fsys, file); err == nil && info.Size() > MaxFileBytes {
		return nil, diag.Errorf(diag.Position{File: file}, "the file is %d bytes, more than the %d a page may have: split it into several pages", info.Size(), MaxFileBytes)
	}
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, diag.Wrap(diag.Position{File: file}, "cannot read file", err)
	}
	if !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		line, col := diag.LineCol(src, off)
		return nil, diag.Errorf(diag.Position{File: file, Line: line, Col: col}, "invalid UTF-8 (byte 0x%02x): save the file as UTF-8", src[off])
	}
	src = bytesTrimBOM(src)
	yamlText, body, bodyLine, err := split(file, src)
	if err != nil {
		return nil, err
	}
	if yamlText == nil {
		return nil, missingFrontMatter(file, src)
	}
	fm, err := parseFrontMatter(file, yamlText)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(fm.Title) == "" {
		return nil, diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "the page has no title: add a line such as title: \"Tên trang\" between the --- lines")
	}
	p := &Page{Path: file, Front: fm, Body: body, BodyLine: bodyLine}
	rel := strings.TrimPrefix(file, Dir+"/")
	base := strings.TrimSuffix(path.Base(rel), ".md")
	dir := path.Dir(rel)
	if dir == "." {
		dir = ""
	}
	p.Lang = cfg.DefaultLanguage
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		lang := base[i+1:]
		if _, ok := cfg.Language(lang); !ok {
			return nil, diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "unknown language %q in file name (languages: %s)", lang, langList(cfg))
		}
		p.Lang = lang
		base = base[:i]
	}
	var segs []string
	if dir != "" {
		segs = strings.Split(dir, "/")
	}
	switch base {
	case "_index":
		p.Kind = KindSection
		if dir == "" {
			p.Kind = KindHome
		}
	case "index":
		p.Kind = KindPage
	default:
		p.Kind = KindPage
		segs = append(segs, base)
	}
	if fm.Slug != "" && len(segs) > 0 {
		segs[len(segs)-1] = fm.Slug
	}
	if dir != "" {
		p.Section = strings.Split(dir, "/")[0]
	}
	for i, sg := range segs {
		if strings.ContainsAny(sg, "?#%\\") || strings.IndexFunc(sg, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
			return nil, diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "the name %q cannot be part of a web address (it has '?', '#', '%%', '\\' or a control character): rename the file or folder", sg)
		}
		// Addresses use composed Unicode (NFC), whatever the editor's
		// computer wrote, and dashes for spaces, as Hugo's urlize does.
		segs[i] = strings.ReplaceAll(norm.NFC.String(sg), " ", "-")
	}
	u := config.LangPrefixOf(cfg, p.Lang) + "/"
	if len(segs) > 0 {
		u += strings.Join(segs, "/") + "/"
	}
	p.URL = u
	p.Key = fm.TranslationKey
	if p.Key == "" {
		p.Key = "path:" + path.Join(dir, base)
	}
	return p, nil
}

func bytesTrimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

func langList(cfg *config.Config) string {
	var s []string
	for _, l := range cfg.Languages {
		s = append(s, l.Code)
	}
	return strings.Join(s, ", ")
}

// checkURLs reports pages and aliases that claim the same URL.
func checkURLs(pages []*Page, errs *diag.List) {
	type claim struct {
		pos  diag.Position
		what string
	}
	seen := make(map[string]claim, len(pages))
	add := func(u string, c claim) {
		if prev, ok := seen[u]; ok {
			errs.Add(diag.Errorf(c.pos, "%s %s is already used by %s (%s)", c.what, u, prev.pos.File, prev.what))
			return
		}
		seen[u] = c
	}
	for _, p := range pages {
		add(p.URL, claim{diag.Position{File: p.Path, Line: 1, Col: 1}, "URL"})
	}
	for _, p := range pages {
		for i, a := range p.Front.Aliases {
			u := "/" + strings.Trim(a, "/") + "/"
			if u == "//" {
				u = "/"
			}
			add(u, claim{p.Front.AliasPos[i], "alias"})
		}
	}
}

// missingFrontMatter explains a page that does not start with YAML front
// matter between "---" lines, naming the form it has instead.
func missingFrontMatter(file string, src []byte) error {
	pos := diag.Position{File: file, Line: 1, Col: 1}
	const want = "start the file with a line \"---\", then title: \"Tên trang\" (and other keys), then another \"---\" line"
	line, _, _ := bytes.Cut(src, []byte("\n"))
	first := strings.TrimSpace(string(line))
	switch {
	case first == "+++":
		return diag.Errorf(pos, "front matter in TOML (+++) is not supported: write it as YAML; %s", want)
	case strings.HasPrefix(first, "{"):
		return diag.Errorf(pos, "front matter in JSON is not supported: write it as YAML; %s", want)
	}
	return diag.Errorf(pos, "the page has no front matter: %s", want)
}
