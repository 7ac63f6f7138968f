// Command peers measures loa side by side with Hugo + Pagefind on the same
// generated site (bench/gensite) and writes the results into
// bench/RESULTS.md. bench/peers.sh installs what it needs and runs it;
// `make bench-peers N=1000` runs that.
//
//	go run ./bench/peers -n 1000 -work /tmp/loa-peers/n1000 -hugo hugo -pagefind bench/.peers/node_modules/.bin/pagefind
//
// What it measures, in this order:
//
//   - full builds, alternated (loa, then Hugo + Pagefind, then the other way
//     round), -runs times each after one untimed warm-up build of each: wall
//     time and peak memory from /usr/bin/time -f '%e %M'; loa starts without
//     public/ and without its build-state folder, Hugo without public/ and
//     resources/;
//   - the search files each writes (loa: public/search/, Pagefind:
//     public/pagefind/): count, bytes, gzip bytes, the largest file;
//   - the first query, from an empty cache, for ten fixed queries: loa's
//     client in Node (internal/search/jstest/run-queries.js, LOA_TRACE=1,
//     which reports the bundle files it loads), Pagefind's in headless
//     Chromium against a loopback static server that logs every request;
//   - the preview: time from saving a page to the served page showing the
//     new text, for `loa serve` and `hugo server`, and for loa until its
//     /search endpoint finds the new word, with the CPU time each server
//     spends per save;
//   - publishing after a one-line edit: what `loa publish` copies, against
//     the files whose content changed between two Hugo + Pagefind builds.
//
// Every server it starts listens on 127.0.0.1 and is stopped on exit, also
// on Ctrl-C; their process ids are listed in WORK/servers.pid for
// bench/peers.sh's trap, in case this program is killed outright.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// MaxPages is the largest N the harness accepts (the same bound as gensite).
const MaxPages = 100000

type config struct {
	n        int
	nArg     string
	seed     uint64
	runs     int
	edits    int
	preview  bool
	work     string // working folder (sites, logs, binaries)
	repo     string // repository root
	results  string // RESULTS.md to update
	hugo     string
	pagefind string
	node     string
	chromium string
	timeBin  string
}

func main() {
	var c config
	flag.StringVar(&c.nArg, "n", "1000", fmt.Sprintf("number of generated pages (1 to %d)", MaxPages))
	flag.Uint64Var(&c.seed, "seed", 1, "gensite seed")
	flag.IntVar(&c.runs, "runs", 5, "timed full builds of each tool (alternated)")
	flag.IntVar(&c.edits, "edits", 5, "saves timed in each preview server")
	flag.BoolVar(&c.preview, "preview", true, "measure the preview servers (slow at 10,000 pages)")
	flag.StringVar(&c.work, "work", "", "working folder (default /tmp/loa-peers/nN); must be missing, empty or made by this program")
	flag.StringVar(&c.repo, "repo", ".", "repository root")
	flag.StringVar(&c.results, "results", "bench/RESULTS.md", "results file to update (its section for this N is replaced)")
	flag.StringVar(&c.hugo, "hugo", "hugo", "hugo command")
	flag.StringVar(&c.pagefind, "pagefind", "bench/.peers/node_modules/.bin/pagefind", "pagefind command")
	flag.StringVar(&c.node, "node", "node", "node command")
	flag.StringVar(&c.chromium, "chromium", "/usr/bin/chromium", "chromium for Pagefind's client")
	flag.StringVar(&c.timeBin, "time", "/usr/bin/time", "GNU time")
	flag.Parse()
	n, err := parseN(c.nArg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-peers:", err)
		os.Exit(2)
	}
	c.n = n
	if c.runs < 1 || c.edits < 1 {
		fmt.Fprintln(os.Stderr, "bench-peers: -runs and -edits must be at least 1")
		os.Exit(2)
	}
	if c.work == "" {
		c.work = filepath.Join(os.TempDir(), "loa-peers", fmt.Sprintf("n%d", n))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = run(ctx, &c)
	servers.stopAll()
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "bench-peers: interrupted; the servers it started are stopped")
		os.Exit(130)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-peers:", err)
		os.Exit(1)
	}
}

// parseN accepts a positive integer up to MaxPages, written plainly.
func parseN(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || strconv.Itoa(n) != s {
		//lint:ignore ST1005 N is the make variable the user typed
		return 0, fmt.Errorf("N=%q is not a number of pages: give a whole number from 1 to %d, e.g. make bench-peers N=1000", s, MaxPages)
	}
	if n > MaxPages {
		//lint:ignore ST1005 N is the make variable the user typed
		return 0, fmt.Errorf("N=%d is more pages than this harness is meant for (at most %d)", n, MaxPages)
	}
	return n, nil
}

// workMarker marks a working folder this program made.
const workMarker = ".bench-peers"

// prepareWork makes the working folder, refusing a non-empty folder without
// the marker. It keeps the folder's contents (gensite replaces its own
// folders), so a rerun reuses nothing but the space.
func prepareWork(dir string) error {
	ents, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	case err != nil:
		return err
	case len(ents) > 0:
		if _, err := os.Stat(filepath.Join(dir, workMarker)); err != nil {
			return fmt.Errorf("%s is not empty and was not made by bench-peers (no %s in it); it is left alone: choose another folder with BENCH_OUT or remove it yourself", dir, workMarker)
		}
	}
	for _, d := range []string{"logs", "bin"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, workMarker), []byte("Working folder of loa's bench/peers; the next run reuses it.\n"), 0o644)
}

func run(ctx context.Context, c *config) error {
	start := time.Now()
	var err error
	if c.repo, err = filepath.Abs(c.repo); err != nil {
		return err
	}
	// Paths relative to the repository root (commands without a slash are
	// looked up in PATH).
	for _, p := range []*string{&c.results, &c.pagefind, &c.hugo, &c.node, &c.chromium, &c.timeBin} {
		if !filepath.IsAbs(*p) && (p == &c.results || strings.Contains(*p, "/")) {
			*p = filepath.Join(c.repo, *p)
		}
	}
	if c.work, err = filepath.Abs(c.work); err != nil {
		return err
	}
	if err := prepareWork(c.work); err != nil {
		return err
	}
	servers.pidFile = filepath.Join(c.work, "servers.pid")
	os.Remove(servers.pidFile)
	r := &results{cfg: c, started: start}
	r.machine = describeMachine(ctx, c)
	r.loadStart = loadAvg()
	logf("bench-peers: N=%d, working folder %s", c.n, c.work)

	// Binaries: loa and gensite from this checkout.
	loaBin := filepath.Join(c.work, "bin", "loa")
	genBin := filepath.Join(c.work, "bin", "gensite")
	for _, b := range [][2]string{{loaBin, "./cmd/loa"}, {genBin, "./bench/gensite"}} {
		if _, err := runLogged(ctx, c, "go-build-"+filepath.Base(b[0]), c.repo, nil, "go", "build", "-o", b[0], b[1]); err != nil {
			return err
		}
	}
	t := &tools{cfg: c, loa: loaBin, loaSite: filepath.Join(c.work, "loa-site"), hugoSite: filepath.Join(c.work, "hugo-site")}
	logf("generating %d pages (seed %d)", c.n, c.seed)
	if _, err := runLogged(ctx, c, "gensite", c.repo, nil, genBin, "-n", strconv.Itoa(c.n), "-seed", strconv.FormatUint(c.seed, 10),
		"-repo", c.repo, "-out", t.loaSite, "-hugo", t.hugoSite); err != nil {
		return err
	}
	r.sourceFiles, r.sourceBytes = countMarkdown(filepath.Join(t.loaSite, "content", "bai"))

	if err := measureBuilds(ctx, t, r); err != nil {
		return err
	}
	if err := measureSearchFiles(t, r); err != nil {
		return err
	}
	if err := measureQueries(ctx, t, r); err != nil {
		return err
	}
	if c.preview {
		if err := measurePreview(ctx, t, r); err != nil {
			return err
		}
	}
	if err := measurePublish(ctx, t, r); err != nil {
		return err
	}
	r.loadEnd = loadAvg()
	r.elapsed = time.Since(start)
	if err := r.write(); err != nil {
		return err
	}
	logf("bench-peers: done in %s; results in %s", r.elapsed.Round(time.Second), c.results)
	return nil
}

func logf(format string, args ...any) {
	fmt.Printf("%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
