package search

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// An index kept between builds (the build-state folder's index.bleve, the
// preview's index) is updated instead of rebuilt: Update re-indexes the
// documents whose text changed and exports a bundle that is byte for byte
// the one a fresh BuildWith of the same documents writes, reading postings
// again only for the term chunks that hold a term of a changed document.
// The other chunks' files are linked from the previous bundle, after their
// content hash (their name) is checked, so a bundle edited or damaged by
// hand is never trusted.
//
// The index carries what that needs as internal keys, written in the same
// Bleve batch as the documents they describe: the documents (loa.docs), the
// version of loa that analysed them (loa.version), the site (loa.site) and the previous export's
// term counts, chunk files and field lengths (loa.export, with the hash of
// the documents it was made from). An index whose keys do not match is not
// updated: OpenForUpdate and Update return a *StaleError, and the caller
// builds a fresh index.

const internalExportKey = "loa.export"
const internalVersionKey = "loa.version"
const internalSiteKey = "loa.site"

// exportCache is what an export leaves for the next one (gob-encoded under
// internalExportKey).
type exportCache struct {
	Docs    string            // docsHash of the documents it was exported from
	Terms   []cachedTerm      // every term entry, in sortEntries order
	Chunks  map[string]string // chunkKey of a term chunk -> its file hash in index.js
	Lengths [][]int32         // [field][document]: field length in tokens
	Ends    []int             // term chunk -> the number of Terms up to its end (its last term's index + 1)
	Hashes  []string          // term chunk -> its file hash in index.js
	Bodies  []string          // body chunk -> its d file's hash
	Metas   []string          // metadata chunk -> its m file's hash
	Classes [][]string        // the classes of index.js (cls)
}

// docFile adds the previous bundle's file of kind ("d", "m") that holds
// chunk c of documents [from, to) to w, when no document in that range
// changed and the file holds the content its name promises; it returns its
// hash, "" when the file must be made again. sameClasses says that the
// class numbers the file may hold did not change.
func (ru *reuse) docFile(w *bundleWriter, kind string, c, from, to int, sameClasses bool) string {
	hashes := ru.prev.Bodies
	if kind == "m" {
		hashes = ru.prev.Metas
	}
	if ru.dir == "" || c >= len(hashes) || (kind == "m" && !sameClasses) {
		return ""
	}
	for i := from; i < min(to, len(ru.changed)); i++ {
		if ru.changed[i] {
			return ""
		}
	}
	h := hashes[c]
	if ru.trusted {
		w.keep(kind + "." + h)
		return h
	}
	b, ok := readBundleFile(os.DirFS(ru.dir), kind+"."+h)
	if !ok || contentHash(b) != h {
		return ""
	}
	w.put(kind+"."+h, b) // linked by w.write, with the files made again
	return h
}

type cachedTerm struct {
	Term   string
	Fields []int
}

// reuse is an export's view of the previous one.
type reuse struct {
	prev     *exportCache
	affected map[string]bool // terms whose postings changed
	dir      string          // the previous bundle's folder ("": none)
	lengths  [][]int32       // field lengths: the previous ones, changed documents' new ones
	changed  []bool          // document -> whether the update changed it
	// trusted says that the update writes into dir itself, the bundle this
	// Index wrote last (Index.Wrote: in this process, the preview's own
	// temporary folder), so its files are kept by name without being read;
	// the files of any other folder (public/, which people may edit) are
	// read and checked.
	trusted bool

	// fresh holds, per field and term, the postings of the changed
	// documents' new texts (changedTerms), in document order: with them
	// spliced makes an affected term's postings from its previous lists.
	fresh []map[string][]posting

	mu     sync.Mutex
	parsed map[string]*prevChunk // file hash -> its lists (nil: cannot be read or checked)
}

// prevChunk is the lists of a term chunk of the previous bundle, references
// resolved: term -> field -> its t or p string.
type prevChunk struct{ t, p map[string]map[int]string }

// lists returns the previous export's t and p lists of term, per field,
// when term is not affected and its chunk file in ru.dir holds the content
// its name promises; nil otherwise. An unaffected term has the same
// postings, positions and document numbers as before (an Update neither
// adds nor removes documents), so it encodes to the same lists. It is safe
// for concurrent use, and a nil reuse has no lists.
func (ru *reuse) lists(term string) (map[int]string, map[int]string) {
	if ru == nil || ru.affected[term] {
		return nil, nil
	}
	t, p, ok := ru.previous(term)
	if !ok {
		return nil, nil
	}
	return t, p
}

// previous returns the previous export's t and p lists of term, per field
// (nil when it had no such term), read as lists says; ok is false when
// they cannot be had (no previous bundle, a file that cannot be read or
// checked, a record that does not match it).
func (ru *reuse) previous(term string) (t, p map[int]string, ok bool) {
	if ru.dir == "" {
		return nil, nil, false
	}
	terms, key := ru.prev.Terms, Fold(term)
	i := sort.Search(len(terms), func(i int) bool {
		k := Fold(terms[i].Term)
		return k > key || (k == key && terms[i].Term >= term)
	})
	if i == len(terms) || terms[i].Term != term {
		return nil, nil, true
	}
	c := sort.SearchInts(ru.prev.Ends, i+1)
	if c == len(ru.prev.Hashes) {
		return nil, nil, false
	}
	h := ru.prev.Hashes[c]
	ru.mu.Lock()
	pc, ok := ru.parsed[h]
	if !ok {
		pc = ru.parse(h)
		if ru.parsed == nil {
			ru.parsed = map[string]*prevChunk{}
		}
		ru.parsed[h] = pc
	}
	ru.mu.Unlock()
	if pc == nil || pc.t[term] == nil {
		return nil, nil, false
	}
	return pc.t[term], pc.p[term], true
}

// spliced returns the postings of an affected term in field fi after the
// update without reading them from the index: the previous export's list
// and positions (previous), less the changed documents' postings, plus
// their new ones (fresh), in document order. ok is false when the previous
// lists cannot be had or do not decode; the term is then read from the
// index. An edit that adds or removes words moves the positions of every
// later word of its document, so it affects all of the document's terms,
// among them the most common words, whose postings are long (at 10,000
// pages, 1.2 s of reading for one such save of the preview).
func (ru *reuse) spliced(fi int, term string) ([]posting, bool) {
	if ru == nil || ru.fresh == nil {
		return nil, false
	}
	t, p, ok := ru.previous(term)
	if !ok {
		return nil, false
	}
	var old []posting
	if t[fi] != "" {
		// ru.lengths differ from the previous export's only for the changed
		// documents, whose postings are replaced.
		if old, ok = decodePostings(t[fi], p[fi], !allFields[fi].bigram, ru.lengths[fi]); !ok {
			return nil, false
		}
		old = slices.DeleteFunc(old, func(q posting) bool { return ru.changed[q.doc] })
	}
	add := ru.fresh[fi][term]
	if len(add) == 0 {
		return old, true
	}
	// Both in document order: merged.
	out := make([]posting, 0, len(old)+len(add))
	for len(old) > 0 && len(add) > 0 {
		if old[0].doc < add[0].doc {
			out, old = append(out, old[0]), old[1:]
		} else {
			out, add = append(out, add[0]), add[1:]
		}
	}
	return append(append(out, old...), add...), true
}

// decodePostings decodes a t list (doc delta, freq and, unless it starts
// with "~", length; lengths[doc] then) and, with positions, its p list (per
// posting the count, then the deltas): encodeChunks' encoding, reversed.
func decodePostings(t, p string, positions bool, lengths []int32) ([]posting, bool) {
	table := strings.HasPrefix(t, "~")
	nums, ok := decodeNums(strings.TrimPrefix(t, "~"))
	step := 3
	if table {
		step = 2
	}
	if !ok || len(nums)%step != 0 {
		return nil, false
	}
	var pos []int
	if positions {
		if pos, ok = decodeNums(p); !ok {
			return nil, false
		}
	}
	out := make([]posting, 0, len(nums)/step)
	all := make([]int, 0, len(pos)) // every posting's positions, one array
	doc := 0
	for i := 0; i < len(nums); i += step {
		doc += nums[i]
		q := posting{doc: doc, freq: nums[i+1]}
		if table {
			if doc >= len(lengths) {
				return nil, false
			}
			q.length = int(lengths[doc])
		} else {
			q.length = nums[i+2]
		}
		if positions {
			if len(pos) == 0 || len(pos) < 1+pos[0] {
				return nil, false
			}
			n, last, at := pos[0], 0, len(all)
			for k := 0; k < n; k++ {
				last += pos[1+k]
				all = append(all, last)
			}
			q.pos = all[at:len(all):len(all)]
			pos = pos[1+n:]
		}
		out = append(out, q)
	}
	return out, !positions || len(pos) == 0
}

// decodeNums reverses appendNums.
func decodeNums(s string) ([]int, bool) {
	out := make([]int, 0, len(s)/2)
	v := 0
	for i := 0; i < len(s); i++ {
		d := numValue[s[i]]
		if d < 0 {
			return nil, false
		}
		v = v*32 + int(d&31)
		if d < 32 {
			out = append(out, v)
			v = 0
		}
	}
	return out, v == 0
}

// numValue maps a digit of numAlphabet to its value, any other byte to -1.
var numValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(numAlphabet); i++ {
		t[numAlphabet[i]] = int8(i)
	}
	return t
}()

// parse reads and checks the previous bundle's t and p files of hash (as in
// index.js: "-" before it when there is no p file); nil when they cannot be
// read, do not hold what their name promises, or do not decode.
func (ru *reuse) parse(h string) *prevChunk {
	t, p, ok := ru.read(h)
	if !ok {
		return nil
	}
	pc := &prevChunk{}
	if pc.t = decodeLists(t); pc.t == nil {
		return nil
	}
	if p != nil {
		if pc.p = decodeLists(p); pc.p == nil {
			return nil
		}
	}
	return pc
}

// decodeLists decodes the payload of a t or p file (export.go): term ->
// [[field, list] or [field, field2, term2], …], references followed within
// the file (sameAs); nil when it does not decode.
func decodeLists(payload []byte) map[string]map[int]string {
	var raw map[string][][]any
	if json.Unmarshal(payload, &raw) != nil {
		return nil
	}
	out := make(map[string]map[int]string, len(raw))
	for term, es := range raw {
		out[term] = map[int]string{}
		for _, e := range es {
			fi, ok := e[0].(float64)
			if !ok {
				return nil
			}
			out[term][int(fi)] = "" // filled below: references may point forward in map order
		}
	}
	var resolve func(term string, fi, depth int) (string, bool)
	resolve = func(term string, fi, depth int) (string, bool) {
		for _, e := range raw[term] {
			if f, _ := e[0].(float64); int(f) != fi {
				continue
			}
			switch {
			case len(e) == 2:
				s, ok := e[1].(string)
				return s, ok
			case len(e) == 3 && depth == 0:
				fj, ok1 := e[1].(float64)
				t2, ok2 := e[2].(string)
				if !ok1 || !ok2 {
					return "", false
				}
				return resolve(t2, int(fj), 1)
			}
			return "", false
		}
		return "", false
	}
	for term, fields := range out {
		for fi := range fields {
			s, ok := resolve(term, fi, 0)
			if !ok {
				return nil
			}
			fields[fi] = s
		}
	}
	return out
}

// chunkKey identifies a term chunk by its terms.
func chunkKey(c []*termEntry) string {
	h := sha256.New()
	for _, e := range c {
		h.Write([]byte(e.term))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// load fills out with the previous export's files of chunk c, when c holds
// no affected term, the previous export wrote a chunk of the same terms and
// its files are in ru.dir with the content their name promises.
func (ru *reuse) load(c []*termEntry, key string, out *encodedChunk) bool {
	for _, e := range c {
		if ru.affected[e.term] {
			return false
		}
	}
	h, ok := ru.prev.Chunks[key]
	if !ok || ru.dir == "" {
		return false
	}
	t, p, ok := ru.read(h)
	if ok {
		*out = encodedChunk{t, p}
	}
	return ok
}

// trustedChunk returns the hash of the previous bundle's files of chunk c,
// when the bundle is trusted (reuse.trusted), c holds no affected term and
// the previous export wrote a chunk of the same terms; "" otherwise. ru
// may be nil.
func (ru *reuse) trustedChunk(c []*termEntry, key string) string {
	if ru == nil || !ru.trusted {
		return ""
	}
	for _, e := range c {
		if ru.affected[e.term] {
			return ""
		}
	}
	return ru.prev.Chunks[key]
}

// read returns the payloads of the previous bundle's t and p files of hash
// h (as in index.js: "-" before it when there is no p file), when they are
// in ru.dir with the content their name promises.
func (ru *reuse) read(h string) (t, p []byte, ok bool) {
	files := os.DirFS(ru.dir)
	hash, hasP := h, true
	if h[0] == '-' {
		hash, hasP = h[1:], false
	}
	if t, ok = readBundleFile(files, "t."+hash); !ok {
		return nil, nil, false
	}
	if hasP {
		if p, ok = readBundleFile(files, "p."+hash); !ok {
			return nil, nil, false
		}
	}
	return t, p, contentHash(t, []byte{0}, p) == hash
}

// readBundleFile returns the payload of the bundle file name+".js" (see
// bundleFile).
func readBundleFile(fsys fs.FS, name string) ([]byte, bool) {
	b, err := fs.ReadFile(fsys, name+".js")
	if err != nil {
		return nil, false
	}
	head := bundleHead(name)
	if len(b) < len(head)+len(bundleTail) || string(b[:len(head)]) != head || !bytes.HasSuffix(b, []byte(bundleTail)) {
		return nil, false
	}
	return b[len(head) : len(b)-len(bundleTail)], true
}

// docsHash identifies a list of documents (in bundle order) by its JSON.
func docsHash(docsJSON []byte) string {
	h := sha256.Sum256(docsJSON)
	return hex.EncodeToString(h[:])
}

// StaleError says why a kept index cannot be updated; the caller builds a
// fresh one. Notice is false for the ordinary reasons (no index yet, pages
// added or removed), true for the ones a user should hear of (an index from
// another version of loa, or one that cannot be read).
type StaleError struct {
	Path   string
	Reason string
	Notice bool
}

func (e *StaleError) Error() string { return e.Path + ": " + e.Reason }

// OpenForUpdate opens the index that BuildWith wrote into path for Update
// with opts. An index written by another loa (Options.Version), for another
// site (Options.Site), with another SchemaVersion, or one that cannot be
// opened or read is returned as a *StaleError. The index is held
// exclusively until Close.
func OpenForUpdate(path string, opts Options) (*Index, error) {
	stale := func(notice bool, format string, a ...any) error {
		return &StaleError{Path: path, Reason: fmt.Sprintf(format, a...), Notice: notice}
	}
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, stale(false, "no index yet")
		}
		return nil, stale(true, "cannot be read (%v)", err)
	}
	idx, err := bleve.OpenUsing(path, openForUpdateConfig)
	if err != nil {
		return nil, stale(true, "cannot be opened (%v)", err)
	}
	fail := func(e error) (*Index, error) {
		idx.Close()
		return nil, e
	}
	v, err := idx.GetInternal([]byte(internalSchemaKey))
	if err != nil || string(v) != strconv.Itoa(SchemaVersion) {
		return fail(stale(true, "was built with search schema %q, this loa writes %d", v, SchemaVersion))
	}
	if v, err := idx.GetInternal([]byte(internalVersionKey)); err != nil || string(v) != opts.Version {
		return fail(stale(true, "was built by another version of loa"))
	}
	if v, err := idx.GetInternal([]byte(internalSiteKey)); err != nil || string(v) != opts.Site {
		return fail(stale(true, "was built for another site (%q)", v))
	}
	raw, err := idx.GetInternal([]byte(internalDocsKey))
	if err != nil {
		return fail(stale(true, "cannot be read (%v)", err))
	}
	var docs []Doc
	if err := json.Unmarshal(raw, &docs); err != nil {
		return fail(stale(true, "has damaged documents (%v)", err))
	}
	ix, err := newIndex(idx, docs)
	if err != nil {
		return fail(stale(true, "cannot be read (%v)", err))
	}
	ix.path = path
	ix.docsJSON = raw
	ix.ephemeral = opts.Ephemeral
	if err := ix.loadStats(); err != nil {
		ix.Close()
		return nil, stale(true, "cannot be read (%v)", err)
	}
	return ix, nil
}

// updateMergePlan keeps Bleve from merging the large segment of a fresh
// build with the small segments of updates: a merge rewrites every
// segment it takes, so merging a 1,000-page site's segment with the one
// document of a save cost seconds of CPU. Segments of updates still merge
// among themselves; the large one keeps its deleted documents. Bleve's
// planner merges only segments of fewer live documents than half of
// MaxSegmentSize (index/scorch/mergeplan); the other settings stay its
// defaults.
var updateMergePlan = map[string]any{"MaxSegmentSize": 1000}

// openForUpdateConfig is how OpenForUpdate and BuildForUpdate open an index:
// updateMergePlan, and a build holding the index makes another wait 2 s at
// most.
var openForUpdateConfig = map[string]interface{}{"bolt_timeout": "2s", "scorchMergePlanOptions": updateMergePlan}

// An Update re-indexes at most minChanged documents, or a quarter of them:
// above that a fresh build is cheaper than updates and deletions.
const (
	maxChangedShare = 4
	minChanged      = 16
)

// Wrote says whether dir holds the bundle ix exported last, in this
// process, whole: Update can then update it in place.
func (ix *Index) Wrote(dir string) bool { return dir != "" && ix.exported == dir }

// Update makes ix (from OpenForUpdate) index docs and exports the bundle
// into dir, which must be empty; prev is the folder of the bundle ix last
// exported ("", or a folder without it: every chunk is read again); the
// files of dir that prev holds with the same content (read and compared)
// are hard links to them (output.LinkOrWrite). dir may also be prev itself
// when ix.Wrote(prev) (the preview): the bundle is then updated in place,
// its unchanged files kept unread, only its new files written and the ones
// it no longer names removed. It returns a *StaleError, having changed nothing, when ix cannot be updated to
// docs: their IDs differ from the indexed ones (pages added, removed or
// renamed change every later document number), more than a quarter of them
// (and more than minChanged) changed, or the previous export's record does not match the documents.
func (ix *Index) Update(ctx context.Context, docs []Doc, opts Options, dir string, prev string) error {
	if err := validateDocs(docs); err != nil {
		return err
	}
	docs = orderDocs(docs)
	if dir == prev && !ix.Wrote(prev) {
		return fmt.Errorf("search: %s can be updated in place only by the Index that wrote it last", dir)
	}
	stale := func(notice bool, format string, a ...any) error {
		return &StaleError{Path: ix.path, Reason: fmt.Sprintf(format, a...), Notice: notice}
	}
	var cache exportCache
	if ix.record != nil {
		cache = *ix.record // its own export, in memory (Options.Ephemeral)
	} else {
		raw, err := ix.idx.GetInternal([]byte(internalExportKey))
		if err != nil || raw == nil {
			// The update batch deletes the record; the export writes it
			// again at its end. So this is a build stopped part-way
			// (Ctrl-C, a crash), which loses nothing.
			return stale(true, "was left part-way by a build that did not finish (nothing is lost)")
		}
		if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&cache); err != nil {
			return stale(true, "has a damaged record of its last export (%v)", err)
		}
		if cache.Docs != docsHash(ix.docsJSON) || len(cache.Lengths) != len(allFields) || len(cache.Lengths[0]) != len(ix.docs) {
			return stale(true, "has a record of another export")
		}
	}
	if len(docs) != len(ix.docs) {
		return stale(false, "documents added or removed")
	}
	var changed []int
	for i, d := range docs {
		if d.ID != ix.docs[i].ID {
			return stale(false, "documents added, removed or renamed")
		}
		if d != ix.docs[i] {
			changed = append(changed, i)
		}
	}
	if len(changed) > minChanged && len(changed)*maxChangedShare > len(docs) {
		return stale(false, "more than a quarter of the documents changed")
	}
	// From here on the update changes the index (and cache.Lengths): the
	// record in memory is gone until the export is whole again.
	ix.record = nil
	affected, fresh, err := ix.changedTerms(ctx, docs, changed, cache.Lengths)
	if err != nil {
		return err
	}
	var docsJSON []byte // not stored when ephemeral
	if !ix.ephemeral {
		if docsJSON, err = json.Marshal(docs); err != nil {
			return err
		}
	}

	// The changed documents, and the record of the last export deleted, in
	// one batch: an update that stops half-way leaves an index without a
	// record, which the next Update refuses. saveExport stores the
	// documents with the new record.
	b := ix.idx.NewBatch()
	for _, i := range changed {
		if err := b.Index(docs[i].ID, bleveDoc(docs[i])); err != nil {
			return fmt.Errorf("search: index %s: %w", docs[i].ID, err)
		}
	}
	b.DeleteInternal([]byte(internalExportKey))
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("search: update index: %w", err)
	}
	if err := ix.refresh(docs); err != nil {
		return err
	}
	ix.docsJSON = docsJSON

	// The term entries: the previous ones, with the fields of the affected
	// terms read again (a term no document holds any more disappears).
	entries := make([]*termEntry, 0, len(cache.Terms)+len(affected))
	for _, t := range cache.Terms {
		if !affected[t.Term] {
			entries = append(entries, newTermEntry(t.Term, t.Fields))
		}
	}
	for t := range affected {
		var fields []int
		for fi, f := range allFields {
			n, err := ix.docFreq(ctx, f.name, t)
			if err != nil {
				return err
			}
			if n > 0 {
				fields = append(fields, fi)
			}
		}
		if len(fields) > 0 {
			entries = append(entries, newTermEntry(t, fields))
		}
	}
	sortEntries(entries)
	internal, err := ix.internalIDs()
	if err != nil {
		return err
	}
	ix.syn = opts.Synonyms
	if ix.syn == nil {
		ix.syn = &Synonyms{}
	}
	ru := &reuse{prev: &cache, affected: affected, dir: prev, lengths: cache.Lengths, changed: make([]bool, len(docs)), trusted: dir == prev, fresh: fresh}
	ix.exported = "" // until this export is whole
	for _, i := range changed {
		ru.changed[i] = true
	}
	next, err := ix.writeBundle(ctx, dir, internal, entries, ru)
	if err != nil {
		return err
	}
	return ix.saveExport(next, opts)
}

// changedTerms returns the terms whose postings the update changes: those
// of the old or the new text of a changed document, in any field, whose
// frequency, length or positions in that document differ between the two.
// They come from a small in-memory Bleve index of those texts, so they are
// exactly the terms Bleve's analysis makes. A word replaced by another of
// the same length changes a handful of terms; a text that grows or shrinks
// changes every term of the document (each posting carries the length).
//
// It also sets lengths[field][doc] of each changed document to its new
// field lengths (0 for a field the new text leaves empty).
func (ix *Index) changedTerms(ctx context.Context, docs []Doc, changed []int, lengths [][]int32) (map[string]bool, []map[string][]posting, error) {
	affected := map[string]bool{}
	fresh := make([]map[string][]posting, len(allFields))
	num := map[string]int{}
	for _, i := range changed {
		num[docs[i].ID] = i
		for fi := range lengths {
			lengths[fi][i] = 0
		}
	}
	if len(changed) == 0 {
		return affected, fresh, nil
	}
	mem, err := bleve.NewMemOnly(ix.mapping)
	if err != nil {
		return nil, nil, err
	}
	defer mem.Close()
	b := mem.NewBatch()
	for _, i := range changed {
		if err := b.Index("o"+docs[i].ID, bleveDoc(ix.docs[i])); err != nil {
			return nil, nil, err
		}
		if err := b.Index("n"+docs[i].ID, bleveDoc(docs[i])); err != nil {
			return nil, nil, err
		}
	}
	if err := mem.Batch(b); err != nil {
		return nil, nil, err
	}
	adv, err := mem.Advanced()
	if err != nil {
		return nil, nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	for fi, f := range allFields {
		var terms []string
		if err := eachTerm(r, f.name, func(term string) { terms = append(terms, term) }); err != nil {
			return nil, nil, err
		}
		fresh[fi] = map[string][]posting{}
		for _, term := range terms {
			var ps []posting
			diff, err := postingsDiffer(ctx, r, f.name, term, func(id string, p posting) {
				p.doc = num[id]
				lengths[fi][p.doc] = int32(p.length)
				ps = append(ps, p)
			})
			if err != nil {
				return nil, nil, err
			}
			if diff {
				affected[term] = true
			}
			// All of them, also where this field's did not change: spliced
			// replaces every posting of a changed document.
			if len(ps) > 0 {
				sort.Slice(ps, func(i, j int) bool { return ps[i].doc < ps[j].doc })
				fresh[fi][term] = ps
			}
		}
	}
	return affected, fresh, nil
}

// postingsDiffer says whether the old ("o"+ID) and new ("n"+ID) version of
// some document differ in their posting of term in field, and calls
// newPosting with the posting (frequency, field length, positions) of each
// new version that holds it.
func postingsDiffer(ctx context.Context, r index.IndexReader, field, term string, newPosting func(id string, p posting)) (bool, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, true, true)
	if err != nil {
		return false, err
	}
	defer tfr.Close()
	seen := map[string]string{}
	for {
		var tfd index.TermFieldDoc
		m, err := tfr.Next(&tfd)
		if err != nil {
			return false, err
		}
		if m == nil {
			break
		}
		ext, err := r.ExternalID(m.ID)
		if err != nil {
			return false, err
		}
		sig := fmt.Sprint(m.Freq, m.Norm)
		for _, v := range m.Vectors {
			sig += " " + strconv.FormatUint(v.Pos, 10)
		}
		id := ext[1:]
		if ext[0] == 'n' {
			p := posting{freq: int(m.Freq), length: int(math.Round(1 / (m.Norm * m.Norm)))}
			for _, v := range m.Vectors {
				p.pos = append(p.pos, int(v.Pos))
			}
			sort.Ints(p.pos)
			newPosting(id, p)
		}
		if other, ok := seen[id]; !ok {
			seen[id] = sig
		} else if other != sig {
			return true, nil
		} else {
			delete(seen, id)
		}
	}
	// A document that holds the term in only one of its versions.
	return len(seen) > 0, nil
}

// docFreq is the number of live documents that hold term in field.
func (ix *Index) docFreq(ctx context.Context, field, term string) (int, error) {
	tfr, err := ix.reader.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, err
	}
	defer tfr.Close()
	return int(tfr.Count()), nil
}

// refresh points ix at the index's newest snapshot, holding docs.
func (ix *Index) refresh(docs []Doc) error {
	old := ix.reader
	next, err := newIndex(ix.idx, docs)
	if err != nil {
		return err
	}
	ix.reader, ix.docs, ix.byID, ix.weights = next.reader, next.docs, next.byID, next.weights
	old.Close()
	var bm bm25Stats
	if bm, err = readBM25(ix.reader); err != nil {
		return err
	}
	ix.bm25 = bm
	return nil
}

// saveExport records the documents, the export that just ran, the synonyms
// and the statistics in the index, in one batch.
func (ix *Index) saveExport(c *exportCache, opts Options) error {
	if ix.ephemeral {
		ix.record = c
		return nil
	}
	c.Docs = docsHash(ix.docsJSON)
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(c); err != nil {
		return err
	}
	syn, err := json.Marshal(ix.syn)
	if err != nil {
		return err
	}
	bm, err := json.Marshal(ix.bm25)
	if err != nil {
		return err
	}
	b := ix.idx.NewBatch()
	b.SetInternal([]byte(internalDocsKey), ix.docsJSON)
	b.SetInternal([]byte(internalSchemaKey), []byte(strconv.Itoa(SchemaVersion)))
	b.SetInternal([]byte(internalSynonymsKey), syn)
	b.SetInternal([]byte(internalBM25Key), bm)
	b.SetInternal([]byte(internalVersionKey), []byte(opts.Version))
	b.SetInternal([]byte(internalSiteKey), []byte(opts.Site))
	b.SetInternal([]byte(internalExportKey), buf.Bytes())
	return ix.idx.Batch(b)
}
