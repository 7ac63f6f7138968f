#!/bin/sh
# Builds generated sites of 1,000 and 10,000 pages (plus this repository's
# content) with `loa build` and reports wall time, pages per second and peak
# memory (maximum resident set size, from /usr/bin/time).
set -eu
cd "$(dirname "$0")/.."
out=${BENCH_OUT:-/tmp/loa-bench}
mkdir -p "$out"
go build -o "$out/loa" ./cmd/loa
for n in ${BENCH_PAGES:-1000 10000}; do
	go run ./bench/gensite -n "$n" -with-site -out "$out/site$n"
	"$out/loa" build --root "$out/site$n" --quiet >/dev/null 2>&1 || true # warm the file cache
	/usr/bin/time -f "%e %M" -o "$out/time$n" "$out/loa" build --root "$out/site$n" > "$out/log$n"
	pages=$(find "$out/site$n/content" -name '*.md' | wc -l)
	read secs kb < "$out/time$n"
	echo "build $n generated pages ($pages Markdown files): ${secs}s, $(echo "$pages / $secs" | bc) pages/s, peak RSS $((kb / 1024)) MiB"
done
# The page pipeline alone (in memory: no search index, no disk writes), cold
# and warm (a rebuild with the same Builder, as the preview does).
for n in ${BENCH_PAGES:-1000 10000}; do
	echo "in-memory page pipeline, $n generated pages:"
	LOA_BENCH_SITE="$out/site$n" go test -run '^$' -bench BuildSite -benchtime 2x ./internal/build | grep Benchmark
done
