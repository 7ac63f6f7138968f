package search

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
)

// The static bundle, schema 1. Every file is a script that calls
// loaSearch.add(name, data), so that the client can load it with a <script>
// element, which works from file:// where fetch does not. Every file but the
// entry point index.js has a content hash in its name, so a cache never serves
// a stale mix.
//
//	index.js     loaSearch.add("index", meta): schema number, document count, fields
//	             and boosts, stop words, the file names of all other parts, and per
//	             page the first document number and a class (language, kind, code).
//	t.<hash>.js  terms whose folded form starts with a shard key: for each term and
//	             field, postings [docDelta, freq, fieldLength, ...] in document order.
//	p.<hash>.js  positions for the same terms, loaded only by phrase queries.
//	l.<hash>.js  lexicon of the folded fields by first letter: term -> field bit mask,
//	             for prefix and typo expansion.
//	d.<hash>.js  documents [url, title, pageURL, pageTitle, body] for results and snippets.
const (
	shardTarget = 12 << 10 // raw bytes of postings per term shard before it is split
	docsTarget  = 12 << 10 // raw bytes of documents per document chunk
	maxKeyRunes = 8
)

type posting struct {
	doc, freq, length int
	pos               []int
}

type termField struct {
	field    int
	postings []posting
}

type termEntry struct {
	term   string
	key    string // Fold(term)
	fields []termField
	size   int
}

// bundleMeta is index.js.
type bundleMeta struct {
	V        int               `json:"v"`
	N        uint64            `json:"n"`
	Fields   [][]any           `json:"fields"` // [name, lang, analyzer, boost, flags: 1 expand, 2 folded twin]
	K        map[string]any    `json:"k"`      // constants of the query plan
	Stop     []string          `json:"stop"`
	Terms    map[string]string `json:"terms"` // shard key -> file
	Pos      map[string]string `json:"pos"`   // shard key -> file
	Lex      map[string]string `json:"lex"`   // first letter -> file
	Docs     [][]any           `json:"docs"`  // [first doc number, file]
	Pages    []int             `json:"pages"` // first doc number of each page, delta-coded
	PageCls  []int             `json:"pcls"`  // class index of each page
	Classes  [][]string        `json:"cls"`   // [lang, kind, code]
	NumDocs  int               `json:"nd"`
	Analyzer map[string]string `json:"an"` // analyzer -> "vi" | "vif" | "en"
}

type bundleWriter struct {
	dir   string
	files map[string][]byte
}

func (w *bundleWriter) add(prefix string, data any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(data); err != nil {
		return "", err
	}
	payload := bytes.TrimRight(buf.Bytes(), "\n")
	sum := sha256.Sum256(payload)
	name := prefix + "." + hex.EncodeToString(sum[:6])
	var out bytes.Buffer
	fmt.Fprintf(&out, "loaSearch.add(%q,", name)
	out.Write(payload)
	out.WriteString(");\n")
	w.files[name+".js"] = out.Bytes()
	return name, nil
}

func (w *bundleWriter) write() error {
	names := make([]string, 0, len(w.files))
	for n := range w.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(w.dir, n), w.files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// export writes the static bundle from the index's current snapshot.
func (ix *Index) export(ctx context.Context, dir string) error {
	r := ix.reader
	n, err := r.DocCount()
	if err != nil {
		return err
	}
	// Bleve's internal document numbers -> bundle document numbers.
	internal := map[string]int{}
	dr, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	for {
		id, err := dr.Next()
		if err != nil {
			dr.Close()
			return err
		}
		if id == nil {
			break
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			dr.Close()
			return err
		}
		if d, ok := ix.byID[ext]; ok {
			internal[string(id)] = d
		}
	}
	dr.Close()

	terms := map[string]*termEntry{}
	for fi, f := range allFields {
		if err := ctx.Err(); err != nil {
			return err
		}
		fd, err := r.FieldDict(f.name)
		if err != nil {
			return err
		}
		var list []string
		for {
			e, err := fd.Next()
			if err != nil {
				fd.Close()
				return err
			}
			if e == nil {
				break
			}
			list = append(list, e.Term)
		}
		fd.Close()
		for _, t := range list {
			tf, err := ix.readPostings(ctx, internal, f.name, t)
			if err != nil {
				return err
			}
			if len(tf) == 0 {
				continue
			}
			e := terms[t]
			if e == nil {
				e = &termEntry{term: t, key: Fold(t)}
				terms[t] = e
			}
			e.fields = append(e.fields, termField{field: fi, postings: tf})
		}
	}
	entries := make([]*termEntry, 0, len(terms))
	for _, e := range terms {
		for _, tf := range e.fields {
			e.size += len(e.term) + 8 + 9*len(tf.postings)
		}
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].key != entries[j].key {
			return entries[i].key < entries[j].key
		}
		return entries[i].term < entries[j].term
	})

	w := &bundleWriter{dir: dir, files: map[string][]byte{}}
	stop, err := stopWordsEn()
	if err != nil {
		return err
	}
	meta := bundleMeta{
		V: SchemaVersion, N: n, Stop: stop, NumDocs: len(ix.docs),
		Terms: map[string]string{}, Pos: map[string]string{}, Lex: map[string]string{},
		K: map[string]any{
			"prefixBoost": boostPrefix, "fuzzyBoost": boostFuzzy, "minPrefix": minPrefixRunes,
			"fuzzyPrefix": fuzzyPrefix, "accentedTwin": boostAccentedTwin, "maxRunes": maxQueryRunes, "maxClauses": maxClauses,
		},
		Analyzer: map[string]string{analyzerVi: "vi", analyzerViFold: "vif", analyzerEn: "en"},
	}
	for _, f := range allFields {
		flags := 0
		if f.expand {
			flags |= 1
		}
		if f.twin {
			flags |= 2
		}
		meta.Fields = append(meta.Fields, []any{f.name, f.lang, meta.Analyzer[f.analyzer], f.boost, flags})
	}

	// Term and position shards.
	var shards [][]*termEntry
	var keys []string
	var split func(prefix string, es []*termEntry, depth int)
	split = func(prefix string, es []*termEntry, depth int) {
		total := 0
		for _, e := range es {
			total += e.size
		}
		if depth > 0 && (total <= shardTarget || depth >= maxKeyRunes) {
			keys = append(keys, prefix)
			shards = append(shards, es)
			return
		}
		var here []*termEntry
		for i := 0; i < len(es); {
			e := es[i]
			if e.key == prefix {
				here = append(here, e)
				i++
				continue
			}
			r, _ := utf8.DecodeRuneInString(e.key[len(prefix):])
			next := prefix + string(r)
			j := i
			for j < len(es) && strings.HasPrefix(es[j].key, next) {
				j++
			}
			split(next, es[i:j], depth+1)
			i = j
		}
		if len(here) > 0 {
			keys = append(keys, prefix)
			shards = append(shards, here)
		}
	}
	split("", entries, 0)
	for i, es := range shards {
		tdata := map[string][]any{}
		pdata := map[string][]any{}
		for _, e := range es {
			var tl, pl []any
			for _, tf := range e.fields {
				post := make([]int, 0, 3*len(tf.postings))
				pos := make([][]int, 0, len(tf.postings))
				prev := 0
				for _, p := range tf.postings {
					post = append(post, p.doc-prev, p.freq, p.length)
					prev = p.doc
					pos = append(pos, deltas(p.pos))
				}
				tl = append(tl, []any{tf.field, post})
				pl = append(pl, []any{tf.field, pos})
			}
			tdata[e.term] = tl
			pdata[e.term] = pl
		}
		name, err := w.add("t", tdata)
		if err != nil {
			return err
		}
		meta.Terms[keys[i]] = name
		if name, err = w.add("p", pdata); err != nil {
			return err
		}
		meta.Pos[keys[i]] = name
	}

	// Lexicon of the folded fields, by first letter.
	lex := map[string]map[string]int{}
	for _, e := range entries {
		mask := 0
		for _, tf := range e.fields {
			if allFields[tf.field].expand {
				mask |= 1 << tf.field
			}
		}
		if mask == 0 {
			continue
		}
		r, _ := utf8.DecodeRuneInString(e.term)
		k := string(r)
		if lex[k] == nil {
			lex[k] = map[string]int{}
		}
		lex[k][e.term] = mask
	}
	for k, m := range lex {
		name, err := w.add("l", m)
		if err != nil {
			return err
		}
		meta.Lex[k] = name
	}

	// Documents, pages and classes.
	cls := map[string]int{}
	var chunk [][]string
	size, first := 0, 0
	flush := func(next int) error {
		if len(chunk) == 0 {
			return nil
		}
		name, err := w.add("d", chunk)
		if err != nil {
			return err
		}
		meta.Docs = append(meta.Docs, []any{first, name})
		chunk, size, first = nil, 0, next
		return nil
	}
	prevPage, prevStart := "", 0
	for i, d := range ix.docs {
		if i == 0 || d.PageURL != prevPage {
			meta.Pages = append(meta.Pages, i-prevStart)
			prevPage, prevStart = d.PageURL, i
			c := d.Lang + "\x00" + d.Kind + "\x00" + d.Code
			ci, ok := cls[c]
			if !ok {
				ci = len(meta.Classes)
				cls[c] = ci
				meta.Classes = append(meta.Classes, []string{d.Lang, d.Kind, d.Code})
			}
			meta.PageCls = append(meta.PageCls, ci)
		}
		chunk = append(chunk, []string{d.URL, d.Title, d.PageURL, d.PageTitle, d.Body})
		size += len(d.URL) + len(d.Title) + len(d.PageURL) + len(d.PageTitle) + len(d.Body)
		if size >= docsTarget {
			if err := flush(i + 1); err != nil {
				return err
			}
		}
	}
	if err := flush(len(ix.docs)); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(meta); err != nil {
		return err
	}
	w.files["index.js"] = []byte("loaSearch.add(\"index\"," + strings.TrimRight(buf.String(), "\n") + ");\n")
	return w.write()
}

func deltas(p []int) []int {
	rv := make([]int, len(p))
	prev := 0
	for i, x := range p {
		rv[i] = x - prev
		prev = x
	}
	return rv
}

// readPostings reads one term's postings in document order. It checks that
// every norm is float32(1/sqrt(length)) for a whole length, so the client can
// recompute it exactly from the length it is given.
func (ix *Index) readPostings(ctx context.Context, internal map[string]int, field, term string) ([]posting, error) {
	tfr, err := ix.reader.TermFieldReader(ctx, []byte(term), field, true, true, true)
	if err != nil {
		return nil, err
	}
	defer tfr.Close()
	var rv []posting
	var tfd index.TermFieldDoc
	for {
		m, err := tfr.Next(&tfd)
		if err != nil {
			return nil, err
		}
		if m == nil {
			break
		}
		d, ok := internal[string(m.ID)]
		if !ok {
			continue
		}
		length := int(math.Round(1 / (m.Norm * m.Norm)))
		if float64(float32(1/math.Sqrt(float64(length)))) != m.Norm {
			return nil, fmt.Errorf("search: export %s:%s: norm %v is not float32(1/sqrt(n))", field, term, m.Norm)
		}
		p := posting{doc: d, freq: int(m.Freq), length: length}
		for _, v := range m.Vectors {
			p.pos = append(p.pos, int(v.Pos))
		}
		sort.Ints(p.pos)
		rv = append(rv, p)
		tfd = index.TermFieldDoc{}
	}
	sort.Slice(rv, func(i, j int) bool { return rv[i].doc < rv[j].doc })
	return rv, nil
}
