// Package treaty holds the rules loa shares about convention pages, in one
// place: the heading id of each article (ArticleAnchor, ArticleNumber) and
// citation links (ParseCitation). The importer writes article headings with
// these ids; citations link to them; the builder makes a short URL for each
// article, search indexes each article under it, and captions attach to it.
package treaty

import (
	"regexp"
	"strconv"
	"strings"
)

// ArticleAnchor returns the heading id of article n on a convention page in
// lang: "dieu-28" on Vietnamese pages, "article-28" on pages in any other
// language.
func ArticleAnchor(lang string, n int) string {
	return anchorPrefix(lang) + strconv.Itoa(n)
}

func anchorPrefix(lang string) string {
	if lang == "vi" {
		return "dieu-"
	}
	return "article-"
}

// ArticleNumber returns n for an article heading id of a page in lang
// ("dieu-28" in Vietnamese, "article-28" otherwise), and false for any other
// id (a preamble, a part, a chapter).
func ArticleNumber(lang, id string) (int, bool) {
	rest, ok := strings.CutPrefix(id, anchorPrefix(lang))
	if !ok || rest == "" || strings.TrimLeft(rest, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 0
}

// Citation is a link to an article, written in Markdown as
// [text](convention:crc/28).
type Citation struct {
	Code    string // "crc"
	Article int    // 28
}

var citationRe = regexp.MustCompile(`^convention:([a-z]+)/([1-9][0-9]*)$`)

// CitationScheme starts the destination of a citation link.
const CitationScheme = "convention:"

// ParseCitation parses a citation destination "convention:<code>/<n>". ok
// is false when dest does not have that form.
func ParseCitation(dest string) (c Citation, ok bool) {
	m := citationRe.FindStringSubmatch(dest)
	if m == nil {
		return Citation{}, false
	}
	n, err := strconv.Atoi(m[2])
	if err != nil {
		return Citation{}, false
	}
	return Citation{Code: m[1], Article: n}, true
}
