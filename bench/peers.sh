#!/bin/sh
# Side-by-side benchmark of loa against Hugo + Pagefind on the same generated
# site (issue 11): `make bench-peers N=1000` runs this.
#
#   bench/peers.sh N [flags of bench/peers, e.g. -runs 5 -preview=false]
#
# It refuses an N that is not a whole number from 1 to 100000, installs what
# is missing (Debian's time, hugo, nodejs, npm and chromium with apt-get, as
# root or through sudo like `make deps`; npm's pagefind, pinned, into
# bench/.peers/, which git ignores), then runs bench/peers (go run), which
# builds loa with `go build`, measures and updates bench/RESULTS.md. The
# working folder is $BENCH_PEERS_OUT/nN (default /tmp/loa-peers/nN). On
# Ctrl-C or any exit, the trap stops the preview servers the harness
# started, by the process ids it lists in WORK/servers.pid.
set -eu
cd "$(dirname "$0")/.."

PAGEFIND_VERSION=1.6.0
N=${1-}
[ $# -gt 0 ] && shift
case "$N" in
'' | *[!0-9]* | 0*)
	echo "bench-peers: N=\"$N\" is not a number of pages: give a whole number from 1 to 100000, e.g. make bench-peers N=1000" >&2
	exit 2
	;;
esac
if [ ${#N} -gt 6 ] || [ "$N" -gt 100000 ]; then
	echo "bench-peers: N=$N is more pages than this harness is meant for (at most 100000)" >&2
	exit 2
fi

work=${BENCH_PEERS_OUT:-/tmp/loa-peers}/n$N
# A list left by an earlier run names processes that are gone (their ids may
# belong to others by now); only this run's list is used.
if [ -f "$work/.bench-peers" ]; then rm -f "$work/servers.pid"; fi
stop_servers() {
	if [ -f "$work/servers.pid" ]; then
		while read -r pid; do
			[ -n "$pid" ] && kill -TERM "-$pid" 2>/dev/null || true
		done <"$work/servers.pid"
	fi
}
trap 'stop_servers' EXIT
trap 'stop_servers; exit 130' INT
trap 'stop_servers; exit 143' TERM

# Debian packages, installed only when missing.
pkgs=""
[ -x "${GNU_TIME:-/usr/bin/time}" ] || pkgs="$pkgs time"
command -v hugo >/dev/null 2>&1 || pkgs="$pkgs hugo"
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || pkgs="$pkgs chromium"
if [ -n "$pkgs" ]; then
	if [ "$(id -u)" = 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "bench-peers: needs Debian packages:$pkgs; run as root: apt-get update && apt-get install -y --no-install-recommends$pkgs" >&2
		exit 1
	fi
	echo "bench-peers: installing Debian packages:$pkgs (apt-get update, then apt-get install)"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# No recommends: Debian's hugo recommends golang-go, which would put an
	# older go in /usr/bin.
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs
fi

# Pagefind from npm, pinned, in a folder of its own.
pagefind=bench/.peers/node_modules/.bin/pagefind
if [ "$("$pagefind" --version 2>/dev/null || true)" != "pagefind $PAGEFIND_VERSION" ]; then
	echo "bench-peers: installing pagefind@$PAGEFIND_VERSION from npm into bench/.peers/"
	mkdir -p bench/.peers
	npm install --prefix bench/.peers --no-audit --no-fund --save-exact "pagefind@$PAGEFIND_VERSION"
fi

# Tests of the install steps stop here (internal/e2e/deps_test.go).
[ "${BENCH_PEERS_INSTALL_ONLY-}" = 1 ] && exit 0

go run ./bench/peers -n "$N" -work "$work" -hugo "$(command -v hugo)" -pagefind "$pagefind" \
	-chromium "${CHROMIUM:-/usr/bin/chromium}" -results bench/RESULTS.md "$@"
