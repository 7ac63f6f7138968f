package search

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en" // registers possessive_en, stop_en, stemmer_en_plural
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	index "github.com/blevesearch/bleve_index_api"
	"golang.org/x/text/unicode/norm"
)

// Names of the analysis components loa registers with Bleve. An index stores
// its mapping as JSON that refers to these names, so every binary that opens
// an index must link this package (the registration happens in init, the only
// place Bleve's registry allows).
const (
	foldFilterName = "loa_fold"
	ddFilterName   = "loa_dd" // look-alikes of Đ/đ (Ð U+00D0, Ɖ U+0189, ð, ɖ) become Đ/đ
	nfcFilterName  = "loa_nfc"

	analyzerVi     = "loa_vi"      // unicode words, NFC, lower case
	analyzerViFold = "loa_vi_fold" // as loa_vi, then diacritics removed and đ -> d
	analyzerEn     = "loa_en"      // unicode words, NFC, possessive 's, lower case, stop words, plural stemming

	// Bigram (shingle) analyzers: pairs of adjacent words joined by a space,
	// without the single words. Vietnamese words are mostly two or more
	// syllables, so a pair of adjacent query syllables is far better evidence
	// than each syllable alone; in English a pair of adjacent words is a
	// proximity boost. The English pairs keep stop words ("right to", "to
	// life"), so a query of stop words alone can still be searched.
	shingleFilterName = "loa_shingle2"
	analyzerVi2       = "loa_vi2"      // loa_vi, then bigrams
	analyzerViFold2   = "loa_vi_fold2" // loa_vi_fold, then bigrams
	analyzerEn2       = "loa_en2"      // loa_en without stop words, then bigrams

	docType = "loadoc"
)

func init() {
	if err := registry.RegisterTokenFilter(foldFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(ddFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return ddFilter{}, nil
	}); err != nil {
		panic(err)
	}
}

// DD replaces the letters that look like Đ and đ and are pasted in their
// place (Ð U+00D0 and ð U+00F0 of Icelandic, Ɖ U+0189 and ɖ U+0256 of African
// alphabets) with Đ and đ. static/js/search-engine.js does the same.
func DD(s string) string {
	if !strings.ContainsAny(s, "\u00d0\u00f0\u0189\u0256") {
		return s
	}
	return ddReplacer.Replace(s)
}

var ddReplacer = strings.NewReplacer("\u00d0", "Đ", "\u0189", "Đ", "\u00f0", "đ", "\u0256", "đ")

// ddFilter applies DD to every token (a token filter keeps offsets right).
type ddFilter struct{}

func (ddFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if s := string(t.Term); DD(s) != s {
			t.Term = []byte(DD(s))
		}
	}
	return in
}

// Fold removes Vietnamese (and any other) diacritics: the text is decomposed
// (NFD), non-spacing marks are dropped, đ/Đ and their look-alikes (see DD)
// become d/D, and the result is recomposed (NFC). static/js/search-engine.js implements the same function.
func Fold(s string) string {
	tab := foldTable()
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	// Fast path: every rune is a Latin letter that folds on its own (no
	// combining marks that NFC would compose).
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= foldTableSize || tab[r] < 0 {
			return foldSlow(s)
		}
		b.WriteRune(tab[r])
	}
	return b.String()
}

const foldTableSize = 0x2000

// foldTable maps each rune below foldTableSize to its folded rune, or -1 when
// the rune must go through the slow path (combining marks, and runes whose
// folded form is not a single rune).
var foldTable = sync.OnceValue(func() []rune {
	t := make([]rune, foldTableSize)
	for r := rune(0); r < foldTableSize; r++ {
		t[r] = -1
		// Only Latin letters: elsewhere NFC may compose two runes that are not
		// marks (Hangul jamo, some Indic vowel signs).
		if !(r < 0x250 || r >= 0x1E00 && r < 0x1F00) || unicode.Is(unicode.Mn, r) {
			continue
		}
		f := []rune(foldSlow(string(r)))
		if len(f) == 1 {
			t[r] = f[0]
		}
	}
	return t
})

func foldSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'ð' || r == 'ɖ':
			r = 'd'
		case r == 'Đ' || r == 'Ð' || r == 'Ɖ':
			r = 'D'
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// foldFilter is a token filter, not a char filter, so that token offsets keep
// pointing into the original text and highlights stay right.
type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = []byte(Fold(string(t.Term)))
	}
	return in
}

// field is one indexed field. The order of fields is part of the bundle
// schema: the client refers to fields by their index in allFields.
type field struct {
	name     string
	lang     string  // "vi" or "en"
	analyzer string  // analyzer name
	boost    float64 // query boost
	part     string  // "title", "body" or "ref"
	expand   bool    // prefix and typo expansion apply (folded Vietnamese fields, English fields)
	twin     bool    // the diacritic-folded twin of an exact field
	bigram   bool    // holds word pairs: queried with the pairs of adjacent query words only
}

// Boosts. Titles weigh like bodies (measured: every title boost above 1 lost on
// the relevance set, now that articles carry captions); an exact (accented) Vietnamese match
// counts half again as much as a folded one, so "quyển" prefers "quyển" over
// "quyên" while "quyen" still finds both.
const (
	boostTitle = 1.0
	boostExact = 1.5
	boostRef   = 3.0 // Doc.Keywords: a convention's code, "điều N"
	boostName  = 3.0 // Doc.Names: a convention's names
	// The clause that asks for article N of the convention the query names
	// (index.go articleClause) multiplies the keyword boosts by this.
	boostArticle = 2.0
	boostBigram  = 2.0 // a pair of adjacent query words found side by side
	// A synonym's words count less than the reader's own words.
	boostSynonym = 0.5
	boostPrefix  = 0.5 // the last word read as a prefix while typing
	boostFuzzy   = 1.0 // Bleve further divides by (edit distance + 1)
	// A word typed with diacritics still matches other diacritics through the
	// folded twin fields, at a tenth of their boost: "quyển" finds
	// "quyên" but ranks any "quyển" first.
	boostAccentedTwin = 0.1

	minPrefixRunes = 3 // shorter prefixes would expand to half the lexicon
	fuzzyPrefix    = 1 // typo candidates share the first letter (keeps shards few)
	maxQueryRunes  = 256
	maxClauses     = 16
)

var allFields = []field{
	{"vi_title", "vi", analyzerVi, boostTitle * boostExact, "title", false, false, false},
	{"vi_title_f", "vi", analyzerViFold, boostTitle, "title", true, true, false},
	{"vi_body", "vi", analyzerVi, boostExact, "body", false, false, false},
	{"vi_body_f", "vi", analyzerViFold, 1, "body", true, true, false},
	{"en_title", "en", analyzerEn, boostTitle, "title", true, false, false},
	{"en_body", "en", analyzerEn, 1, "body", true, false, false},
	{"vi_ref", "vi", analyzerViFold, boostRef, "ref", false, false, false},
	{"en_ref", "en", analyzerEn, boostRef, "ref", false, false, false},
	{"vi_title2", "vi", analyzerVi2, boostBigram * boostTitle * boostExact, "title", false, false, true},
	{"vi_title2_f", "vi", analyzerViFold2, boostBigram * boostTitle, "title", false, true, true},
	{"vi_body2", "vi", analyzerVi2, boostBigram * boostExact, "body", false, false, true},
	{"vi_body2_f", "vi", analyzerViFold2, boostBigram, "body", false, true, true},
	{"en_title2", "en", analyzerEn2, boostBigram * boostTitle, "title", false, false, true},
	{"en_body2", "en", analyzerEn2, boostBigram, "body", false, false, true},
	{"vi_name", "vi", analyzerViFold, boostName, "ref", false, false, false},
	{"en_name", "en", analyzerEn, boostName, "ref", false, false, false},
}

func fieldsFor(lang string) []int {
	var rv []int
	for i, f := range allFields {
		if lang == "" || f.lang == lang {
			rv = append(rv, i)
		}
	}
	return rv
}

// newMapping returns the index mapping: one document type with the fields
// above, term vectors on the word fields (positions for phrases, offsets for
// snippets), nothing stored and no _all field, scored with BM25.
// analyzerFilters are the token filters of each analyzer, after Bleve's
// unicode tokenizer. Every chain starts with sharedFilters filters that
// the analyzers of one language share (batchSegment finds a text's words
// once for all its fields: sharedAnalysis).
var analyzerFilters = map[string][]string{
	analyzerVi:      {nfcFilterName, ddFilterName, lowercase.Name},
	analyzerViFold:  {nfcFilterName, ddFilterName, lowercase.Name, foldFilterName},
	analyzerEn:      {nfcFilterName, en.PossessiveName, lowercase.Name, en.StopName, en.PluralStemmerName},
	analyzerVi2:     {nfcFilterName, ddFilterName, lowercase.Name, shingleFilterName},
	analyzerViFold2: {nfcFilterName, ddFilterName, lowercase.Name, foldFilterName, shingleFilterName},
	analyzerEn2:     {nfcFilterName, en.PossessiveName, lowercase.Name, en.PluralStemmerName, shingleFilterName},
}

const sharedFilters = 3

func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := im.AddCustomTokenFilter(nfcFilterName, map[string]interface{}{
		"type": unicodenorm.Name,
		"form": unicodenorm.NFC,
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomTokenFilter(shingleFilterName, map[string]interface{}{
		"type":            shingle.Name,
		"min":             2.0,
		"max":             2.0,
		"output_original": false,
		"separator":       " ",
	}); err != nil {
		return nil, err
	}
	analyzers := analyzerFilters
	names := make([]string, 0, len(analyzers))
	for n := range analyzers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		filters := make([]interface{}, len(analyzers[n]))
		for i, f := range analyzers[n] {
			filters[i] = f
		}
		if err := im.AddCustomAnalyzer(n, map[string]interface{}{
			"type":          "custom",
			"tokenizer":     unicodetok.Name,
			"token_filters": filters,
		}); err != nil {
			return nil, fmt.Errorf("analyzer %s: %w", n, err)
		}
	}
	dm := mapping.NewDocumentStaticMapping()
	for _, f := range allFields {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = f.analyzer
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = !f.bigram // positions for phrases, offsets for snippets
		fm.DocValues = false
		dm.AddFieldMappingsAt(f.name, fm)
	}
	// A named type with DefaultType set, not only DefaultMapping: see
	// SEARCH-NOTES ("AnalyzerNameForPath falls back to standard").
	im.AddDocumentMapping(docType, dm)
	im.DefaultType = docType
	im.DefaultMapping = dm
	im.TypeField = "_type"
	im.DefaultAnalyzer = analyzerVi
	im.StoreDynamic = false
	// BM25 (k1 1.2, b 0.75): its saturating term frequency and length
	// normalisation relative to the field's average suit a mix of short
	// articles and long pages better than TF-IDF's 1/sqrt(length). Bleve's
	// average length depends on the segment layout; Build pins it (bm25Stats).
	im.ScoringModel = index.BM25Scoring
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}

// stopWordsEn returns Bleve's English stop words, sorted, for the bundle: the
// client reads them from there instead of keeping its own copy.
func stopWordsEn() ([]string, error) {
	tm, err := registry.NewCache().TokenMapNamed(en.StopName)
	if err != nil {
		return nil, err
	}
	rv := make([]string, 0, len(tm))
	for w := range tm {
		rv = append(rv, w)
	}
	sort.Strings(rv)
	return rv, nil
}

// token is an analysed query token with its 1-based position.
type token struct {
	term string
	pos  int
}

// analyze runs the named analyzer of m over text.
func analyze(m mapping.IndexMapping, analyzer, text string) []token {
	a := m.AnalyzerNamed(analyzer)
	if a == nil {
		return nil
	}
	ts := a.Analyze([]byte(text))
	rv := make([]token, 0, len(ts))
	for _, t := range ts {
		rv = append(rv, token{string(t.Term), t.Position})
	}
	return rv
}
