package watch_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"loa/internal/watch"
)

// start watches a fresh site in a temporary folder with the given files and
// returns the root and the watcher's batches.
func start(t *testing.T, cfg watch.Config, files map[string]string) (string, <-chan watch.Batch) {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		write(t, root, name, data)
	}
	cfg.Root = root
	if cfg.Debounce == 0 {
		cfg.Debounce = 5 * time.Millisecond
	}
	w, err := watch.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return root, w.Batches()
}

func write(t *testing.T, root, name, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// expect reads batches until every wanted path has been reported, or fails
// after a deadline.
func expect(t *testing.T, batches <-chan watch.Batch, want ...string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	seen := map[string]bool{}
	for {
		missing := false
		for _, w := range want {
			if !seen[w] {
				missing = true
			}
		}
		if !missing {
			return
		}
		select {
		case b := <-batches:
			for _, p := range b.Paths {
				seen[p] = true
			}
			for _, e := range b.Errors {
				t.Errorf("watch error: %v", e)
			}
		case <-deadline:
			t.Fatalf("no change reported for %v within 5s (saw %v)", want, seen)
		}
	}
}

func TestWatch(t *testing.T) {
	files := map[string]string{
		"loa.yaml":            "title: T\n",
		"content/_index.md":   "# Home\n",
		"content/a/b/c.md":    "c\n",
		"layouts/x.html":      "x",
		"public/index.html":   "old output",
		"notes.txt":           "not part of the site",
		"content/a/.c.md.swp": "",
	}
	tests := []struct {
		name string
		do   func(t *testing.T, root string)
		want []string
	}{
		{"write in place", func(t *testing.T, root string) {
			write(t, root, "content/a/b/c.md", "c2\n")
		}, []string{"content/a/b/c.md"}},
		{"config", func(t *testing.T, root string) {
			write(t, root, "loa.yaml", "title: U\n")
		}, []string{"loa.yaml"}},
		{"rename save (vim)", func(t *testing.T, root string) {
			p := filepath.Join(root, "content/_index.md")
			write(t, root, "content/4913", "")
			os.Remove(filepath.Join(root, "content/4913"))
			must(t, os.Rename(p, p+"~"))
			write(t, root, "content/_index.md", "# Home 2\n")
			os.Remove(p + "~")
		}, []string{"content/_index.md"}},
		{"delete and recreate", func(t *testing.T, root string) {
			must(t, os.Remove(filepath.Join(root, "layouts/x.html")))
			write(t, root, "layouts/x.html", "y")
		}, []string{"layouts/x.html"}},
		{"new nested folder", func(t *testing.T, root string) {
			write(t, root, "content/new/deep/er/p.md", "p\n")
		}, []string{"content/new/deep/er/p.md"}},
		{"new source folder", func(t *testing.T, root string) {
			write(t, root, "static/css/site.css", "body{}")
		}, []string{"static/css/site.css"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, batches := start(t, watch.Config{}, files)
			tt.do(t, root)
			expect(t, batches, tt.want...)
		})
	}
}

func TestIgnored(t *testing.T) {
	root, batches := start(t, watch.Config{}, map[string]string{"content/a.md": "a"})
	// Changes outside the site's sources, then one inside: only the last
	// one may be reported.
	write(t, root, "public/index.html", "x")
	write(t, root, "notes.txt", "x")
	write(t, root, "content/.a.md.swp", "x")
	write(t, root, "content/a.md~", "x")
	write(t, root, "content/a.md", "b")
	select {
	case b := <-batches:
		if !slices.Equal(b.Paths, []string{"content/a.md"}) {
			t.Errorf("paths = %v, want only content/a.md", b.Paths)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no batch")
	}
}

func TestFolderRename(t *testing.T) {
	root, batches := start(t, watch.Config{}, map[string]string{"content/old/sub/p.md": "p"})
	must(t, os.Rename(filepath.Join(root, "content/old"), filepath.Join(root, "content/new")))
	expect(t, batches, "content/old", "content/new")
	// Changes below the renamed folder are reported under its new name.
	write(t, root, "content/new/sub/p.md", "p2")
	expect(t, batches, "content/new/sub/p.md")
	write(t, root, "content/new/sub/q.md", "q")
	expect(t, batches, "content/new/sub/q.md")
	// The old name can be reused.
	write(t, root, "content/old/r.md", "r")
	expect(t, batches, "content/old/r.md")
}

func TestSourceFolderReplaced(t *testing.T) {
	root, batches := start(t, watch.Config{}, map[string]string{"layouts/a.html": "a"})
	must(t, os.RemoveAll(filepath.Join(root, "layouts")))
	expect(t, batches, "layouts")
	write(t, root, "layouts/b.html", "b")
	expect(t, batches, "layouts/b.html")
}

// TestBurst writes 1,000 times; the changes arrive in few batches, the last
// one after the last write.
func TestBurst(t *testing.T) {
	root, batches := start(t, watch.Config{Debounce: 20 * time.Millisecond}, map[string]string{"content/a.md": "a"})
	for i := range 1000 {
		write(t, root, fmt.Sprintf("content/burst/p%d.md", i%50), fmt.Sprint(i))
	}
	var want []string
	for i := range 50 {
		want = append(want, fmt.Sprintf("content/burst/p%d.md", i))
	}
	n := 0
	deadline := time.After(10 * time.Second)
	seen := map[string]bool{}
	for len(seen) < len(want) {
		select {
		case b := <-batches:
			n++
			for _, p := range b.Paths {
				seen[p] = true
			}
		case <-deadline:
			t.Fatalf("after %d batches saw %d of %d files", n, len(seen), len(want))
		}
	}
	if n > 100 {
		t.Errorf("1,000 writes arrived in %d batches; want them batched", n)
	}
}

// fakeClock fires timers only when advanced.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []fakeTimer
	waiting chan struct{} // signalled when a timer is set
}

type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Unix(1e9, 0), waiting: make(chan struct{}, 1000)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.timers = append(c.timers, fakeTimer{c.now.Add(d), ch})
	c.waiting <- struct{}{}
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.timers[:0]
	for _, t := range c.timers {
		if !t.at.After(c.now) {
			t.c <- c.now
			continue
		}
		keep = append(keep, t)
	}
	c.timers = keep
}

// TestDebounce checks the batching rules with a fake clock: nothing is
// delivered before the quiet interval, and a continuous stream is cut at
// MaxDelay.
func TestDebounce(t *testing.T) {
	clock := newFakeClock()
	root, batches := start(t, watch.Config{Debounce: 100 * time.Millisecond, MaxDelay: 250 * time.Millisecond, Clock: clock},
		map[string]string{"content/a.md": "a"})
	timerSet := func() {
		t.Helper()
		select {
		case <-clock.waiting:
		case <-time.After(5 * time.Second):
			t.Fatal("the watcher did not see the change")
		}
	}
	none := func() {
		t.Helper()
		select {
		case b := <-batches:
			t.Fatalf("early batch %v", b.Paths)
		default:
		}
	}
	replace(t, root, "content/a.md", "1")
	timerSet()
	clock.Advance(99 * time.Millisecond)
	none()
	clock.Advance(time.Millisecond)
	expect(t, batches, "content/a.md")

	// A stream of changes every 90ms is delivered at 250ms.
	for i := range 3 {
		replace(t, root, "content/a.md", fmt.Sprint(i))
		timerSet()
		none()
		clock.Advance(90 * time.Millisecond)
	}
	expect(t, batches, "content/a.md")
}

// replace saves a file by renaming a temporary file over it, which the
// watcher sees as exactly one event.
func replace(t *testing.T, root, name, data string) {
	t.Helper()
	tmp := filepath.Join(root, "tmp-save")
	must(t, os.WriteFile(tmp, []byte(data), 0o644))
	must(t, os.Rename(tmp, filepath.Join(root, filepath.FromSlash(name))))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
