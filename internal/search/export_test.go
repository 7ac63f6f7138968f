package search

import "testing"

// Test hooks for the external test package (search_test), which builds this
// repository's site with internal/build and so cannot be package search.

// NodeQuery is one query for the client run in Node.
type NodeQuery = parityQuery

// NodeResult is the client's answer to a NodeQuery.
type NodeResult = nodeResult

// RunNode runs the queries through static/js/search.js in Node over the bundle
// in dir (it fails the test when node is missing, see internal/testtool).
func RunNode(t *testing.T, dir string, qs []NodeQuery) []NodeResult { return runNode(t, dir, qs) }
