package search

import (
	"strings"
	"unicode/utf8"
)

// The query language is the part of Bleve's query-string syntax that a reader
// needs: words, "phrases", +must, -mustnot, word~N (fuzziness, at most 2) and
// word* (prefix). Anything else (field:, ^boost, /regex/, ranges, inner
// wildcards) is not an error: its punctuation is dropped by the analyzers and
// a notice says so. static/js/search-engine.js implements the same parser; the parity
// test keeps the two in step.

// Occurrence of a clause.
const (
	occShould = ""
	occMust   = "+"
	occNot    = "-"
)

// clause is one parsed part of a query.
type clause struct {
	Occur  string `json:"occur"`  // "", "+" or "-"
	Phrase bool   `json:"phrase"` // a "quoted phrase"
	Text   string `json:"text"`
	Fuzzy  int    `json:"fuzzy"`  // -1: automatic (only for words missing from the index); 0..2 explicit
	Prefix bool   `json:"prefix"` // also match as a prefix: explicit word*, or the last word while typing
}

// parsed is the result of parsing a query string.
type parsed struct {
	Clauses []clause `json:"clauses"`
	Notices []string `json:"notices"` // message keys: "truncated", "quote", "syntax", "clauses"
}

func isSpace(r rune) bool {
	return r <= ' ' || r == 0x85 || r == 0xA0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200A) ||
		r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000 || r == 0xFEFF
}

func isASCIIName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func addNotice(p *parsed, n string) {
	for _, x := range p.Notices {
		if x == n {
			return
		}
	}
	p.Notices = append(p.Notices, n)
}

// parseQuery parses q. It never fails: the worst input yields no clauses.
func parseQuery(q string) parsed {
	p := parsed{Clauses: []clause{}, Notices: []string{}}
	if !utf8.ValidString(q) {
		q = strings.ToValidUTF8(q, " ")
	}
	r := []rune(q)
	if len(r) > maxQueryRunes {
		r = r[:maxQueryRunes]
		addNotice(&p, "truncated")
	}
	n := len(r)
	for i := 0; i < n; {
		c := r[i]
		if isSpace(c) {
			i++
			continue
		}
		occ := occShould
		if c == '+' || c == '-' {
			if i+1 >= n || isSpace(r[i+1]) || r[i+1] == '+' || r[i+1] == '-' {
				i++ // a lone + or - means nothing
				continue
			}
			occ = string(c)
			i++
			c = r[i]
		}
		var cl clause
		if c == '"' {
			j := i + 1
			for j < n && r[j] != '"' {
				j++
			}
			if j >= n {
				addNotice(&p, "quote")
			}
			cl = clause{Occur: occ, Phrase: true, Text: string(r[i+1 : min(j, n)]), Fuzzy: 0}
			i = j + 1
		} else {
			j := i
			for j < n && !isSpace(r[j]) && r[j] != '"' {
				j++
			}
			cl = parseWord(&p, occ, string(r[i:j]), j == n)
			i = j
		}
		if strings.TrimSpace(cl.Text) == "" {
			continue
		}
		if len(p.Clauses) == maxClauses {
			addNotice(&p, "clauses")
			break
		}
		p.Clauses = append(p.Clauses, cl)
	}
	return p
}

// parseWord reads the suffixes and prefixes of a bare word. atEnd tells that
// the word ends the query (no space after it): the reader may still be typing
// it, so it also matches as a prefix.
func parseWord(p *parsed, occ, w string, atEnd bool) clause {
	cl := clause{Occur: occ, Fuzzy: -1, Prefix: atEnd && occ != occNot}
	// field:value -> value (loa has no user-visible fields).
	if k := strings.IndexByte(w, ':'); k > 0 && k < len(w)-1 && isASCIIName(w[:k]) {
		w = w[k+1:]
		addNotice(p, "syntax")
	}
	// word^boost -> word
	if k := strings.LastIndexByte(w, '^'); k > 0 {
		if b := w[k+1:]; b == "" || strings.Trim(b, "0123456789.") == "" {
			w = w[:k]
			addNotice(p, "syntax")
		}
	}
	// word~ / word~N -> fuzziness
	if k := strings.LastIndexByte(w, '~'); k > 0 {
		if d := w[k+1:]; d == "" {
			cl.Fuzzy = 1
			w = w[:k]
		} else if isDigits(d) && len(d) <= 3 {
			cl.Fuzzy = min(int(atoi(d)), 2)
			w = w[:k]
		}
		if cl.Fuzzy >= 0 {
			cl.Prefix = false
		}
	}
	// word* -> prefix
	if strings.HasSuffix(w, "*") {
		w = strings.TrimRight(w, "*")
		if cl.Fuzzy < 0 {
			cl.Prefix = occ != occNot
		}
	}
	if strings.ContainsAny(w, "*?/<>=") {
		addNotice(p, "syntax")
	}
	cl.Text = w
	return cl
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
