package publish

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// site makes a built site from "path": "content".
func site(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return fsys
}

func siteV1() map[string]string {
	return map[string]string{
		"index.html":              "<h1>Trang chủ</h1>",
		"css/main.css":            "body{color:#222}",
		"js/search.js":            "search()",
		"search/meta.json":        `{"n":2}`,
		"search/shards/qu.json":   `{"quyen":[1]}`,
		"cong-uoc/crc/index.html": "<h1>CRC</h1>",
		"huong-dan/a/index.html":  "<h1>A</h1>",
		"search/index.bleve/x":    "bleve only",
	}
}

func siteV2() map[string]string {
	s := siteV1()
	s["index.html"] = "<h1>Trang chủ v2</h1>"
	s["css/main.css"] = "body{color:#111}"
	s["huong-dan/b/index.html"] = "<h1>B</h1>"
	delete(s, "huong-dan/a/index.html")
	return s
}

// published returns what a reader of the folder sees after publishing
// files: the site minus what publish never copies.
func published(files map[string]string) map[string]string {
	out := map[string]string{}
	for name, content := range files {
		if !Excluded(name) {
			out[name] = content
		}
	}
	return out
}

func withForeign(files map[string]string, foreign map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		out[k] = v
	}
	for k, v := range foreign {
		out[k] = v
	}
	return out
}

// writeTree writes files into dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns every file under dir except publish's own records.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == stateName || rel == journalName {
			return nil
		}
		data, err := os.ReadFile(p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func assertTree(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	got := readTree(t, dir)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("folder holds\n%v\nwant\n%v", keys(got), keys(want))
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %q, want %q", k, got[k], v)
			}
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// assertComplete checks the folder is in the state of a finished publish of files.
func assertComplete(t *testing.T, dir string, files map[string]string, foreign map[string]string) {
	t.Helper()
	assertTree(t, dir, withForeign(published(files), foreign))
	if _, err := os.Stat(filepath.Join(dir, journalName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("journal still there after a complete publish: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, stateName))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := BuildManifest(site(files))
	if d := diffFiles(m, want); d != "" {
		t.Errorf("%s does not match the build: %s", stateName, d)
	}
}

func publishSite(t *testing.T, files map[string]string, to string, set func(*Options)) (*Result, error) {
	t.Helper()
	opts := Options{From: "public", Source: site(files), To: to}
	if set != nil {
		set(&opts)
	}
	return Publish(context.Background(), opts)
}

func mustPublish(t *testing.T, files map[string]string, to string, set func(*Options)) *Result {
	t.Helper()
	res, err := publishSite(t, files, to, set)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestPublishFirstUpdateAndAgain(t *testing.T) {
	to := t.TempDir()
	foreign := map[string]string{"portal/tin-tuc.html": "portal news", "robots.txt": "User-agent: *"}
	writeTree(t, to, foreign)

	res := mustPublish(t, siteV1(), to, nil)
	assertComplete(t, to, siteV1(), foreign)
	if res.Written != 7 || res.Removed != 0 {
		t.Errorf("first publish wrote %d, removed %d; want 7, 0", res.Written, res.Removed)
	}
	if n, _ := res.Plan.Count(Foreign); n != 2 {
		t.Errorf("foreign count %d, want 2", n)
	}

	res = mustPublish(t, siteV2(), to, nil)
	assertComplete(t, to, siteV2(), foreign)
	if res.Written != 3 || res.Removed != 1 {
		t.Errorf("update wrote %d, removed %d; want 3, 1\n%s", res.Written, res.Removed, res.Plan.Summary())
	}
	if _, err := os.Stat(filepath.Join(to, "huong-dan", "a")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the emptied folder of the stale page is still there: %v", err)
	}

	before := snapshot(t, to)
	res = mustPublish(t, siteV2(), to, nil)
	if res.Written != 0 || res.Removed != 0 {
		t.Errorf("publishing the same build again wrote %d, removed %d", res.Written, res.Removed)
	}
	if after := snapshot(t, to); !reflect.DeepEqual(before, after) {
		t.Errorf("publishing the same build again touched the folder")
	}
	var out bytes.Buffer
	res.WriteSummary(&out, to, false)
	if !strings.Contains(out.String(), "copied 0 files (0 B), removed 0") {
		t.Errorf("summary:\n%s", out.String())
	}
}

// snapshot records every entry under dir: files with their size, mode and
// modification time, folders with their mode. Folder times are left out: a
// publish creates and removes its lock in the top folder, and a temporary
// file in each folder it checks it may write in.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, err := d.Info()
		if err != nil {
			t.Fatal(err)
		}
		out[p] = info.Mode().String()
		if !d.IsDir() {
			out[p] += " " + strconv.FormatInt(info.Size(), 10) + " " + info.ModTime().Format(time.RFC3339Nano)
		}
		return nil
	})
	return out
}

func TestDryRunChangesNothing(t *testing.T) {
	to := t.TempDir()
	writeTree(t, to, map[string]string{"robots.txt": "x"})
	mustPublish(t, siteV1(), to, nil)
	before := snapshot(t, to)
	res := mustPublish(t, siteV2(), to, func(o *Options) { o.DryRun = true })
	if after := snapshot(t, to); !reflect.DeepEqual(before, after) {
		t.Errorf("dry run changed the folder")
	}
	var out bytes.Buffer
	res.WriteSummary(&out, to, true)
	for _, want := range []string{
		"changed   css/main.css",
		"new       huong-dan/b/index.html",
		"remove    huong-dan/a/index.html",
		"2 changed (39 B)", "1 stale", "1 foreign left alone",
		"dry run: nothing was changed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry-run output lacks %q:\n%s", want, out.String())
		}
	}
	// A dry run into an empty folder also writes nothing, not even a record.
	empty := t.TempDir()
	mustPublish(t, siteV1(), empty, func(o *Options) { o.DryRun = true })
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("dry run wrote %v", entries)
	}
}

func TestForeignConflict(t *testing.T) {
	to := t.TempDir()
	foreign := map[string]string{"index.html": "the portal's own home page", "css/main.css": "body{color:#222}"}
	writeTree(t, to, foreign)
	before := snapshot(t, to)

	_, err := publishSite(t, siteV1(), to, nil)
	want := filepath.Join(to, "index.html") + ": exists but was not published by loa, and differs from the build; nothing was changed; move it away, or run loa publish --force"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error:\n%v\nwant it to contain\n%s", err, want)
	}
	if strings.Contains(err.Error(), "main.css") {
		t.Errorf("an identical foreign file is reported as a conflict: %v", err)
	}
	if after := snapshot(t, to); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused publish changed the folder")
	}

	res := mustPublish(t, siteV1(), to, func(o *Options) { o.Force = true })
	assertComplete(t, to, siteV1(), nil)
	if n, _ := res.Plan.Count(Replace); n != 1 {
		t.Errorf("replaced %d, want 1", n)
	}
	if n, _ := res.Plan.Count(Adopt); n != 1 {
		t.Errorf("adopted %d, want 1 (css/main.css was identical)", n)
	}
}

func TestStaleFileEditedByAdminIsKept(t *testing.T) {
	to := t.TempDir()
	mustPublish(t, siteV1(), to, nil)
	writeTree(t, to, map[string]string{"huong-dan/a/index.html": "<h1>A, corrected by hand</h1>"})
	res := mustPublish(t, siteV2(), to, nil)
	if n, _ := res.Plan.Count(Kept); n != 1 {
		t.Fatalf("kept %d, want 1: %s", n, res.Plan.Summary())
	}
	assertComplete(t, to, siteV2(), map[string]string{"huong-dan/a/index.html": "<h1>A, corrected by hand</h1>"})
}

// faultTarget injects errors into the folder.
type faultTarget struct {
	target
	openErr  func(name string) error               // fails OpenFile
	writeErr func(name string, offset int64) error // fails a Write at offset
	opErr    func(op, name string) error           // fails any change: "open", "mkdir", "rename", "remove"
	beforeOp func(op, name string)                 // watches every change
}

func (f faultTarget) fail(op, name string) error {
	if f.beforeOp != nil {
		f.beforeOp(op, name)
	}
	if f.opErr != nil {
		if err := f.opErr(op, name); err != nil {
			return &fs.PathError{Op: op, Path: name, Err: err}
		}
	}
	return nil
}

func (f faultTarget) MkdirAll(name string, perm fs.FileMode) error {
	if err := f.fail("mkdir", name); err != nil {
		return err
	}
	return f.target.MkdirAll(name, perm)
}

func (f faultTarget) Rename(oldname, newname string) error {
	if err := f.fail("rename", oldname); err != nil {
		return err
	}
	if err := f.fail("rename", newname); err != nil {
		return err
	}
	return f.target.Rename(oldname, newname)
}

func (f faultTarget) Remove(name string) error {
	if err := f.fail("remove", name); err != nil {
		return err
	}
	return f.target.Remove(name)
}

func (f faultTarget) OpenFile(name string, flag int, perm fs.FileMode) (file, error) {
	if f.openErr != nil {
		if err := f.openErr(name); err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
	}
	if err := f.fail("open", name); err != nil {
		return nil, err
	}
	fl, err := f.target.OpenFile(name, flag, perm)
	if err != nil || f.writeErr == nil {
		return fl, err
	}
	return &faultFile{file: fl, name: name, fail: f.writeErr}, nil
}

type faultFile struct {
	file
	name string
	off  int64
	fail func(string, int64) error
}

func (f *faultFile) Write(p []byte) (int, error) {
	if err := f.fail(f.name, f.off+int64(len(p))); err != nil {
		return 0, &fs.PathError{Op: "write", Path: f.name, Err: err}
	}
	n, err := f.file.Write(p)
	f.off += int64(n)
	return n, err
}

func TestFaults(t *testing.T) {
	foreign := map[string]string{"robots.txt": "User-agent: *"}
	tests := []struct {
		name    string
		prepare func(t *testing.T, to string) // before the failing run
		set     func(o *Options)
		want    string // in the error, after the folder's path
	}{
		{
			name: "folder missing",
			set:  func(o *Options) { o.To = filepath.Join(o.To, "not-mounted") },
			want: "not-mounted: folder does not exist; check that the portal's folder is mounted",
		},
		{
			name: "folder is a file",
			set:  func(o *Options) { o.To = filepath.Join(o.To, "robots.txt") },
			want: "robots.txt: is a file, not a folder",
		},
		{
			name: "folder not writable",
			set: func(o *Options) {
				o.hooks.target = func(t target) target {
					return faultTarget{target: t, openErr: func(string) error { return syscall.EACCES }}
				}
			},
			want: ": loa cannot write in this folder: permission denied; nothing was changed; loa may not write there: ask for write access",
		},
		{
			name: "disk full in the middle",
			prepare: func(t *testing.T, to string) {
				mustPublish(t, siteV1(), to, nil)
			},
			set: func(o *Options) {
				o.Source = site(siteV2())
				o.hooks.target = func(t target) target {
					return faultTarget{target: t, writeErr: func(name string, _ int64) error {
						if strings.HasPrefix(name, "huong-dan/") {
							return syscall.ENOSPC
						}
						return nil
					}}
				}
			},
			want: filepath.Join("huong-dan", "b", "index.html") + ": cannot write: no space left on device; the disk is full: free some space there, then run loa publish again to finish",
		},
		{
			name: "corrupt record of the last publish",
			prepare: func(t *testing.T, to string) {
				writeTree(t, to, map[string]string{stateName: `{"schema":1,"files":[{"path":"ind`})
			},
			want: stateName + ": the record of the last publish is damaged: not a loa manifest: unexpected EOF; nothing was changed; move this file away",
		},
		{
			name: "record from a newer loa",
			prepare: func(t *testing.T, to string) {
				writeTree(t, to, map[string]string{stateName: `{"schema":2,"generator":"loa v2.0.0","files":[],"signed":true}`})
			},
			want: stateName + ": cannot publish here: written by a newer loa (loa v2.0.0, manifest schema 2; this loa reads schema 1); nothing was changed; publish with that newer loa, or upgrade this one",
		},
		{
			name: "damaged journal",
			prepare: func(t *testing.T, to string) {
				writeTree(t, to, map[string]string{journalName: journalHead + "\nw nonsense\n"})
			},
			want: journalName + ": the record of an interrupted publish is damaged: line 2: damaged; nothing was changed; move this file away",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := t.TempDir()
			writeTree(t, to, foreign)
			if tt.prepare != nil {
				tt.prepare(t, to)
			}
			opts := Options{From: "public", Source: site(siteV1()), To: to}
			if tt.set != nil {
				tt.set(&opts)
			}
			_, err := Publish(context.Background(), opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error:\n%v\nwant it to contain\n%s", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error is %T, not *Error", err)
			}
			got := readTree(t, to)
			for name, content := range foreign {
				if got[name] != content {
					t.Errorf("foreign %s lost: %q", name, got[name])
				}
			}
			for name := range got {
				if isTemp(name) {
					t.Errorf("temporary file %s left behind", name)
				}
			}

			// Once the cause is gone (here: the fault hook, or the damaged
			// record moved away, as the message says), a rerun completes.
			if strings.Contains(tt.want, "move this file away") {
				for _, n := range []string{stateName, journalName} {
					os.Rename(filepath.Join(to, n), filepath.Join(t.TempDir(), n))
				}
			}
			opts.hooks = hooks{}
			if strings.HasSuffix(opts.To, "not-mounted") {
				os.Mkdir(opts.To, 0o777)
			}
			if strings.HasSuffix(opts.To, "robots.txt") {
				return // nothing to rerun: the user gave a file
			}
			if tt.name == "record from a newer loa" {
				return // only a newer loa may continue
			}
			if _, err := Publish(context.Background(), opts); err != nil {
				t.Fatalf("rerun: %v", err)
			}
			files := siteV1()
			if tt.name == "disk full in the middle" {
				files = siteV2()
			}
			wantForeign := foreign
			if strings.HasSuffix(opts.To, "not-mounted") {
				wantForeign = nil
			}
			assertComplete(t, opts.To, files, wantForeign)
		})
	}
}

// TestInterruptedThenRebuilt stops a publish halfway, then publishes a
// different build: files the first run wrote count as loa's (the journal
// says so), so the ones the new build lacks are removed, not left as
// foreign garbage.
func TestInterruptedThenRebuilt(t *testing.T) {
	to := t.TempDir()
	foreign := map[string]string{"robots.txt": "x"}
	writeTree(t, to, foreign)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Publish(ctx, Options{Source: site(siteV1()), To: to, hooks: hooks{afterWrite: func(n int) {
		if n == 4 {
			cancel()
		}
	}}})
	if err == nil || !strings.Contains(err.Error(), "publish stopped after 4 of 7 files: context canceled; run loa publish again to finish") {
		t.Fatalf("error %v", err)
	}
	if _, err := os.Stat(filepath.Join(to, journalName)); err != nil {
		t.Fatalf("no journal after an interruption: %v", err)
	}

	v3 := siteV1()
	delete(v3, "search/shards/qu.json") // written by the first run (new assets go first)
	v3["search/shards/quy.json"] = "{}"
	v3["index.html"] = "v3"
	mustPublish(t, v3, to, nil)
	assertComplete(t, to, v3, foreign)
}

// TestKilledAndRerun kills a real publishing process halfway (SIGKILL, no
// chance to clean up), checks that the folder still serves the old site
// plus some new assets, then reruns and checks the publish completes.
func TestKilledAndRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	from, to := t.TempDir(), t.TempDir()
	foreign := map[string]string{"robots.txt": "User-agent: *"}
	writeTree(t, to, foreign)
	mustPublish(t, siteV1(), to, nil)
	writeTree(t, from, siteV2())

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPublishChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "LOA_PUBLISH_CHILD=1", "LOA_FROM="+from, "LOA_TO="+to, "LOA_PAUSE_AFTER=2")
	stdin, err := cmd.StdinPipe() // never written: the child blocks on it until killed
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	paused := false
	for sc.Scan() {
		if sc.Text() == "paused" {
			paused = true
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if !paused {
		t.Fatal("the child never reached the pause")
	}

	// Halfway: the two changed assets are new, no page is, nothing is removed.
	got := readTree(t, to)
	if got["css/main.css"] != siteV2()["css/main.css"] || got["index.html"] != siteV1()["index.html"] ||
		got["huong-dan/a/index.html"] == "" {
		t.Errorf("folder after the kill is not old pages + new assets: %v", got)
	}
	if _, err := os.Stat(filepath.Join(to, journalName)); err != nil {
		t.Fatalf("no journal after the kill: %v", err)
	}

	res, err := Publish(context.Background(), Options{From: from, To: to})
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	assertComplete(t, to, siteV2(), foreign)
	if res.Written != 1 || res.Removed != 1 {
		t.Errorf("rerun wrote %d, removed %d; want 1 (the page not yet written), 1", res.Written, res.Removed)
	}
	res, err = Publish(context.Background(), Options{From: from, To: to})
	if err != nil || res.Written != 0 {
		t.Errorf("third run: wrote %d, err %v", res.Written, err)
	}
}

// TestHelperPublishChild is the process TestKilledAndRerun kills.
func TestHelperPublishChild(t *testing.T) {
	if os.Getenv("LOA_PUBLISH_CHILD") == "" {
		t.Skip("run by TestKilledAndRerun")
	}
	pause, _ := strconv.Atoi(os.Getenv("LOA_PAUSE_AFTER"))
	_, err := Publish(context.Background(), Options{From: os.Getenv("LOA_FROM"), To: os.Getenv("LOA_TO"), hooks: hooks{
		afterWrite: func(n int) {
			if n == pause {
				os.Stdout.WriteString("paused\n")
				io.Copy(io.Discard, os.Stdin) // until killed
			}
		},
	}})
	t.Fatalf("the child was not killed (err %v)", err)
}

func TestProgressOnlyOnLongRuns(t *testing.T) {
	var clock time.Time
	now := func() time.Time { return clock }
	var out bytes.Buffer
	p := newProgress(&out, now, 4, 400)
	p.add(100) // at once: no bar
	if out.Len() != 0 {
		t.Fatalf("bar drawn at once: %q", out.String())
	}
	clock = clock.Add(time.Second)
	p.add(100)
	if !strings.Contains(out.String(), "50%  2/4 files") {
		t.Errorf("bar %q", out.String())
	}
	p.finish()
	if !strings.HasSuffix(out.String(), "\r") {
		t.Errorf("bar not cleared: %q", out.String())
	}
	if IsTerminal(&out) {
		t.Error("a buffer is not a terminal")
	}
}

// TestSymlinkOutOfTheBuild: a symbolic link in the built site that leads
// out of it (public/leak.txt -> ../secret) is neither published nor packed.
func TestSymlinkOutOfTheBuild(t *testing.T) {
	dir := t.TempDir()
	from := filepath.Join(dir, "public")
	if err := os.MkdirAll(from, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(from, "index.html"), []byte("<p>site</p>"), 0o644)
	os.WriteFile(filepath.Join(dir, "secret"), []byte("root:x:0:0"), 0o644)
	if err := os.Symlink("../secret", filepath.Join(from, "leak.txt")); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(dir, "portal")
	os.Mkdir(to, 0o755)
	_, err := Publish(context.Background(), Options{From: from, To: to})
	if err == nil || !strings.Contains(err.Error(), "symlink leaves the site") {
		t.Errorf("publish: %v, want a refusal naming the symlink", err)
	}
	if _, err := os.Stat(filepath.Join(to, "leak.txt")); !os.IsNotExist(err) {
		t.Errorf("the link's target was published")
	}
	_, err = Pack(context.Background(), PackOptions{From: from, Out: filepath.Join(dir, "site.zip")})
	if err == nil || !strings.Contains(err.Error(), "symlink leaves the site") {
		t.Errorf("pack: %v, want a refusal naming the symlink", err)
	}
}
