// Package scaffold starts new content files for `loa new`: a Markdown file
// with complete front matter (title, description, date, draft: true,
// translationKey), never overwriting an existing file.
//
// A guidance article goes to content/huong-dan/<slug>.md, where the slug is
// the Vietnamese title without diacritics (markdown.Slug): "Tiêu đề bài
// viết" becomes tieu-de-bai-viet. Any other page goes to the path given.
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"loa/internal/content"
	"loa/internal/markdown"
)

// ErrExists is returned (wrapped) when the file is already there.
var ErrExists = errors.New("file already exists")

// Page describes a file to create.
type Page struct {
	Path  string    // slash path relative to the site root: "content/huong-dan/a.md"
	Title string    // may be empty: derived from the file name
	Today time.Time // the date written into the front matter
}

// MaxSlug is the longest file name (without ".md") Guidance makes from a
// title: long enough for a readable address, short enough for every file
// system and for a URL someone reads aloud. The full title stays in the
// front matter.
const MaxSlug = 72

// shorten cuts slug to at most max bytes at a word boundary (a "-").
func shorten(slug string, max int) string {
	if len(slug) <= max {
		return slug
	}
	cut := slug[:max+1]
	if i := strings.LastIndexByte(cut, '-'); i > max/2 {
		return cut[:i]
	}
	return strings.TrimRight(slug[:max], "-")
}

// Guidance returns the page for a new guidance article titled title in
// section, the site's guidance section (loa.yaml "guidance").
func Guidance(section, title string, today time.Time) (Page, error) {
	title = strings.TrimSpace(title)
	slug := shorten(markdown.Slug(title), MaxSlug)
	if slug == "" {
		return Page{}, fmt.Errorf("the title %q has no letters or digits to make a file name from", title)
	}
	return Page{Path: path.Join(content.Dir, section, slug+".md"), Title: title, Today: today}, nil
}

// At returns the page for a file at p, a path under content/ with or
// without the "content/" prefix and the ".md" extension.
func At(p, title string, today time.Time) (Page, error) {
	p = filepath.ToSlash(strings.TrimSpace(p))
	if p == "" {
		return Page{}, errors.New("give the path of the new page, for example gioi-thieu/lien-he.md")
	}
	if strings.Contains(p, "\\") || path.IsAbs(p) {
		return Page{}, fmt.Errorf("%s: give a path inside content/, such as gioi-thieu/lien-he.md", p)
	}
	p = strings.TrimPrefix(path.Clean(p), content.Dir+"/")
	if p == ".." || strings.HasPrefix(p, "../") || p == "." || p == content.Dir {
		return Page{}, fmt.Errorf("%s: give a path inside content/, such as gioi-thieu/lien-he.md", p)
	}
	if !strings.HasSuffix(p, ".md") {
		p += ".md"
	}
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, ".") || strings.ContainsAny(seg, " ?#%") {
			return Page{}, fmt.Errorf("%s: folder and file names may not start with a dot or contain spaces, '?', '#' or '%%' (use dashes: lien-he.md)", p)
		}
	}
	return Page{Path: path.Join(content.Dir, p), Title: strings.TrimSpace(title), Today: today}, nil
}

// Key is the page's translationKey: its file name without language and
// extension (the folder name for _index.md and index.md).
func (p Page) Key() string {
	base := strings.TrimSuffix(path.Base(p.Path), ".md")
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i] // "about.en" -> "about"
	}
	if base == "_index" || base == "index" {
		dir := path.Base(path.Dir(p.Path))
		if dir == content.Dir {
			return "home"
		}
		return dir
	}
	return base
}

// Source is the text of the new file.
func (p Page) Source() string {
	title := p.Title
	if title == "" {
		key := p.Key()
		title = strings.ToUpper(key[:1]) + strings.ReplaceAll(key[1:], "-", " ")
	}
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", quote(title))
	b.WriteString("description: \"\" # một câu tóm tắt bài, hiện trong kết quả tìm kiếm và khi chia sẻ\n")
	fmt.Fprintf(&b, "date: %s\n", p.Today.Format("2006-01-02"))
	b.WriteString("draft: true # đổi thành false (hoặc xóa dòng này) khi bài đã sẵn sàng đăng\n")
	fmt.Fprintf(&b, "translationKey: %s\n", quote(p.Key()))
	b.WriteString("---\n\n")
	b.WriteString("Viết nội dung bài ở đây.\n")
	return b.String()
}

// quote writes s as a YAML double-quoted scalar.
func quote(s string) string {
	// Go's quoting of printable text is valid YAML: \" \\ \n \t \xNN \uNNNN.
	return strconv.Quote(s)
}

// Create writes the page under root. It refuses to overwrite an existing
// file, and creates missing folders.
func Create(root string, p Page) error {
	name := filepath.Join(root, filepath.FromSlash(p.Path))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s: %w: choose another title or path, or edit the existing file", p.Path, ErrExists)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(p.Source()); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	return f.Close()
}
