package markdown

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// state is everything one Render call learns while walking the parsed tree.
// It is created per call and never shared.
type state struct {
	src  []byte
	opts Options

	lineStarts []int // byte offsets where lines start; built on first use

	text     textWriter // plain text of the whole page
	headings []headingInfo
	sections []sectionInfo
	links    []linkInfo
	hasCode  bool
}

type headingInfo struct {
	node     *ast.Heading
	text     string
	line     int
	explicit string // explicit id, "" if none (then the generated one, once assigned)
	// wasExplicit is set when the id was written in the source.
	wasExplicit bool
}

// sectionInfo marks a section by offsets into the page text; the strings are
// sliced once the text is complete.
type sectionInfo struct {
	heading    int // index into headings, -1 for the leading section
	start, end int
}

type linkInfo struct {
	Link
	offset int // byte offset in src, for sorting into source order
}

func newState(src []byte, opts Options) *state {
	return &state{src: src, opts: opts}
}

// walkDocument does the one pass over the tree that Render needs before
// rendering: it removes raw HTML unless allowed, resolves link destinations,
// collects headings and builds the plain text with section boundaries.
func (s *state) walkDocument(doc ast.Node) {
	s.sections = append(s.sections, sectionInfo{heading: -1})
	s.walkBlocks(doc)
	s.closeSection()
	s.assignIDs()
}

// walkBlocks walks the children of a block container.
func (s *state) walkBlocks(parent ast.Node) {
	for c := parent.FirstChild(); c != nil; {
		next := c.NextSibling() // c may be removed
		s.walkBlock(c)
		c = next
	}
}

func (s *state) walkBlock(n ast.Node) {
	w := &s.text
	switch n := n.(type) {
	case *ast.HTMLBlock:
		if !s.opts.AllowHTML {
			n.Parent().RemoveChild(n.Parent(), n)
		}
		return
	case *ast.LinkReferenceDefinition, *ast.ThematicBreak:
		return
	case *ast.Heading:
		s.walkHeading(n)
		return
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		label := s.opts.CodeLabel
		if label == "" {
			label = "Code"
		}
		if f, ok := n.(*ast.FencedCodeBlock); ok {
			if lang := f.Language(s.src); len(lang) > 0 {
				label += " (" + string(lang) + ")"
				if knownLanguage(string(lang)) {
					s.hasCode = true
				}
			}
		}
		n.SetAttributeString("aria-label", []byte(label))
		lines := n.Lines()
		var code []byte
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			code = append(code, seg.Value(s.src)...)
		}
		w.write(bytes.TrimRight(code, "\n"))
		w.sep('\n')
		return
	case *east.TableCell:
		s.walkInlines(n, w)
		w.sep(' ')
		return
	}
	if n.Type() == ast.TypeInline {
		// Not expected in a block container, but tolerate it.
		s.walkInline(n, w)
		return
	}
	if fc := n.FirstChild(); fc != nil && fc.Type() == ast.TypeInline {
		// Paragraph, TextBlock, DefinitionTerm and the like.
		s.walkInlines(n, w)
	} else {
		s.walkBlocks(n)
	}
	w.sep('\n')
}

func (s *state) walkHeading(n *ast.Heading) {
	var hw textWriter
	s.walkInlines(n, &hw)
	h := headingInfo{node: n, text: string(hw.buf), line: s.headingLine(n)}
	if id, ok := n.AttributeString("id"); ok {
		h.explicit = attrString(id)
	}
	sanitizeHeadingAttributes(n)
	s.headings = append(s.headings, h)

	w := &s.text
	if n.Level == 2 || n.Level == 3 {
		s.closeSection()
		w.write(hw.buf)
		w.sep('\n')
		s.sections = append(s.sections, sectionInfo{heading: len(s.headings) - 1, start: -1})
		w.markNext, w.mark = true, -1
		return
	}
	w.write(hw.buf)
	w.sep('\n')
}

// closeSection ends the current section at the end of the text written so
// far.
func (s *state) closeSection() {
	cur := &s.sections[len(s.sections)-1]
	w := &s.text
	if cur.start < 0 {
		// The section starts where the first write after its heading went;
		// if there was none, it is empty.
		cur.start = len(w.buf)
		if w.mark >= 0 {
			cur.start = w.mark
		}
	}
	w.markNext = false
	cur.end = len(w.buf)
}

// walkInlines walks the inline children of n into w.
func (s *state) walkInlines(n ast.Node, w *textWriter) {
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling() // c may be removed or replaced
		s.walkInline(c, w)
		c = next
	}
}

func (s *state) walkInline(n ast.Node, w *textWriter) {
	switch n := n.(type) {
	case *ast.Text:
		seg := n.Segment
		w.write(plainText(seg.Value(s.src)))
		if n.HardLineBreak() {
			w.sep('\n')
		} else if n.SoftLineBreak() {
			w.sep(' ')
		}
	case *ast.String:
		if n.IsCode() || n.IsRaw() {
			w.write(n.Value)
		} else {
			w.write(plainText(n.Value))
		}
	case *ast.CodeSpan:
		var code []byte
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				code = append(code, c.Segment.Value(s.src)...)
			case *ast.String:
				code = append(code, c.Value...)
			}
		}
		w.write(bytes.ReplaceAll(code, []byte("\n"), []byte(" ")))
	case *ast.RawHTML:
		if !s.opts.AllowHTML {
			n.Parent().RemoveChild(n.Parent(), n)
		}
	case *ast.AutoLink:
		s.autoLink(n, w)
	case *ast.Link:
		n.Destination = s.link(n.Destination, n.Pos(), n, false)
		s.walkInlines(n, w)
	case *ast.Image:
		n.Destination = s.link(n.Destination, n.Pos(), n, true)
		s.links[len(s.links)-1].Alt = inlineText(n, s.src)
		s.walkInlines(n, w)
	case *east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
		// Markers with no words of their own.
	default:
		s.walkInlines(n, w)
	}
}

// autoLink resolves an autolink and replaces it with an ordinary link to the
// resolved destination, rendered the same way (<a href="...">label</a>).
func (s *state) autoLink(n *ast.AutoLink, w *textWriter) {
	label := n.Label(s.src)
	dest := n.URL(s.src)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(dest), []byte("mailto:")) {
		dest = append([]byte("mailto:"), dest...)
	}
	pos := n.Pos()
	// A bare URL found by linkify is positioned at the character that
	// triggered it (a space, "(", "*", "_" or "~"); report the URL itself.
	if pos >= 0 && pos < len(s.src) && s.src[pos] != '<' && !bytes.HasPrefix(s.src[pos:], label) &&
		bytes.HasPrefix(s.src[pos+1:], label) {
		pos++
	}
	link := ast.NewLink()
	link.Destination = s.link(dest, pos, n, false)
	text := ast.NewString(label)
	text.SetRaw(true) // escaped, but no entity or backslash processing, as goldmark does for autolinks
	link.AppendChild(link, text)
	link.SetPos(n.Pos())
	n.Parent().ReplaceChild(n.Parent(), n, link)
	w.write(label)
}

// link records a destination and returns what should be written instead.
func (s *state) link(dest []byte, pos int, n ast.Node, image bool) []byte {
	if pos < 0 {
		pos = fallbackPos(n)
	}
	line, col := s.position(pos)
	d := string(dest)
	s.links = append(s.links, linkInfo{Link: Link{Dest: d, Line: line, Col: col, Image: image}, offset: pos})
	if s.opts.ResolveLink == nil {
		return dest
	}
	return []byte(s.opts.ResolveLink(d, line, col))
}

// inlineText returns the text of the inline nodes below n.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// fallbackPos finds a byte offset for a node that has none: the first text
// inside it, else the nearest ancestor with a position, else 0.
func fallbackPos(n ast.Node) int {
	found := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			found = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if found >= 0 {
		return found
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Pos() >= 0 {
			return p.Pos()
		}
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

func (s *state) headingLine(n *ast.Heading) int {
	pos := n.Pos()
	if pos < 0 && n.Lines().Len() > 0 {
		pos = n.Lines().At(0).Start
	}
	if pos < 0 {
		pos = fallbackPos(n)
	}
	line, _ := s.position(pos)
	return line
}

// position converts a byte offset in src to a 1-based line and byte column.
func (s *state) position(off int) (line, col int) {
	if s.lineStarts == nil {
		s.lineStarts = append(make([]int, 0, 64), 0)
		for i, c := range s.src {
			if c == '\n' {
				s.lineStarts = append(s.lineStarts, i+1)
			}
		}
	}
	off = max(0, min(off, len(s.src)))
	// The last line start <= off.
	i := sort.SearchInts(s.lineStarts, off+1) - 1
	return i + 1, off - s.lineStarts[i] + 1
}

// assignIDs gives every heading its id attribute: explicit IDs are kept as
// written and reserved, then the others are generated in document order.
func (s *state) assignIDs() {
	if len(s.headings) == 0 {
		return
	}
	used := make(idSet, len(s.headings)+len(s.opts.ReservedIDs))
	for id := range s.opts.ReservedIDs {
		used[id] = struct{}{}
	}
	for _, h := range s.headings {
		if h.explicit != "" {
			used[h.explicit] = struct{}{}
		}
	}
	for i := range s.headings {
		h := &s.headings[i]
		if h.explicit == "" {
			h.explicit = used.generate(h.text)
		} else {
			h.wasExplicit = true
		}
		h.node.SetAttributeString("id", []byte(h.explicit))
	}
}

func (s *state) result() *Result {
	res := &Result{Text: string(s.text.buf), HasCode: s.hasCode}
	if len(s.headings) > 0 {
		res.Headings = make([]Heading, len(s.headings))
		for i, h := range s.headings {
			res.Headings[i] = Heading{Level: h.node.Level, ID: h.explicit, Text: h.text, Line: h.line, Explicit: h.wasExplicit}
			if h.node.Level == 2 || h.node.Level == 3 {
				res.TOC = append(res.TOC, res.Headings[i])
			}
		}
	}
	for _, sec := range s.sections {
		t := res.Text[sec.start:sec.end]
		if sec.heading < 0 {
			if t != "" {
				res.Sections = append(res.Sections, Section{Text: t})
			}
			continue
		}
		h := res.Headings[sec.heading]
		res.Sections = append(res.Sections, Section{ID: h.ID, Heading: h.Text, Level: h.Level, Text: t})
	}
	if len(s.links) > 0 {
		// Footnote bodies are moved to the end of the tree by goldmark; sort
		// so that Links follows the source.
		slices.SortStableFunc(s.links, func(a, b linkInfo) int { return a.offset - b.offset })
		res.Links = make([]Link, len(s.links))
		for i, l := range s.links {
			res.Links[i] = l.Link
		}
	}
	return res
}

// keptHeadingAttributes are the heading attributes written to the page.
// Everything else, notably style, is dropped.
var keptHeadingAttributes = [...]string{"id", "class", "lang", "dir"}

func sanitizeHeadingAttributes(n *ast.Heading) {
	attrs := n.Attributes()
	kept := make([]ast.Attribute, 0, len(attrs)+1)
	// The id comes first in the tag; assignIDs fills in its value.
	kept = append(kept, ast.Attribute{Name: []byte("id"), Value: []byte(nil)})
	for _, a := range attrs {
		if slices.Contains(keptHeadingAttributes[:], string(a.Name)) && string(a.Name) != "id" {
			kept = append(kept, ast.Attribute{Name: a.Name, Value: []byte(attrString(a.Value))})
		}
	}
	n.RemoveAttributes()
	for _, a := range kept {
		n.SetAttribute(a.Name, a.Value)
	}
}

// attrString converts a parsed attribute value ([]byte for most, float64 or
// bool for bare numbers and literals) to a string.
func attrString(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	case nil:
		return ""
	case []any:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// plainText resolves backslash escapes and entity references in a Markdown
// text segment.
func plainText(b []byte) []byte {
	if bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, '&') < 0 {
		return b
	}
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	return util.ResolveEntityNames(b)
}

// textWriter builds plain text. Separators are held back until the next
// write, so the text never starts or ends with one and a newline wins over a
// space.
type textWriter struct {
	buf      []byte
	pending  byte // 0, ' ' or '\n'
	markNext bool // record in mark where the next write starts
	mark     int  // -1 until markNext has been honoured
}

func (w *textWriter) sep(c byte) {
	if w.pending != '\n' {
		w.pending = c
	}
}

func (w *textWriter) write(b []byte) {
	if len(b) == 0 {
		return
	}
	if w.pending != 0 {
		if len(w.buf) > 0 {
			last := w.buf[len(w.buf)-1]
			if !(w.pending == ' ' && (last == ' ' || last == '\n')) {
				w.buf = append(w.buf, w.pending)
			}
		}
		w.pending = 0
	}
	if w.markNext {
		w.mark = len(w.buf)
		w.markNext = false
	}
	w.buf = append(w.buf, b...)
}
