#!/bin/sh
# Search on a cheap phone over a slow link (issue 12): headless Chromium at
# 360x740, every request throttled to 400 kbit/s (50,000 bytes/s) with 400 ms
# of latency, an empty cache for every page load. For ten queries it reports
# the time from the last key to the first result when the query is typed one
# key every 150 ms after focusing the search page's box, the same when it is
# pasted, and from opening the query's ?q= link; and the requests and bytes
# each caused. Results are kept in bench/RESULTS-search-phone.md.
#
#   bench/search-phone.sh          files sent as they are (Go's file server)
#   bench/search-phone.sh --gzip   files sent gzip-compressed, as a portal's web server usually does
set -eu
cd "$(dirname "$0")/.."
gz=0
[ "${1-}" = --gzip ] && gz=1
LOA_SEARCH_PHONE_GZIP=$gz LOA_SEARCH_PHONE_BENCH=1 go test -count=1 -run 'TestSearchPhoneBench$' -v -timeout 30m ./internal/e2e |
	sed -n 's/^ *slowlink_test.go:[0-9]*: //p'
