package publish

// Specifications of what publish may change in a folder that people share
// with it. Each test is one rule, stated in its comment.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func sha(content string) string {
	s := sha256.Sum256([]byte(content))
	return hex.EncodeToString(s[:])
}

// merge returns the union of maps, later ones winning.
func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// assertNoRecords checks that a publish that stopped before changing
// anything left neither a journal nor a lock.
func assertNoRecords(t *testing.T, to string) {
	t.Helper()
	for _, name := range []string{journalName, lockName, takeoverName} {
		if _, err := os.Lstat(filepath.Join(to, name)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left behind (%v)", name, err)
		}
	}
}

// TestOnlyProvenFilesAreLoas: loa overwrites or removes a file only when
// its content is one that loa's records name for that path. A journal line
// saying that a killed run meant to write a file proves nothing: a file a
// person put there afterwards is foreign. (Found by a tester: such a file
// was deleted by the next publish of another build, or overwritten by the
// rerun.)
func TestOnlyProvenFilesAreLoas(t *testing.T) {
	const mine = "written by a person after the kill"
	robots := map[string]string{"robots.txt": "User-agent: *"}
	withNotes := merge(siteV2(), map[string]string{"notes/keep.txt": "loa's notes"})
	// What a publish of withNotes, killed before it wrote notes/keep.txt,
	// leaves in the journal; then a person writes the file.
	killed := func(t *testing.T, to string) {
		writeTree(t, to, map[string]string{
			journalName:      journalHead + "\nw " + sha("loa's notes") + " 11 notes/keep.txt\n",
			"notes/keep.txt": mine,
		})
	}
	edited := func(t *testing.T, to string) {
		writeTree(t, to, map[string]string{"css/main.css": "body{color:red}"})
	}
	tests := []struct {
		name             string
		prepare          func(t *testing.T, to string) // after a complete publish of siteV1
		build            map[string]string
		force            bool
		wantErr          string // after the folder's path; "" for none
		want             map[string]string
		written, removed int
	}{
		{
			name:    "a publish of another build leaves the person's file",
			prepare: killed,
			build:   siteV2(),
			want:    merge(published(siteV2()), robots, map[string]string{"notes/keep.txt": mine}),
			written: 3, removed: 1,
		},
		{
			name:    "the rerun stops at the person's file",
			prepare: killed,
			build:   withNotes,
			wantErr: "notes/keep.txt: exists but was not published by loa, and differs from the build; nothing was changed; move it away, or run loa publish --force to replace it with the build's file",
			want:    merge(published(siteV1()), robots, map[string]string{"notes/keep.txt": mine}),
		},
		{
			name:    "the rerun with --force replaces it",
			prepare: killed,
			build:   withNotes,
			force:   true,
			want:    merge(published(withNotes), robots),
			written: 4, removed: 1,
		},
		{
			name:    "a published file a person changed is not overwritten",
			prepare: edited,
			build:   siteV2(),
			wantErr: "css/main.css: changed since loa published it, and differs from the build; nothing was changed; move it away, or run loa publish --force to replace it with the build's file",
			want:    merge(published(siteV1()), robots, map[string]string{"css/main.css": "body{color:red}"}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := t.TempDir()
			writeTree(t, to, robots)
			mustPublish(t, siteV1(), to, nil)
			tt.prepare(t, to)
			res, err := publishSite(t, tt.build, to, func(o *Options) { o.Force = tt.force })
			wantErr := ""
			if tt.wantErr != "" {
				wantErr = filepath.Join(to, tt.wantErr)
			}
			if errText(err) != wantErr {
				t.Fatalf("error\n%v\nwant\n%s", err, wantErr)
			}
			assertTree(t, to, tt.want)
			if res.Written != tt.written || res.Removed != tt.removed {
				t.Errorf("wrote %d, removed %d; want %d, %d", res.Written, res.Removed, tt.written, tt.removed)
			}
		})
	}
}

// TestOnlyJournaledTempFilesAreRemoved: a file that merely looks like one
// of publish's temporary files is a person's and stays, even on the first
// publish; a leftover is removed only if a journal recorded its exact name,
// and the summary counts it. (Found by a tester: every ".<name>.loa-tmp"
// was deleted, and the summary said "removed 0".)
func TestOnlyJournaledTempFilesAreRemoved(t *testing.T) {
	lookalikes := map[string]string{
		".ghi-chu.txt.loa-tmp":  "a person's notes",
		"css/.main.css.loa-tmp": "a person's draft",
		"tin/.a.loa-tmp":        "x",
	}
	to := t.TempDir()
	writeTree(t, to, lookalikes)
	res := mustPublish(t, siteV1(), to, nil)
	assertComplete(t, to, siteV1(), lookalikes)
	var out bytes.Buffer
	res.WriteSummary(&out, to, false)
	if want := "copied 7 files (" + formatBytes(res.BytesWritten) + "), removed 0\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("summary\n%s\nwant it to end with\n%s", out.String(), want)
	}
	if n, _ := res.Plan.Count(Foreign); n != 3 {
		t.Errorf("%d foreign, want the 3 look-alikes", n)
	}

	// A run killed while writing css/main.css left its temporary file,
	// named in the journal.
	const leftover = "css/.main.css.0123456789abcdef.loa-tmp"
	writeTree(t, to, map[string]string{
		leftover:    "body{col",
		journalName: journalHead + "\nw " + sha(siteV2()["css/main.css"]) + " 16 css/main.css\nt " + leftover + "\nd css/ma",
	})
	res = mustPublish(t, siteV2(), to, nil)
	assertComplete(t, to, siteV2(), lookalikes)
	if res.Written != 3 || res.Removed != 1 || res.Leftovers != 1 {
		t.Errorf("wrote %d, removed %d stale and %d leftovers; want 3, 1, 1", res.Written, res.Removed, res.Leftovers)
	}
	out.Reset()
	res.WriteSummary(&out, to, false)
	if want := "), removed 1, and 1 temporary file an interrupted publish left\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("summary\n%s\nwant it to end with\n%s", out.String(), want)
	}
}

// TestTempNamesAreJournaledFirst: every temporary file a publish creates
// has a name nobody can guess, and that name is in the journal, on disk,
// before the file exists.
func TestTempNamesAreJournaledFirst(t *testing.T) {
	to := t.TempDir()
	mustPublish(t, siteV1(), to, nil)
	seen := map[string]bool{}
	watch := func(t *testing.T) func(*Options) {
		return func(o *Options) {
			o.hooks.target = func(tg target) target {
				return faultTarget{target: tg, beforeOp: func(op, name string) {
					if op != "open" || !isTemp(name) {
						return
					}
					data, _ := os.ReadFile(filepath.Join(to, journalName))
					if !bytes.Contains(data, []byte("\nt "+name+"\n")) {
						t.Errorf("%s created before the journal named it", name)
					}
					if seen[name] {
						t.Errorf("%s used twice", name)
					}
					seen[name] = true
				}}
			}
		}
	}
	mustPublish(t, siteV2(), to, watch(t))
	mustPublish(t, siteV1(), to, watch(t))
	// 3 + 3 files, the record twice, and the folders checked: css, huong-dan and a folder gone stale.
	if len(seen) < 8 {
		t.Errorf("only %d temporary files seen: %v", len(seen), seen)
	}
	for name := range seen {
		base := filepath.Base(name)
		i := strings.LastIndexByte(strings.TrimSuffix(base, tempSuffix), '.')
		if random := strings.TrimSuffix(base, tempSuffix)[i+1:]; len(random) != 16 {
			t.Errorf("%s: random part %q, want 16 hex digits", name, random)
		}
	}
	if long := newTempName("a/" + strings.Repeat("ữ", 100) + ".html"); len(filepath.Base(long)) > 100 || !validTemp(long) {
		t.Errorf("temporary name for a long name: %s", long)
	}
}

// TestFolderThatIgnoresCase: on a folder that does not tell upper from
// lower case (a Windows share, a FAT stick), renaming Logo.png to logo.png
// in the build replaces the file under its new name and never removes it as
// the stale old one. (Found by a tester: publish copied the new file, then
// deleted it as the old one, and reported success.)
func TestFolderThatIgnoresCase(t *testing.T) {
	v1 := merge(siteV1(), map[string]string{"img/Logo.png": "PNG one"})
	renamed := merge(siteV1(), map[string]string{"img/logo.png": "PNG one"})
	changed := merge(siteV1(), map[string]string{"img/logo.png": "PNG two"})
	tests := []struct {
		name     string
		keepCase bool // the folder keeps the old case when a file is renamed over another
		build    map[string]string
	}{
		{"renamed", false, renamed},
		{"renamed and changed", false, changed},
		{"renamed, on a folder that keeps the old case", true, renamed},
		{"renamed and changed, on a folder that keeps the old case", true, changed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := t.TempDir()
			fold := func(o *Options) {
				o.hooks.target = func(tg target) target { return foldTarget{t: tg, keepCase: tt.keepCase} }
			}
			mustPublish(t, v1, to, fold)
			res := mustPublish(t, tt.build, to, fold)
			assertComplete(t, to, tt.build, nil) // the real folder: exactly img/logo.png
			if res.Written != 1 || res.Removed != 0 {
				t.Errorf("wrote %d, removed %d; want 1, 0", res.Written, res.Removed)
			}
			res = mustPublish(t, tt.build, to, fold)
			if res.Written != 0 || res.Removed != 0 {
				t.Errorf("again: wrote %d, removed %d; want 0, 0", res.Written, res.Removed)
			}
		})
	}

	t.Run("a folder that tells case apart", func(t *testing.T) {
		to := t.TempDir()
		mustPublish(t, v1, to, nil)
		res := mustPublish(t, changed, to, nil)
		assertComplete(t, to, changed, nil)
		if res.Written != 1 || res.Removed != 1 {
			t.Errorf("wrote %d, removed %d; want 1, 1", res.Written, res.Removed)
		}
	})

	t.Run("a build with two names for one file", func(t *testing.T) {
		to := t.TempDir()
		two := merge(siteV1(), map[string]string{"img/Logo.png": "PNG one", "img/logo.png": "PNG two"})
		_, err := publishSite(t, two, to, func(o *Options) {
			o.hooks.target = func(tg target) target { return foldTarget{t: tg} }
		})
		want := filepath.Join(to, "img", "logo.png") + ": the build also has img/Logo.png, and this folder does not tell upper from lower case, so it cannot hold both; nothing was changed; give one of them another name in the site's sources, then build and publish again"
		if errText(err) != want {
			t.Fatalf("error\n%v\nwant\n%s", err, want)
		}
		assertTree(t, to, map[string]string{})
		assertNoRecords(t, to)
	})

	t.Run("detection", func(t *testing.T) {
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{"Index.html": "x"})
		root, err := os.OpenRoot(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		if ignoresCase(rootTarget{root}, "Index.html") {
			t.Error("this test's temporary folder should tell case apart")
		}
		if !ignoresCase(foldTarget{t: rootTarget{root}}, "Index.html") {
			t.Error("the test double should ignore case")
		}
		if ignoresCase(foldTarget{t: rootTarget{root}}, "404") {
			t.Error("a name without letters tells nothing")
		}
	})
}

// TestFileBecomesFolder: a page of the build that becomes a folder
// (tai-lieu/mau -> tai-lieu/mau/don.pdf), and back, just works when what is
// in the way is loa's own stale file or folder; with anything else in the
// way the publish stops before writing, --force or not, since --force only
// overwrites the build's files and never removes. (Found by a tester: loa's
// own stale file stopped the publish as a conflict, even with --force.)
func TestFileBecomesFolder(t *testing.T) {
	asFile := merge(siteV1(), map[string]string{"tai-lieu/mau": "mẫu đơn, one file"})
	asFolder := merge(siteV1(), map[string]string{"tai-lieu/mau/don.pdf": "%PDF đơn", "tai-lieu/mau/a/b.pdf": "%PDF b"})
	robots := map[string]string{"robots.txt": "User-agent: *"}
	tests := []struct {
		name             string
		before, after    map[string]string
		prepare          func(t *testing.T, to string) // after publishing before
		force            bool
		wantErr          string // after the folder's path
		written, removed int
	}{
		{name: "file to folder", before: asFile, after: asFolder, written: 2, removed: 1},
		{name: "file to folder, --force", before: asFile, after: asFolder, force: true, written: 2, removed: 1},
		{name: "folder to file", before: asFolder, after: asFile, written: 1, removed: 2},
		{name: "folder to file, --force", before: asFolder, after: asFile, force: true, written: 1, removed: 2},
		{
			name: "file to folder, the file changed by someone", before: asFile, after: asFolder, force: true,
			prepare: func(t *testing.T, to string) { writeTree(t, to, map[string]string{"tai-lieu/mau": "edited"}) },
			wantErr: "tai-lieu/mau/a/b.pdf: tai-lieu/mau is a file in the folder but the build needs a folder there, and it is not loa's to remove; nothing was changed; move it away (loa removes only what it published), then run loa publish again\n" +
				"TO/tai-lieu/mau/don.pdf: tai-lieu/mau is a file in the folder but the build needs a folder there, and it is not loa's to remove; nothing was changed; move it away (loa removes only what it published), then run loa publish again",
		},
		{
			name: "folder to file, the folder also holds someone's file", before: asFolder, after: asFile, force: true,
			prepare: func(t *testing.T, to string) { writeTree(t, to, map[string]string{"tai-lieu/mau/ghi-chu.txt": "note"}) },
			wantErr: "tai-lieu/mau: is a folder in the folder but a file in the build, and it holds files that are not loa's to remove; nothing was changed; move it away (loa removes only what it published), then run loa publish again",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := t.TempDir()
			writeTree(t, to, robots)
			mustPublish(t, tt.before, to, nil)
			if tt.prepare != nil {
				tt.prepare(t, to)
			}
			want := readTree(t, to)
			res, err := publishSite(t, tt.after, to, func(o *Options) { o.Force = tt.force })
			if tt.wantErr != "" {
				wantErr := strings.ReplaceAll(filepath.Join(to, tt.wantErr), "TO", to)
				if errText(err) != wantErr {
					t.Fatalf("error\n%v\nwant\n%s", err, wantErr)
				}
				assertTree(t, to, want)
				assertNoRecords(t, to)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertComplete(t, to, tt.after, robots)
			if res.Written != tt.written || res.Removed != tt.removed {
				t.Errorf("wrote %d, removed %d; want %d, %d", res.Written, res.Removed, tt.written, tt.removed)
			}
		})
	}
}

// TestNoWriteAccessChangesNothing: loa checks that it may write in every
// folder it will change, and creates the folders it needs, before it writes
// the first file; a folder it may not write in stops the publish with the
// folder's name and the fix, and the site is as it was. (Found by a tester:
// a permission error part-way left the new CSS and one new page live beside
// the old pages.)
func TestNoWriteAccessChangesNothing(t *testing.T) {
	tests := []struct {
		name   string
		folder string // where every change fails
		err    error
		want   string // after the folder's path
	}{
		{"a folder of pages", "huong-dan", syscall.EACCES,
			"huong-dan: loa cannot write in this folder: permission denied; nothing was changed; loa may not write there: ask for write access (or choose another folder), then run loa publish again"},
		{"a folder of assets", "css", syscall.EROFS,
			"css: loa cannot write in this folder: read-only file system; nothing was changed; loa may not write there: ask for write access (or choose another folder), then run loa publish again"},
		{"a folder with only a stale file", "huong-dan/a", syscall.EPERM,
			"huong-dan/a: loa cannot write in this folder: operation not permitted; nothing was changed; loa may not write there: ask for write access (or choose another folder), then run loa publish again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := t.TempDir()
			writeTree(t, to, map[string]string{"robots.txt": "x"})
			mustPublish(t, siteV1(), to, nil)
			before := snapshot(t, to)
			locked := func(o *Options) {
				o.hooks.target = func(tg target) target {
					return faultTarget{target: tg, opErr: func(op, name string) error {
						if filepath.Dir(filepath.FromSlash(name)) == filepath.FromSlash(tt.folder) {
							return tt.err
						}
						return nil
					}}
				}
			}
			_, err := publishSite(t, siteV2(), to, locked)
			if want := filepath.Join(to, tt.want); errText(err) != want {
				t.Fatalf("error\n%v\nwant\n%s", err, want)
			}
			if after := snapshot(t, to); !reflect.DeepEqual(before, after) {
				t.Errorf("the folder changed:\n%v\nwas\n%v", after, before)
			}
			assertNoRecords(t, to)
			mustPublish(t, siteV2(), to, nil) // with access granted
			assertComplete(t, to, siteV2(), map[string]string{"robots.txt": "x"})
		})
	}
}

// lockFile is the content of a lock another publish holds.
func lockFile(pid int, host string) string {
	return string(lockInfo{PID: pid, Host: host, Started: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)}.marshal())
}

// TestLock: a publish holds a lock file in the folder while it runs; a
// second one refuses, naming the lock and the other process, and changes
// nothing. A lock left by a publish that no longer runs on this computer is
// taken over; one from another computer is not. The lock is never
// published, counted or removed as a file of the site. (Found by a tester:
// two publishes at once both succeeded and left a folder matching neither
// build.)
func TestLock(t *testing.T) {
	const host = "may-dung"
	dead := map[int]bool{4242: true}
	env := func(o *Options) {
		o.hooks.host = host
		o.hooks.alive = func(pid int) bool { return !dead[pid] }
	}
	tests := []struct {
		name    string
		files   map[string]string // in the folder before
		wantErr string            // after the folder's path; "" for a publish that completes
	}{
		{
			name:    "held by a running publish",
			files:   map[string]string{lockName: lockFile(os.Getpid(), host)},
			wantErr: lockName + ": another loa publish (process " + fmt.Sprint(os.Getpid()) + " on may-dung, started 2026-11-29 09:00:00 +00:00) is publishing into this folder; nothing was changed; wait until it has finished, then run loa publish again",
		},
		{
			name:    "held by a publish on another computer",
			files:   map[string]string{lockName: lockFile(4242, "may-chu\x1b[2J")},
			wantErr: lockName + `: another loa publish (process 4242 on "may-chu\x1b[2J", started 2026-11-29 09:00:00 +00:00) is publishing into this folder, and loa cannot check from this computer whether it still runs; nothing was changed; wait until it has finished; if you are sure it no longer runs, remove this file, then run loa publish again`,
		},
		{
			name:    "unreadable",
			files:   map[string]string{lockName: ""},
			wantErr: lockName + ": another loa publish may be publishing into this folder (its lock cannot be read): not a loa publish lock: unexpected end of JSON input; nothing was changed; if you are sure no loa publish is running into this folder, remove this file, then run loa publish again",
		},
		{
			name:  "left by a publish that was killed",
			files: map[string]string{lockName: lockFile(4242, host)},
		},
		{
			name:    "left by a killed publish while another takes it over",
			files:   map[string]string{lockName: lockFile(4242, host), takeoverName: lockFile(os.Getpid(), host)},
			wantErr: takeoverName + ": another loa publish is taking over the lock of a publish that stopped; nothing was changed; run loa publish again in a moment; if this message stays and no loa publish runs, remove this file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := t.TempDir()
			robots := map[string]string{"robots.txt": "x"}
			writeTree(t, to, robots)
			mustPublish(t, siteV1(), to, nil)
			writeTree(t, to, tt.files)
			before := snapshot(t, to)
			res, err := publishSite(t, siteV2(), to, env)
			if tt.wantErr != "" {
				if want := filepath.Join(to, tt.wantErr); errText(err) != want {
					t.Fatalf("error\n%v\nwant\n%s", err, want)
				}
				if after := snapshot(t, to); !reflect.DeepEqual(before, after) {
					t.Errorf("a refused publish changed the folder")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertComplete(t, to, siteV2(), robots)
			assertNoRecords(t, to)
			if n, _ := res.Plan.Count(Foreign); n != 1 || res.Removed != 1 {
				t.Errorf("%d foreign, %d removed; want 1 (robots.txt), 1", n, res.Removed)
			}
		})
	}

	t.Run("two publishes at once", func(t *testing.T) {
		to := t.TempDir()
		paused, resume := make(chan struct{}), make(chan struct{})
		var wg sync.WaitGroup
		var firstErr error
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, firstErr = publishSite(t, siteV1(), to, func(o *Options) {
				o.hooks.afterWrite = func(n int) {
					if n == 2 {
						close(paused)
						<-resume
					}
				}
			})
		}()
		<-paused
		_, err := publishSite(t, siteV2(), to, nil)
		close(resume)
		wg.Wait()
		if firstErr != nil {
			t.Fatalf("first publish: %v", firstErr)
		}
		want := filepath.Join(to, lockName) + ": another loa publish (process " + fmt.Sprint(os.Getpid()) + " on "
		if !strings.HasPrefix(errText(err), want) {
			t.Fatalf("second publish: %v\nwant it to start with\n%s", err, want)
		}
		assertComplete(t, to, siteV1(), nil)
		assertNoRecords(t, to)
	})

	t.Run("a site holding a file named like the lock", func(t *testing.T) {
		_, err := publishSite(t, merge(siteV1(), map[string]string{lockName: "x"}), t.TempDir(), nil)
		if want := "public/" + lockName + ": cannot read the built site: name reserved by loa publish; run loa build again"; errText(err) != filepath.FromSlash(want) {
			t.Errorf("error\n%v\nwant\n%s", err, want)
		}
	})
}

// TestTargetApartFromTheBuild: the folder to publish into must not be the
// built site's folder, inside it, or hold it; publish refuses before any
// work. (Found by a tester: loa publish --to public was accepted and broke
// later runs.)
func TestTargetApartFromTheBuild(t *testing.T) {
	root := t.TempDir()
	from := filepath.Join(root, "public")
	writeTree(t, from, published(siteV1()))
	if err := os.Symlink(from, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	const fix = "; nothing was changed; give --to the portal's folder, outside the built site"
	tests := []struct {
		to   string
		want string // after to
	}{
		{from, ": is the built site's folder " + from + " itself" + fix},
		{filepath.Join(root, "public", "..", "public"), ": is the built site's folder " + from + " itself" + fix},
		{filepath.Join(root, "link"), ": is the built site's folder " + from + " itself" + fix},
		{filepath.Join(from, "cong-uoc"), ": is inside the built site's folder " + from + fix},
		{filepath.Join(root, "link", "cong-uoc", "crc"), ": is inside the built site's folder " + from + fix},
		{root, ": holds the built site's folder " + from + fix + ", or build elsewhere with loa build --out DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.to, func(t *testing.T) {
			before := snapshot(t, root)
			_, err := Publish(context.Background(), Options{From: from, To: tt.to})
			if want := tt.to + tt.want; errText(err) != want {
				t.Fatalf("error\n%v\nwant\n%s", err, want)
			}
			if after := snapshot(t, root); !reflect.DeepEqual(before, after) {
				t.Errorf("a refused publish changed files")
			}
		})
	}
	// A folder beside the build is fine.
	beside := filepath.Join(root, "portal")
	os.Mkdir(beside, 0o777)
	if _, err := Publish(context.Background(), Options{From: from, To: beside}); err != nil {
		t.Fatal(err)
	}
	assertComplete(t, beside, siteV1(), nil)
}

// hasControl reports a byte of a control character other than newline.
func hasControl(s string) bool {
	for _, r := range s {
		if r != '\n' && (r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0) {
			return true
		}
	}
	return false
}

// TestPrintedNamesAreEscaped: names loa prints (in errors, warnings, the
// plan and the summary) may come from anyone who can write in a folder, and
// can hold control characters: ESC sequences that rewrite the screen, or
// OSC 52, which sets the terminal's clipboard. They are printed escaped.
func TestPrintedNamesAreEscaped(t *testing.T) {
	const evil = "portal\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J"
	const shown = `"portal\x1b]52;c;cm0gLXJmIH4K\a\x1b[2J"`
	escaped := shown[1 : len(shown)-1]

	t.Run("printable", func(t *testing.T) {
		for in, want := range map[string]string{
			"huong-dan/a/index.html": "huong-dan/a/index.html",
			"tài liệu/mẫu đơn.pdf":   "tài liệu/mẫu đơn.pdf",
			evil:                     shown,
			"a\nb":                   `"a\nb"`,
			"bidi\u202egpj.exe":      `"bidi\u202egpj.exe"`,
			"bad\xffutf8":            `"bad\xffutf8"`,
		} {
			if got := printable(in); got != want {
				t.Errorf("printable(%q) = %s, want %s", in, got, want)
			}
		}
		if got, want := escapeText("x: \x1b[31mred\u202e \xff"), `x: \x1b[31mred\u202e \xff`; got != want {
			t.Errorf("escapeText = %s, want %s", got, want)
		}
	})

	t.Run("summary and plan", func(t *testing.T) {
		to := filepath.Join(t.TempDir(), evil)
		os.Mkdir(to, 0o777)
		for _, dry := range []bool{true, false} {
			res := mustPublish(t, siteV1(), to, func(o *Options) { o.DryRun = dry })
			var out bytes.Buffer
			res.WriteSummary(&out, to, dry)
			if hasControl(out.String()) || !strings.Contains(out.String(), escaped) {
				t.Errorf("summary holds control characters or lacks %s:\n%q", escaped, out.String())
			}
		}
	})

	t.Run("errors and warnings", func(t *testing.T) {
		from := filepath.Join(t.TempDir(), evil)
		writeTree(t, from, published(siteV1()))
		writeTree(t, from, map[string]string{ManifestName: `{"schema":1,"files":[]}`})
		to := filepath.Join(t.TempDir(), evil)
		writeTree(t, to, map[string]string{"index.html": "the portal's home"})
		res, err := Publish(context.Background(), Options{From: from, To: to})
		if err == nil || hasControl(err.Error()) || !strings.Contains(err.Error(), escaped) {
			t.Errorf("error %q", errText(err))
		}
		if len(res.Warnings) != 1 || hasControl(res.Warnings[0]) || !strings.Contains(res.Warnings[0], `\x1b]52`) {
			t.Errorf("warnings %q", res.Warnings)
		}
		_, err = Publish(context.Background(), Options{From: filepath.Join(from, "cong-uoc"), To: t.TempDir()})
		if err == nil || hasControl(err.Error()) || !strings.Contains(err.Error(), escaped) {
			t.Errorf("error %q", errText(err))
		}
	})
}

// TestStaleFileChangedDuringThePublish: a stale file is checked once more
// just before it is removed; if someone changed it after the plan was made,
// it is left alone and the publish says so.
func TestStaleFileChangedDuringThePublish(t *testing.T) {
	to := t.TempDir()
	mustPublish(t, siteV1(), to, nil)
	const edited = "<h1>A, corrected while loa was publishing</h1>"
	once := sync.Once{}
	res := mustPublish(t, siteV2(), to, func(o *Options) {
		o.hooks.target = func(tg target) target {
			return faultTarget{target: tg, beforeOp: func(op, name string) {
				if op == "open" && isTemp(name) {
					once.Do(func() { writeTree(t, to, map[string]string{"huong-dan/a/index.html": edited}) })
				}
			}}
		}
	})
	assertTree(t, to, merge(published(siteV2()), map[string]string{"huong-dan/a/index.html": edited}))
	want := []string{filepath.Join(to, "huong-dan", "a", "index.html") + ": changed during the publish, so no longer loa's; left alone"}
	if res.Removed != 0 || !reflect.DeepEqual(res.Warnings, want) {
		t.Errorf("removed %d, warnings %q; want 0, %q", res.Removed, res.Warnings, want)
	}
	res = mustPublish(t, siteV2(), to, nil)
	if n, _ := res.Plan.Count(Foreign); n != 1 || res.Removed != 0 {
		t.Errorf("next publish: %d foreign, %d removed; want 1, 0", n, res.Removed)
	}
}
