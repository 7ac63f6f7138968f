package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion numbers the layout of both the Bleve index (its fields and
// analyzers) and the static bundle. A client or an Open that finds another
// number refuses to search and says why.
const SchemaVersion = 11

// IndexDir is the usual name of a Bleve index folder (loa keeps it in the
// build-state folder, .loa/index.bleve).
const IndexDir = "index.bleve"

const internalDocsKey = "loa.docs"
const internalSchemaKey = "loa.schema"
const internalBM25Key = "loa.bm25"
const internalSynonymsKey = "loa.synonyms"

// Options are site-wide search settings for BuildWith, OpenForUpdate and
// Index.Update.
type Options struct {
	Synonyms *Synonyms // nil: none
	// Version names the build of loa that writes the index (any string
	// that changes when loa's analysis may: the build package uses a hash
	// of the executable). OpenForUpdate refuses an index of another.
	Version string
	// Site names the site whose documents the index holds (the build
	// package uses the absolute path of its root). OpenForUpdate refuses
	// an index of another, such as a build-state folder copied from
	// another site.
	Site string
	// Ephemeral says that the index is never opened again once closed (the
	// preview's, in a temporary folder). An Index opened with it keeps the
	// record of its last export in memory, and its Updates store neither
	// the documents nor that record: at 10,000 pages that was a third of
	// a save's CPU (the documents' JSON, about 60 MB, encoded and hashed).
	Ephemeral bool
}

// bm25Stats are the statistics Bleve's BM25 scorer reads from an index: the
// document count and, per field, the "field cardinality" (Bleve's average
// length is ceil(cardinality/count), search/searcher/search_term.go). Bleve's
// own cardinality is the sum of the number of distinct terms of each
// segment's dictionary, which changes when segments merge; Build replaces it
// with the total length of the field in tokens (lengthStats), stores that in
// the index and in the bundle, and every search hands it to Bleve
// (SearchRequest.PreSearchData), so loa search and the client score with the
// same numbers whatever the segment layout or batch size.
type bm25Stats struct {
	N    uint64         `json:"n"`
	Card map[string]int `json:"card"`
}

// avgDL is Bleve's average field length for field (0: Bleve then scores
// the field with TF-IDF).
func (s bm25Stats) avgDL(field string) float64 {
	c := s.Card[field]
	if s.N == 0 && c == 0 {
		return 0
	}
	return math.Ceil(float64(c) / float64(s.N))
}

// Doc is one searchable document: a whole page, or one article or section of
// a long page.
type Doc struct {
	ID        string `json:"id"`        // unique, e.g. "/en/conventions/crc/#article-28"
	URL       string `json:"url"`       // site path with anchor: "/en/conventions/crc/#article-28"
	PageURL   string `json:"pageURL"`   // site path of the page: "/en/conventions/crc/"
	PageTitle string `json:"pageTitle"` // title of the page (results are grouped by page)
	Title     string `json:"title"`     // the page title, or the section heading ("Article 28")
	Section   string `json:"section"`   // section heading or ""
	Body      string `json:"body"`      // plain text
	// Keywords are words a reader may use to name the document that are not
	// in its text: a convention's code, "điều 28" for an article.
	// They are indexed (a field of their own) but never shown.
	Keywords string `json:"keywords,omitempty"`
	// Names are the names a reader may use for the document's convention or
	// page ("Công ước về Quyền Trẻ em"), indexed in a field of their own
	// apart from the short Keywords, so that a long name does not lengthen
	// the field that holds the article number (BM25 length normalisation).
	Names string `json:"names,omitempty"`
	Lang  string `json:"lang"` // "vi" or "en"
	Kind  string `json:"kind"` // "convention", "guidance", "page"
	Code  string `json:"code"` // convention code ("crc") or ""
	// Weight multiplies the document's score (a prior: the builder gives the
	// page document of a split page and the procedural articles of a
	// convention less than 1); 0 means 1.
	Weight float64 `json:"weight,omitempty"`
}

func (d Doc) weight() float64 {
	if d.Weight == 0 {
		return 1
	}
	return d.Weight
}

// Query is a search request.
type Query struct {
	Text  string // query string: words, "phrases", +must, -mustnot, word~N, word*
	Lang  string // "" (all), "vi" or "en"
	Kind  string // "" or a Doc.Kind
	Code  string // "" or a convention code
	Limit int    // maximum number of hits; 0 means 20, negative means all
}

// Hit is one result, best first.
type Hit struct {
	ID        string  `json:"id"`
	URL       string  `json:"url"`
	PageURL   string  `json:"pageURL"`
	Title     string  `json:"title"`
	PageTitle string  `json:"pageTitle"`
	Score     float64 `json:"score"`
	Snippet   string  `json:"snippet"` // HTML: escaped text with <mark> around matches
	Lang      string  `json:"lang"`
	Kind      string  `json:"kind"`
	Code      string  `json:"code"`
}

// QueryError reports a query that cannot be searched (it is empty, only
// punctuation, or only excludes), or that asks for an article number no
// convention of the site has ("điều 55": rather than unrelated articles, no
// hits and this explanation). Key is a stable message key for UIs.
type QueryError struct {
	Key    string // "empty", "onlynot" or "noarticle"
	Detail string // for "noarticle": the article number asked for
	Msg    string
}

func (e *QueryError) Error() string { return e.Msg }

// ErrNoIndex is returned (wrapped) by Open when dir holds no index.
var ErrNoIndex = errors.New("no search index")

// ErrIndexBusy is returned (wrapped) by Open when another process holds the
// index open for writing for longer than Open waits (2 s): a loa build
// updating the build cache, or a second one indexing into it.
var ErrIndexBusy = errors.New("the search index is being written by another loa (a build of this site)")

// Index is an open search index: read-only from Open, held for updates
// from OpenForUpdate.
type Index struct {
	idx     bleve.Index
	reader  index.IndexReader
	mapping mapping.IndexMapping
	docs    []Doc
	byID    map[string]int
	bm25    bm25Stats
	syn     *Synonyms
	weights map[string]float64 // Bleve internal ID -> Doc.Weight, for the documents whose weight is not 1

	path     string // the index folder (OpenForUpdate)
	docsJSON []byte // docs as stored under internalDocsKey (OpenForUpdate, Update)
	// Of the last export: the term chunks it encoded, of all, and the terms
	// whose postings it read from the index.
	encoded, chunks int
	termsRead       atomic.Int64
	exported        string       // the folder of the bundle this Index wrote last ("": none yet)
	ephemeral       bool         // Options.Ephemeral of OpenForUpdate
	record          *exportCache // the record of the last export, kept when ephemeral
	unread          int          // files of the last export kept in place unread (reuse.trusted)
}

func validateDocs(docs []Doc) error {
	seen := make(map[string]bool, len(docs))
	for i, d := range docs {
		if d.ID == "" {
			return fmt.Errorf("search: doc %d has no ID", i)
		}
		if seen[d.ID] {
			return fmt.Errorf("search: duplicate doc ID %q", d.ID)
		}
		seen[d.ID] = true
		if d.Lang != "vi" && d.Lang != "en" {
			return fmt.Errorf("search: doc %q: language %q is neither vi nor en", d.ID, d.Lang)
		}
	}
	return nil
}

// orderDocs returns docs with the Vietnamese documents first, then the
// English, and in each the documents of each page next to each other, pages
// in order of first appearance, documents in input order. A document's
// position in this order is its number in the bundle and breaks score ties.
// A query in one language (the search page's default) then needs the
// shards of the length table of that language only: on the generated
// 10,000-page site, where the languages' pages alternate, they held every
// shard before.
func orderDocs(docs []Doc) []Doc {
	pageOrder := map[string]int{}
	for _, d := range docs {
		if _, ok := pageOrder[d.PageURL]; !ok {
			pageOrder[d.PageURL] = len(pageOrder)
		}
	}
	rv := append([]Doc(nil), docs...)
	sort.SliceStable(rv, func(i, j int) bool {
		if a, b := rv[i].Lang == "en", rv[j].Lang == "en"; a != b {
			return b
		}
		return pageOrder[rv[i].PageURL] < pageOrder[rv[j].PageURL]
	})
	return rv
}

func bleveDoc(d Doc) map[string]interface{} {
	m := map[string]interface{}{"_type": docType}
	m[d.Lang+"_title"] = d.Title
	m[d.Lang+"_body"] = d.Body
	m[d.Lang+"_title2"] = d.Title
	m[d.Lang+"_body2"] = d.Body
	if d.Keywords != "" {
		m[d.Lang+"_ref"] = d.Keywords
	}
	if d.Names != "" {
		m[d.Lang+"_name"] = d.Names
	}
	if d.Lang == "vi" {
		m["vi_title_f"] = d.Title
		m["vi_body_f"] = d.Body
		m["vi_title2_f"] = d.Title
		m["vi_body2_f"] = d.Body
	}
	return m
}

// Build indexes docs with Bleve into the folder indexDir and exports the
// static bundle for the browser client into the folder dir. Neither may hold
// an index or bundle already: the caller builds into fresh folders and swaps
// them in, so a reader never sees a half-written index. The Bleve index is
// for `loa search` on the build machine only and lives outside the published
// site (its segment files differ between two builds of the same input); for
// the same docs the bundle files are byte-identical.
func Build(ctx context.Context, docs []Doc, dir, indexDir string) error {
	return BuildWith(ctx, docs, Options{}, dir, indexDir)
}

// BuildWith is Build with site-wide settings (the synonym list).
func BuildWith(ctx context.Context, docs []Doc, opts Options, dir, indexDir string) error {
	opts.Ephemeral = false // the index is opened again
	ix, err := build(ctx, docs, opts, dir, indexDir, false)
	if err != nil {
		return err
	}
	return ix.Close()
}

// BuildForUpdate is BuildWith, then the index opened for updates as
// OpenForUpdate(indexDir, opts) would, without reading it back: it knows
// the bundle in dir as its own (Index.Wrote), and with opts.Ephemeral it
// keeps the record of the export in memory instead of storing it. The
// preview builds its first index so, and its first save costs what the
// later ones do.
func BuildForUpdate(ctx context.Context, docs []Doc, opts Options, dir, indexDir string) (*Index, error) {
	return build(ctx, docs, opts, dir, indexDir, true)
}

// build writes the index and the bundle and returns the Index, open as
// OpenForUpdate opens one when forUpdate.
func build(ctx context.Context, docs []Doc, opts Options, dir, indexDir string, forUpdate bool) (*Index, error) {
	if err := validateDocs(docs); err != nil {
		return nil, err
	}
	docs = orderDocs(docs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(indexDir), 0o755); err != nil {
		return nil, err
	}
	if err := indexDocs(ctx, docs, im, indexDir); err != nil {
		return nil, err
	}
	var idx bleve.Index
	if forUpdate {
		idx, err = bleve.OpenUsing(indexDir, openForUpdateConfig)
	} else {
		idx, err = bleve.Open(indexDir)
	}
	if err != nil {
		return nil, fmt.Errorf("search: open index: %w", err)
	}
	// The documents are stored with the record of the export, in one
	// batch (saveExport): Bleve writes every internal key again with each
	// batch it persists.
	var meta []byte
	if !opts.Ephemeral {
		if meta, err = json.Marshal(docs); err != nil {
			idx.Close()
			return nil, err
		}
	}
	ix, err := newIndex(idx, docs)
	if err != nil {
		idx.Close()
		return nil, err
	}
	ix.docsJSON, ix.ephemeral, ix.path = meta, opts.Ephemeral, indexDir
	err = func() error {
		if ix.bm25, err = readBM25(ix.reader); err != nil {
			return err
		}
		ix.syn = opts.Synonyms
		if ix.syn == nil {
			ix.syn = &Synonyms{}
		}
		cache, err := ix.export(ctx, dir)
		if err != nil {
			return err
		}
		// export replaced the statistics with ones that do not depend on
		// the segment layout (lengthStats); loa search reads them from the
		// index, and the next Update reads the record of this export.
		return ix.saveExport(cache, opts)
	}()
	if err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// readBM25 reads the BM25 statistics of every field from r.
func readBM25(r index.IndexReader) (bm25Stats, error) {
	n, err := r.DocCount()
	if err != nil {
		return bm25Stats{}, err
	}
	st := bm25Stats{N: n, Card: map[string]int{}}
	br, ok := r.(index.BM25Reader)
	if !ok {
		return st, fmt.Errorf("search: the index reader has no BM25 statistics")
	}
	for _, f := range allFields {
		if st.Card[f.name], err = br.FieldCardinality(f.name); err != nil {
			return st, err
		}
	}
	return st, nil
}

func newIndex(idx bleve.Index, docs []Doc) (*Index, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	ix := &Index{idx: idx, reader: r, mapping: idx.Mapping(), docs: docs, byID: make(map[string]int, len(docs))}
	for i, d := range docs {
		ix.byID[d.ID] = i
	}
	internal, err := ix.internalIDs()
	if err != nil {
		r.Close()
		return nil, err
	}
	ix.weights = map[string]float64{}
	for id, n := range internal {
		if w := docs[n].weight(); w != 1 {
			ix.weights[id] = w
		}
	}
	return ix, nil
}

// Open opens the index that Build wrote into dir, read-only. It is safe for
// concurrent searches.
func Open(path string) (*Index, error) {
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNoIndex)
		}
		return nil, err
	}
	idx, err := bleve.OpenUsing(path, map[string]interface{}{"read_only": true, "bolt_timeout": "2s"})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%s: %w", path, ErrIndexBusy)
	}
	if err != nil {
		return nil, fmt.Errorf("search: open %s: %w", path, err)
	}
	v, err := idx.GetInternal([]byte(internalSchemaKey))
	if err != nil || string(v) != strconv.Itoa(SchemaVersion) {
		idx.Close()
		return nil, fmt.Errorf("search: %s has search schema %q, this loa reads %d: rebuild the site", path, v, SchemaVersion)
	}
	raw, err := idx.GetInternal([]byte(internalDocsKey))
	if err != nil {
		idx.Close()
		return nil, err
	}
	var docs []Doc
	if err := json.Unmarshal(raw, &docs); err != nil {
		idx.Close()
		return nil, fmt.Errorf("search: %s: documents: %w", path, err)
	}
	ix, err := newIndex(idx, docs)
	if err != nil {
		idx.Close()
		return nil, err
	}
	if err := ix.loadStats(); err != nil {
		ix.Close()
		return nil, fmt.Errorf("search: %s: %w", path, err)
	}
	return ix, nil
}

// loadStats reads the statistics and synonyms BuildWith stored.
func (ix *Index) loadStats() error {
	raw, err := ix.idx.GetInternal([]byte(internalBM25Key))
	if err == nil {
		err = json.Unmarshal(raw, &ix.bm25)
	}
	if err != nil {
		return fmt.Errorf("BM25 statistics: %w", err)
	}
	ix.syn = &Synonyms{}
	if raw, err = ix.idx.GetInternal([]byte(internalSynonymsKey)); err == nil && raw != nil {
		err = json.Unmarshal(raw, ix.syn)
	}
	if err != nil {
		return fmt.Errorf("synonyms: %w", err)
	}
	return nil
}

// Close releases the index.
func (ix *Index) Close() error {
	err := ix.reader.Close()
	if err2 := ix.idx.Close(); err == nil {
		err = err2
	}
	return err
}

// Docs returns the indexed documents in bundle order.
func (ix *Index) Docs() []Doc { return ix.docs }

func (ix *Index) hasTerm(field, term string) bool {
	tfr, err := ix.reader.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return false
	}
	defer tfr.Close()
	return tfr.Count() > 0
}

// liveTerms returns the terms fd lists that some live document holds, in
// fd's order, each with its edit distance (fuzzy dictionaries). An edit
// re-indexes a document by marking its old version deleted in the segment
// that holds it, whose dictionary keeps the old version's terms until a
// merge rewrites that segment; a fresh build, and the bundle, hold only
// live terms. So every expansion of a query word (typo candidates,
// prefixes) goes through liveTerms: Bleve's own FuzzyQuery and PrefixQuery
// would also take such dead terms, which change a clause's query norm and
// coordination, and an updated index would score otherwise than a fresh one.
func (ix *Index) liveTerms(field string, fd index.FieldDict, err error) ([]*index.DictEntry, error) {
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	var rv []*index.DictEntry
	for e, err := fd.Next(); e != nil || err != nil; e, err = fd.Next() {
		if err != nil {
			return nil, err
		}
		if ix.hasTerm(field, e.Term) {
			c := *e
			rv = append(rv, &c)
		}
	}
	return rv, nil
}

// fuzzyQ is Bleve's FuzzyQuery of term in field (fuzziness edits; the
// first fuzzyPrefix bytes, rounded up to a whole rune, fixed; Bleve's
// search/searcher/search_fuzzy.go) over the live terms only: the
// disjunction of each candidate's Term(field, candidate)^(boost/(edit
// distance+1)), or Term(field, term)^boost when the only candidate is term
// itself or there is none.
func (ix *Index) fuzzyQ(field, term string, fuzziness int, boost float64) (query.Query, error) {
	fr, ok := ix.reader.(index.IndexReaderFuzzy)
	if !ok {
		return nil, fmt.Errorf("search: the index reader has no fuzzy dictionary")
	}
	prefix := term // Bleve's: cut at the first rune boundary at or after fuzzyPrefix bytes
	for i := range term {
		if i >= fuzzyPrefix {
			prefix = term[:i]
			break
		}
	}
	fd, _, err := fr.FieldDictFuzzyAutomaton(field, term, fuzziness, prefix)
	cands, err := ix.liveTerms(field, fd, err)
	if err != nil {
		return nil, err
	}
	if len(cands) == 0 || len(cands) == 1 && cands[0].Term == term {
		return termQ(field, term, boost), nil
	}
	leaves := make([]query.Query, len(cands))
	for i, c := range cands {
		leaves[i] = termQ(field, c.Term, boost*(1/float64(c.EditDistance+1)))
	}
	return query.NewDisjunctionQuery(leaves), nil
}

// prefixQ is Bleve's PrefixQuery of prefix in field over the live terms
// only: the disjunction of Term(field, t)^boost for each live term t that
// starts with prefix; nil when there is none.
func (ix *Index) prefixQ(field, prefix string, boost float64) (query.Query, error) {
	fd, err := ix.reader.FieldDictPrefix(field, []byte(prefix))
	terms, err := ix.liveTerms(field, fd, err)
	if err != nil || len(terms) == 0 {
		return nil, err
	}
	leaves := make([]query.Query, len(terms))
	for i, t := range terms {
		leaves[i] = termQ(field, t.Term, boost)
	}
	return query.NewDisjunctionQuery(leaves), nil
}

// autoFuzziness is Bleve's automatic fuzziness counted in runes, not bytes, so
// that Vietnamese letters count once.
func autoFuzziness(term string) int {
	n := utf8.RuneCountInString(term)
	switch {
	case n > 5:
		return 2
	case n > 2:
		return 1
	}
	return 0
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// articleRef returns N when the query asks for an article by number: a word
// clause "điều"/"dieu"/"article"/"art" followed by a clause of digits.
func articleRef(p parsed) (string, bool) {
	for i := 0; i+1 < len(p.Clauses); i++ {
		a, b := p.Clauses[i], p.Clauses[i+1]
		if a.Phrase || b.Phrase || a.Occur == occNot || b.Occur == occNot || b.Text == "" || !isDigits(b.Text) {
			continue
		}
		switch synKey(a.Text) {
		case "dieu", "article", "art":
			return strings.TrimLeft(b.Text, "0"), true
		}
	}
	return "", false
}

// phraseSlots turns analysed tokens into the term slots of a multi-phrase
// query; positions removed by the stop filter become empty slots.
func phraseSlots(toks []token) [][]string {
	first := toks[0].pos
	last := toks[len(toks)-1].pos
	slots := make([][]string, last-first+1)
	for i := range slots {
		slots[i] = []string{}
	}
	for _, t := range toks {
		slots[t.pos-first] = append(slots[t.pos-first], t.term)
	}
	return slots
}

func termQ(field, term string, boost float64) query.Query {
	q := query.NewTermQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// compile turns a parsed query into a Bleve query over the fields of lang.
// The structure is the contract with the client (static/js/search-engine.js builds
// the same tree and scores it with Bleve's formulas):
//
//	Boolean(must: Conjunction(clauses), should: Disjunction(clauses), mustNot: Disjunction(clauses))
//	clause = Disjunction of, for each field of the language whose analyzer yields tokens:
//	  (on folded twin fields, the boost is multiplied by 0.1 when the clause text has diacritics)
//	  phrase: MultiPhrase(field, slots)^boost (a Term when one token)
//	  word, for each token: Term(field, token)^boost, and on expanding fields (folded Vietnamese, English)
//	    Fuzzy(token, fuzziness, prefix 1)^boost when ~N was given, or automatically when the token is not in the field,
//	    Prefix(token)^(boost*0.5) for the last token of a word being typed, if at least 3 runes and the prefix exists
//	    (both as Bleve's FuzzyQuery and PrefixQuery expand them, over the terms of live documents: fuzzyQ, prefixQ);
//	    never for a token with a digit;
//	  the bigram fields are not used by these clauses;
//	  filler words (filler.go fillers) get no clause when the query has another word;
//	then, as should-clauses: bigramClauses (pairs of adjacent words, and the corrected pairs of a
//	misspelt word: typoPairClause), articleClause and synonymClauses (expansions);
//	"điều N"/"article N" with an N that no keyword field holds: QueryError "noarticle".
func (ix *Index) compile(p parsed, lang string) (query.Query, error) {
	if n, ok := articleRef(p); ok {
		found := false
		for _, fi := range fieldsFor(lang) {
			if allFields[fi].part == "ref" && ix.hasTerm(allFields[fi].name, n) {
				found = true
			}
		}
		if !found {
			return nil, &QueryError{Key: "noarticle", Detail: n, Msg: fmt.Sprintf("no convention on this site has an article %s", n)}
		}
	}
	var must, should, not []query.Query
	filler := fillers(p)
	for ci, cl := range p.Clauses {
		if filler[ci] {
			continue
		}
		var leaves []query.Query
		accented := Fold(cl.Text) != cl.Text
		for _, fi := range fieldsFor(lang) {
			f := allFields[fi]
			if f.bigram {
				continue
			}
			toks := analyze(ix.mapping, f.analyzer, cl.Text)
			if len(toks) == 0 {
				continue
			}
			if f.twin && accented {
				f.boost *= boostAccentedTwin
			}
			if cl.Phrase {
				if len(toks) == 1 {
					leaves = append(leaves, termQ(f.name, toks[0].term, f.boost))
					continue
				}
				q := query.NewMultiPhraseQuery(phraseSlots(toks), f.name)
				q.SetBoost(f.boost)
				leaves = append(leaves, q)
				continue
			}
			for k, t := range toks {
				leaves = append(leaves, termQ(f.name, t.term, f.boost))
				if !f.expand || hasDigit(t.term) {
					continue // numbers are never typo-corrected or read as prefixes: 5769 is not 5768
				}
				fz := cl.Fuzzy
				if fz < 0 {
					fz = 0
					if !ix.hasTerm(f.name, t.term) {
						fz = autoFuzziness(t.term)
					}
				}
				if fz > 0 {
					q, err := ix.fuzzyQ(f.name, t.term, fz, f.boost*boostFuzzy)
					if err != nil {
						return nil, err
					}
					leaves = append(leaves, q)
				}
				if cl.Prefix && k == len(toks)-1 && utf8.RuneCountInString(t.term) >= minPrefixRunes {
					q, err := ix.prefixQ(f.name, t.term, f.boost*boostPrefix)
					if err != nil {
						return nil, err
					}
					if q != nil {
						leaves = append(leaves, q)
					}
				}
			}
		}
		if len(leaves) == 0 {
			continue
		}
		d := query.NewDisjunctionQuery(leaves)
		switch cl.Occur {
		case occMust:
			must = append(must, d)
		case occNot:
			not = append(not, d)
		default:
			should = append(should, d)
		}
	}
	should = append(should, ix.bigramClauses(p, lang)...)
	if q := ix.articleClause(p, lang); q != nil {
		should = append(should, q)
	}
	should = append(should, ix.synonymClauses(p, lang)...)
	if len(must) == 0 && len(should) == 0 {
		if len(not) > 0 {
			return nil, &QueryError{Key: "onlynot", Msg: "the query only excludes words: add a word to look for"}
		}
		return nil, &QueryError{Key: "empty", Msg: "nothing to search for: type a word"}
	}
	b := query.NewBooleanQuery(nil, nil, nil)
	if len(must) > 0 {
		b.Must = query.NewConjunctionQuery(must)
	}
	if len(should) > 0 {
		d := query.NewDisjunctionQuery(should)
		if len(must) == 0 {
			d.SetMin(1)
		}
		b.Should = d
	}
	if len(not) > 0 {
		b.MustNot = query.NewDisjunctionQuery(not)
	}
	return b, nil
}

// bigramClauses returns one should-clause per pair of adjacent query words:
// for each pair of adjacent clauses that are words to find (not phrases, not
// excluded), the text "a b" is analysed by each bigram field of lang, and
// every pair the field yields that no earlier clause asked of that field
// becomes Term(field, pair)^boost, the boost reduced on folded fields like a
// word's when the pair has diacritics. The clause is the Disjunction of those
// terms; pairs that no field yields are dropped.
func (ix *Index) bigramClauses(p parsed, lang string) []query.Query {
	var rv []query.Query
	seen := map[string]bool{}
	corr := map[string][]string{}
	for i := 0; i+1 < len(p.Clauses); i++ {
		a, b := p.Clauses[i], p.Clauses[i+1]
		if a.Phrase || b.Phrase || a.Occur == occNot || b.Occur == occNot {
			continue
		}
		text := a.Text + " " + b.Text
		accented := Fold(text) != text
		var leaves []query.Query
		for _, fi := range fieldsFor(lang) {
			f := allFields[fi]
			if !f.bigram {
				continue
			}
			if f.twin && accented {
				f.boost *= boostAccentedTwin
			}
			for _, t := range analyze(ix.mapping, f.analyzer, text) {
				if k := f.name + "\x00" + t.term; !seen[k] {
					seen[k] = true
					leaves = append(leaves, termQ(f.name, t.term, f.boost))
				}
			}
		}
		if len(leaves) > 0 {
			rv = append(rv, query.NewDisjunctionQuery(leaves))
		}
		if q := ix.typoPairClause(a, b, accented, lang, corr, seen); q != nil {
			rv = append(rv, q)
		}
	}
	return rv
}

// typoField is the field whose terms correct a typo in a pair of query
// words: the folded Vietnamese body, the English body.
func typoField(lang string) string {
	if lang == "vi" {
		return "vi_body_f"
	}
	return "en_body"
}

// corrections returns the terms of typoField(lang) at edit distance 1 from
// the word clause cl (same first letter, Bleve's fuzzy dictionary), sorted,
// when cl is one token of at least 3 runes, without a digit, that the field
// does not hold; else nil.
func (ix *Index) corrections(cl clause, lang string) []string {
	name := typoField(lang)
	var f field
	for _, g := range allFields {
		if g.name == name {
			f = g
		}
	}
	toks := analyze(ix.mapping, f.analyzer, cl.Text)
	if len(toks) != 1 {
		return nil
	}
	t := toks[0].term
	if hasDigit(t) || autoFuzziness(t) == 0 || ix.hasTerm(name, t) {
		return nil
	}
	fr, ok := ix.reader.(index.IndexReaderFuzzy)
	if !ok {
		return nil
	}
	_, n := utf8.DecodeRuneInString(t)
	fd, err := fr.FieldDictFuzzy(name, t, 1, t[:n])
	cands, err := ix.liveTerms(name, fd, err)
	if err != nil {
		return nil
	}
	var rv []string
	for _, e := range cands {
		if e.Term != t {
			rv = append(rv, e.Term)
		}
	}
	sort.Strings(rv)
	return rv
}

// typoPairClause returns the should-clause of the corrected pairs of the
// adjacent word clauses a and b (accented: their text has diacritics) when
// one or both are typos (corrections): for each folded Vietnamese or English
// bigram field of lang, each pair "x y" with x a's text or a correction of it
// and y b's text or a correction, not both the typed text, whose term the
// field holds and no earlier clause asked of it (seen), becomes
// Term(field, pair)^(boost*boostFuzzy/2) (edit distance 1, as Bleve's fuzzy
// candidates; folded fields ×0.1 when accented). nil when none.
// corr caches corrections per clause text and language.
func (ix *Index) typoPairClause(a, b clause, accented bool, lang string, corr map[string][]string, seen map[string]bool) query.Query {
	variants := func(cl clause, l string) []string {
		k := l + "\x00" + cl.Text
		c, ok := corr[k]
		if !ok {
			c = ix.corrections(cl, l)
			corr[k] = c
		}
		return append([]string{cl.Text}, c...)
	}
	var leaves []query.Query
	for _, fi := range fieldsFor(lang) {
		f := allFields[fi]
		if !f.bigram || !(f.twin || f.lang == "en") {
			continue
		}
		va, vb := variants(a, f.lang), variants(b, f.lang)
		if len(va) == 1 && len(vb) == 1 {
			continue
		}
		boost := f.boost * boostFuzzy / 2
		if f.twin && accented {
			boost *= boostAccentedTwin
		}
		for i, x := range va {
			for j, y := range vb {
				if i == 0 && j == 0 {
					continue
				}
				for _, t := range analyze(ix.mapping, f.analyzer, x+" "+y) {
					if k := f.name + "\x00" + t.term; !seen[k] && ix.hasTerm(f.name, t.term) {
						seen[k] = true
						leaves = append(leaves, termQ(f.name, t.term, boost))
					}
				}
			}
		}
	}
	if len(leaves) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(leaves)
}

// isArticleWord reports whether a clause's text is "điều", "article" or "art".
func isArticleWord(text string) bool {
	switch synKey(text) {
	case "dieu", "article", "art":
		return true
	}
	return false
}

// articleNumber returns the index of the clause that asks for an article by
// number: a word clause of digits after "điều"/"article"/"art", or next to a
// word clause whose tokens a keyword field of lang holds (a convention code:
// "crc 28", "28 crc"); -1 when none.
func (ix *Index) articleNumber(p parsed, lang string) int {
	word := func(i int) bool {
		return i >= 0 && i < len(p.Clauses) && !p.Clauses[i].Phrase && p.Clauses[i].Occur != occNot && p.Clauses[i].Text != ""
	}
	isRef := func(i int) bool {
		if !word(i) || isDigits(p.Clauses[i].Text) {
			return false
		}
		if isArticleWord(p.Clauses[i].Text) {
			return true
		}
		found := false
		for _, fi := range fieldsFor(lang) {
			f := allFields[fi]
			if f.part != "ref" || f.name != f.lang+"_ref" {
				continue
			}
			toks := analyze(ix.mapping, f.analyzer, p.Clauses[i].Text)
			ok := len(toks) > 0
			for _, t := range toks {
				ok = ok && ix.hasTerm(f.name, t.term)
			}
			found = found || ok
		}
		return found
	}
	for i := range p.Clauses {
		if word(i) && isDigits(p.Clauses[i].Text) && (isRef(i-1) || isRef(i+1)) {
			return i
		}
	}
	return -1
}

// articleClause returns, when the query asks for an article by number
// (articleNumber), one should-clause that only the article of that number of
// the convention the other words name can match:
//
//	Conjunction(Disjunction(Term(ref, N)^boost for each keyword field of lang),
//	            Disjunction(Term(field, token)^boost for each keyword and name field
//	                        of lang and each token of the other word clauses))
//
// ("điều"/"article" themselves are left out), so "dieu 16 cat" and "điều 14
// công ước chống tra tấn" prefer CAT's article to the same article of
// another convention. nil when there is no number or no other word.
func (ix *Index) articleClause(p parsed, lang string) query.Query {
	k := ix.articleNumber(p, lang)
	if k < 0 {
		return nil
	}
	var num, other []query.Query
	seen := map[string]bool{}
	for _, fi := range fieldsFor(lang) {
		f := allFields[fi]
		if f.part != "ref" {
			continue
		}
		if f.name == f.lang+"_ref" {
			for _, t := range analyze(ix.mapping, f.analyzer, p.Clauses[k].Text) {
				num = append(num, termQ(f.name, t.term, f.boost*boostArticle))
			}
		}
		for i, cl := range p.Clauses {
			if i == k || cl.Phrase || cl.Occur == occNot || isDigits(cl.Text) || isArticleWord(cl.Text) {
				continue
			}
			for _, t := range analyze(ix.mapping, f.analyzer, cl.Text) {
				if key := f.name + "\x00" + t.term; !seen[key] {
					seen[key] = true
					other = append(other, termQ(f.name, t.term, f.boost*boostArticle))
				}
			}
		}
	}
	if len(num) == 0 || len(other) == 0 {
		return nil
	}
	return query.NewConjunctionQuery([]query.Query{query.NewDisjunctionQuery(num), query.NewDisjunctionQuery(other)})
}

// synonymExpansions returns the phrases the synonym rules add to p, in
// order of first match: runs of adjacent word clauses (not phrases, not
// excluded) are matched, folded and lower-cased, against every rule at every
// word.
func synonymExpansions(syn *Synonyms, p parsed) []string {
	if syn == nil || len(syn.Rules) == 0 {
		return nil
	}
	var runs [][]string
	var run []string
	for _, cl := range p.Clauses {
		if cl.Phrase || cl.Occur == occNot {
			runs, run = append(runs, run), nil
			continue
		}
		if k := synKey(cl.Text); k != "" {
			run = append(run, strings.Split(k, " ")...)
		}
	}
	runs = append(runs, run)
	var rv []string
	seen := map[string]bool{}
	for _, r := range runs {
		for i := range r {
			for _, rule := range syn.Rules {
				from := strings.Split(rule.From, " ")
				if i+len(from) > len(r) || strings.Join(r[i:i+len(from)], " ") != rule.From {
					continue
				}
				for _, t := range rule.To {
					if !seen[t] {
						seen[t] = true
						rv = append(rv, t)
					}
				}
			}
		}
	}
	return rv
}

// synonymClauses returns one should-clause per synonym expansion of p: the
// Disjunction, over the word and bigram fields of lang (not the keyword
// fields), of Term(field, token)^(boost*boostSynonym) for each token the
// field's analyzer yields from the expansion (folded fields ×0.1 when it has
// diacritics), each field and token once.
func (ix *Index) synonymClauses(p parsed, lang string) []query.Query {
	var rv []query.Query
	for _, e := range synonymExpansions(ix.syn, p) {
		accented := Fold(e) != e
		var leaves []query.Query
		seen := map[string]bool{}
		for _, fi := range fieldsFor(lang) {
			f := allFields[fi]
			if f.part == "ref" {
				continue
			}
			b := f.boost * boostSynonym
			if f.twin && accented {
				b *= boostAccentedTwin
			}
			for _, t := range analyze(ix.mapping, f.analyzer, e) {
				if k := f.name + "\x00" + t.term; !seen[k] {
					seen[k] = true
					leaves = append(leaves, termQ(f.name, t.term, b))
				}
			}
		}
		if len(leaves) > 0 {
			rv = append(rv, query.NewDisjunctionQuery(leaves))
		}
	}
	return rv
}

// scored is a hit before it becomes a Hit.
type scored struct {
	doc   int
	score float64
	locs  map[string]map[string][]*locSpan
}

type locSpan struct{ start, end int }

// sortHits orders hits by score, best first. Scores equal to within 1e-11
// relative (the client's floating-point sums may differ in the last bits)
// count as ties and go in document order. The client sorts the same way.
func sortHits(h []scored) {
	sort.Slice(h, func(i, j int) bool {
		if h[i].score != h[j].score {
			return h[i].score > h[j].score
		}
		return h[i].doc < h[j].doc
	})
	for i := 0; i < len(h); {
		j := i + 1
		for j < len(h) && h[j-1].score-h[j].score <= 1e-11*math.Abs(h[i].score) {
			j++
		}
		if j-i > 1 {
			g := h[i:j]
			sort.Slice(g, func(a, b int) bool { return g[a].doc < g[b].doc })
		}
		i = j
	}
}

// Search runs q. Queries that cannot be searched return a *QueryError.
func (ix *Index) Search(ctx context.Context, q Query) ([]Hit, error) {
	hits, err := ix.search(ctx, q)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = 20
	}
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	rv := make([]Hit, len(hits))
	for i, h := range hits {
		d := ix.docs[h.doc]
		rv[i] = Hit{ID: d.ID, URL: d.URL, PageURL: d.PageURL, Title: d.Title, PageTitle: d.PageTitle,
			Score: h.score, Lang: d.Lang, Kind: d.Kind, Code: d.Code, Snippet: snippet(d, h.locs)}
	}
	return rv, nil
}

func (ix *Index) search(ctx context.Context, q Query) ([]scored, error) {
	if q.Lang != "" && q.Lang != "vi" && q.Lang != "en" {
		return nil, fmt.Errorf("search: unknown language %q (want vi or en)", q.Lang)
	}
	bq, err := ix.compile(parseQuery(q.Text), q.Lang)
	if err != nil {
		return nil, err
	}
	if len(ix.weights) > 0 {
		// Document priors (Doc.Weight): Bleve multiplies the final score of
		// each hit (search/searcher/search_custom_score.go); the client does
		// the same after summing.
		bq = query.NewCustomScoreQueryWithScorer(bq, func(_ context.Context, d *bsearch.DocumentMatch) (float64, error) {
			if w, ok := ix.weights[string(d.IndexInternalID)]; ok {
				return d.Score * w, nil
			}
			return d.Score, nil
		}, nil, nil)
	}
	req := bleve.NewSearchRequestOptions(bq, max(len(ix.docs), 1), 0, false)
	req.IncludeLocations = true
	req.PreSearchData = map[string]interface{}{
		bsearch.BM25PreSearchDataKey: &bsearch.BM25Stats{DocCount: float64(ix.bm25.N), FieldCardinality: ix.bm25.Card},
	}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	hits := make([]scored, 0, len(res.Hits))
	for _, m := range res.Hits {
		n, ok := ix.byID[m.ID]
		if !ok {
			continue
		}
		d := ix.docs[n]
		if (q.Kind != "" && d.Kind != q.Kind) || (q.Code != "" && d.Code != q.Code) {
			continue
		}
		s := scored{doc: n, score: m.Score}
		if len(m.Locations) > 0 {
			s.locs = map[string]map[string][]*locSpan{}
			for f, tl := range m.Locations {
				s.locs[f] = map[string][]*locSpan{}
				for t, ls := range tl {
					for _, l := range ls {
						s.locs[f][t] = append(s.locs[f][t], &locSpan{int(l.Start), int(l.End)})
					}
				}
			}
		}
		hits = append(hits, s)
	}
	sortHits(hits)
	return hits, nil
}
