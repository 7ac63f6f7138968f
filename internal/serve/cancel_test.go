package serve_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"loa/internal/build"
	"loa/internal/output"
	"loa/internal/serve"
)

// notifyingSearch is the real search index, telling the test when an
// update starts.
type notifyingSearch struct {
	*serve.SearchIndex
	updating chan struct{}
}

func (n *notifyingSearch) Update(ctx context.Context, res *build.Result) (output.Files, error) {
	select {
	case n.updating <- struct{}{}:
	default:
	}
	return n.SearchIndex.Update(ctx, res)
}

func (n *notifyingSearch) Query(ctx context.Context, q url.Values) (any, error) {
	return n.SearchIndex.Query(ctx, q)
}

// TestCancelLargeSite: on a site of 1,000 generated pages, cancelling Run
// (Ctrl-C in `loa serve`) while the first build loads and renders pages, or
// while it builds the search index (Bleve cannot stop in a batch), returns
// within 500ms, and closing the search index takes at most 150ms more.
func TestCancelLargeSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site of 1,000 pages")
	}
	root := t.TempDir()
	genSite(t, root, 1000)
	for _, when := range []string{"while pages build", "while the search index builds"} {
		t.Run(when, func(t *testing.T) {
			idx, err := serve.NewSearchIndex()
			if err != nil {
				t.Fatal(err)
			}
			search := &notifyingSearch{SearchIndex: idx, updating: make(chan struct{}, 1)}
			log := &syncBuffer{}
			srv, err := serve.New(serve.Config{Root: root, Addr: "127.0.0.1:0", Log: log, Search: search})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			done := make(chan error, 1)
			go func() { done <- srv.Run(ctx) }()
			p := &preview{srv: srv, url: srv.URL()[:len(srv.URL())-1], log: log}
			if when == "while pages build" {
				// The placeholder is served while the first build runs.
				if code, _, _ := p.get(t, "/"); code != 503 {
					t.Fatalf("GET / during the first build: %d, want the placeholder (503)", code)
				}
			} else {
				select {
				case <-search.updating:
				case <-time.After(60 * time.Second):
					t.Fatalf("the search index was not updated within 60s; log:\n%s", log)
				}
			}
			begin := time.Now()
			cancel()
			select {
			case err := <-done:
				if d := time.Since(begin); err != nil || d > stopSlack {
					t.Errorf("Run returned %v after %v, want nil within %v (target 500ms)", err, d, stopSlack)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return within 10s of cancellation")
			}
			begin = time.Now()
			idx.Close()
			if d := time.Since(begin); d > stopSlack/2 {
				t.Errorf("closing the search index took %v, want at most %v (target 150ms)", d, stopSlack/2)
			}
			if l := log.String(); l != "" {
				t.Errorf("the cancelled build printed:\n%s", l)
			}
		})
	}
}

// stopSlack bounds how long stopping may take in a test. The target is half
// a second, which these tests log; the bound leaves room for the race
// detector and a loaded CI machine, while a hang still fails.
const stopSlack = 2 * time.Second
