package convention

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"loa/internal/diag"
)

// Generator is the marker that every imported page carries in its front
// matter (imported.generator). A page without it was written by hand.
const Generator = "loa import convention"

// Page is an imported convention page, ready to be written.
type Page struct {
	Path        string // slash path under the content folder: "conventions/crc.en.md" or "cong-uoc/crc.md"
	Data        []byte // the whole file: front matter and body
	Articles    int
	Corrections []Correction // the corrections applied
	Warnings    []*diag.Error
}

// PagePath returns where the page of a convention goes under the content
// folder: English texts at conventions/<code>.en.md, Vietnamese ones at
// cong-uoc/<code>.md (the URL scheme fixed in docs/architecture.md).
func PagePath(code, lang string) string {
	if lang == "vi" {
		return path.Join("cong-uoc", code+".md")
	}
	return path.Join("conventions", code+"."+lang+".md")
}

// Import turns the plain text src of the convention code, in language lang
// ("en" or "vi"), into a page. file names src in diagnostics and in the
// page's front matter. The error, if any, is a *diag.List with every
// problem found, sorted; nothing is returned to write then.
func Import(file string, src []byte, code, lang string) (*Page, error) {
	meta, err := Lookup(code)
	if err != nil {
		return nil, diag.Wrap(diag.Position{File: file}, "", err)
	}
	if _, ok := langWords[lang]; !ok {
		return nil, diag.Errorf(diag.Position{File: file}, "unknown language %q (want en or vi)", lang)
	}
	if err := checkInput(file, src); err != nil {
		return nil, err
	}
	fixed, applied, cdiags := applyCorrections(file, src, code, lang)
	var errs diag.List
	var warnings []*diag.Error
	for _, d := range cdiags {
		if d.Severity == diag.SevError {
			errs.Add(d)
		} else {
			warnings = append(warnings, d)
		}
	}
	title := meta.TitleEn
	if lang == "vi" {
		title = meta.TitleVi
	}
	doc, err := Parse(file, fixed, Options{Titles: []string{title}, Articles: meta.Articles})
	errs.Add(err)
	if errs.HasErrors() {
		return nil, &errs
	}
	warnings = append(warnings, doc.Warnings...)
	body, added := render(doc, lang)
	fm := frontMatter(meta, lang, file, len(doc.Articles()), applied, added)
	data := seal(fm, body)
	return &Page{
		Path:        PagePath(code, lang),
		Data:        data,
		Articles:    len(doc.Articles()),
		Corrections: applied,
		Warnings:    warnings,
	}, nil
}

// frontMatter writes the YAML front matter, without the closing "---" and
// with an empty hash.
func frontMatter(m Meta, lang, file string, articles int, applied []Correction, added []string) string {
	var b strings.Builder
	kv := func(indent, k, v string) { fmt.Fprintf(&b, "%s%s: %s\n", indent, k, v) }
	q := strconv.Quote
	adopted, _ := time.Parse("2006-01-02", m.Adopted)
	b.WriteString("---\n")
	if lang == "vi" {
		kv("", "title", q(m.TitleVi))
		kv("", "description", q(fmt.Sprintf("Văn bản tiếng Việt của %s, được Đại hội đồng Liên Hợp Quốc thông qua ngày %s, theo từng điều.",
			m.TitleVi, adopted.Format("2/1/2006"))))
	} else {
		kv("", "title", q(m.TitleEn))
		kv("", "description", q(fmt.Sprintf("The English text of the %s, adopted by the UN General Assembly on %s, article by article.",
			m.TitleEn, adopted.Format("2 January 2006"))))
	}
	kv("", "layout", "convention")
	kv("", "translationKey", "convention-"+m.Code)
	kv("", "weight", strconv.Itoa(m.Weight))
	kv("", "code", m.Code)
	kv("", "titleEn", q(m.TitleEn))
	kv("", "titleVi", q(m.TitleVi))
	kv("", "adopted", m.Adopted)
	kv("", "vietnam", q(m.VietNam))
	kv("", "articles", strconv.Itoa(articles))
	if m.ProceduralFrom > 0 {
		kv("", "proceduralFrom", strconv.Itoa(m.ProceduralFrom))
	}
	b.WriteString("source:\n")
	if lang == "en" {
		kv("  ", "publisher", q(m.Source.Publisher))
		kv("  ", "document", q(fmt.Sprintf("%s (%d)", m.TitleEn, m.Year)))
		kv("  ", "edition", q(m.Source.Edition))
		if m.Source.URL != "" {
			kv("  ", "url", q(m.Source.URL))
		}
		kv("  ", "repository", q(m.Source.Repository))
		kv("  ", "path", q(m.Source.Path))
		kv("  ", "commit", q(m.Source.Commit))
	}
	kv("  ", "file", q(file))
	if len(applied) == 0 {
		b.WriteString("corrections: []\n")
	} else {
		b.WriteString("corrections:\n")
		for _, c := range applied {
			kv("  - ", "line", strconv.Itoa(c.Line))
			kv("    ", "from", q(c.From))
			kv("    ", "to", q(c.To))
			kv("    ", "reason", q(c.Reason))
			kv("    ", "source", q(c.Source))
		}
	}
	b.WriteString("imported:\n")
	kv("  ", "generator", q(Generator))
	ids := make([]string, len(added))
	for i, id := range added {
		ids[i] = q(id)
	}
	kv("  ", "headingsAdded", "["+strings.Join(ids, ", ")+"]")
	kv("  ", "captionSeparator", q(CaptionSeparator))
	kv("  ", "hash", `""`)
	return b.String()
}

const hashLine = "  hash: \"\"\n"

// seal joins front matter and body and fills in the hash: the SHA-256 of
// the whole page as written with an empty hash value. Any later edit, to the
// body or the front matter, changes it.
func seal(fm, body string) []byte {
	page := fm + "---\n\n" + body
	sum := sha256.Sum256([]byte(page))
	return []byte(strings.Replace(page, hashLine, "  hash: \"sha256:"+hex.EncodeToString(sum[:])+"\"\n", 1))
}

var hashRe = regexp.MustCompile(`(?m)^  hash: "sha256:([0-9a-f]{64})"\n`)

// CheckOverwrite tells whether the existing page at name (its content is
// existing) may be replaced by a fresh import: only a page that loa imported
// and that nobody edited since. The error names the file; --force skips this
// check.
func CheckOverwrite(name string, existing []byte) error {
	fm, ok := frontMatterOf(existing)
	pos := diag.Position{File: name, Line: 1, Col: 1}
	if !ok || !bytes.Contains(fm, []byte("  generator: "+strconv.Quote(Generator)+"\n")) {
		return diag.Errorf(pos, "not a page written by %q; refusing to overwrite it (use --force)", Generator)
	}
	m := hashRe.FindSubmatchIndex(fm)
	if m == nil {
		return diag.Errorf(pos, "imported page has no content hash; refusing to overwrite it (use --force)")
	}
	line, _ := diag.LineCol(existing, m[0])
	recorded := string(fm[m[2]:m[3]])
	blank := make([]byte, 0, len(existing))
	blank = append(blank, existing[:m[0]]...)
	blank = append(blank, hashLine...)
	blank = append(blank, existing[m[1]:]...)
	sum := sha256.Sum256(blank)
	if hex.EncodeToString(sum[:]) != recorded {
		return diag.Errorf(diag.Position{File: name, Line: line, Col: 3},
			"page was edited after it was imported (content hash differs); refusing to overwrite it (use --force)")
	}
	return nil
}

// frontMatterOf returns the front matter of a page including its opening
// "---" line and the newline before the closing one.
func frontMatterOf(page []byte) ([]byte, bool) {
	if !bytes.HasPrefix(page, []byte("---\n")) {
		return nil, false
	}
	end := bytes.Index(page[4:], []byte("\n---\n"))
	if end < 0 {
		return nil, false
	}
	return page[:4+end+1], true
}

// Words splits text into words at Unicode white space, and also after a
// comma or semicolon that is directly followed by a letter: the Dutch-database
// preambles glue recitals together ("Convention,Noting that"), and the
// paragraph break the importer inserts there must not count as a changed
// word. Fidelity tests compare the words of a page (its plain text) with the
// words of the source (SourceText) in order; other punctuation stays attached
// to its word, so a changed comma or number is a changed word.
func Words(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(text, unicode.IsSpace) {
		start := 0
		for i, r := range f {
			if r != ',' && r != ';' {
				continue
			}
			if next, size := utf8.DecodeRuneInString(f[i+1:]); size > 0 && unicode.IsLetter(next) {
				out = append(out, f[start:i+1])
				start = i + 1
			}
		}
		out = append(out, f[start:])
	}
	return out
}

// InOrder reports whether want occurs in have in order, other words allowed
// between (a built page adds a header, navigation and the importer's added
// headings). If not, it returns the index in want of the first word it
// could not find.
func InOrder(have, want []string) (int, bool) {
	j := 0
	for _, w := range have {
		if j < len(want) && w == want[j] {
			j++
		}
	}
	return j, j == len(want)
}
