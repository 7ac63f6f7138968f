package serve_test

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestNoLeak rebuilds 1,000 times through the watcher, with a page listening
// to the events, and checks that goroutines and open files stay level.
func TestNoLeak(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	p := newPreview(t, site)
	ev := p.events(t)
	next(t, ev, "hello")
	until(t, ev, "first build", func() bool { code, _, _ := p.get(t, "/"); return code == 200 })
	rebuild := func(i int) {
		t.Helper()
		// Every tenth save is broken, so failed builds are covered too.
		if i%10 == 9 {
			writeFile(t, p.root, "content/huong-dan/a.md", "---\ntitle: [\n---\n")
			next(t, ev, "errors")
			return
		}
		writeFile(t, p.root, "content/huong-dan/a.md", fmt.Sprintf("---\ntitle: Bài một\n---\nLần %d.\n", i))
		next(t, ev, "reload")
	}
	for i := range 20 { // warm up: caches, pools, idle connections
		rebuild(i)
	}
	g0, f0 := runtime.NumGoroutine(), openFiles(t)
	for i := range n {
		rebuild(i)
	}
	// Goroutines that are ending may take a moment to be gone; wait for
	// them on the scheduler, not on a timer.
	var g1, f1 int
	deadline := time.Now().Add(5 * time.Second)
	for {
		g1, f1 = runtime.NumGoroutine(), openFiles(t)
		if g1 <= g0+2 && f1 <= f0+2 || time.Now().After(deadline) {
			break
		}
		runtime.Gosched()
	}
	if g1 > g0+2 {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before %d rebuilds, %d after\n%s", g0, n, g1, buf[:runtime.Stack(buf, true)])
	}
	if f1 > f0+2 {
		t.Errorf("open files: %d before %d rebuilds, %d after", f0, n, f1)
	}
	t.Logf("%d rebuilds: goroutines %d -> %d, open files %d -> %d", n, g0, g1, f0, f1)
}

func openFiles(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count open files: %v", err)
	}
	return len(fds)
}
