package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"
)

type results struct {
	cfg              *config
	started          time.Time
	elapsed          time.Duration
	machine          []string
	loadStart        string
	loadEnd          string
	sourceFiles      int
	sourceBytes      int64
	builds           []buildRun
	loaFiles         fileSet
	pfFiles          fileSet
	runQueriesHeader string
	loaQueries       []queryCost
	pfQueries        []queryCost
	editPage         string
	loaPreview       previewSession
	hugoPreview      previewSession
	publish          publishResult
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func cmdOut(ctx context.Context, dir, prog string, args ...string) string {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	return strings.TrimSpace(string(out))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// lineWith returns the first line of s that contains word, else s's first line.
func lineWith(s, word string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, word) {
			return strings.TrimSpace(l)
		}
	}
	return firstLine(s)
}

func describeMachine(ctx context.Context, c *config) []string {
	cpu := "unknown"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^model name\s*:\s*(.*)$`).FindStringSubmatch(string(b)); m != nil {
			cpu = m[1]
		}
	}
	mem := "unknown"
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^MemTotal:\s*(\d+) kB`).FindStringSubmatch(string(b)); m != nil {
			var kb int64
			fmt.Sscan(m[1], &kb)
			mem = fmt.Sprintf("%s kB (%.1f GiB)", m[1], float64(kb)/(1<<20))
		}
	}
	debian := strings.TrimSpace(cmdOut(ctx, "/", "cat", "/etc/debian_version"))
	commit := cmdOut(ctx, c.repo, "git", "rev-parse", "--short", "HEAD")
	branch := cmdOut(ctx, c.repo, "git", "rev-parse", "--abbrev-ref", "HEAD")
	if st := cmdOut(ctx, c.repo, "git", "status", "--porcelain", "--untracked-files=no"); st != "" && !strings.HasPrefix(st, "unknown") {
		commit += " with uncommitted changes"
	}
	return []string{
		fmt.Sprintf("machine: `nproc` %s (%s), memory %s, %s, Debian %s",
			cmdOut(ctx, "/", "nproc"), cpu, mem, cmdOut(ctx, "/", "uname", "-sr"), debian),
		fmt.Sprintf("loa: commit %s (branch %s), built with `%s` (`go build`)", commit, branch, cmdOut(ctx, c.repo, "go", "version")),
		fmt.Sprintf("Hugo: `%s`", firstLine(cmdOut(ctx, "/", c.hugo, "version"))),
		fmt.Sprintf("Pagefind: `%s` (npm, %s)", cmdOut(ctx, c.repo, c.pagefind, "--version"), c.pagefind),
		fmt.Sprintf("Node: `%s`; Chromium: `%s`; GNU time: Debian package `time` %s", cmdOut(ctx, "/", c.node, "--version"),
			lineWith(cmdOut(ctx, "/", c.chromium, "--version"), "Chromium"), cmdOut(ctx, "/", "dpkg-query", "-W", "-f", "${Version}", "time")),
		fmt.Sprintf("harness: Go %s on %d logical CPUs", runtime.Version(), runtime.NumCPU()),
	}
}

// stats of a sample: median (mean of the middle two for an even count),
// minimum and maximum.
type stats struct{ med, min, max float64 }

func statsOf(xs []float64) stats {
	if len(xs) == 0 {
		return stats{}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stats{m, s[0], s[len(s)-1]}
}

func num(x float64) string {
	s := fmt.Sprintf("%.3f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func (s stats) secs() string {
	return fmt.Sprintf("%s s (%s-%s)", num(s.med), num(s.min), num(s.max))
}

func (s stats) ms() string {
	return fmt.Sprintf("%.1f ms (%.1f-%.1f)", s.med, s.min, s.max)
}

func (s stats) mib() string {
	return fmt.Sprintf("%.1f MiB (%.1f-%.1f)", s.med/1024, s.min/1024, s.max/1024)
}

func ratio(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func human(b int64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.2f MiB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d B", b)
}

func bytesCell(b int64) string { return fmt.Sprintf("%d B (%s)", b, human(b)) }

func (r *results) section() string {
	c := r.cfg
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	var loaWall, loaKiB, hugoWall, pfWall, peersWall, peersKiB []float64
	for _, x := range r.builds {
		loaWall = append(loaWall, x.loa.wall)
		loaKiB = append(loaKiB, float64(x.loa.kib))
		hugoWall = append(hugoWall, x.hugo.wall)
		pfWall = append(pfWall, x.pagefind.wall)
		peersWall = append(peersWall, x.peersWall())
		peersKiB = append(peersKiB, float64(x.peersKiB()))
	}
	lw, lm, pw, pm := statsOf(loaWall), statsOf(loaKiB), statsOf(peersWall), statsOf(peersKiB)
	hw, pfw := statsOf(hugoWall), statsOf(pfWall)

	w("## N = %d pages\n\n", c.n)
	w("Measured %s (UTC) by `make bench-peers N=%d` (bench/peers.sh, bench/peers/); the whole run took %s. ",
		r.started.UTC().Format("2006-01-02 15:04"), c.n, r.elapsed.Round(time.Second))
	w("Load average (1, 5, 15 min) at the start %s, at the end %s: the machine is shared, so other work can slow either tool.\n\n", r.loadStart, r.loadEnd)
	for _, m := range r.machine {
		w("- %s\n", m)
	}
	w("- site: %d generated pages (bench/gensite, seed %d: two in three Vietnamese, the rest English; %d bytes of Markdown) plus home, section (one per 100 pages, in each language) and about pages; the same Markdown files in both sites. loa builds it with the repository's layouts, Hugo with a minimal layout whose `data-pagefind-body` holds the title and text.\n\n",
		r.sourceFiles, c.seed, r.sourceBytes)

	w("### Summary (ratio = loa / Hugo + Pagefind; below 1 is better for loa)\n\n")
	w("| measure | loa | Hugo + Pagefind | ratio |\n| --- | --- | --- | --- |\n")
	w("| full build, wall, median (min-max) of %d | %s | %s (Hugo %s, Pagefind %s) | %s |\n", len(r.builds), lw.secs(), pw.secs(), num(hw.med), num(pfw.med), ratio(lw.med, pw.med))
	w("| full build, peak memory (max RSS), median (min-max) | %s | %s | %s |\n", lm.mib(), pm.mib(), ratio(lm.med, pm.med))
	w("| loa against Hugo alone (no search), wall | %s | %s | %s |\n", num(lw.med)+" s", num(hw.med)+" s", ratio(lw.med, hw.med))
	lf, pf := r.loaFiles, r.pfFiles
	w("| search files (loa `public/search/`, Pagefind `public/pagefind/`) | %d | %d | %s |\n", lf.files, pf.files, ratio(float64(lf.files), float64(pf.files)))
	w("| search files, bytes | %s | %s | %s |\n", bytesCell(lf.raw), bytesCell(pf.raw), ratio(float64(lf.raw), float64(pf.raw)))
	w("| search files, bytes with gzip | %s | %s | %s |\n", bytesCell(lf.gz), bytesCell(pf.gz), ratio(float64(lf.gz), float64(pf.gz)))
	w("| largest search file | `%s` %s | `%s` %s | %s |\n", lf.largest, bytesCell(lf.largestRaw), pf.largest, bytesCell(pf.largestRaw), ratio(float64(lf.largestRaw), float64(pf.largestRaw)))
	if len(r.loaQueries) > 0 {
		var lr, lb, pr, pb []float64
		maxReq := [2]int{}
		for i := range r.loaQueries {
			lr = append(lr, float64(r.loaQueries[i].requests))
			lb = append(lb, float64(r.loaQueries[i].bytes))
			pr = append(pr, float64(r.pfQueries[i].requests))
			pb = append(pb, float64(r.pfQueries[i].bytes))
			maxReq[0] = max(maxReq[0], r.loaQueries[i].requests)
			maxReq[1] = max(maxReq[1], r.pfQueries[i].requests)
		}
		slr, slb, spr, spb := statsOf(lr), statsOf(lb), statsOf(pr), statsOf(pb)
		w("| first query, requests, median (min-max) of the %d queries | %s (%s-%s) | %s (%s-%s) | %s |\n", len(queries), num(slr.med), num(slr.min), num(slr.max), num(spr.med), num(spr.min), num(spr.max), ratio(slr.med, spr.med))
		w("| first query, bytes with gzip, median (min-max) | %s (%s-%s) | %s (%s-%s) | %s |\n", human(int64(slb.med)), human(int64(slb.min)), human(int64(slb.max)), human(int64(spb.med)), human(int64(spb.min)), human(int64(spb.max)), ratio(slb.med, spb.med))
	}
	p := r.publish
	w("| publish after a one-line edit: files to copy | %d (`loa publish`: \"%s\") | %d (changed in `public/`, %d of them in `pagefind/`) | %s |\n",
		p.loaDiff.files, p.loaCopied, p.peersDiff.files, subFiles(p.peersDiff, "pagefind/"), ratio(float64(p.loaDiff.files), float64(p.peersDiff.files)))
	w("| publish after a one-line edit: bytes to copy | %s | %s | %s |\n", bytesCell(p.loaDiff.bytes), bytesCell(p.peersDiff.bytes), ratio(float64(p.loaDiff.bytes), float64(p.peersDiff.bytes)))
	w("| rebuild after that edit, wall (one run) | %s s, %.1f MiB (keeps public/ and .loa/) | %s s (Hugo %s + Pagefind %s), %.1f MiB | %s |\n",
		p.loaRebuild.wallText, float64(p.loaRebuild.kib)/1024, num(p.hugoRebuild.wall+p.pfRebuild.wall), p.hugoRebuild.wallText, p.pfRebuild.wallText,
		float64(max(p.hugoRebuild.kib, p.pfRebuild.kib))/1024, ratio(p.loaRebuild.wall, p.hugoRebuild.wall+p.pfRebuild.wall))
	if c.preview {
		lr, ls, lc := r.loaPreview.series()
		hr, _, hc := r.hugoPreview.series()
		w("| preview: save to reloaded page, median (min-max) of %d | %s | `hugo server` %s | %s |\n", len(lr), statsOf(lr).ms(), statsOf(hr).ms(), ratio(statsOf(lr).med, statsOf(hr).med))
		w("| preview: save to search finding the new word | %s | n/a (no search in `hugo server`) | |\n", statsOf(ls).ms())
		w("| preview: server CPU per save | %s | %s | %s |\n", statsOf(lc).secs(), statsOf(hc).secs(), ratio(statsOf(lc).med, statsOf(hc).med))
	} else {
		w("| preview | not measured (-preview=false) | | |\n")
	}

	w("\n### Full builds, every run\n\n")
	w("Each run builds from scratch: loa without `public/` and `.loa/`, Hugo without `public/` and `resources/`, then Pagefind over Hugo's output. One untimed build of each came first (warm file cache). Times and peaks are `/usr/bin/time -f '%%e %%M'` as printed (seconds; KiB of maximum resident set size); Hugo + Pagefind is the sum of the two walls and the larger of the two peaks.\n\n")
	w("| run | order | loa wall | loa peak | Hugo wall | Hugo peak | Pagefind wall | Pagefind peak | Hugo + Pagefind wall |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for i, x := range r.builds {
		w("| %d | %s | %s s | %d KiB | %s s | %d KiB | %s s | %d KiB | %s s |\n", i+1, x.order, x.loa.wallText, x.loa.kib, x.hugo.wallText, x.hugo.kib, x.pagefind.wallText, x.pagefind.kib, num(x.peersWall()))
	}

	w("\n### Search files\n\n")
	w("Bytes with gzip: each file compressed with Go's compress/gzip at the default level, except files that are gzip data already (Pagefind's index, fragments and wasm), counted as they are.\n\n")
	w("- loa `public/search/`: %d files, %s, %s with gzip; by kind: %s. The client scripts are outside it: %s, %s (%s with gzip).\n",
		lf.files, bytesCell(lf.raw), bytesCell(lf.gz), kinds(lf.kinds), strings.Join(lf.clientFileList, " and "), bytesCell(lf.clientRaw), bytesCell(lf.clientGz))
	w("- Pagefind `public/pagefind/`: %d files, %s, %s with gzip (including its UI scripts and styles); by kind: %s.\n", pf.files, bytesCell(pf.raw), bytesCell(pf.gz), kinds(pf.kinds))

	if len(r.loaQueries) > 0 {
		w("\n### First query, from an empty cache\n\n")
		w("loa: `LOA_TRACE=1 node internal/search/jstest/run-queries.js public/search` (a fresh engine per query, which also loads the documents of the first 10 hits); the files it reports plus `js/search.js`, which the search page loads. Pagefind: headless Chromium, a fresh browser context per query on the home page of the query's language, `import('/pagefind/pagefind.js')`, `init()`, `search(q)`, then `data()` of the first 10 results; every request under `/pagefind/` on the loopback server counts. Both search the pages of the query's language (loa with `lang`, as its search page does by default). \"data\" leaves out client code (loa: `search.js`; Pagefind: `pagefind*.js` and `wasm.*`).\n\n")
		w("| # | kind | query | lang | loa hits | loa requests | loa bytes gzip | loa data | Pagefind hits | Pagefind requests | Pagefind bytes gzip | Pagefind data | ratio bytes | ratio data |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
		for i, q := range queries {
			l, f := r.loaQueries[i], r.pfQueries[i]
			w("| %d | %s | `%s` | %s | %s | %d | %d | %d | %s | %d | %d | %d | %s | %s |\n", i+1, q.Kind, q.Q, q.Lang,
				hitsCell(l), l.requests, l.bytes, l.dataBytes, hitsCell(f), f.requests, f.bytes, f.dataBytes,
				ratio(float64(l.bytes), float64(f.bytes)), ratio(float64(l.dataBytes), float64(f.dataBytes)))
		}
		w("\nHits are not comparable counts: loa's are documents (a page, or an article or section of a long page; Vietnamese matched with and without diacritics, a word missing from the index with fuzziness, the last word as a prefix), Pagefind's are pages.\n")
		w("\nFiles of the first query (`%s`): loa %s; Pagefind %s.\n", queries[0].Q, strings.Join(r.loaQueries[0].files, ", "), strings.Join(r.pfQueries[0].files, ", "))
	}

	if c.preview {
		w("\n### Preview\n\n")
		w("The same one-line edit (a new word appended to the first paragraph of `%s`, a different word each save) saved %d times into each server's site; the time runs from the write to the first response of the page that contains the word (polling the %s), and for loa to the first `/search?q=WORD&lang=vi` that finds it (polling %s). CPU: user + system time of the server process from before the save until it has been idle for 600 ms (clock ticks of 10 ms). Start-up (to the page served%s): loa serve %s, hugo server %s.\n\n",
			r.editPage, c.edits, "page every 20 ms", "every 100 ms", ", and for loa its search answering", r.loaPreview.startup.Round(time.Millisecond), r.hugoPreview.startup.Round(time.Millisecond))
		w("| save | loa reload | loa search | loa CPU | hugo reload | hugo CPU |\n| --- | --- | --- | --- | --- | --- |\n")
		for i := range max(len(r.loaPreview.edits), len(r.hugoPreview.edits)) {
			var l, h previewEdit
			if i < len(r.loaPreview.edits) {
				l = r.loaPreview.edits[i]
			}
			if i < len(r.hugoPreview.edits) {
				h = r.hugoPreview.edits[i]
			}
			w("| %d | %.1f ms | %.1f ms | %.2f s | %.1f ms | %.2f s |\n", i+1, msOf(l.reload), msOf(l.search), l.cpu, msOf(h.reload), h.cpu)
			if l.err != "" || h.err != "" {
				w("| | %s | | | %s | |\n", l.err, h.err)
			}
		}
	}

	w("\n### Publish after a one-line edit\n\n")
	w("loa: `loa build`, `loa publish --to portal` (first: %s), the edit (a word appended to the first paragraph of `%s`), `loa build` again (keeping `public/` and `.loa/`), `loa publish --to portal`: \"%s\". Compared by content, `public/` changed in %d files (%s; %s), %d removed.\n\n",
		quote(p.loaFirst), r.editPage, quote(p.loaSummary), p.loaDiff.files, bytesCell(p.loaDiff.bytes), subs(p.loaDiff), p.loaDiff.removed)
	w("Hugo + Pagefind: a full build, the same edit, `hugo` and `pagefind` again over the same `public/`; files whose content differs (new or changed) are what a content-comparing copy (rsync --checksum) sends: %d files, %s (%s); %d files of the first build are gone from a clean build of the edit and count as removed (Hugo and Pagefind leave %d such stale files in place).\n",
		p.peersDiff.files, bytesCell(p.peersDiff.bytes), subs(p.peersDiff), p.peersDiff.removed, p.pfStaleFiles)

	w("\n### Notes\n\n")
	w("- Every number above is as measured in this one run; medians and ratios are computed from them, nothing else is adjusted. The logs of every command are in the working folder (`%s/logs`).\n", c.work)
	w("- loa's run-queries.js header at the time of the run:\n\n```\n%s```\n", r.runQueriesHeader)
	return b.String()
}

func quote(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", " / ")
}

func hitsCell(q queryCost) string {
	if q.err != "" {
		return fmt.Sprintf("%d (error: %s)", q.hits, q.err)
	}
	return fmt.Sprint(q.hits)
}

func subFiles(c change, k string) int {
	if s := c.sub[k]; s != nil {
		return s.files
	}
	return 0
}

func subs(c change) string {
	var keys []string
	for k := range c.sub {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		s := c.sub[k]
		parts = append(parts, fmt.Sprintf("%s: %d files, %d B, %d removed", k, s.files, s.bytes, s.removed))
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, "; ")
}

func kinds(m map[string]int) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("`%s` %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (s previewSession) series() (reload, search, cpu []float64) {
	for _, e := range s.edits {
		reload = append(reload, msOf(e.reload))
		search = append(search, msOf(e.search))
		cpu = append(cpu, e.cpu)
	}
	return
}

const resultsHead = `# Benchmarks: loa side by side with Hugo + Pagefind

Written by ` + "`make bench-peers N=…`" + ` (bench/peers.sh and bench/peers/, issue 11): the same generated site
(bench/gensite) built by loa and by Hugo + Pagefind, alternated, on this machine. Each run replaces the section of
its N and leaves the rest of this file alone, so notes on changes and their gains can live here too.
`

// write replaces this N's section of the results file, or adds it.
func (r *results) write() error {
	begin := fmt.Sprintf("<!-- bench-peers N=%d begin -->", r.cfg.n)
	end := fmt.Sprintf("<!-- bench-peers N=%d end -->", r.cfg.n)
	sec := begin + "\n" + r.section() + end + "\n"
	old, err := os.ReadFile(r.cfg.results)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(old)
	if text == "" {
		text = resultsHead
	}
	if i := strings.Index(text, begin); i >= 0 {
		if j := strings.Index(text[i:], end); j >= 0 {
			rest := strings.TrimPrefix(text[i+j+len(end):], "\n")
			text = text[:i] + sec + rest
			return os.WriteFile(r.cfg.results, []byte(text), 0o644)
		}
	}
	if !strings.HasSuffix(text, "\n\n") {
		text = strings.TrimRight(text, "\n") + "\n\n"
	}
	return os.WriteFile(r.cfg.results, []byte(text+sec), 0o644)
}
