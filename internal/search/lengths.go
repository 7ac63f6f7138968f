package search

// The length table. BM25 and TF-IDF (Bleve's scorers) need the length in
// tokens of the field each posting is in; a posting list of lenInline
// documents or more does not carry them (its string starts with "~"): the
// client reads them from the table, one n.<hash>.js file per lenShard
// documents. A field length is the same in every posting of its document,
// so a list that carries none is the same after an edit that changes only
// the length of its documents: a one-line edit renames the term chunks of
// the words it changes, one shard of the table and index.js, instead of
// every term chunk of the edited document. On the generated 10,000-page
// site (bench/gensite) the lengths were 55% of the term chunks' gzip bytes
// (50.2 of 89.0 MB raw, 27.9 of 50.2 MB gzip).
//
// Some fields' lengths follow from another's, found from the lengths
// themselves: a folded twin's equal its accented field's, a field of
// adjacent pairs has one less than its field of words (Bleve's shingle
// filter). The table holds the other fields (its columns); a field's
// length is its column's plus an offset, 0 or -1 (index.js "ln").
//
// A row is appendNums of the document's group (index.js "lg": the columns
// the document has a length in, those of its language) then those lengths.
// Variables, not constants, so that the parity test can make every list
// take its lengths from a table of many shards.
var (
	// lenInline is the number of documents from which a posting list takes
	// its lengths from the table, so that a rare word's query loads no
	// shard.
	lenInline = 8
	// lenShard is the least number of documents per shard, doubled while
	// there would be more than lenShardsMax shards, so that a query of
	// common words loads at most that many.
	lenShard     = 4096
	lenShardsMax = 8
)

// lengthTable is the layout of the length table of one bundle.
type lengthTable struct {
	cols   []int    // column -> field
	ln     [][2]int // field -> [column, offset]
	groups [][]int  // group -> its columns, ascending
	group  []int    // document -> its group
	shard  int      // documents per shard
}

// newLengthTable lays out the table of lengths[field][doc] (0: the document
// has no posting in the field).
func newLengthTable(lengths [][]int32) *lengthTable {
	lt := &lengthTable{ln: make([][2]int, len(lengths))}
	n := 0
	if len(lengths) > 0 {
		n = len(lengths[0])
	}
	derives := func(fi, c, off int) bool {
		src := lengths[lt.cols[c]]
		for d, l := range lengths[fi] {
			if l > 0 && src[d]+int32(off) != l {
				return false
			}
		}
		return true
	}
fields:
	for fi := range lengths {
		for c := range lt.cols {
			for _, off := range []int{0, -1} {
				if derives(fi, c, off) {
					lt.ln[fi] = [2]int{c, off}
					continue fields
				}
			}
		}
		lt.ln[fi] = [2]int{len(lt.cols), 0}
		lt.cols = append(lt.cols, fi)
	}
	index := map[string]int{}
	lt.group = make([]int, n)
	for d := 0; d < n; d++ {
		var g []int
		for c, fi := range lt.cols {
			if lengths[fi][d] > 0 {
				g = append(g, c)
			}
		}
		key := string(appendNums(nil, g...))
		gi, ok := index[key]
		if !ok {
			gi = len(lt.groups)
			index[key] = gi
			lt.groups = append(lt.groups, append([]int{}, g...))
		}
		lt.group[d] = gi
	}
	lt.shard = lenShard
	for (n+lt.shard-1)/lt.shard > lenShardsMax {
		lt.shard *= 2
	}
	return lt
}

// rows is the shard of the table that starts at document from.
func (lt *lengthTable) rows(lengths [][]int32, from int) string {
	var out []byte
	for d := from; d < min(from+lt.shard, len(lt.group)); d++ {
		g := lt.group[d]
		out = appendNums(out, g)
		for _, c := range lt.groups[g] {
			out = appendNums(out, int(lengths[lt.cols[c]][d]))
		}
	}
	return string(out)
}
