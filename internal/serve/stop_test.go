package serve

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"loa/internal/build"
	"loa/internal/output"
	"loa/internal/sitetest"
)

// blockingSearch is a search hook whose Update blocks, ignoring ctx, until
// released: a build step that cannot be interrupted.
type blockingSearch struct {
	started chan struct{}
	release chan struct{}
}

func (b *blockingSearch) Update(ctx context.Context, res *build.Result) (output.Files, error) {
	close(b.started)
	<-b.release
	return nil, nil
}

func (b *blockingSearch) Query(context.Context, url.Values) (any, error) { return nil, nil }

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestStopDuringBlockedBuild: Run returns within half a second of
// cancellation even when a build step ignores ctx (Ctrl-C in `loa serve`),
// and the abandoned build publishes and prints nothing.
func TestStopDuringBlockedBuild(t *testing.T) {
	for _, phase := range []string{"build", "search update"} {
		t.Run(phase, func(t *testing.T) {
			root := t.TempDir()
			for name, f := range sitetest.FS("-- loa.yaml --\ntitle: T\nbaseURL: https://example.org/\n-- content/_index.md --\n---\ntitle: T\n---\n") {
				p := filepath.Join(root, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			started, release := make(chan struct{}), make(chan struct{})
			log := &lockedBuffer{}
			cfg := Config{Root: root, Addr: "127.0.0.1:0", Log: log}
			if phase == "search update" {
				cfg.Search = &blockingSearch{started: started, release: release}
			}
			srv, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			realBuild := srv.build
			srv.build = func(ctx context.Context, opts build.Options) (*build.Result, error) {
				if phase == "build" {
					close(started)
					<-release
					return nil, errors.New("a build that ignored ctx")
				}
				return realBuild(ctx, opts)
			}
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			done := make(chan error, 1)
			go func() { done <- srv.Run(ctx) }()
			select {
			case <-started:
			case <-time.After(10 * time.Second):
				t.Fatalf("the blocking step was not reached; log:\n%s", log)
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
			close(release)
			srv.work.Wait()
			srv.mu.Lock()
			st := srv.state
			srv.mu.Unlock()
			if srv.site.Load() != nil || st.failed != 0 {
				t.Errorf("the abandoned build was published: site %v, state %+v", srv.site.Load(), st)
			}
			if l := log.String(); strings.Contains(l, "built") || strings.Contains(l, "failed") {
				t.Errorf("the abandoned build printed:\n%s", l)
			}
		})
	}
}

// stopSlack bounds how long stopping may take in a test (target: half a
// second); see the same constant in cancel_test.go.
const stopSlack = 2 * time.Second
