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
	return BundleFilesSince(dir, nil)
}

// BundleFilesSince is BundleFiles, taking from prev (a bundle BundleFiles
// returned before) the files it holds under the same name instead of
// reading them: every file but index.js is named by a hash of its content.
func BundleFilesSince(dir string, prev map[string][]byte) (map[string][]byte, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte, len(ents))
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		name := "search/" + e.Name()
		if b, ok := prev[name]; ok && e.Name() != "index.js" {
			files[name] = b
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files[name] = b
	}
	return files, nil
}
