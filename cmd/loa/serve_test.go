package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this binary as the loa command: with
// LOA_TEST_MAIN=1 it is `loa` with the arguments it was started with.
func TestMain(m *testing.M) {
	if os.Getenv("LOA_TEST_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// TestServeSignal: SIGINT (Ctrl-C) and SIGTERM end `loa serve` of the
// repository's site within half a second, whenever they come: the first
// build takes about a second (loading, rendering, then the search index,
// which Bleve cannot interrupt in a batch), and the signals are sent at
// points across it. The exit status is 0 and the last line plain.
func TestServeSignal(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := sitetestRoot(t)
	for _, tt := range []struct {
		sig   syscall.Signal
		after time.Duration // after the "preview at" line
	}{
		{syscall.SIGINT, 0},
		{syscall.SIGINT, 250 * time.Millisecond},
		{syscall.SIGINT, 500 * time.Millisecond},
		{syscall.SIGTERM, 750 * time.Millisecond},
	} {
		t.Run(fmt.Sprint(tt.sig, " after ", tt.after), func(t *testing.T) {
			cmd := exec.Command(exe, "serve", "--root", root, "--port", "0")
			// The race detector sleeps 1 s at exit unless told not to.
			cmd.Env = append(os.Environ(), "LOA_TEST_MAIN=1", "GORACE=atexit_sleep_ms=0")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill() })
			r := bufio.NewReader(stdout)
			first, err := r.ReadString('\n')
			if err != nil || !strings.Contains(first, "preview at http://127.0.0.1:") {
				t.Fatalf("first line %q, %v; stderr:\n%s", first, err, stderr.String())
			}
			// The moment the user presses Ctrl-C is the input here, not a
			// wait for a result.
			time.Sleep(tt.after)
			begin := time.Now()
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(r)
			err = cmd.Wait()
			d := time.Since(begin)
			t.Logf("exited %v after the signal", d)
			if err != nil || d > stopSlack {
				t.Errorf("exit %v after %v, want status 0 within %v (target 500ms); stderr:\n%s", err, d, stopSlack, stderr.String())
			}
			if string(rest) != "loa: stopped\n" {
				t.Errorf("stdout after the first line: %q, want %q", rest, "loa: stopped\n")
			}
		})
	}
}

// stopSlack bounds how long stopping may take in a test. The target is half
// a second, which these tests log and which holds on an idle machine (40-250
// ms measured); the bound leaves room for the race detector and a loaded CI
// machine, since a timing is not a deterministic assertion, while a hang
// still fails.
const stopSlack = 2 * time.Second
