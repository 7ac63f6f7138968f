package search

import (
	"html"
	"sort"
	"strings"
	"unicode/utf8"
)

const snippetRunes = 180

// snippet returns an excerpt of d's body around its best cluster of matches,
// as HTML: escaped text with <mark> around the matched words. Without matches
// in the body it returns the start of the body.
func snippet(d Doc, locs map[string]map[string][]*locSpan) string {
	var spans []locSpan
	for _, f := range []string{"vi_body", "vi_body_f", "en_body"} {
		for _, ls := range locs[f] {
			for _, l := range ls {
				if l.start >= 0 && l.end <= len(d.Body) && l.start < l.end {
					spans = append(spans, *l)
				}
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end > spans[j].end
	})
	// Merge overlapping spans (the exact and folded fields report the same word).
	var merged []locSpan
	for _, s := range spans {
		if n := len(merged); n > 0 && s.start < merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return markText(d.Body, merged, snippetRunes)
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// markText picks a window of about width runes of text that holds the most
// spans (byte offsets), and renders it.
func markText(text string, spans []locSpan, width int) string {
	widthBytes := width * 2 // Vietnamese runes average about two bytes
	start := 0
	if len(spans) > 0 {
		best, bestN := 0, 0
		for i := range spans {
			n := 0
			for j := i; j < len(spans) && spans[j].end-spans[i].start <= widthBytes; j++ {
				n++
			}
			if n > bestN {
				best, bestN = i, n
			}
		}
		start = spans[best].start
		// Back up a little to show the context before the first match.
		back := 0
		for start > 0 && back < 30 {
			_, sz := utf8.DecodeLastRuneInString(text[:start])
			start -= sz
			back++
		}
		for start > 0 && !isSpaceByte(text[start-1]) {
			_, sz := utf8.DecodeLastRuneInString(text[:start])
			start -= sz
			back++
		}
	}
	end := start
	for n := 0; end < len(text) && n < width; n++ {
		_, sz := utf8.DecodeRuneInString(text[end:])
		end += sz
	}
	// Never cut a mark or a word: take in a mark that starts inside the
	// window, then run on to the end of the word.
	for _, s := range spans {
		if s.start < end && s.end > end {
			end = s.end
		}
	}
	for end < len(text) && !isSpaceByte(text[end]) {
		_, sz := utf8.DecodeRuneInString(text[end:])
		end += sz
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	pos := start
	for _, s := range spans {
		if s.start < pos || s.start >= end {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		pos = s.end
	}
	b.WriteString(html.EscapeString(text[pos:end]))
	if end < len(text) {
		b.WriteString(" …")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
