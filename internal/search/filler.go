package search

import "strings"

// fillerWords are the Vietnamese question and filler words of a citizen's
// query ("tre em co duoc di hoc khong", "tra tan la gi"): matched folded and
// lower-cased against whole word clauses (an entry of several words against
// that many adjacent clauses), they are not searched as words when the query
// has another word to find. They still form pairs with their neighbours
// (bigramClauses) and still trigger synonyms, so "co quan" and "quyen duoc
// hoc" keep their pairs. Chosen on testdata/relevance.tsv: dropping these
// clauses did better than weighing them down (×0.05 to ×0.5 changed
// nothing: coordination still counted them); "ai" (who) and "cho" (for)
// carry meaning and lost. The list travels in index.js ("fill"); the client
// marks the same clauses (fillers in static/js/search-engine.js).
var fillerWords = []string{
	"co", "khong", "gi", "la", "nao", "the nao", "nhu the nao", "lam sao", "o dau", "bao nhieu",
	"duoc", "cua", "thi", "va",
}

// fillers returns, per clause of p, whether it is a filler word to leave
// out: a word clause (not a phrase, not +must or -excluded) that, alone or
// with its neighbours, spells an entry of fillerWords; all false when every
// clause that is not excluded is a filler (then none is left out).
func fillers(p parsed) []bool {
	rv := make([]bool, len(p.Clauses))
	keys := make([]string, len(p.Clauses))
	for i, cl := range p.Clauses {
		if !cl.Phrase && cl.Occur == occShould {
			keys[i] = synKey(cl.Text)
		}
	}
	for _, f := range fillerWords {
		ws := strings.Split(f, " ")
		for i := 0; i+len(ws) <= len(keys); i++ {
			ok := true
			for k, w := range ws {
				ok = ok && keys[i+k] == w
			}
			if ok {
				for k := range ws {
					rv[i+k] = true
				}
			}
		}
	}
	for i, cl := range p.Clauses {
		if cl.Occur != occNot && !rv[i] {
			return rv
		}
	}
	return make([]bool, len(p.Clauses))
}
