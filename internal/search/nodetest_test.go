package search

import (
	"loa/internal/testtool"
	"os/exec"
	"testing"
)

// TestNodeUnit runs the client's Node unit tests (internal/search/jstest/*.test.js).
func TestNodeUnit(t *testing.T) {
	node := testtool.Node(t)
	out, err := exec.Command(node, "--test", "jstest/search.test.js").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
}
