// Package search indexes the site for search and answers queries. It is the
// only importer of Bleve.
//
// Build indexes the site's documents (a page, or one article or section of a
// long page) into a Bleve index and exports from the same index snapshot a
// static bundle for static/js/search-engine.js, the browser client, which
// parses the same query language, builds the same query tree and scores it
// with Bleve's BM25 formulas, so a reader offline from a USB copy gets the same
// answers, in the same order, as `loa search` run against the index:
//
//	err := search.Build(ctx, docs, "public/search", ".loa/index.bleve") // the bundle; the index
//	ix, err := search.Open(".loa/index.bleve")
//	hits, err := ix.Search(ctx, search.Query{Text: `quyen tre em "phổ biến" -tra`})
//
// Vietnamese text is indexed exactly and folded (diacritics removed by a token
// filter) and both are queried, exact matches boosted; English text gets stop
// words and plural stemming; adjacent query words also match as pairs
// (bigram fields), a misspelt word also forms pairs with its corrections,
// question and filler words ("co", "khong", "la gi") are only searched in
// pairs, and the site's synonyms (BuildWith) add clauses. A
// document's score is multiplied by its prior (Doc.Weight), in Bleve through
// a custom score query. Queries: words, "phrases", +must, -mustnot,
// word~N, word*; typos are matched with Bleve's automatic fuzziness when a word
// is not in the index, and the last word of a query being typed matches as a
// prefix. docs/architecture.md ("Search") describes the tree and the bundle.
package search
