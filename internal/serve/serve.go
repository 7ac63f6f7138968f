// Package serve is loa's preview server: it builds the site in memory,
// serves it over HTTP on the loopback interface, rebuilds when a source file
// changes and reloads the open browser tabs.
//
// The model:
//
//   - Every build runs in memory through build.Builder, which keeps rendered
//     Markdown between builds, so an edit re-renders only the pages it
//     affects. public/ is never touched.
//   - The server keeps the last good site. A failed build changes nothing
//     that is served; its errors ("file:line:col: message") are printed in
//     the terminal and shown in an overlay on every open page until a build
//     succeeds again.
//   - HTML responses get one extra script tag, /__loa/live.js, which listens
//     to server-sent events at /__loa/events: "reload" after a successful
//     build (the page reloads and keeps its scroll position) and "errors"
//     after a failed one. The script is added when a file is served, never to
//     the built files themselves.
//   - Paths are looked up in the in-memory site only; anything that is not a
//     clean path inside it ("..", encoded slashes or backslashes, NUL bytes)
//     is refused. Symlinks that leave the site are rejected by the build, so
//     their targets are never in memory to begin with.
//   - Cancelling Run's ctx (Ctrl-C) stops the preview within stopWait,
//     whatever is running: builds take ctx and run on their own goroutine,
//     and a step that cannot be interrupted is left to end on its own,
//     publishing nothing.
//   - Only requests addressed to this machine are answered: their Host header
//     must be a loopback name or address (localhost, *.localhost, 127.x.y.z,
//     [::1]), the address the server is bound to or, when it is bound to
//     every interface (0.0.0.0, ::), one of the machine's own addresses or its
//     host name; any port. Anything else gets 403 with a short explanation,
//     on every path. Otherwise a web page whose name its owner makes resolve
//     to 127.0.0.1 (DNS rebinding) could read the preview, drafts included.
package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"loa/internal/build"
	"loa/internal/diag"
	"loa/internal/output"
	"loa/internal/watch"
)

// Config configures a Server. The zero value serves the current folder on
// 127.0.0.1:1313.
type Config struct {
	Root   string // site root (holds loa.yaml); "" means "."
	Addr   string // listen address; "" means "127.0.0.1:1313"; port 0 picks a free port
	Drafts bool   // include draft pages

	// Debounce is the quiet interval before a burst of file changes is
	// rebuilt; 0 means the watcher's default (10ms).
	Debounce time.Duration

	// Search is the hook to the search package (HOOK: wired by cmd/loa once
	// internal/search provides Build and Open). Nil disables /search and
	// serves the site without a search bundle.
	Search Search

	// Log receives one line per build and every diagnostic; nil discards.
	Log io.Writer
}

// Search connects the preview to a search index.
//
// Update is called after every successful build, before the browsers are
// told to reload; it returns the files of the static search bundle to serve
// along with the site (paths relative to the site root, e.g.
// "search/bundle.json"). An error is printed as a warning and the site is
// served without a fresh bundle.
//
// Query answers GET /search?q=…&lang=…: it gets the whole query string and
// returns a value that is encoded as JSON (for example []search.Hit). An
// error whose message is meant for the user is returned with status 400.
type Search interface {
	Update(ctx context.Context, res *build.Result) (output.Files, error)
	Query(ctx context.Context, q url.Values) (any, error)
}

// Server is a running preview. Create it with New, run it with Run.
type Server struct {
	cfg     Config
	ln      net.Listener
	hosts   hostPolicy // which Host headers are answered
	builder *build.Builder

	// build is builder.Build; tests replace it with builds that block.
	build func(ctx context.Context, opts build.Options) (*build.Result, error)
	// work is done when Run's watcher and build goroutines have ended,
	// which may be after Run returned (see Run).
	work sync.WaitGroup

	site atomic.Pointer[site] // last good site, nil before the first success

	mu      sync.Mutex
	state   state                      // what clients should show
	clients map[chan struct{}]struct{} // notified (without blocking) when state changes
}

// site is a successfully built site as served.
type site struct {
	files  output.Files
	bundle output.Files // the search bundle ("search/…"), apart: a save does not copy it
	build  int64
	pages  int
}

// file returns the served file at name: the site's own, else the search
// bundle's.
func (st *site) file(name string) ([]byte, bool) {
	if data, ok := st.files[name]; ok {
		return data, true
	}
	data, ok := st.bundle[name]
	return data, ok
}

// state is what every open page should show: the site of a build, or the
// errors of the last failed build.
type state struct {
	build  int64 // number of the last successful build
	failed int64 // number of the last build, when it failed; 0 when the last build succeeded
	errs   []Problem
}

// Problem is one diagnostic as sent to the browser overlay.
type Problem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Message  string `json:"message"`
	Warning  bool   `json:"warning,omitempty"`
	Position string `json:"position"` // "file:line:col"
}

// New checks the configuration and opens the listener, so that Addr is
// known before Run. The site is built by Run.
func New(cfg Config) (*Server, error) {
	if cfg.Root == "" {
		cfg.Root = "."
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:1313"
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if _, err := os.Stat(cfg.Root); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, err
	}
	srv := &Server{cfg: cfg, ln: ln, hosts: newHostPolicy(ln.Addr(), cfg.Addr), builder: build.New(), clients: map[chan struct{}]struct{}{}}
	srv.build = srv.builder.Build
	if n, ok := cfg.Search.(interface{ setNotify(func(output.Files)) }); ok {
		n.setNotify(srv.swapBundle)
	}
	return srv, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the address to open in a browser.
func (s *Server) URL() string {
	a := s.ln.Addr().(*net.TCPAddr)
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(a.Port)) + "/"
}

// Loopback reports whether the server is reachable from this machine only.
func (s *Server) Loopback() bool {
	a, ok := s.ln.Addr().(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}

// stopWait bounds how long Run takes to return once its ctx is cancelled:
// open connections get this long to finish before they are closed, and a
// build this long to notice the cancellation. Together with printing a line,
// it keeps Ctrl-C under half a second.
const stopWait = 200 * time.Millisecond

// Run builds the site, serves it and rebuilds on every change until ctx is
// cancelled. It returns nil after a clean shutdown, within stopWait of the
// cancellation whatever is running then: a build step that cannot be
// interrupted (Bleve indexing one batch, goldmark rendering one page) or a
// watcher still walking folders is left to end on its own, and publishes
// nothing. Run is for one use per Server.
func (s *Server) Run(ctx context.Context) error {
	w, err := watch.New(watch.Config{Root: s.cfg.Root, Debounce: s.cfg.Debounce})
	if err != nil {
		s.ln.Close()
		return fmt.Errorf("cannot watch %s: %w", s.cfg.Root, err)
	}
	s.builder.Watch(true) // every change reaches it through Invalidate
	// rctx ends the watcher and the builds, on cancellation or when the
	// listener fails.
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		w.Run(rctx)
	}()

	// Server-sent event streams never end on their own: they watch
	// baseCtx, which is cancelled before Shutdown waits for handlers.
	baseCtx, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return baseCtx },
	}
	serveErr := make(chan error, 1)
	served := make(chan struct{})
	go func() {
		defer close(served)
		serveErr <- hs.Serve(s.ln)
	}()

	// Builds run on their own goroutine, so that cancellation is noticed at
	// once whatever a build is doing. Serve first: on a large site the first
	// build takes a while, and a browser opened meanwhile gets the
	// placeholder, which reloads when the build is done. Changes that arrive
	// during a build wait in the watcher, which merges them into one batch.
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		s.rebuild(rctx, nil)
		for {
			select {
			case <-rctx.Done():
				return
			case b, ok := <-w.Batches():
				if !ok {
					return // the watcher stops only when rctx is done
				}
				paths := b.Paths
				// Batches that arrived during the last build are one burst:
				// build once for all of them, so a half-done burst (files
				// deleted one by one) never shows an error overlay.
			drain:
				for {
					select {
					case nb, ok := <-w.Batches():
						if !ok {
							break drain
						}
						b.Errors = append(b.Errors, nb.Errors...)
						b.Overflow = b.Overflow || nb.Overflow
						paths = append(paths, nb.Paths...)
					default:
						break drain
					}
				}
				for _, e := range b.Errors {
					fmt.Fprintf(s.cfg.Log, "loa: watch: %s\n", diag.Printable(e.Error()))
				}
				if len(b.Errors) > 0 {
					// A folder the watcher could not watch changes unseen:
					// walk content/ at every build from now on.
					s.builder.Watch(false)
				}
				if b.Overflow {
					s.builder.InvalidateAll()
				}
				s.builder.Invalidate(paths)
				s.rebuild(rctx, paths)
			}
		}
	}()

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-serveErr:
	}
	deadline := time.Now().Add(stopWait)
	stop()
	cancelBase()
	sctx, cancel := context.WithDeadline(context.Background(), deadline)
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close() // a connection still busy (a large download, a slow client)
	}
	cancel()
	<-served // Serve returns as soon as Shutdown or Close is called
	ended := make(chan struct{})
	go func() {
		s.work.Wait()
		close(ended)
	}()
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-ended:
	case <-t.C:
	}
	return runErr
}

// rebuild builds the site and publishes the result to every open page.
// Nothing is printed or published once ctx is cancelled.
func (s *Server) rebuild(ctx context.Context, changed []string) {
	start := time.Now()
	res, err := s.build(ctx, build.Options{FS: os.DirFS(s.cfg.Root), Drafts: s.cfg.Drafts})
	if ctx.Err() != nil {
		return
	}
	why := ""
	if len(changed) == 1 {
		why = " after a change to " + diag.Printable(changed[0])
	} else if len(changed) > 1 {
		why = fmt.Sprintf(" after changes to %d files", len(changed))
	}
	s.mu.Lock()
	n := max(s.state.build, s.state.failed) + 1
	s.mu.Unlock()
	if err != nil {
		errs := diagnostics(err)
		for _, e := range errs {
			fmt.Fprintln(s.cfg.Log, logLine(e))
		}
		probs := problems(errs)
		if s.site.Load() != nil {
			fmt.Fprintf(s.cfg.Log, "loa: build failed%s; still serving the last good version\n", why)
		} else {
			fmt.Fprintf(s.cfg.Log, "loa: build failed%s\n", why)
		}
		s.publish(state{build: s.currentBuild(), failed: n, errs: probs})
		return
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(s.cfg.Log, logLine(w))
	}
	var bundle output.Files
	if s.cfg.Search != nil {
		var err error
		bundle, err = s.cfg.Search.Update(ctx, res)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			fmt.Fprintf(s.cfg.Log, "loa: warning: search index not updated: %s\n", diag.Printable(err.Error()))
		}
	}
	s.site.Store(&site{files: res.Files, bundle: bundle, build: n, pages: len(res.Pages)})
	fmt.Fprintf(s.cfg.Log, "loa: built %d pages in %s%s\n", len(res.Pages), time.Since(start).Round(time.Millisecond), why)
	s.publish(state{build: n})
}

// swapBundle serves a search bundle that finished after its build.
func (s *Server) swapBundle(bundle output.Files) {
	for {
		old := s.site.Load()
		if old == nil {
			return
		}
		next := &site{files: old.files, bundle: bundle, build: old.build, pages: old.pages}
		if s.site.CompareAndSwap(old, next) {
			return
		}
	}
}

func (s *Server) currentBuild() int64 {
	if st := s.site.Load(); st != nil {
		return st.build
	}
	return 0
}

// publish makes st the state of every open page.
func (s *Server) publish(st state) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = st
	for c := range s.clients {
		select {
		case c <- struct{}{}:
		default: // already notified; it reads the newest state
		}
	}
}

// diagnostics returns the problems of a build error, sorted.
func diagnostics(err error) []*diag.Error {
	var list *diag.List
	if errors.As(err, &list) {
		return list.Sorted()
	}
	var de *diag.Error
	if !errors.As(err, &de) {
		de = &diag.Error{Msg: err.Error()}
	}
	return []*diag.Error{de}
}

// problems turns diagnostics into the overlay's list. The text is not
// escaped: the overlay shows it with textContent.
func problems(errs []*diag.Error) []Problem {
	var out []Problem
	for _, e := range errs {
		msg, pos := e.Message(), ""
		if e.Severity == diag.SevWarning {
			msg = "warning: " + msg
		}
		if e.Pos.File != "" {
			pos = e.Pos.String()
		}
		out = append(out, Problem{File: e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col, Message: msg, Warning: e.Severity == diag.SevWarning, Position: pos})
	}
	return out
}

// logLine is how a diagnostic is printed in the terminal: escaped (see
// diag.Printable), and without the empty position of an error that has
// none.
func logLine(e *diag.Error) string {
	if e.Pos.File == "" {
		return diag.Printable(e.Message())
	}
	return e.Error()
}

// events streams the server's state to one page as server-sent events.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)

	notify := make(chan struct{}, 1)
	s.mu.Lock()
	s.clients[notify] = struct{}{}
	st := s.state
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, notify)
		s.mu.Unlock()
	}()

	send := func(event string, v any) bool {
		data, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data); err != nil {
			return false
		}
		fl.Flush()
		return true
	}
	// The page says which build it shows: a build that finished between
	// serving the page and this request makes it reload at once.
	if !send("hello", map[string]any{"build": st.build}) {
		return
	}
	sentFailed := int64(0)
	if st.failed != 0 {
		if !send("errors", map[string]any{"build": st.failed, "errors": st.errs}) {
			return
		}
		sentFailed = st.failed
	}
	sentBuild := st.build
	keepAlive := time.NewTicker(20 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keepAlive.C:
			if _, err := io.WriteString(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		case <-notify:
			s.mu.Lock()
			st := s.state
			s.mu.Unlock()
			switch {
			case st.failed != 0 && st.failed != sentFailed:
				if !send("errors", map[string]any{"build": st.failed, "errors": st.errs}) {
					return
				}
				sentFailed = st.failed
			case st.failed == 0 && st.build != sentBuild:
				if !send("reload", map[string]any{"build": st.build}) {
					return
				}
				sentBuild, sentFailed = st.build, 0
			}
		}
	}
}
