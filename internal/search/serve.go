package search

import (
	"net/url"
	"os"
	"path/filepath"
	"strconv"
)

// QueryFromValues reads a Query from URL parameters q, lang, kind, code and
// limit, as the preview server's /search?q= endpoint and the search page use
// them.
func QueryFromValues(v url.Values) Query {
	q := Query{Text: v.Get("q"), Lang: v.Get("lang"), Kind: v.Get("kind"), Code: v.Get("code")}
	if n, err := strconv.Atoi(v.Get("limit")); err == nil {
		q.Limit = n
	}
	return q
}

// BundleFiles returns the static bundle that Build wrote into dir (every file
// but the Bleve index), keyed by slash path relative to the site root
// ("search/index.js"), for a server that serves the site from memory.
func BundleFiles(dir string) (map[string][]byte, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte, len(ents))
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files["search/"+e.Name()] = b
	}
	return files, nil
}
