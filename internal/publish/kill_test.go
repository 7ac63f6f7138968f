//go:build unix

package publish

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// buildLoa builds the loa command from this module into a temporary folder.
func buildLoa(t *testing.T) string {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	bin := filepath.Join(t.TempDir(), "loa")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/loa")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/loa: %v\n%s", err, out)
	}
	return bin
}

// copyTree copies the folder src to a new temporary folder.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o777)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o666)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// runLoa runs loa publish from one folder to another; killAfter > 0 makes
// it kill itself after that many changes to the folder (see killEnv). It
// returns whether the process was killed, and fails the test on any other
// exit but success.
func runLoa(t *testing.T, loa, from, to string, killAfter int) (killed bool) {
	t.Helper()
	cmd := exec.Command(loa, "publish", "--from", from, "--to", to)
	cmd.Env = os.Environ()
	if killAfter > 0 {
		cmd.Env = append(cmd.Env, killEnv+"="+strconv.Itoa(killAfter))
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	if err != nil {
		t.Fatalf("loa publish --from %s --to %s (kill after %d): %v\n%s", from, to, killAfter, err, out.String())
	}
	return false
}

// TestKilledAtEveryStep builds loa and kills it (SIGKILL, no clean-up) at
// every change it makes to a folder while publishing an update: after the
// lock, the journal, each check of a folder, each removal, folder, temporary
// file, write and rename, and the record. Each time, every foreign file is
// still as it was; then publishing the same build again completes it, and
// publishing a different build instead also ends with exactly that build
// beside the untouched foreign files.
func TestKilledAtEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs loa many times")
	}
	loa := buildLoa(t)
	v1 := merge(siteV1(), map[string]string{"tai-lieu/mau": "mẫu đơn, one file"})
	v2 := merge(siteV2(), map[string]string{"tai-lieu/mau/don.pdf": "%PDF đơn"}) // a file becomes a folder
	v3 := merge(siteV1(), map[string]string{"tai-lieu/mau": "mẫu đơn v3", "index.html": "<h1>v3</h1>"})
	delete(v3, "js/search.js")
	fromV2, fromV3 := t.TempDir(), t.TempDir()
	writeTree(t, fromV2, v2)
	writeTree(t, fromV3, v3)
	foreign := map[string]string{
		"robots.txt":            "User-agent: *",
		"portal/tin-tuc.html":   "the portal's news",
		"huong-dan/ghi-chu.txt": "the admin's note beside loa's pages",
		".ghi-chu.txt.loa-tmp":  "a person's file that looks temporary",
		"css/.main.css.loa-tmp": "another one, beside a file loa replaces",
	}
	base := t.TempDir()
	writeTree(t, base, foreign)
	mustPublish(t, v1, base, nil)

	n := 1
	for ; n < 500; n++ {
		to := copyTree(t, base)
		if !runLoa(t, loa, fromV2, to, n) {
			break // n is past the last change: the publish completed
		}
		got := readTree(t, to)
		for name, content := range foreign {
			if got[name] != content {
				t.Fatalf("killed after %d changes: foreign %s is %q, want %q", n, name, got[name], content)
			}
		}
		other := copyTree(t, to)
		runLoa(t, loa, fromV2, to, 0)
		assertComplete(t, to, v2, foreign)
		assertNoRecords(t, to)
		runLoa(t, loa, fromV3, other, 0)
		assertComplete(t, other, v3, foreign)
		assertNoRecords(t, other)
		if t.Failed() {
			t.Fatalf("after a kill after %d changes", n)
		}
	}
	if n < 25 {
		t.Errorf("the publish completed after being allowed %d changes; the kill points do not cover it", n-1)
	}
	t.Logf("killed at each of %d changes", n-1)
}
