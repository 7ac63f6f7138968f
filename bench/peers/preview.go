package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// editTarget is the page every edit changes: a Vietnamese page in the
// middle of the site.
type editTarget struct {
	file string // path of its Markdown file in the loa site
	rel  string // content-relative path, the same in the Hugo site
	url  string // site path, "/bai/nhom-005/p501/"
	orig []byte
}

func findTarget(t *tools) (*editTarget, error) {
	for i := t.cfg.n / 2; i < t.cfg.n+t.cfg.n/2; i++ {
		k := i % t.cfg.n
		m, _ := filepath.Glob(filepath.Join(t.loaSite, "content", "bai", "*", fmt.Sprintf("p%d.md", k)))
		if len(m) != 1 {
			continue
		}
		rel, _ := filepath.Rel(filepath.Join(t.loaSite, "content"), m[0])
		b, err := os.ReadFile(m[0])
		if err != nil {
			return nil, err
		}
		return &editTarget{file: m[0], rel: rel, url: "/" + filepath.ToSlash(strings.TrimSuffix(rel, ".md")) + "/", orig: b}, nil
	}
	return nil, fmt.Errorf("no Vietnamese page to edit in %s", t.loaSite)
}

// edited is the page with word appended to its first paragraph: a one-line
// edit.
func (e *editTarget) edited(word string) ([]byte, error) {
	lines := strings.Split(string(e.orig), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "Tài liệu số ") {
			lines[i] = l + " " + word + "."
			return []byte(strings.Join(lines, "\n")), nil
		}
	}
	return nil, fmt.Errorf("%s: no line starting with \"Tài liệu số\" to edit", e.file)
}

// editWord is the new word of save k: ten letters from a hash, so no two
// saves' words are near each other (loa matches a word missing from the
// index with fuzziness, and the last word of a query as a prefix, so
// "suadoib" would find the page still holding "suadoia").
func editWord(salt string, k int) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s-%d", salt, k)))
	b := make([]byte, 10)
	for i := range b {
		b[i] = 'a' + h[i]%26
	}
	return string(b)
}

// previewEdit is one timed save.
type previewEdit struct {
	reload time.Duration // save to served page showing the new word
	search time.Duration // loa only: save to /search finding it
	cpu    float64       // seconds of server CPU for the save
	err    string
}

// previewSession is one server's edits.
type previewSession struct {
	startup time.Duration // start to first page served (and search ready, for loa)
	edits   []previewEdit
	poll    string
}

func measurePreview(ctx context.Context, t *tools, r *results) error {
	target, err := findTarget(t)
	if err != nil {
		return err
	}
	r.editPage = target.url
	hugoFile := filepath.Join(t.hugoSite, "content", target.rel)
	defer os.WriteFile(target.file, target.orig, 0o644)
	defer os.WriteFile(hugoFile, target.orig, 0o644)

	logf("preview: loa serve, %d saves of %s", t.cfg.edits, target.rel)
	port, err := freePort()
	if err != nil {
		return err
	}
	r.loaPreview, err = previewRun(ctx, t, target, target.file, port, true,
		func() (*exec.Cmd, error) {
			return servers.start(t.cfg, "loa-serve", t.loaSite, t.loa, "serve", "--root", t.loaSite, "--bind", "127.0.0.1", "--port", strconv.Itoa(port))
		})
	if err != nil {
		return err
	}
	logf("preview: hugo server, %d saves of %s", t.cfg.edits, target.rel)
	if port, err = freePort(); err != nil {
		return err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d/", port)
	r.hugoPreview, err = previewRun(ctx, t, target, hugoFile, port, false,
		func() (*exec.Cmd, error) {
			return servers.start(t.cfg, "hugo-server", t.hugoSite, t.cfg.hugo, "server", "--source", t.hugoSite,
				"--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--baseURL", base, "--appendPort=false")
		})
	return err
}

func previewRun(ctx context.Context, t *tools, target *editTarget, file string, port int, search bool, start func() (*exec.Cmd, error)) (previewSession, error) {
	var s previewSession
	s.poll = "page every 20 ms"
	if search {
		s.poll += ", /search every 100 ms"
	}
	os.WriteFile(file, target.orig, 0o644)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	t0 := time.Now()
	cmd, err := start()
	if err != nil {
		return s, err
	}
	defer servers.stop(cmd)
	origLine := "Tài liệu số "
	if err := waitFor(ctx, 15*time.Minute, 100*time.Millisecond, func() bool {
		code, body, err := get(ctx, base+target.url)
		return err == nil && code == 200 && strings.Contains(body, origLine)
	}); err != nil {
		return s, fmt.Errorf("%s did not serve %s: %v (see its log in %s)", cmd.Path, target.url, err, filepath.Join(t.cfg.work, "logs"))
	}
	if search {
		if err := waitFor(ctx, 15*time.Minute, 200*time.Millisecond, func() bool {
			return searchFinds(ctx, base, "quyền")
		}); err != nil {
			return s, fmt.Errorf("loa serve's /search never answered: %v", err)
		}
	}
	s.startup = time.Since(t0)
	pid := cmd.Process.Pid
	for k := 0; k < t.cfg.edits; k++ {
		word := editWord("save", k)
		text, err := target.edited(word)
		if err != nil {
			return s, err
		}
		cpu0, err := waitIdle(ctx, pid)
		if err != nil {
			return s, err
		}
		var e previewEdit
		saved := time.Now()
		if err := os.WriteFile(file, text, 0o644); err != nil {
			return s, err
		}
		reloadDone := make(chan error, 1)
		go func() {
			err := waitFor(ctx, 5*time.Minute, 20*time.Millisecond, func() bool {
				code, body, err := get(ctx, base+target.url)
				return err == nil && code == 200 && strings.Contains(body, word)
			})
			e.reload = time.Since(saved)
			reloadDone <- err
		}()
		if search {
			if err := waitFor(ctx, 5*time.Minute, 100*time.Millisecond, func() bool { return searchFinds(ctx, base, word) }); err != nil {
				e.err = "search: " + err.Error()
			}
			e.search = time.Since(saved)
		}
		if err := <-reloadDone; err != nil {
			e.err = strings.TrimPrefix(e.err+"; reload: "+err.Error(), "; ")
		}
		if ctx.Err() != nil {
			return s, ctx.Err()
		}
		cpu1, err := waitIdle(ctx, pid)
		if err != nil {
			return s, err
		}
		e.cpu = float64(cpu1-cpu0) / 100
		logf("  save %d: reload %s, search %s, CPU %.2fs %s", k+1, e.reload.Round(time.Millisecond), e.search.Round(time.Millisecond), e.cpu, e.err)
		s.edits = append(s.edits, e)
	}
	os.WriteFile(file, target.orig, 0o644)
	waitIdle(ctx, pid)
	return s, nil
}

func searchFinds(ctx context.Context, base, word string) bool {
	code, body, err := get(ctx, base+"/search?q="+url.QueryEscape(word)+"&lang=vi")
	if err != nil || code != 200 {
		return false
	}
	var hits []any
	return json.Unmarshal([]byte(body), &hits) == nil && len(hits) > 0
}

// waitFor polls cond every interval until it holds or the timeout passes.
func waitFor(ctx context.Context, timeout, interval time.Duration, cond func() bool) error {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %s", timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}
