package markdown

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Slug folds s to a lower-case ASCII slug for heading IDs and URLs: the text
// is decomposed (Unicode NFD), combining marks are dropped, đ and Đ (and the
// look-alikes Ð, ð, Ɖ, ɖ pasted in their place) become d,
// ASCII letters are lower-cased and every run of characters other than a-z
// and 0-9 becomes a single "-", with no "-" at either end.
//
//	Slug("Điều 1. Mục đích") == "dieu-1-muc-dich"
//
// Slug returns "" when nothing is left (for example for "—" or "中文");
// callers choose their own fallback (heading IDs use "section").
func Slug(s string) string {
	if isASCII(s) {
		return slugASCII(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	dash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == 'đ' || r == 'Đ' || r == 'Ð' || r == 'ð' || r == 'Ɖ' || r == 'ɖ': // and the look-alikes pasted for Đ
			r = 'd'
		case r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
			continue
		}
		dash = appendSlugRune(&b, r, dash)
	}
	return b.String()
}

// slugASCII is the fast path of Slug for text without any non-ASCII byte,
// which needs no normalization.
func slugASCII(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false
	for i := 0; i < len(s); i++ {
		dash = appendSlugRune(&b, rune(s[i]), dash)
	}
	return b.String()
}

// appendSlugRune appends r to b when it is a slug character, after a "-" if
// separators were seen since the last one. It returns the new "separator
// seen" state.
func appendSlugRune(b *strings.Builder, r rune, dash bool) bool {
	if 'A' <= r && r <= 'Z' {
		r += 'a' - 'A'
	}
	if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteByte(byte(r))
		return false
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// idSet hands out unique heading IDs within one page. Explicit IDs are
// reserved first so that a generated ID never takes one of them.
type idSet map[string]struct{}

// generate returns a free ID for heading text: its slug ("section" if the slug
// is empty), followed by "-1", "-2", ... if that is already taken.
func (s idSet) generate(text string) string {
	base := Slug(text)
	if base == "" {
		base = "section"
	}
	id := base
	for n := 1; ; n++ {
		if _, taken := s[id]; !taken {
			break
		}
		id = base + "-" + strconv.Itoa(n)
	}
	s[id] = struct{}{}
	return id
}
