// Package testtool finds the commands tests need (Chromium, Node.js, the
// print checks' pdftoppm and zbarimg) under one policy: fail when missing,
// skip only when told to. It imports nothing of loa, so any test can use it.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// SkipMissingEnv names the one switch that lets tests skip instead of fail
// when a tool they need is missing: LOA_SKIP_MISSING_TOOLS=1. Without it a
// missing tool fails the test, so a machine where `make deps` did not run
// cannot pass `make test` by quietly skipping the browser, Node or print
// checks.
const SkipMissingEnv = "LOA_SKIP_MISSING_TOOLS"

// Tool returns the path of the command name, which Debian's package pkg
// installs (`make deps` installs it). When it is missing the test fails,
// or is skipped if LOA_SKIP_MISSING_TOOLS=1.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv(SkipMissingEnv) == "1" {
		t.Skipf("%s not found (Debian package %s) and %s=1", name, pkg, SkipMissingEnv)
	}
	t.Fatalf("%s not found: run `make test`, which installs Debian's %s (or set %s=1 to skip tests that need it)", name, pkg, SkipMissingEnv)
	return ""
}

// Node returns the path of Node.js for the search client's tests.
func Node(t testing.TB) string { return Tool(t, "node", "nodejs") }
