package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCPUProfile: $LOA_CPUPROFILE names the file a CPU profile goes to
// (gzip data, as pprof writes it); a file that cannot be made is said, and
// the command goes on.
func TestCPUProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	t.Setenv("LOA_CPUPROFILE", path)
	var stderr bytes.Buffer
	cpuProfile(&stderr)()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b || stderr.Len() != 0 {
		t.Fatalf("profile %d bytes (%v), stderr %q", len(b), err, stderr.String())
	}
	t.Setenv("LOA_CPUPROFILE", filepath.Join(t.TempDir(), "missing", "cpu.prof"))
	cpuProfile(&stderr)()
	if !strings.HasPrefix(stderr.String(), "loa: no CPU profile: ") {
		t.Errorf("stderr %q, want the reason there is no profile", stderr.String())
	}
}
