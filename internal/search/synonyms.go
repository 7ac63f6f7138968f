package search

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"go.yaml.in/yaml/v3"
)

// tokenizeWords splits s into words with Bleve's unicode tokenizer, the
// tokenizer of every analyzer (the client uses Intl.Segmenter's words).
func tokenizeWords(s string) []string {
	var rv []string
	for _, t := range unicodetok.NewUnicodeTokenizer().Tokenize([]byte(s)) {
		rv = append(rv, string(t.Term))
	}
	return rv
}

// Synonyms are the site's synonym list (data/synonyms.yaml), which editors
// extend. A word or phrase of a query that is in the list also finds the
// words it stands for:
//
//	# Words that mean the same: each one finds the others.
//	same:
//	  - [hội họp, tụ tập]
//	  - [trẻ em, thiếu nhi]
//	# A word readers use that also finds the words of the texts (one way).
//	also:
//	  tàn tật: [khuyết tật]
//	  nhục hình: [tra tấn, đối xử tàn ác]
//
// Matching ignores case and diacritics ("tu tap" matches "tụ tập"). Each
// expansion is searched as an extra clause of the query (its words and word
// pairs, on the fields of the query's language), so loa search and the client
// expand alike: the rules travel in the index and in the bundle.
type Synonyms struct {
	Rules []SynonymRule `json:"rules"` // sorted by From
}

// SynonymRule says that From (folded, lower case, words separated by one
// space) also finds each phrase of To (as the editor wrote it).
type SynonymRule struct {
	From string   `json:"from"`
	To   []string `json:"to"`
}

// SynonymError is a problem in a synonym file, at a 1-based line and column.
type SynonymError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *SynonymError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// SynonymErrors is every problem of one synonym file, in file order.
type SynonymErrors []*SynonymError

func (es SynonymErrors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// synKey is the matching form of a phrase: words folded and lower-cased,
// joined by one space.
func synKey(s string) string {
	var ws []string
	for _, t := range tokenizeWords(s) {
		ws = append(ws, strings.ToLower(Fold(t)))
	}
	return strings.Join(ws, " ")
}

// ParseSynonyms reads a synonym file. A YAML syntax error, an unknown key, an
// empty entry or a cycle among the one-way entries (a finds b, b finds a:
// write them as a "same" group instead) is a *SynonymError at its line and
// column; every problem is reported (SynonymErrors).
func ParseSynonyms(file string, data []byte) (*Synonyms, error) {
	var errs SynonymErrors
	fail := func(n *yaml.Node, format string, args ...any) {
		errs = append(errs, &SynonymError{File: file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return &Synonyms{}, nil
		}
		line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
		if _, err := fmt.Sscanf(msg, "line %d:", &line); err == nil {
			msg = strings.TrimSpace(msg[strings.IndexByte(msg, ':')+1:])
		}
		return nil, SynonymErrors{{File: file, Line: line, Col: 1, Msg: "invalid YAML: " + msg}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		fail(root, "synonyms must be a mapping with \"same\" and \"also\"")
		return nil, errs
	}
	to := map[string][]string{} // key -> expansions
	add := func(from string, phrases ...string) {
		for _, p := range phrases {
			if synKey(p) == from {
				continue
			}
			dup := false
			for _, q := range to[from] {
				dup = dup || q == p
			}
			if !dup {
				to[from] = append(to[from], p)
			}
		}
	}
	phrase := func(n *yaml.Node) (string, bool) {
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || synKey(n.Value) == "" {
			fail(n, "expected a word or phrase")
			return "", false
		}
		return strings.TrimSpace(n.Value), true
	}
	type edge struct {
		to  string
		pos *yaml.Node
	}
	also := map[string][]edge{}
	var alsoKeys []string
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "same":
			if v.Kind != yaml.SequenceNode {
				fail(v, "same: expected a list of groups, such as - [hội họp, tụ tập]")
				continue
			}
			for _, g := range v.Content {
				if g.Kind != yaml.SequenceNode || len(g.Content) < 2 {
					fail(g, "same: a group is a list of two or more words or phrases")
					continue
				}
				var words []string
				for _, w := range g.Content {
					if p, ok := phrase(w); ok {
						words = append(words, p)
					}
				}
				for _, w := range words {
					add(synKey(w), words...)
				}
			}
		case "also":
			if v.Kind != yaml.MappingNode {
				fail(v, "also: expected a mapping from a word to the words it also finds")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				fk, fv := v.Content[j], v.Content[j+1]
				from, ok := phrase(fk)
				if !ok {
					continue
				}
				list := []*yaml.Node{fv}
				if fv.Kind == yaml.SequenceNode {
					list = fv.Content
				}
				key := synKey(from)
				if _, seen := also[key]; !seen {
					alsoKeys = append(alsoKeys, key)
				}
				if also[key] == nil {
					also[key] = []edge{}
				}
				for _, w := range list {
					if p, ok := phrase(w); ok {
						add(key, p)
						also[key] = append(also[key], edge{synKey(p), w})
					}
				}
			}
		default:
			fail(k, "unknown key %q (known: same, also)", k.Value)
		}
	}
	// A cycle among one-way entries: depth-first search from each key.
	state := map[string]int{} // 1 on the path, 2 done
	var visit func(k string) bool
	visit = func(k string) bool {
		state[k] = 1
		for _, e := range also[k] {
			switch state[e.to] {
			case 1:
				fail(e.pos, "cycle in the one-way synonyms: %q leads back to itself (write words that find each other as a \"same\" group)", e.to)
				return true
			case 0:
				if _, ok := also[e.to]; ok && visit(e.to) {
					return true
				}
			}
		}
		state[k] = 2
		return false
	}
	for _, k := range alsoKeys {
		if state[k] == 0 && visit(k) {
			break
		}
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool {
			if errs[i].Line != errs[j].Line {
				return errs[i].Line < errs[j].Line
			}
			return errs[i].Col < errs[j].Col
		})
		return nil, errs
	}
	s := &Synonyms{}
	for k, v := range to {
		s.Rules = append(s.Rules, SynonymRule{From: k, To: v})
	}
	sort.Slice(s.Rules, func(i, j int) bool { return s.Rules[i].From < s.Rules[j].From })
	return s, nil
}
