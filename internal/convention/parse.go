package convention

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"loa/internal/diag"
)

// Kind is the kind of a structural node.
type Kind int

const (
	KindPreamble Kind = iota
	KindPart          // "Part I", "Phần I"
	KindChapter       // "Chapter I", "Chương I"
	KindSection       // "Section 1", "Mục 1"
	KindArticle       // "Article 1", "Điều 1"
)

// Level tells how deep a paragraph sits in an article's numbering.
type Level int

const (
	LevelText      Level = iota // a paragraph without its own number
	LevelParagraph              // "1."
	LevelItem                   // "(a)", "a)", "a."
	LevelSubItem                // "(i)", "i)", "i."
)

// Document is a parsed convention.
type Document struct {
	Title     string
	TitleLine int
	// Intro holds text between the title and an explicit preamble heading
	// (for example a translation's note on its source). It is kept, in
	// order, before the preamble and reported as a warning.
	Intro []Block
	// Nodes are the top-level divisions in order: the preamble (if any),
	// then parts, chapters, sections or articles. Divisions nest as
	// Part > Chapter > Section > Article; levels a text lacks are skipped.
	Nodes    []*Node
	Warnings []*diag.Error
}

// Node is the preamble, a division or an article.
type Node struct {
	Kind   Kind
	Number int // 0 for the preamble
	// Label is the heading as the source writes it ("PART I", "Article 12",
	// "Preamble"); empty when the importer supplies the heading because the
	// source has none (the run-on preambles of the Dutch-database files).
	Label string
	// Caption is the title of an article or division ("Purpose"), from the
	// line after the heading or after "Article 1." on the same line.
	Caption string
	// CaptionOwnLine is true when the caption was on its own line.
	CaptionOwnLine bool
	Line           int // line of the heading; for an added preamble, of its first text
	Blocks         []Block
	Children       []*Node
}

// Block is one paragraph of text: a line of the source, or a part of a line
// that ran several paragraphs together.
type Block struct {
	Line   int
	Text   string // exactly as in the source, without surrounding spaces
	Marker string // the number or letter that starts Text ("1.", "(a)", "a)", "i."), or ""
	Level  Level
	// Testimonium marks the closing formula ("In witness whereof…") and
	// what follows it; it stays inside the last article.
	Testimonium bool
}

// Articles returns the articles in document order.
func (d *Document) Articles() []*Node {
	var out []*Node
	var walk func([]*Node)
	walk = func(ns []*Node) {
		for _, n := range ns {
			if n.Kind == KindArticle {
				out = append(out, n)
			}
			walk(n.Children)
		}
	}
	walk(d.Nodes)
	return out
}

// Options tune Parse.
type Options struct {
	// Titles are the accepted spellings of the title line (compared without
	// regard to case or runs of spaces). With none, the first non-blank line
	// is the title. A file whose first line is none of them still imports
	// (the first line is taken as the title) with a warning; a known title
	// found further down is an error ("text before the title").
	Titles []string
	// Articles is the expected number of articles; 0 skips the check.
	Articles int
}

// Parse reads a plain-text convention. The error, if any, is a *diag.List of
// every problem found, sorted; warnings (text the parser could place only
// by guessing) are in Document.Warnings.
func Parse(file string, src []byte, opt Options) (*Document, error) {
	p := &parser{file: file, doc: &Document{}}
	if err := checkInput(file, src); err != nil {
		return nil, err
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	p.lines = splitLines(src)
	p.parse(opt)
	if p.errs.HasErrors() {
		return nil, &p.errs
	}
	return p.doc, nil
}

// checkInput rejects an empty file, one that is not UTF-8, and one that
// holds control characters other than tab, newline and carriage return (a
// NUL byte, an escape): they come from a damaged file or one that is not
// plain text, and would be copied into the page.
func checkInput(file string, src []byte) error {
	if len(bytes.TrimSpace(bytes.TrimPrefix(src, []byte("\ufeff")))) == 0 {
		var l diag.List
		l.Add(diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "empty file"))
		return &l
	}
	if !utf8.Valid(src) {
		i := 0
		for i < len(src) {
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		line, col := diag.LineCol(src, i)
		var l diag.List
		l.Add(diag.Errorf(diag.Position{File: file, Line: line, Col: col}, "not valid UTF-8 (byte 0x%02x)", src[i]))
		return &l
	}
	// One error per kind of character, at its first place, so that a
	// binary file gives a few lines, not thousands.
	first := map[rune]int{}
	count := map[rune]int{}
	for i, r := range string(src) {
		if isControl(r) {
			if _, ok := first[r]; !ok {
				first[r] = i
			}
			count[r]++
		}
	}
	if len(first) == 0 {
		return nil
	}
	var l diag.List
	for r, i := range first {
		line, col := diag.LineCol(src, i)
		times := ""
		if n := count[r]; n > 1 {
			times = fmt.Sprintf(" (%d in the file)", n)
		}
		l.Add(diag.Errorf(diag.Position{File: file, Line: line, Col: col},
			"%s (U+%04X) in the text%s: the file is damaged or not plain text; save it again as plain UTF-8 text, or delete the character", controlName(r), r, times))
	}
	return &l
}

// isControl reports whether r is a control character that has no place in
// a plain text: C0 controls other than tab, newline and carriage return,
// DEL and the C1 controls.
func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f
}

// controlName names a control character for a person.
func controlName(r rune) string {
	switch r {
	case 0:
		return "NUL byte"
	case 0x07:
		return "bell character"
	case 0x08:
		return "backspace character"
	case 0x0b:
		return "vertical tab"
	case 0x0c:
		return "form feed (page break)"
	case 0x1b:
		return "escape character"
	case 0x7f:
		return "delete character"
	}
	return "control character"
}

type line struct {
	n    int    // 1-based line number
	col  int    // 1-based byte column of the first non-space character
	text string // trimmed
}

func splitLines(src []byte) []line {
	var out []line
	for i, s := range strings.Split(string(src), "\n") {
		s = strings.TrimSuffix(s, "\r")
		t := strings.TrimLeftFunc(s, unicode.IsSpace)
		col := len(s) - len(t) + 1
		out = append(out, line{n: i + 1, col: col, text: strings.TrimRightFunc(t, unicode.IsSpace)})
	}
	return out
}

type parser struct {
	file  string
	lines []line
	doc   *Document
	errs  diag.List

	preamble   *Node
	part       *Node // innermost open division of each kind
	chapter    *Node
	section    *Node
	article    *Node
	current    *Node // where text goes
	lastNumber int   // last "N." paragraph number in the current article
	inTestim   bool
	prevLetter string         // last lettered item's letter in the current node, for (i) vs (h)
	pending    []pendingBlock // text before the first heading

	rest []line // the lines after the title
	idx  int    // index in rest of the line being placed
}

func (p *parser) pos(l line) diag.Position {
	return diag.Position{File: p.file, Line: l.n, Col: l.col}
}

func (p *parser) warnf(l line, format string, args ...any) {
	p.doc.Warnings = append(p.doc.Warnings, diag.Warnf(p.pos(l), format, args...))
}

func (p *parser) errorf(l line, format string, args ...any) {
	p.errs.Add(diag.Errorf(p.pos(l), format, args...))
}

func (p *parser) parse(opt Options) {
	// The title.
	first := -1
	for i, l := range p.lines {
		if l.text != "" {
			first = i
			break
		}
	}
	titleAt := first
	if len(opt.Titles) > 0 && !matchesTitle(p.lines[first].text, opt.Titles) {
		found := -1
		for i := first + 1; i < len(p.lines); i++ {
			if matchesTitle(p.lines[i].text, opt.Titles) {
				found = i
				break
			}
		}
		if found >= 0 {
			p.errorf(p.lines[first], "text before the title %q", p.lines[found].text)
			titleAt = found
		} else if h := classify(p.lines[first].text); h.kind != hNone {
			p.errorf(p.lines[first], "missing title: the file starts with %q", p.lines[first].text)
		} else {
			p.warnf(p.lines[first], "title %q is not the expected %q", p.lines[first].text, opt.Titles[0])
		}
	} else if h := classify(p.lines[first].text); h.kind != hNone {
		p.errorf(p.lines[first], "missing title: the file starts with %q", p.lines[first].text)
	}
	p.doc.Title = p.lines[titleAt].text
	p.doc.TitleLine = p.lines[titleAt].n

	seen := map[int]int{} // article number -> line
	var order []line      // article heading lines
	var numbers []int     // article numbers in order
	maxSeen := 0          // highest article number so far
	anchors := map[string]int{}
	rest := p.lines[titleAt+1:]
	p.rest = rest
	for i := 0; i < len(rest); i++ {
		l := rest[i]
		p.idx = i
		if l.text == "" {
			continue
		}
		h := classify(l.text)
		switch h.kind {
		case hPreamble:
			if p.preamble != nil || p.article != nil || p.part != nil {
				p.warnf(l, "preamble heading %q after the preamble or an article; kept as text", l.text)
				p.addText(l, l.text)
				continue
			}
			p.preamble = &Node{Kind: KindPreamble, Label: h.label, Line: l.n}
			p.doc.Intro = p.takeIntro()
			if len(p.doc.Intro) > 0 {
				p.doc.Warnings = append(p.doc.Warnings, diag.Warnf(diag.Position{File: p.file, Line: p.doc.Intro[0].Line, Col: 1},
					"text between the title and the preamble; kept before the preamble"))
			}
			p.doc.Nodes = append(p.doc.Nodes, p.preamble)
			p.current = p.preamble
			if h.rest != "" {
				restLine := l
				restLine.col += len(l.text) - len(h.rest)
				p.addText(restLine, h.rest)
			}
		case hPart, hChapter, hSection:
			n := &Node{Kind: h.nodeKind(), Number: h.number, Label: l.text, Caption: h.caption, Line: l.n}
			if h.caption != "" {
				n.Label = h.label
			}
			p.closeImplicitPreamble()
			p.openDivision(n)
			key := p.divisionKey(n)
			if prev, ok := anchors[key]; ok {
				p.errorf(l, "duplicate %s (also at line %d)", h.label, prev)
			} else {
				anchors[key] = l.n
			}
			if h.caption == "" && i+1 < len(rest) {
				if j, ok := nextText(rest, i+1); ok && isCaption(rest[j].text) {
					if classify(rest[j].text).kind == hNone {
						n.Caption, n.CaptionOwnLine = rest[j].text, true
						i = j
					}
				}
			}
		case hArticle:
			n := &Node{Kind: KindArticle, Number: h.number, Label: l.text, Caption: h.caption, Line: l.n}
			if h.caption != "" {
				n.Label = h.label
			}
			p.closeImplicitPreamble()
			p.openArticle(n)
			switch prev, dup := seen[h.number]; {
			case dup:
				p.errorf(l, "duplicate article %d (also at line %d)", h.number, prev)
			case h.number < 1:
				p.errorf(l, "article %d: articles are numbered from 1", h.number)
			case h.number < maxSeen:
				p.errorf(l, "article %d out of sequence: it follows article %d", h.number, maxSeen)
			}
			if _, dup := seen[h.number]; !dup {
				seen[h.number] = l.n
			}
			order = append(order, l)
			numbers = append(numbers, h.number)
			maxSeen = max(maxSeen, h.number)
			// A caption on its own line: short, no closing punctuation, and
			// followed by the article's text.
			if h.caption == "" {
				if j, ok := nextText(rest, i+1); ok && isCaption(rest[j].text) && classify(rest[j].text).kind == hNone {
					if k, ok := nextText(rest, j+1); ok && classify(rest[k].text).kind == hNone {
						n.Caption, n.CaptionOwnLine = rest[j].text, true
						i = j
					}
				}
			}
		default:
			p.addText(l, l.text)
		}
	}
	p.closeImplicitPreamble()

	// Missing articles: every number from 1 to the highest must appear. The
	// error for a gap points at the heading of the article after it.
	uniq := make([]int, 0, len(seen))
	for n := range seen {
		uniq = append(uniq, n)
	}
	sort.Ints(uniq)
	prev := 0
	for _, n := range uniq {
		if n > prev+1 && prev >= 0 {
			at := p.lines[seen[n]-1]
			if n == prev+2 {
				p.errorf(at, "missing article %d (before article %d)", prev+1, n)
			} else {
				p.errorf(at, "missing articles %d to %d (before article %d)", prev+1, n-1, n)
			}
		}
		prev = n
	}
	if opt.Articles > 0 {
		if maxSeen < opt.Articles {
			last := p.lines[first]
			for _, l := range p.lines {
				if l.text != "" {
					last = l
				}
			}
			if maxSeen+1 == opt.Articles {
				p.errorf(last, "missing article %d: the text ends after article %d", opt.Articles, maxSeen)
			} else {
				p.errorf(last, "missing articles %d to %d: the text ends after article %d", maxSeen+1, opt.Articles, maxSeen)
			}
		}
		for k, n := range numbers {
			if n > opt.Articles {
				p.errorf(order[k], "article %d: the convention has %d articles", n, opt.Articles)
				break
			}
		}
	}
}

// nextText returns the index of the next non-blank line at or after i.
func nextText(ls []line, i int) (int, bool) {
	for ; i < len(ls); i++ {
		if ls[i].text != "" {
			return i, true
		}
	}
	return 0, false
}

func matchesTitle(s string, titles []string) bool {
	for _, t := range titles {
		if strings.EqualFold(collapse(norm.NFC.String(s)), collapse(norm.NFC.String(t))) {
			return true
		}
	}
	return false
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// isCaption reports whether s looks like the title of an article or a
// division: short, starting with a capital letter, without a paragraph
// number and without the punctuation that ends a sentence or a clause.
func isCaption(s string) bool {
	if utf8.RuneCountInString(s) > 100 || s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return false
	}
	if m, _ := splitMarker(s); m != "" {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".,;:", last)
}

// pending text before the first structure heading; it becomes the preamble
// (or, if an explicit preamble heading follows, the intro).
func (p *parser) takeIntro() []Block {
	var out []Block
	for _, b := range p.pending {
		b.Marker, _ = splitMarker(b.Text)
		out = append(out, b.Block)
	}
	p.pending = nil
	return out
}

func (p *parser) closeImplicitPreamble() {
	if p.preamble == nil && len(p.pending) > 0 && p.article == nil && p.part == nil && p.chapter == nil && p.section == nil {
		p.preamble = &Node{Kind: KindPreamble, Line: p.pending[0].Line}
		// The run-on recitals are split now that we know this is a preamble.
		saved := p.idx
		for _, b := range p.pending {
			p.idx = b.idx
			p.preamble.Blocks = append(p.preamble.Blocks, p.splitBlocks(b.Line, b.Text, KindPreamble)...)
		}
		p.idx = saved
		p.pending = nil
		p.doc.Nodes = append([]*Node{p.preamble}, p.doc.Nodes...)
	}
}

func (p *parser) openDivision(n *Node) {
	p.article, p.lastNumber, p.prevLetter = nil, 0, ""
	switch n.Kind {
	case KindPart:
		p.part, p.chapter, p.section = n, nil, nil
		p.doc.Nodes = append(p.doc.Nodes, n)
	case KindChapter:
		p.chapter, p.section = n, nil
		if p.part != nil {
			p.part.Children = append(p.part.Children, n)
		} else {
			p.doc.Nodes = append(p.doc.Nodes, n)
		}
	case KindSection:
		p.section = n
		switch {
		case p.chapter != nil:
			p.chapter.Children = append(p.chapter.Children, n)
		case p.part != nil:
			p.part.Children = append(p.part.Children, n)
		default:
			p.doc.Nodes = append(p.doc.Nodes, n)
		}
	}
	p.current = n
}

func (p *parser) openArticle(n *Node) {
	switch {
	case p.section != nil:
		p.section.Children = append(p.section.Children, n)
	case p.chapter != nil:
		p.chapter.Children = append(p.chapter.Children, n)
	case p.part != nil:
		p.part.Children = append(p.part.Children, n)
	default:
		p.doc.Nodes = append(p.doc.Nodes, n)
	}
	p.article, p.current = n, n
	p.lastNumber, p.prevLetter = 0, ""
}

// divisionKey identifies a division for the duplicate check: sections are
// numbered within their chapter, as in Vietnamese legal texts.
func (p *parser) divisionKey(n *Node) string {
	key := fmt.Sprintf("%d-%d", n.Kind, n.Number)
	if n.Kind == KindSection && p.chapter != nil {
		key = fmt.Sprintf("%d-%d/%s", KindChapter, p.chapter.Number, key)
	}
	return key
}

// addText places one line of text.
func (p *parser) addText(l line, text string) {
	if p.current == nil {
		// Before any heading: kept until we know whether it is a preamble.
		p.pending = append(p.pending, pendingBlock{Block: Block{Line: l.n, Text: text}, idx: p.idx})
		return
	}
	if p.current.Kind != KindArticle && p.current.Kind != KindPreamble {
		p.warnf(l, "text outside any article, kept under %q", p.current.Label)
	}
	p.current.Blocks = append(p.current.Blocks, p.splitBlocks(l.n, text, p.current.Kind)...)
}

type pendingBlock struct {
	Block
	idx int // index in parser.rest
}

// Openers are the words that begin a recital in an English preamble; a
// comma followed by one of them is where a run-on preamble is split.
var recitalOpener = regexp.MustCompile(`,\s*(Acknowledging|Affirming|Agree|Alarmed|Aware|Bearing in mind|Believing|Concerned|Considering|Convinced|Deeply concerned|Desiring|Determined|Emphasi[sz]ing|Expressing|Gravely concerned|Have agreed|Having regard|Highlighting|Keeping in mind|Mindful|Noting|Reaffirming|Reali[sz]ing|Recalling|Recogni[sz]ing|Resolved|Stressing|Taking|Underlining|Welcoming)\b`)

// A paragraph number run on after the end of the previous paragraph, as in
// CRC art. 40: "…fully respected. 4. A variety of dispositions…".
var runOnNumber = regexp.MustCompile(`[.;:]\s+(\d+)\.\s+\p{Lu}`)

// The closing formula of a treaty.
var testimonium = regexp.MustCompile(`(?i)(?:^|[.;:]\s+)(in (?:witness|faith) (?:whereof|thereof))\b`)

// splitBlocks turns one line into paragraphs, inserting breaks only where a
// known quirk ran paragraphs together; no character other than the spaces
// at a break is dropped.
func (p *parser) splitBlocks(n int, text string, kind Kind) []Block {
	var parts []string
	rest := text
	for rest != "" {
		cut := -1
		switch kind {
		case KindPreamble:
			if m := recitalOpener.FindStringSubmatchIndex(rest); m != nil {
				cut = m[2]
			}
		case KindArticle:
			if m := testimonium.FindStringSubmatchIndex(rest); m != nil && m[2] > 0 {
				cut = m[2]
			}
			for _, m := range runOnNumber.FindAllStringSubmatchIndex(rest, -1) {
				num, _ := strconv.Atoi(rest[m[2]:m[3]])
				if num == p.lastNumber+1 && (cut < 0 || m[2] < cut) {
					cut = m[2]
					break
				}
			}
		}
		if cut <= 0 {
			parts = append(parts, rest)
			break
		}
		parts = append(parts, strings.TrimRightFunc(rest[:cut], unicode.IsSpace))
		rest = rest[cut:]
		// Keep lastNumber current for the next run-on in the same line.
		if m, _ := splitMarker(rest); m != "" {
			if num, err := strconv.Atoi(strings.TrimSuffix(m, ".")); err == nil {
				p.lastNumber = num
			}
		}
	}
	var out []Block
	for _, s := range parts {
		b := Block{Line: n, Text: s}
		if kind == KindArticle && testimonium.MatchString(s) && testimonium.FindStringSubmatchIndex(s)[2] == 0 {
			p.inTestim = true
		}
		b.Testimonium = p.inTestim && kind == KindArticle
		b.Marker, b.Level = p.marker(s)
		out = append(out, b)
	}
	return out
}

var (
	numberMarker = regexp.MustCompile(`^(\d+)\.(?:\s|$|\p{Lu})`)
	letterMarker = regexp.MustCompile(`^(?:\(([a-zđ]{1,4})\)|([a-zđ]{1,4})\)|([a-zđ]{1,4})\.(?:\s|$))`)
	romanLetters = regexp.MustCompile(`^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|xiii|xiv|xv)$`)
)

// splitMarker returns the number or letter that starts s, if any, and the
// letter or number itself.
func splitMarker(s string) (marker, value string) {
	if m := numberMarker.FindStringSubmatchIndex(s); m != nil {
		return s[:m[3]+1], s[m[2]:m[3]]
	}
	if m := letterMarker.FindStringSubmatch(s); m != nil {
		v := m[1] + m[2] + m[3]
		marker := m[0]
		marker = strings.TrimRightFunc(marker, unicode.IsSpace)
		if len(v) > 1 && !romanLetters.MatchString(v) {
			return "", ""
		}
		return marker, v
	}
	return "", ""
}

// marker classifies the start of a paragraph. "(i)" is a roman sub-item
// unless it follows "(h)" and is not followed by "(ii)" (likewise v after u,
// x after w); the lookahead is done by the caller through prevLetter.
func (p *parser) marker(s string) (string, Level) {
	m, v := splitMarker(s)
	switch {
	case m == "":
		return "", LevelText
	case v[0] >= '0' && v[0] <= '9':
		n, _ := strconv.Atoi(v)
		p.lastNumber = n
		p.prevLetter = ""
		return m, LevelParagraph
	case len(v) > 1:
		return m, LevelSubItem
	case (v == "i" && p.prevLetter == "h") || (v == "v" && p.prevLetter == "u") || (v == "x" && p.prevLetter == "w"):
		if p.nextIsRomanAfter(v) {
			return m, LevelSubItem
		}
		p.prevLetter = v
		return m, LevelItem
	case romanLetters.MatchString(v):
		return m, LevelSubItem
	default:
		p.prevLetter = v
		return m, LevelItem
	}
}

// nextIsRomanAfter reports whether the next marked line after the one being
// placed is the roman successor of v ("ii" after "i").
func (p *parser) nextIsRomanAfter(v string) bool {
	want := map[string]string{"i": "ii", "v": "vi", "x": "xi"}[v]
	j, ok := nextText(p.rest, p.idx+1)
	if !ok {
		return false
	}
	_, next := splitMarker(p.rest[j].text)
	return next == want
}

// headings

type hKind int

const (
	hNone hKind = iota
	hPreamble
	hPart
	hChapter
	hSection
	hArticle
)

type heading struct {
	kind    hKind
	number  int
	label   string // the heading words as written, without a caption
	caption string // a caption on the same line
	rest    string // text after "Preamble" on the same line
}

func (h heading) nodeKind() Kind {
	switch h.kind {
	case hPart:
		return KindPart
	case hChapter:
		return KindChapter
	case hSection:
		return KindSection
	}
	return KindArticle
}

var (
	preambleRe = regexp.MustCompile(`(?i)^(preamble|lời nói đầu|lời mở đầu)(?:[.:]?$|[.:]?\s+(\S.*)$)`)
	divisionRe = regexp.MustCompile(`(?i)^((part|chapter|section|phần|chương|mục)\s+([ivxlc]+|\d+))(?:\.?$|\s*[.:–—-]\s*(\S.*)$)`)
	articleRe  = regexp.MustCompile(`(?i)^((article|điều)\s+(\d+))(?:\.?$|\s*[.:–—-]\s*(\S.*)$)`)
)

// classify recognises a structure line. Matching is done on the NFC form so
// that decomposed Vietnamese ("Điều" typed as D + combining marks) works;
// the label and caption returned are cut from the original text.
func classify(s string) heading {
	n := norm.NFC.String(s)
	if n != s {
		// Offsets differ; fall back to the normalised text for everything.
		s = n
	}
	if m := articleRe.FindStringSubmatchIndex(s); m != nil {
		num, err := strconv.Atoi(s[m[6]:m[7]])
		if err != nil {
			return heading{}
		}
		h := heading{kind: hArticle, number: num, label: s[m[2]:m[3]]}
		if m[8] >= 0 {
			h.caption = s[m[8]:m[9]]
			if !isCaption(h.caption) {
				return heading{}
			}
			h.label = s[:m[8]]
			h.label = strings.TrimRightFunc(h.label, unicode.IsSpace)
		}
		return h
	}
	if m := divisionRe.FindStringSubmatchIndex(s); m != nil {
		word := strings.ToLower(s[m[4]:m[5]])
		num, ok := parseNumber(s[m[6]:m[7]])
		if !ok {
			return heading{}
		}
		h := heading{number: num, label: s[m[2]:m[3]]}
		switch word {
		case "part", "phần":
			h.kind = hPart
		case "chapter", "chương":
			h.kind = hChapter
		default:
			h.kind = hSection
		}
		if m[8] >= 0 {
			h.caption = s[m[8]:m[9]]
			if !isCaption(h.caption) {
				return heading{}
			}
			h.label = strings.TrimRightFunc(s[:m[8]], unicode.IsSpace)
		}
		return h
	}
	if m := preambleRe.FindStringSubmatchIndex(s); m != nil {
		h := heading{kind: hPreamble, label: s[m[2]:m[3]]}
		if m[4] >= 0 {
			h.rest = s[m[4]:m[5]]
		}
		return h
	}
	return heading{}
}

// parseNumber reads an arabic or roman number.
func parseNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n > 0
	}
	vals := map[byte]int{'i': 1, 'v': 5, 'x': 10, 'l': 50, 'c': 100}
	s = strings.ToLower(s)
	total := 0
	for i := 0; i < len(s); i++ {
		v := vals[s[i]]
		if i+1 < len(s) && vals[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	if total <= 0 || toRoman(total) != s {
		return 0, false
	}
	return total, true
}

func toRoman(n int) string {
	var b strings.Builder
	for _, r := range []struct {
		v int
		s string
	}{{100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}} {
		for n >= r.v {
			b.WriteString(r.s)
			n -= r.v
		}
	}
	return b.String()
}
