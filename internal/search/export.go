package search

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"loa/internal/output"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// The static bundle. Every file is a script that calls
// loaSearch.add(name, data), so that the client can load it with a <script>
// element, which works from file:// where fetch does not. The entry point
// index.js has a fixed name; every other file is named <kind>.<hash>.js,
// where hash is a hash of that file's own content, and the file that refers
// to it holds that name (a term chunk's t and p files share one hash, of both
// contents): index.js names the term chunks, the lexicons, the
// metadata chunks and the class runs; a metadata chunk names its body chunks.
// So a cache can never serve a mix of two builds, and an edit renames only
// the files whose content changed, which is what a publish after a one-line
// edit copies. Chunk boundaries depend only on the terms (termChunks) and on
// document numbers, never on the lengths of other documents, so they do not
// move when one page changes.
//
// A query needs index.js, then the term chunks of its words (their names are
// in index.js, so one round), then the metadata of its first hits (one more).
//
//	index.js   loaSearch.add("index", meta): schema number, document count,
//	           fields and boosts, stop words, the term chunks (first key and
//	           files), the lexicon of each first letter, the metadata chunks,
//	           the class runs, the classes.
//	t.*        postings of a run of terms in folded-key order: per term and
//	           field docDelta, freq, fieldLength, ... in document order,
//	           written by appendNums as one string; a list of lenInline
//	           documents or more is "~" then docDelta, freq, ... (the lengths
//	           are in the n files); or a reference [field, field2, term2] to
//	           an equal list earlier in the file (sameAs).
//	p.*        positions for the same terms, loaded only by phrase queries: per
//	           posting the count, then the position deltas (appendNums);
//	           references as in t.
//	l.*        lexicon of one first letter: "t" maps the terms of the expanding
//	           fields to a field bit mask; loaded only to correct typos.
//	m.*        per metaChunk documents: "p" the pages [url, title], "d" the
//	           documents [url or #fragment, title, page, class, body file, body index].
//	d.*        document bodies (plain text for snippets), bodyDocs documents per chunk.
//	c.*        class runs [firstDoc, class, ...], loaded only to filter by kind or convention.
//	n.*        the length table (lengths.go): the field lengths of a shard
//	           of documents, loaded by queries of the words whose lists are
//	           "~" lists.
const (
	bodyDocs  = 4  // documents per body chunk (by number, so chunks do not move)
	metaChunk = 16 // documents per metadata chunk, doubled until there are at most maxMetaFiles
	// maxMetaFiles bounds the metadata files, whose names index.js lists.
	maxMetaFiles = 2000
)

type posting struct {
	doc, freq, length int
	pos               []int
}

// lengthStats sums every document's length in tokens, per field, from the
// lengths the postings carry (lengths[field][doc], 0 where the document has
// no posting in the field). Passed to Bleve as the BM25 "field cardinality",
// it makes the average length ceil(total tokens / documents): the mean field
// length, which does not depend on how Bleve happened to split and merge its
// segments. Bleve's own cardinality (the sum of each segment's distinct
// terms) does, so a change of batch size would reorder results.
func lengthStats(n uint64, lengths [][]int32) bm25Stats {
	st := bm25Stats{N: n, Card: map[string]int{}}
	for fi, ls := range lengths {
		total := 0
		for _, l := range ls {
			total += int(l)
		}
		st.Card[allFields[fi].name] = total
	}
	return st
}

type termEntry struct {
	term   string
	key    string // Fold(term)
	fields []int  // the fields that hold the term, ascending
	size   int
}

// newTermEntry returns the entry of term in fields. Its size, which chunk
// boundaries depend on, is the size of its keys in a chunk as if each field
// held one posting: a function of the term and its fields alone, so that an
// updated index (Index.Update) cuts its chunks where a fresh one does.
// Bleve's dictionaries cannot give the document counts instead: the
// iterator of zapx v16.3.4 (DictionaryIterator.Next) reuses one
// PostingsList whose read() does not clear the mark of a one-document
// list, so after the first such term every count it reports is 1.
func newTermEntry(term string, fields []int) *termEntry {
	return &termEntry{term: term, key: Fold(term), fields: fields, size: len(fields) * (len(term) + 8 + 9)}
}

// bundleMeta is index.js.
type bundleMeta struct {
	V          int               `json:"v"`
	N          uint64            `json:"n"`      // Bleve's document count (for idf)
	AvgDL      []float64         `json:"dl"`     // per field: BM25's average length (0: the field is scored with TF-IDF)
	NumDocs    int               `json:"nd"`     // documents in the bundle
	Fields     []fieldMeta       `json:"fields"` // the fields, in the order postings refer to them
	K          map[string]any    `json:"k"`      // constants of the query plan
	Stop       []string          `json:"stop"`
	Fill       []string          `json:"fill"` // Vietnamese filler words (filler.go): not searched as words
	Lex        map[string]string `json:"lex"`  // first letter -> lexicon file hash
	MetaChunk  int               `json:"mc"`
	Metas      []string          `json:"mh"`           // metadata chunk i -> its file hash
	ClassRuns  string            `json:"ch"`           // the class-runs file hash
	Chunks     []string          `json:"tk,omitempty"` // the term dictionary of at most groupFrom chunks: first folded key of each term chunk, ascending
	ChunkFiles []string          `json:"tf,omitempty"` // term chunk i -> the hash of t.<hash>.js and p.<hash>.js ("-<hash>": no p file)
	GroupKeys  []string          `json:"gk,omitempty"` // or, past groupFrom chunks, first folded key of each group of chunkGroup term chunks, ascending
	Groups     []string          `json:"gf,omitempty"` // group i -> the hash of its g file (termGroup)
	Classes    [][]string        `json:"cls"`          // [lang, kind, code]
	Analyzer   map[string]string `json:"an"`           // analyzer -> "vi" | "vif" | "en"
	Synonyms   []SynonymRule     `json:"syn"`          // the synonym rules (data/synonyms.yaml)
	Weights    weightRuns        `json:"wt"`           // runs of documents whose score is multiplied by a weight (Doc.Weight; others 1)
	LenShard   int               `json:"ls"`           // documents per shard of the length table (lengths.go)
	LenFiles   []string          `json:"lf"`           // shard i -> the hash of its n file
	LenGroups  [][]int           `json:"lg"`           // group -> the columns of the length table its documents have
}

// A term dictionary of more than groupFrom chunks is in groups of
// chunkGroup chunks, each a g file, and index.js names the groups: on the
// generated 10,000-page site the 1,312 chunks' hashes and first keys were
// 15.6 KB of the 40 KB (gzip) of index.js, which every first query loads; a
// group is about 0.9 KB (gzip), one more file and round per query. A smaller
// dictionary (this site's, about 400 chunks) stays in index.js, where a query
// typed letter by letter on a phone finds every chunk at once. Variables so
// that a test can group a small bundle.
var (
	groupFrom  = 1024
	chunkGroup = 64
)

// termGroup is a g file: the first folded key of each of its term chunks,
// ascending, and the chunk's hash: a dictionary of at most groupFrom
// chunks is the same two lists in index.js (tk, tf).
type termGroup struct {
	Keys  []string `json:"k"`
	Files []string `json:"f"` // the hash of t.<hash>.js and p.<hash>.js ("-<hash>": no p file)
}

// fieldMeta describes one field to the client.
type fieldMeta struct {
	Name     string  `json:"name"`
	Lang     string  `json:"lang"`
	Analyzer string  `json:"an"`    // "vi", "vif", "en", "vi2", "vif2", "en2"
	Boost    float64 `json:"boost"` // query boost
	Flags    int     `json:"flags"` // 1 expand (typos, prefixes), 2 folded twin, 4 bigram, 8 keywords
	Len      [2]int  `json:"ln"`    // its length: [column of the length table, offset to add] (lengths.go)
}

// weightRuns are the documents whose weight is not 1, as runs: "w" the
// distinct weights, "r" per run the gap from the end of the previous run
// (from document 0 for the first), the run's length less one and the index of
// its weight in w, written by appendNums. A site of split pages, where every
// page's first document weighs 0.4, repeats the same three digits, which gzip
// shrinks to almost nothing.
type weightRuns struct {
	W []float64 `json:"w"`
	R string    `json:"r"`
}

func newWeightRuns(docs []Doc) weightRuns {
	rv := weightRuns{W: []float64{}}
	index := map[float64]int{}
	var r []byte
	end := 0 // one past the last document of the previous run
	for i := 0; i < len(docs); {
		w := docs[i].weight()
		if w == 1 {
			i++
			continue
		}
		j := i + 1
		for j < len(docs) && docs[j].weight() == w {
			j++
		}
		wi, ok := index[w]
		if !ok {
			wi = len(rv.W)
			index[w] = wi
			rv.W = append(rv.W, w)
		}
		r = appendNums(r, i-end, j-i-1, wi)
		end, i = j, j
	}
	rv.R = string(r)
	return rv
}

// bundleWriter collects the files of the bundle, each named by its own
// content hash.
type bundleWriter struct {
	dir   string
	prev  string // the previous bundle's folder, whose files with the same content are linked ("": none)
	files output.Files
	// inPlace: dir is prev, the bundle this Index wrote last (reuse.trusted):
	// a file of the same name is kept unread (names are content hashes), new
	// ones are written, index.js replaced, and the files the new bundle does
	// not name removed at the end.
	inPlace bool
	mu      sync.Mutex
	names   map[string]bool // inPlace: the file names of the new bundle so far
	unread  int             // inPlace: files kept without being read
}

// keep notes the previous bundle's file name+".js" as part of the new one,
// kept as it is (inPlace).
func (w *bundleWriter) keep(name string) {
	w.mu.Lock()
	if !w.names[name+".js"] {
		w.names[name+".js"] = true
		w.unread++
	}
	w.mu.Unlock()
}

// add encodes data as the file of kind ("t", "l", …) and returns the hash
// that names it: the file is <kind>.<hash>.js and calls
// loaSearch.add("<kind>.<hash>", data). kind "index" is index.js.
func (w *bundleWriter) add(kind string, data any) (string, error) {
	payload, err := encode(data)
	if err != nil {
		return "", err
	}
	if kind == "index" {
		w.put("index", payload)
		return "", nil
	}
	hash := contentHash(payload)
	w.put(kind+"."+hash, payload)
	return hash, nil
}

// writePair writes the t and p files of one term chunk into w.dir at once,
// under one hash, of both contents, so index.js names the pair with one
// hash; a chunk without positions (bigram terms only) has no p file and its
// hash starts with "-". verified says that c was just read from the
// previous bundle's files of that name and checked against it (reuse.load),
// so they are linked without being read again. It is safe for concurrent
// use.
func (w *bundleWriter) writePair(c encodedChunk, verified bool) (string, error) {
	hash := contentHash(c.t, []byte{0}, c.p)
	if err := w.writeFile("t."+hash, c.t, verified); err != nil {
		return "", err
	}
	if c.p == nil {
		return "-" + hash, nil
	}
	return hash, w.writeFile("p."+hash, c.p, verified)
}

// writeFile writes the bundle file name+".js" into w.dir: a link to the
// previous bundle's file when that holds the same (known when verified,
// else read and compared), else a new file.
func (w *bundleWriter) writeFile(name string, payload []byte, verified bool) error {
	if w.inPlace {
		w.mu.Lock()
		w.names[name+".js"] = true
		w.mu.Unlock()
		dst := filepath.Join(w.dir, name+".js")
		if _, err := os.Lstat(dst); err == nil {
			return nil // the same name, so the same content
		}
		return os.WriteFile(dst, bundleFile(name, payload), 0o644)
	}
	dst, prev := filepath.Join(w.dir, name+".js"), ""
	if w.prev != "" {
		prev = filepath.Join(w.prev, name+".js")
	}
	if verified && prev != "" && os.Link(prev, dst) == nil {
		return nil
	}
	_, err := output.LinkOrWrite(dst, bundleFile(name, payload), prev)
	return err
}

func encode(data any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(data); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// contentHash is the first 48 bits of the SHA-256 of parts, in hex.
func contentHash(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil)[:6])
}

// put stores the file name+".js" that calls loaSearch.add(name, payload).
func (w *bundleWriter) put(name string, payload []byte) {
	w.files[name+".js"] = bundleFile(name, payload)
}

// bundleFile is the content of the bundle file name+".js".
func bundleFile(name string, payload []byte) []byte {
	var out bytes.Buffer
	out.WriteString(bundleHead(name))
	out.Write(payload)
	out.WriteString(bundleTail)
	return out.Bytes()
}

// A bundle file is bundleHead(name), its payload, then bundleTail.
func bundleHead(name string) string { return fmt.Sprintf("loaSearch.add(%q,", name) }

const bundleTail = ");\n"

// write writes the files into w.dir like the rest of the output: a few
// goroutines, since thousands of small files are bound by system calls.
func (w *bundleWriter) write(ctx context.Context) error {
	if w.inPlace {
		return w.writeInPlace()
	}
	return output.WriteTreeFrom(ctx, w.dir, w.files, w.prev)
}

// writeInPlace finishes an update in place: the files of w.files not in
// w.dir yet are written, index.js is replaced (written beside it and
// renamed), and every other file of w.dir that the new bundle does not name
// is removed.
func (w *bundleWriter) writeInPlace() error {
	keep := w.names
	for name, b := range w.files {
		keep[name] = true
		dst := filepath.Join(w.dir, name)
		if name == "index.js" {
			tmp := dst + ".tmp"
			if err := os.WriteFile(tmp, b, 0o644); err != nil {
				return err
			}
			if err := os.Rename(tmp, dst); err != nil {
				return err
			}
			continue
		}
		if _, err := os.Lstat(dst); err == nil {
			continue
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return err
		}
	}
	ents, err := os.ReadDir(w.dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !keep[e.Name()] {
			if err := os.Remove(filepath.Join(w.dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// internalIDs maps Bleve's internal document numbers (as strings) to bundle
// document numbers.
func (ix *Index) internalIDs() (map[string]int, error) {
	r := ix.reader
	internal := map[string]int{}
	dr, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	defer dr.Close()
	for {
		id, err := dr.Next()
		if err != nil {
			return nil, err
		}
		if id == nil {
			return internal, nil
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			return nil, err
		}
		if d, ok := ix.byID[ext]; ok {
			internal[string(id)] = d
		}
	}
}

// export writes the static bundle from the index's current snapshot and
// returns what the next export needs to reuse its work (Index.Update).
func (ix *Index) export(ctx context.Context, dir string) (*exportCache, error) {
	internal, err := ix.internalIDs()
	if err != nil {
		return nil, err
	}

	// The terms of every field, from Bleve's dictionaries; postings are read
	// chunk by chunk below, so the whole index is never in memory at once.
	terms := map[string][]int{}
	for fi, f := range allFields {
		err := eachTerm(ix.reader, f.name, func(term string) { terms[term] = append(terms[term], fi) })
		if err != nil {
			return nil, err
		}
	}
	entries := make([]*termEntry, 0, len(terms))
	for t, fields := range terms {
		entries = append(entries, newTermEntry(t, fields))
	}
	sortEntries(entries)
	return ix.writeBundle(ctx, dir, internal, entries, nil)
}

// eachTerm calls fn with every term of field in r's dictionary, in order.
func eachTerm(r index.IndexReader, field string, fn func(term string)) error {
	fd, err := r.FieldDict(field)
	if err != nil {
		return err
	}
	defer fd.Close()
	for {
		de, err := fd.Next()
		if err != nil || de == nil {
			return err
		}
		fn(de.Term)
	}
}

// sortEntries sorts entries by (folded key, term), the order of chunks.
func sortEntries(entries []*termEntry) {
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].key != entries[j].key {
			return entries[i].key < entries[j].key
		}
		return entries[i].term < entries[j].term
	})
}

// writeBundle writes the bundle of entries (sorted by sortEntries) into dir.
// With ru, the term chunks that hold none of ru's affected terms and that
// the previous export wrote with the same terms are linked from its files
// (after checking their hash) instead of being read from the index again;
// ru.lengths are the field lengths of the documents whose postings are not
// read again.
func (ix *Index) writeBundle(ctx context.Context, dir string, internal map[string]int, entries []*termEntry, ru *reuse) (*exportCache, error) {
	n := ix.bm25.N
	chunks := termChunks(entries)
	lengths := make([][]int32, len(allFields))
	for fi := range lengths {
		lengths[fi] = make([]int32, len(ix.docs))
		if ru != nil {
			copy(lengths[fi], ru.lengths[fi])
		}
	}
	// The term chunks, the bulk of the bundle, are written as they come
	// (writePair), so the bundle is never all in memory.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	w := &bundleWriter{dir: dir, files: output.Files{}}
	if ru != nil {
		w.prev = ru.dir
		w.inPlace = ru.trusted
		w.names = map[string]bool{}
	}
	hashes := make([]string, len(chunks)) // term chunk -> the hash of its files
	keys := make([]string, len(chunks))
	var todo []int
	for i, c := range chunks {
		keys[i] = chunkKey(c)
		if h := ru.trustedChunk(c, keys[i]); h != "" {
			hashes[i] = h
			w.keep("t." + strings.TrimPrefix(h, "-"))
			if h[0] != '-' {
				w.keep("p." + h)
			}
			continue
		}
		var prev encodedChunk
		if ru == nil || !ru.load(c, keys[i], &prev) {
			todo = append(todo, i)
			continue
		}
		var err error
		if hashes[i], err = w.writePair(prev, true); err != nil {
			return nil, err
		}
	}
	err := ix.encodeChunks(ctx, internal, chunks, todo, func(i int, c encodedChunk) (err error) {
		hashes[i], err = w.writePair(c, false)
		return err
	}, lengths, ru)
	if err != nil {
		return nil, err
	}
	ix.encoded, ix.chunks = len(todo), len(chunks)
	ix.bm25 = lengthStats(n, lengths)
	lt := newLengthTable(lengths)
	cache := &exportCache{Chunks: make(map[string]string, len(chunks)), Lengths: lengths, Hashes: hashes}
	for _, c := range chunks {
		cache.Ends = append(cache.Ends, len(c))
		if n := len(cache.Ends); n > 1 {
			cache.Ends[n-1] += cache.Ends[n-2]
		}
	}
	for _, e := range entries {
		cache.Terms = append(cache.Terms, cachedTerm{Term: e.term, Fields: e.fields})
	}

	stop, err := stopWordsEn()
	if err != nil {
		return nil, err
	}
	meta := &bundleMeta{
		V: SchemaVersion, N: n, Stop: stop, NumDocs: len(ix.docs), MetaChunk: metaChunkFor(len(ix.docs)), Lex: map[string]string{},
		K: map[string]any{
			"prefixBoost": boostPrefix, "fuzzyBoost": boostFuzzy, "minPrefix": minPrefixRunes,
			"synonym": boostSynonym, "fuzzyPrefix": fuzzyPrefix, "k1": bsearch.BM25_k1, "b": bsearch.BM25_b, "accentedTwin": boostAccentedTwin, "article": boostArticle, "maxRunes": maxQueryRunes, "maxClauses": maxClauses,
		},
		Fill: fillerWords,
		Analyzer: map[string]string{analyzerVi: "vi", analyzerViFold: "vif", analyzerEn: "en",
			analyzerVi2: "vi2", analyzerViFold2: "vif2", analyzerEn2: "en2"},
	}
	meta.Synonyms = ix.syn.Rules
	if meta.Synonyms == nil {
		meta.Synonyms = []SynonymRule{}
	}
	meta.Weights = newWeightRuns(ix.docs)
	for fi, f := range allFields {
		flags := 0
		if f.expand {
			flags |= 1
		}
		if f.twin {
			flags |= 2
		}
		if f.bigram {
			flags |= 4
		}
		if f.part == "ref" {
			flags |= 8
		}
		meta.Fields = append(meta.Fields, fieldMeta{f.name, f.lang, meta.Analyzer[f.analyzer], f.boost, flags, lt.ln[fi]})
		meta.AvgDL = append(meta.AvgDL, ix.bm25.avgDL(f.name))
	}

	// The length table.
	meta.LenShard, meta.LenGroups = lt.shard, lt.groups
	for d := 0; d < len(ix.docs); d += lt.shard {
		h, err := w.add("n", lt.rows(lengths, d))
		if err != nil {
			return nil, err
		}
		meta.LenFiles = append(meta.LenFiles, h)
	}

	// Term and position chunks: runs of entries in (folded key, term) order,
	// named in the term dictionary: in index.js, or past groupFrom chunks in
	// groups of chunkGroup chunks, each a g file, which index.js names.
	for i, c := range chunks {
		cache.Chunks[keys[i]] = hashes[i]
		if len(chunks) <= groupFrom {
			meta.Chunks = append(meta.Chunks, c[0].key)
			meta.ChunkFiles = append(meta.ChunkFiles, hashes[i])
		}
	}
	for g := 0; len(chunks) > groupFrom && g < len(chunks); g += chunkGroup {
		var tg termGroup
		for i := g; i < min(g+chunkGroup, len(chunks)); i++ {
			tg.Keys = append(tg.Keys, chunks[i][0].key)
			tg.Files = append(tg.Files, hashes[i])
		}
		h, err := w.add("g", tg)
		if err != nil {
			return nil, err
		}
		meta.GroupKeys = append(meta.GroupKeys, tg.Keys[0])
		meta.Groups = append(meta.Groups, h)
	}
	// Lexicon of the expanding fields, by first letter: only typo
	// corrections need it (prefixes are found in the term chunks).
	lex := map[string]map[string]int{}
	for _, e := range entries {
		mask := 0
		for _, fi := range e.fields {
			if allFields[fi].expand {
				mask |= 1 << fi
			}
		}
		if mask != 0 {
			r, _ := utf8.DecodeRuneInString(e.term)
			k := string(r)
			if lex[k] == nil {
				lex[k] = map[string]int{}
			}
			lex[k][e.term] = mask
		}
	}
	letters := make([]string, 0, len(lex))
	for k := range lex {
		letters = append(letters, k)
	}
	sort.Strings(letters)
	for _, k := range letters {
		h, err := w.add("l", map[string]any{"t": lex[k]})
		if err != nil {
			return nil, err
		}
		meta.Lex[k] = h
	}

	// Documents: bodies and metadata in chunks by document number, class
	// runs. An update reuses the chunks of documents it did not change
	// (reuse.docFile) instead of encoding them again.
	cls := map[string]int{}
	var runs []int
	classOf := make([]int, len(ix.docs))
	for i, d := range ix.docs {
		c := d.Lang + "\x00" + d.Kind + "\x00" + d.Code
		ci, ok := cls[c]
		if !ok {
			ci = len(meta.Classes)
			cls[c] = ci
			meta.Classes = append(meta.Classes, []string{d.Lang, d.Kind, d.Code})
		}
		classOf[i] = ci
		if len(runs) == 0 || runs[len(runs)-1] != ci {
			runs = append(runs, i, ci)
		}
	}
	cache.Classes = meta.Classes
	sameClasses := ru != nil && reflect.DeepEqual(ru.prev.Classes, meta.Classes)
	var metas [][]any
	var pages [][2]string
	pageIdx := map[string]int{}
	var bodyHash string
	metaHash := ""
	for i, d := range ix.docs {
		if i%bodyDocs == 0 {
			c := i / bodyDocs
			if ru != nil {
				bodyHash = ru.docFile(w, "d", c, i, i+bodyDocs, sameClasses)
			}
			if ru == nil || bodyHash == "" {
				var bodies []string
				for _, b := range ix.docs[i:min(i+bodyDocs, len(ix.docs))] {
					bodies = append(bodies, b.Body)
				}
				h, err := w.add("d", bodies)
				if err != nil {
					return nil, err
				}
				bodyHash = h
			}
			cache.Bodies = append(cache.Bodies, bodyHash)
		}
		if i%meta.MetaChunk == 0 {
			metaHash = ""
			if ru != nil {
				metaHash = ru.docFile(w, "m", i/meta.MetaChunk, i, i+meta.MetaChunk, sameClasses)
			}
		}
		if metaHash != "" {
			if (i+1)%meta.MetaChunk == 0 || i == len(ix.docs)-1 {
				meta.Metas = append(meta.Metas, metaHash)
				cache.Metas = append(cache.Metas, metaHash)
			}
			continue
		}
		ci := classOf[i]
		url := d.URL
		if strings.HasPrefix(url, d.PageURL+"#") {
			url = url[len(d.PageURL):]
		}
		pk := d.PageURL + "\x00" + d.PageTitle
		pi, ok := pageIdx[pk]
		if !ok {
			pi = len(pages)
			pageIdx[pk] = pi
			pages = append(pages, [2]string{d.PageURL, d.PageTitle})
		}
		metas = append(metas, []any{url, d.Title, pi, ci, bodyHash, i % bodyDocs})
		if len(metas) == meta.MetaChunk || i == len(ix.docs)-1 {
			h, err := w.add("m", map[string]any{"p": pages, "d": metas})
			if err != nil {
				return nil, err
			}
			meta.Metas = append(meta.Metas, h)
			cache.Metas = append(cache.Metas, h)
			metas, pages, pageIdx = nil, nil, map[string]int{}
		}
	}
	h, err := w.add("c", runs)
	if err != nil {
		return nil, err
	}
	meta.ClassRuns = h
	if _, err := w.add("index", meta); err != nil {
		return nil, err
	}
	if err := w.write(ctx); err != nil {
		return nil, err
	}
	ix.exported, ix.unread = dir, w.unread
	return cache, nil
}

// Term chunk sizes, in estimated raw bytes of postings (termEntry.size).
// Chunks end only between two first words of keys (so the pairs of the
// bigram fields, "tre em", stay with "tre"), unless a word's run passes
// chunkHard, or its pairs together pass pairSplit: then they start a chunk
// of their own, so that a query of the word alone (or its prefix: a chunk
// of pairs has no positions, and the client skips it) does not load them.
// On the generated 1,000-page site that made the median first query of the
// ten queries of bench-peers 12% lighter (79.6 instead of 90.4 KB gzip),
// the phrase "bảo vệ trẻ em" 38% (152 instead of 243 KB), the rare word
// 19% heavier (22.8 KB: index.js lists 610 chunks instead of 337), with at
// most 6 chunk files per query; on this repository's site six typical
// queries ("quyen tre em", "bao luc gia dinh", "tra tan", "dieu 28",
// "torture", "lao dong tre em") were from 11% lighter to 8% heavier, with 9 chunk
// files at most instead of 6 (a threshold of 2 KiB: 85.0 KB on the 1,000
// pages; 4 KiB: 91.1 KB). After a word's run, a chunk ends with probability run
// size/chunkAvg once it holds chunkMin, and always once it holds chunkMax: a
// content-defined boundary in the manner of rsync's and restic's chunkers,
// decided by a hash of the word itself, so an edit moves only the boundaries
// next to the terms it changes. Chosen on the ten queries of the phone
// benchmark (bench/search-phone.sh) on this repository's site, with sizes
// counted by newTermEntry: at most 6 chunk files per query (a browser's
// connections to one host over HTTP/1.1), 4.1 on average, 28.3 KB gzip for
// all the files of a first query and its first ten hits, with index.js
// 6.1 KB gzip (4 KiB chunks: 7 files at most; 6 KiB: 7 files).
const (
	maxChunks = 2000
	chunkMin  = 1 << 10
	chunkAvg  = 5 << 10
	chunkMax  = 5 << 10
	chunkHard = 10 << 10
	pairSplit = chunkMin
)

// metaChunkFor is the number of documents per metadata chunk for a bundle of
// n documents: metaChunk, doubled while there would be more than
// maxMetaFiles chunks (so a 10,000-page site's index.js does not list
// thousands of names).
func metaChunkFor(n int) int {
	c := metaChunk
	for (n+c-1)/c > maxMetaFiles {
		c *= 2
	}
	return c
}

// termChunks cuts entries, sorted by (key, term), into chunks. Entries with
// the same folded key stay in one chunk, so the chunk of a term is the last
// one whose first key is not after the term's key.
func termChunks(entries []*termEntry) [][]*termEntry {
	// A large site gets larger chunks, so that the directory in index.js
	// stays under about maxChunks entries (about 25 KB gzip): every size is
	// multiplied by a power of two (one, unless the postings pass
	// maxChunks*chunkAvg), so that an edit rarely changes it. Measured on
	// the generated 1,000-page site (bench/gensite), doubling the sizes (525
	// chunks instead of 755) made the median first query 12% heavier (116
	// instead of 104 KB gzip): index.js is smaller but every word loads a
	// larger chunk; so the sizes grow only where the directory would.
	total := 0
	for _, e := range entries {
		total += e.size
	}
	f := 1
	for total > maxChunks*chunkAvg*f {
		f *= 2
	}
	lo, avg, hi, hard := chunkMin*f, uint64(chunkAvg*f), chunkMax*f, chunkHard*f
	// pairs[i]: the size of the run of pairs ("tre em", "tre nho", …) that
	// starts at entries[i], all of one first word.
	pairs := make([]int, len(entries)+1)
	for i := len(entries) - 1; i >= 0; i-- {
		if k := entries[i].key; strings.IndexByte(k, ' ') >= 0 {
			pairs[i] = entries[i].size
			if i+1 < len(entries) && strings.IndexByte(entries[i+1].key, ' ') >= 0 && firstWord(entries[i+1].key) == firstWord(k) {
				pairs[i] += pairs[i+1]
			}
		}
	}
	var out [][]*termEntry
	start, size, run := 0, 0, 0
	for i, e := range entries {
		size += e.size
		run += e.size
		var cut bool
		switch {
		case i+1 == len(entries):
			cut = true
		case entries[i+1].key == e.key:
			continue
		case size >= hard:
			cut = true
		case strings.IndexByte(e.key, ' ') < 0 && pairs[i+1] >= pairSplit*f:
			// A word with many pairs: its pairs get chunks of their own,
			// so the word alone does not load them.
			cut = true
		case firstWord(entries[i+1].key) == firstWord(e.key):
			continue
		case size >= hi:
			cut = true
		case size >= lo:
			h := fnv.New64a()
			h.Write([]byte(firstWord(e.key)))
			cut = h.Sum64()%avg < uint64(run)
		}
		run = 0
		if cut {
			out = append(out, entries[start:i+1])
			start, size = i+1, 0
		}
	}
	return out
}

// firstWord is key up to its first space.
func firstWord(key string) string {
	if i := strings.IndexByte(key, ' '); i >= 0 {
		return key[:i]
	}
	return key
}

// numAlphabet holds the 64 digits of appendNums, none of which JSON escapes.
const numAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// appendNums appends each number (≥ 0) to dst as a variable-length run of
// base-64 digits, five bits per digit, most significant first: digits 32-63
// carry five bits and say that more follow, a digit 0-31 carries the last
// five. 0-31 take one character, up to 1,023 two, up to 32,767 three. It is
// a compact text form of the varints of Lucene's and Bleve's postings, which
// the client decodes with search-engine.js nums().
func appendNums(dst []byte, nums ...int) []byte {
	for _, v := range nums {
		if v < 0 {
			panic("search: appendNums of a negative number")
		}
		n := 1
		for x := v >> 5; x > 0; x >>= 5 {
			n++
		}
		for i := n - 1; i > 0; i-- {
			dst = append(dst, numAlphabet[32+(v>>(5*i))&31])
		}
		dst = append(dst, numAlphabet[v&31])
	}
	return dst
}

// encodedChunk is the t and p payloads of one term chunk (p nil: no positions).
type encodedChunk struct{ t, p []byte }

// encodeChunks reads the postings of the terms of chunks[i] for each i in
// todo from the index, encodes the chunk's t and p files and hands them to
// emit(i, …), a few chunks at a time (the reader is safe for concurrent use;
// so must emit be). It records the field length of every posting it reads
// in lengths[field][doc]. With ru (an update), the lists of a term ru.lists
// has are taken from there instead (the terms the update did not change,
// whose lengths are in lengths already), and the postings of the other terms
// are spliced from the previous lists when ru.spliced can.
func (ix *Index) encodeChunks(ctx context.Context, internal map[string]int, chunks [][]*termEntry, todo []int, emit func(i int, c encodedChunk) error, lengths [][]int32, ru *reuse) error {
	errs := make([]error, len(chunks))
	var mu sync.Mutex
	one := func(i int) error {
		c := chunks[i]
		tdata := map[string][]any{}
		pdata := map[string][]any{}
		type seen struct{ fi, doc, length int }
		var ls []seen
		// The first list of the chunk with each content: a later equal
		// one is written as a reference to it (sameAs).
		firstT, firstP := map[string][]any{}, map[string][]any{}
		for _, e := range c {
			var tl, pl []any
			prevT, prevP := ru.lists(e.term)
			for _, fi := range e.fields {
				if prevT != nil {
					if post := prevT[fi]; post != "" {
						tl = append(tl, sameAs(firstT, fi, e.term, post))
						if !allFields[fi].bigram {
							pl = append(pl, sameAs(firstP, fi, e.term, prevP[fi]))
						}
					}
					continue
				}
				ps, ok := ru.spliced(fi, e.term)
				if !ok {
					if fi == e.fields[0] {
						ix.termsRead.Add(1)
					}
					var err error
					if ps, err = ix.readPostings(ctx, internal, allFields[fi].name, e.term); err != nil {
						return err
					}
				}
				if len(ps) == 0 {
					continue
				}
				var post, pos []byte
				table := len(ps) >= lenInline // the lengths are in the length table
				if table {
					post = append(post, '~')
				}
				prev := 0
				for _, p := range ps {
					if table {
						post = appendNums(post, p.doc-prev, p.freq)
					} else {
						post = appendNums(post, p.doc-prev, p.freq, p.length)
					}
					prev = p.doc
					pos = appendNums(pos, len(p.pos))
					last := 0
					for _, x := range p.pos {
						pos = appendNums(pos, x-last)
						last = x
					}
					ls = append(ls, seen{fi, p.doc, p.length})
				}
				tl = append(tl, sameAs(firstT, fi, e.term, string(post)))
				if !allFields[fi].bigram {
					pl = append(pl, sameAs(firstP, fi, e.term, string(pos)))
				}
			}
			if len(tl) > 0 {
				tdata[e.term] = tl
			}
			if len(pl) > 0 {
				pdata[e.term] = pl
			}
		}
		tp, err := encode(tdata)
		if err != nil {
			return err
		}
		var pp []byte // none for a chunk of bigram terms
		if len(pdata) > 0 {
			if pp, err = encode(pdata); err != nil {
				return err
			}
		}
		if err := emit(i, encodedChunk{tp, pp}); err != nil {
			return err
		}
		mu.Lock()
		for _, l := range ls {
			lengths[l.fi][l.doc] = int32(l.length)
		}
		mu.Unlock()
		return nil
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if errs[i] = ctx.Err(); errs[i] == nil {
					errs[i] = one(i)
				}
			}
		}()
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// sameAs returns the entry of field fi's list of term in a t or p file:
// [fi, list], or [fi, fj, t] when the chunk already holds the same list as
// field fj's list of term t (first: list -> [fj, t], filled here), and
// that reference is the shorter. The folded twin fields make such repeats
// common: wherever a folded term has one accented form, its postings and
// positions are that form's (a quarter of the raw t bytes of the generated
// 1,000-page site, 15% of their gzip bytes: gzip finds repeats only within
// 32 KB). The client (search-engine.js post) follows the
// reference within the same file.
func sameAs(first map[string][]any, fi int, term, list string) []any {
	if ref, ok := first[list]; ok && len(ref[1].(string))+8 < len(list) {
		return []any{fi, ref[0], ref[1]}
	}
	if _, ok := first[list]; !ok {
		first[list] = []any{fi, term}
	}
	return []any{fi, list}
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
