// Package watch reports changes to a site's source files in batches. It is
// the only importer of fsnotify.
//
// A Watcher watches the site root (for loa.yaml and for the source folders
// appearing or disappearing) and every folder below content/, layouts/,
// static/ and i18n/, including folders created or renamed while it runs.
// Editors save in many ways: in place, by writing a temporary file and
// renaming it over the original (vim, most IDEs), or by deleting and
// recreating the file. The watcher does not try to tell these apart: it
// collects the names of everything that changed, waits until the file system
// has been quiet for the debounce interval, and delivers one Batch. The
// consumer then reads the current state from disk, so whatever happened in
// between, the last batch of a burst always leads to the state on disk.
//
// While the consumer is busy (rebuilding the site), new changes keep
// accumulating into the next batch instead of queueing up one batch per
// event.
package watch

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDirs are the folders of a site that affect its build, and
// DefaultFiles the files at the root.
var (
	DefaultDirs  = []string{"content", "layouts", "static", "i18n"}
	DefaultFiles = []string{"loa.yaml"}
)

// Config says what to watch and how to batch.
type Config struct {
	Root  string   // the site root
	Dirs  []string // folders under Root watched recursively; nil means DefaultDirs
	Files []string // files directly under Root; nil means DefaultFiles

	// Debounce is how long the file system must stay quiet before a batch
	// is delivered; 0 means 10ms (an editor's save, however it renames and
	// deletes, is a burst of microseconds). MaxDelay bounds how long a
	// continuous stream of changes can hold a batch back; 0 means 400ms.
	Debounce time.Duration
	MaxDelay time.Duration
	// Clock measures the intervals; nil means the real clock. Tests inject a
	// fake one.
	Clock Clock
}

// Clock is the source of time of a Watcher.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Batch is a set of changes that arrived together.
type Batch struct {
	// Paths are the changed files and folders, slash-separated and relative
	// to the root ("content/huong-dan/a.md"), sorted, without duplicates.
	Paths []string
	// Overflow says that the operating system dropped events: anything may
	// have changed.
	Overflow bool
	// Errors are problems of the watcher itself (a folder that could not be
	// watched); the watch goes on.
	Errors []error
}

// Watcher watches a site. Create it with New, start it with Run.
type Watcher struct {
	cfg  Config
	root string
	fsw  *fsnotify.Watcher
	out  chan Batch
	dirs map[string]bool // watched folders below the root, as OS paths
}

// New sets up the watches. Close it by cancelling the context given to Run,
// or with Close if Run is never called.
func New(cfg Config) (*Watcher, error) {
	if cfg.Dirs == nil {
		cfg.Dirs = DefaultDirs
	}
	if cfg.Files == nil {
		cfg.Files = DefaultFiles
	}
	if cfg.Debounce <= 0 {
		cfg.Debounce = 10 * time.Millisecond
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = 400 * time.Millisecond
	}
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	root, err := filepath.Abs(cfg.Root)
	if err != nil {
		return nil, err
	}
	fsw, err := fsnotify.NewBufferedWatcher(1024)
	if err != nil {
		return nil, err
	}
	w := &Watcher{cfg: cfg, root: root, fsw: fsw, out: make(chan Batch), dirs: map[string]bool{}}
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, err := range w.sync() {
		fsw.Close()
		return nil, err
	}
	return w, nil
}

// Batches delivers the batches. It is closed when Run returns.
func (w *Watcher) Batches() <-chan Batch { return w.out }

// Close releases the watches. Run calls it on return.
func (w *Watcher) Close() error { return w.fsw.Close() }

// Run watches until ctx is cancelled, then closes the watcher and the
// Batches channel.
func (w *Watcher) Run(ctx context.Context) error {
	defer close(w.out)
	defer w.fsw.Close()
	var (
		pending  = map[string]bool{}
		overflow bool
		errs     []error
		dirEvent bool      // a folder may have appeared or gone: resync watches
		first    time.Time // when the pending batch started
		quiet    <-chan time.Time
		out      chan Batch // non-nil when a batch is ready to deliver
		ready    Batch
	)
	flush := func() {
		if dirEvent || overflow {
			// Add watches for new folders and report the files found in
			// them: they may have been written before the watch existed.
			for _, p := range w.newFiles() {
				pending[p] = true
			}
			errs = append(errs, w.sync()...)
			dirEvent = false
		}
		paths := make([]string, 0, len(pending))
		for p := range pending {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		// Merge into a batch the consumer has not taken yet.
		ready = merge(ready, Batch{Paths: paths, Overflow: overflow, Errors: errs})
		out = w.out
		pending, overflow, errs, quiet = map[string]bool{}, false, nil, nil
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return nil
			}
			rel, relevant := w.relevant(ev.Name)
			if !relevant {
				continue
			}
			if ev.Op == fsnotify.Chmod {
				continue // touch, permission change, antivirus scans: nothing to rebuild
			}
			if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
				w.forget(ev.Name)
				dirEvent = true
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
					dirEvent = true
				}
			}
			if len(pending) == 0 && !overflow {
				first = w.cfg.Clock.Now()
			}
			pending[rel] = true
			quiet = w.wait(first)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				if len(pending) == 0 && !overflow {
					first = w.cfg.Clock.Now()
				}
				overflow = true
				quiet = w.wait(first)
				continue
			}
			errs = append(errs, err)
			if quiet == nil {
				first = w.cfg.Clock.Now()
				quiet = w.wait(first)
			}
		case <-quiet:
			flush()
		case out <- ready:
			ready, out = Batch{}, nil
		}
	}
}

// wait returns the channel that fires when the pending batch should be
// delivered: after Debounce of quiet, but no later than MaxDelay after the
// batch started.
func (w *Watcher) wait(first time.Time) <-chan time.Time {
	d := w.cfg.Debounce
	if left := w.cfg.MaxDelay - w.cfg.Clock.Now().Sub(first); left < d {
		d = max(left, 0)
	}
	return w.cfg.Clock.After(d)
}

func merge(a, b Batch) Batch {
	if len(a.Paths) == 0 && !a.Overflow && len(a.Errors) == 0 {
		return b
	}
	seen := map[string]bool{}
	var paths []string
	for _, p := range append(a.Paths, b.Paths...) {
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	return Batch{Paths: paths, Overflow: a.Overflow || b.Overflow, Errors: append(a.Errors, b.Errors...)}
}

// relevant tells whether an event path matters to the site and returns it
// relative to the root. Editor droppings (".x.swp", "x~", vim's "4913",
// emacs' "#x#") are ignored: the loader skips them too.
func (w *Watcher) relevant(name string) (string, bool) {
	rel, err := filepath.Rel(w.root, name)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	top, _, _ := strings.Cut(rel, "/")
	if !w.isTop(top, rel == top) {
		return "", false
	}
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || base == "4913" ||
		strings.HasPrefix(base, "#") || strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swx") {
		return "", false
	}
	return rel, true
}

func (w *Watcher) isTop(name string, atRoot bool) bool {
	for _, d := range w.cfg.Dirs {
		if name == d {
			return true
		}
	}
	if atRoot {
		for _, f := range w.cfg.Files {
			if name == f {
				return true
			}
		}
	}
	return false
}

// forget drops the watches of a folder that was removed or renamed away and
// of everything below it. Inotify keeps watching a renamed folder under its
// old name, so leaving them would report later changes under a wrong path.
func (w *Watcher) forget(name string) {
	for d := range w.dirs {
		if d == name || strings.HasPrefix(d, name+string(filepath.Separator)) {
			_ = w.fsw.Remove(d) // it may be gone already
			delete(w.dirs, d)
		}
	}
}

// sync makes the watched folders match the folders on disk.
func (w *Watcher) sync() []error {
	var errs []error
	now := map[string]bool{}
	for _, d := range w.cfg.Dirs {
		top := filepath.Join(w.root, d)
		err := filepath.WalkDir(top, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					errs = append(errs, err)
				}
				return nil
			}
			if !e.IsDir() {
				return nil
			}
			if p != top && strings.HasPrefix(e.Name(), ".") {
				return filepath.SkipDir
			}
			now[p] = true
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	for d := range w.dirs {
		if !now[d] {
			_ = w.fsw.Remove(d)
			delete(w.dirs, d)
		}
	}
	for d := range now {
		if w.dirs[d] {
			continue
		}
		if err := w.fsw.Add(d); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		w.dirs[d] = true
	}
	return errs
}

// newFiles lists the files inside folders that are not watched yet.
func (w *Watcher) newFiles() []string {
	var out []string
	for _, d := range w.cfg.Dirs {
		top := filepath.Join(w.root, d)
		_ = filepath.WalkDir(top, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if e.IsDir() {
				if p != top && strings.HasPrefix(e.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if w.dirs[filepath.Dir(p)] {
				return nil
			}
			if rel, ok := w.relevant(p); ok {
				out = append(out, rel)
			}
			return nil
		})
	}
	return out
}
