package diag

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable returns s with every character that can act on a terminal
// escaped, so that text from a file (a title, a snippet, a file name, a
// message quoting either) is shown as it is and cannot clear the screen
// (ESC [2J), write the clipboard (OSC 52), or reorder what is shown after it.
//
// Escaped are the C0 controls, newline and tab included ("\n", "\t", "\r",
// else "\x1b"), DEL ("\x7f"), the C1 controls U+0080 to U+009F
// ("\u009b"), the bidirectional embedding, override and isolate controls
// U+202A to U+202E and U+2066 to U+2069 ("\u202e"), and bytes that are not
// UTF-8 ("\xff"). Everything else, Vietnamese letters included, is kept, and
// so is the backslash: Printable(Printable(s)) == Printable(s), so text that
// passes through it twice (an error wrapping another) is escaped once.
//
// The result is always one line. Every line loa prints to a terminal that
// holds such text goes through Printable; JSON output does not need it.
func Printable(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if escaped(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !escaped(r, size):
			b.WriteString(s[i : i+size])
		case r == utf8.RuneError:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// escaped reports whether Printable escapes the rune r, decoded from size
// bytes.
func escaped(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1: // not UTF-8
		return true
	case r < 0x20, r == 0x7f: // C0 controls and DEL
		return true
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}
