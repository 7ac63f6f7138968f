package serve

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"time"

	"loa/internal/build"
	"loa/internal/output"
	"loa/internal/search"
)

// SearchIndex is the preview's search: a Bleve index and static bundle in a
// temporary folder, never in public/. The first Update builds synchronously,
// so the first page already searches (unless its ctx is cancelled: then it
// returns at once, and the index build ends on its own). Later Updates return the current
// bundle at once and update the index in the background when the indexed
// text changed (a layout edit changes nothing to index and costs nothing),
// so a save reloads the browser without waiting for the index; the new
// bundle replaces the old one in the served site when it is ready. The
// index is updated in place (search.Index.Update: the changed documents,
// and only the term chunks they touch); when it cannot be (pages added or
// removed) a new one is built beside it.
type SearchIndex struct {
	mu     sync.Mutex
	qmu    sync.RWMutex // queries (read) against updates and closing of ix (write)
	work   sync.Mutex   // one background index build at a time
	root   string       // temporary folder holding the index and bundle folders
	ix     *search.Index
	ixDir  string // the folder holding ix
	dir    string // the folder of the bundle being served
	bundle output.Files
	docs   []search.Doc     // the documents of the index being served or built
	syn    *search.Synonyms // and its synonyms
	gen    int              // generation of the newest Update
	served int              // generation being served
	notify func(output.Files)
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// NewSearchIndex makes an empty index in a fresh temporary folder.
func NewSearchIndex() (*SearchIndex, error) {
	root, err := os.MkdirTemp("", "loa-serve-search-")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &SearchIndex{root: root, ctx: ctx, cancel: cancel}, nil
}

// setNotify is called by the server with the function that swaps a new
// bundle into the served site.
func (s *SearchIndex) setNotify(f func(output.Files)) {
	s.mu.Lock()
	s.notify = f
	s.mu.Unlock()
}

// sameDocs says whether docs and opts index as s.docs and s.syn (s.mu
// held). Comparing is cheaper than hashing: about 60 MB of text at 10,000
// pages, most of it the same strings as before.
func (s *SearchIndex) sameDocs(docs []search.Doc, opts search.Options) bool {
	return s.docs != nil && slices.Equal(docs, s.docs) && reflect.DeepEqual(opts.Synonyms, s.syn)
}

// Update implements Search.
func (s *SearchIndex) Update(ctx context.Context, res *build.Result) (output.Files, error) {
	s.mu.Lock()
	first := s.ix == nil && s.bundle == nil
	s.gen++
	gen := s.gen
	s.mu.Unlock()
	if first {
		// Bleve cannot stop in the middle of a batch, which may take a
		// second: on cancellation the caller gets ctx's error at once, and
		// the index build, cancelled too, ends on its own (Close waits for
		// it a little) and swaps in nothing.
		done := make(chan error, 1)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			docs, opts := res.SearchDocs(), res.SearchOptions()
			s.mu.Lock()
			s.docs, s.syn = docs, opts.Synonyms
			s.mu.Unlock()
			done <- s.rebuild(ctx, gen, docs, opts)
		}()
		select {
		case err := <-done:
			if err != nil {
				return nil, err
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.bundle, nil
	}
	// Later builds: answer at once with the current bundle; collect, compare
	// and index the documents in the background, one build at a time, and
	// skip builds that a newer one has overtaken.
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.work.Lock()
		defer s.work.Unlock()
		s.mu.Lock()
		stale := gen != s.gen
		s.mu.Unlock()
		if stale || s.ctx.Err() != nil {
			return
		}
		docs, opts := res.SearchDocs(), res.SearchOptions()
		s.mu.Lock()
		same := s.sameDocs(docs, opts)
		s.docs, s.syn = docs, opts.Synonyms
		s.mu.Unlock()
		if same {
			return
		}
		if err := s.rebuild(s.ctx, gen, docs, opts); err == nil {
			s.mu.Lock()
			notify, bundle := s.notify, s.bundle
			s.mu.Unlock()
			if notify != nil {
				notify(bundle)
			}
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bundle, nil
}

// previewVersion names the preview's indexes, which live only as long as
// the process that builds them.
const previewVersion = "preview"

// rebuild brings the index up to generation gen, in place when it can, and
// swaps the new bundle in unless a newer generation already was. Builds run
// one at a time, in order.
func (s *SearchIndex) rebuild(ctx context.Context, gen int, docs []search.Doc, opts search.Options) error {
	opts.Version = previewVersion
	opts.Ephemeral = true // the temporary index is never opened again
	s.mu.Lock()
	cur, curDir := s.ix, s.dir
	s.mu.Unlock()
	if cur != nil {
		// The served files are in memory, so the folder of the bundle the
		// index wrote is updated in place (at 10,000 pages, linking its
		// 20,000 files into a new folder and removing the old one was half
		// of a save's CPU); else the bundle goes to a new folder.
		inPlace, dir := cur.Wrote(curDir), curDir
		if !inPlace {
			var err error
			if dir, err = os.MkdirTemp(s.root, "bundle-"); err != nil {
				return err
			}
		}
		s.qmu.Lock()
		err := cur.Update(ctx, docs, opts, dir, curDir)
		s.qmu.Unlock()
		if err == nil {
			return s.swap(ctx, gen, cur, "", dir)
		}
		if !inPlace {
			os.RemoveAll(dir)
		}
		var stale *search.StaleError
		if !errors.As(err, &stale) {
			return err
		}
	}
	dir, err := os.MkdirTemp(s.root, "bundle-")
	if err != nil {
		return err
	}
	ixDir, err := os.MkdirTemp(s.root, "index-")
	if err != nil {
		os.RemoveAll(dir)
		return err
	}
	path := filepath.Join(ixDir, search.IndexDir)
	ix, err := search.BuildForUpdate(ctx, docs, opts, dir, path)
	if err != nil {
		os.RemoveAll(dir)
		os.RemoveAll(ixDir)
		return err
	}
	return s.swap(ctx, gen, ix, ixDir, dir)
}

// swap serves the bundle in dir and the index ix (in ixDir; "" when ix is
// the index already served, updated in place).
func (s *SearchIndex) swap(ctx context.Context, gen int, ix *search.Index, ixDir, dir string) error {
	s.mu.Lock()
	served := s.bundle
	s.mu.Unlock()
	files, err := search.BundleFilesSince(dir, served)
	s.mu.Lock()
	if err != nil || gen < s.served || s.ctx.Err() != nil || ctx.Err() != nil {
		// Overtaken by a newer generation, closed, or cancelled: an index
		// that finished anyway is not served (a folder updated in place
		// stays: the index holds what it holds).
		inPlace := dir == s.dir
		s.mu.Unlock()
		if ixDir != "" {
			ix.Close()
			os.RemoveAll(ixDir)
		}
		if !inPlace {
			os.RemoveAll(dir)
		}
		if err != nil {
			return err
		}
		return errors.New("superseded, closed or cancelled")
	}
	oldIx, oldIxDir, oldDir := s.ix, s.ixDir, s.dir
	s.ix, s.dir, s.bundle = ix, dir, files
	if ixDir != "" {
		s.ixDir = ixDir
	}
	s.served = gen
	s.mu.Unlock()
	if oldDir != "" && oldDir != dir {
		os.RemoveAll(oldDir)
	}
	if oldIx != nil && oldIx != ix {
		s.qmu.Lock()
		oldIx.Close()
		s.qmu.Unlock()
		os.RemoveAll(oldIxDir)
	}
	return nil
}

// Query implements Search.
func (s *SearchIndex) Query(ctx context.Context, q url.Values) (any, error) {
	s.qmu.RLock()
	defer s.qmu.RUnlock()
	s.mu.Lock()
	ix := s.ix
	s.mu.Unlock()
	if ix == nil {
		return nil, errors.New("the search index is not ready yet")
	}
	hits, err := ix.Search(ctx, search.QueryFromValues(q))
	if err != nil {
		return nil, err
	}
	if hits == nil {
		hits = []search.Hit{}
	}
	return hits, nil
}

// closeWait bounds how long Close waits for an index build in progress to
// notice that it is cancelled (Bleve checks only between batches).
const closeWait = 100 * time.Millisecond

// Close stops background work and removes the temporary folder. An index
// build still running after closeWait ends on its own: it serves nothing,
// and its files go with the folder (or, if it writes after the removal, fail
// to be written).
func (s *SearchIndex) Close() error {
	s.cancel()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	t := time.NewTimer(closeWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
	s.qmu.Lock()
	defer s.qmu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ix != nil {
		s.ix.Close()
		s.ix = nil
	}
	return os.RemoveAll(s.root)
}
