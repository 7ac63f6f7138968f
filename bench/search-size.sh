#!/bin/sh
# Search benchmarks: the client's gzip size, the bytes a first query transfers
# on the fixture site (the seven conventions and the district plan), Node query
# times over the parity set, and on a generated site of N pages (default
# 10,000) the build time of the Bleve index plus the static bundle and the
# bytes transferred by typical two-word queries. Query time in Chromium is
# reported by the browser test (go test ./internal/search -run TestBrowser -v).
#
#   bench/search-size.sh [PAGES]
set -eu
cd "$(dirname "$0")/.."
LOA_SEARCH_BENCH=1 LOA_SEARCH_BENCH_PAGES="${1:-10000}" \
	go test -count=1 -run 'TestSearchBench$' -v -timeout 60m ./internal/search |
	sed -n 's/^ *bench_test.go:[0-9]*: //p'
