package convention

import (
	"fmt"
	"loa/internal/treaty"
	"strings"
	"unicode/utf8"
)

// CaptionSeparator joins an article number and a caption that the source
// writes on its own line ("Article 1" / "Purpose" becomes the heading
// "Article 1 – Purpose"). It is the only character the importer adds to the
// text of a heading; it stands alone between spaces so that the words of the
// page are still the words of the source, in order.
const CaptionSeparator = "–"

// words gives the structure words and anchor prefixes of one language.
type words struct {
	preamble, preambleID   string
	part, chapter, section string // anchor prefixes (articles: ArticleAnchor)
}

var langWords = map[string]words{
	"en": {preamble: "Preamble", preambleID: "preamble", part: "part", chapter: "chapter", section: "section"},
	"vi": {preamble: "Lời nói đầu", preambleID: "loi-noi-dau", part: "phan", chapter: "chuong", section: "muc"},
}

// render writes the Markdown body of doc. It returns the body and the IDs
// of headings whose text the importer supplied (the source had no such
// line), so that the front matter can say so.
func render(doc *Document, lang string) (body string, added []string) {
	w := langWords[lang]
	var b strings.Builder
	para := func(s string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s)
		b.WriteString("\n")
	}
	blocks := func(bs []Block) {
		for _, bl := range bs {
			para(escapeLine(bl.Text))
		}
	}
	blocks(doc.Intro)
	var chapter int
	var walk func(ns []*Node)
	walk = func(ns []*Node) {
		for _, n := range ns {
			var id, text, level string
			switch n.Kind {
			case KindPreamble:
				id, level = w.preambleID, "##"
				text = n.Label
				if text == "" {
					text = w.preamble
					added = append(added, id)
				}
			case KindPart:
				id, level = fmt.Sprintf("%s-%d", w.part, n.Number), "##"
			case KindChapter:
				chapter = n.Number
				id, level = fmt.Sprintf("%s-%d", w.chapter, n.Number), "##"
			case KindSection:
				id, level = fmt.Sprintf("%s-%d", w.section, n.Number), "##"
				if chapter > 0 {
					id = fmt.Sprintf("%s-%d-%s", w.chapter, chapter, id)
				}
			case KindArticle:
				id, level = treaty.ArticleAnchor(lang, n.Number), "###"
			}
			if n.Kind != KindPreamble {
				text = n.Label
				switch {
				case n.Caption != "" && n.CaptionOwnLine:
					text += " " + CaptionSeparator + " " + n.Caption
				case n.Caption != "":
					text += " " + n.Caption
				}
			}
			para(fmt.Sprintf("%s %s {#%s}", level, escapeHeading(text), id))
			blocks(n.Blocks)
			walk(n.Children)
		}
	}
	walk(doc.Nodes)
	return b.String(), added
}

// escapeLine escapes one paragraph so that Markdown shows exactly its text:
// no emphasis, links, HTML, code or entities, and no list, heading, quote or
// thematic break made from the paragraph's own numbering ("1." stays the
// text "1.", not an ordered list that Markdown would renumber).
func escapeLine(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	// Line-start constructs.
	switch {
	case s == "":
	case strings.IndexAny(s[:1], "#>+-=*_:") == 0:
		b.WriteByte('\\')
		b.WriteByte(s[0])
		s = s[1:]
	default:
		// An ordered-list marker: up to nine digits then "." or ")".
		i := 0
		for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
			b.WriteString(s[:i])
			b.WriteByte('\\')
			b.WriteByte(s[i])
			s = s[i+1:]
		}
	}
	b.WriteString(escapeInline(s))
	return b.String()
}

// escapeHeading escapes the text of a heading; "{" is escaped too, so that
// only the importer's own "{#id}" is read as the heading's ID.
func escapeHeading(s string) string {
	return strings.ReplaceAll(escapeInline(s), "{", `\{`)
}

func escapeInline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '~':
			b.WriteByte('\\')
		case '&':
			if isEntity(s[i+1:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// isEntity reports whether s (the text after "&") would be read as an HTML
// entity or character reference.
func isEntity(s string) bool {
	i := 0
	if i < len(s) && s[i] == '#' {
		i++
	}
	start := i
	for i < len(s) && i-start < 32 && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	return i > start && i < len(s) && s[i] == ';'
}
