package convention

import (
	"bytes"
	"fmt"

	"loa/internal/diag"
)

// A Correction is a fix of a known typo in a source text. The importer
// applies only corrections listed here, each of which must name the
// document that reports the typo; every applied correction is recorded in
// the page's front matter so that a reader (and the fidelity test) can see
// exactly where the page differs from its source.
type Correction struct {
	Code   string `yaml:"-"`
	Lang   string `yaml:"-"`
	Line   int    `yaml:"line"`   // line in the source file, filled in when applied
	From   string `yaml:"from"`   // a phrase that occurs exactly once in the source
	To     string `yaml:"to"`     // its replacement; only the typo differs
	Reason string `yaml:"reason"` // why, in one sentence
	Source string `yaml:"source"` // where the typo is documented
}

// corrections lists the typos that corpus/SOURCES.md ("Known defects and
// doubts") reports. For each, the intended word is shown by other text in
// corpus/ (named in Reason), so it is not in doubt.
var corrections = []Correction{
	{
		Code: "icescr", Lang: "en",
		From:   "equally acessible to all",
		To:     "equally accessible to all",
		Reason: `Typo in the source, Article 13(2)(c): "acessible" for "accessible" (the same article reads "available and accessible to all" in 13(2)(b)).`,
		Source: "corpus/SOURCES.md, Known defects and doubts, item 1",
	},
	{
		Code: "icerd", Lang: "en",
		From:   "proclaims that air human beings",
		To:     "proclaims that all human beings",
		Reason: `Typo in the source, preamble: "air" for "all" (the CEDAW preamble cites the same Declaration: "proclaims that all human beings are born free and equal in dignity and rights").`,
		Source: "corpus/SOURCES.md, Known defects and doubts, item 2",
	},
}

// applyCorrections applies the listed corrections for code and lang to src.
// A correction whose phrase is not found is not applied and yields a warning
// (the source may have been fixed); a phrase found more than once is an
// error, because the importer could not tell which one is meant.
func applyCorrections(file string, src []byte, code, lang string) ([]byte, []Correction, []*diag.Error) {
	var applied []Correction
	var diags []*diag.Error
	for _, c := range corrections {
		if c.Code != code || c.Lang != lang {
			continue
		}
		from := []byte(c.From)
		switch n := bytes.Count(src, from); {
		case n == 0:
			diags = append(diags, diag.Warnf(diag.Position{File: file, Line: 1, Col: 1},
				"listed correction not applied: %q not found", c.From))
			continue
		case n > 1:
			i := bytes.Index(src, from)
			line, col := diag.LineCol(src, i)
			diags = append(diags, diag.Errorf(diag.Position{File: file, Line: line, Col: col},
				"listed correction %q is ambiguous: found %d times", c.From, n))
			continue
		}
		i := bytes.Index(src, from)
		c.Line, _ = diag.LineCol(src, i)
		out := make([]byte, 0, len(src)+len(c.To)-len(c.From))
		out = append(out, src[:i]...)
		out = append(out, c.To...)
		out = append(out, src[i+len(from):]...)
		src = out
		applied = append(applied, c)
	}
	return src, applied, diags
}

// SourceText returns the text that the page for code and lang is made from:
// src with the listed corrections applied. A fidelity test compares the
// words of a built page with Words(SourceText(...)).
func SourceText(code, lang string, src []byte) (string, error) {
	out, _, diags := applyCorrections("", src, code, lang)
	for _, d := range diags {
		if d.Severity == diag.SevError {
			return "", fmt.Errorf("%s", d.Msg)
		}
	}
	return string(out), nil
}
