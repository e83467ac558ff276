#!/usr/bin/env bash
# Compares loading and the whole `goalkit eval` process between two goalkit
# binaries, and against DuckDB's CSV load and query (scripts/duckdb-bench,
# on 2 threads and on 1, as goalkit's eval on 2 cores and on 1), in
# alternating rounds on one machine, as BENCHMARKS.md reports them.
#
#   scripts/bench-load.sh OLD NEW DUCKDB CSV [ROUNDS]
#
# OLD and NEW are goalkit binaries (go build -o NEW ./cmd/goalkit, OLD the
# same on an earlier commit); DUCKDB is scripts/duckdb-bench built; CSV is
# the workload as `goalkit bench -n 10000000 -write CSV` writes it. Each
# round prints one line per run: what, GOMAXPROCS, wall seconds, processor
# seconds (user+system) and, for the loads, the bench's JSON figures.
set -euo pipefail
old=$1 new=$2 duck=$3 csv=$4 rounds=${5:-5}
plan=$(dirname "$0")/../goalkittest/workload.yaml
n=$(($(wc -l < "$csv") - 1))
out=$(mktemp)
trap 'rm -f "$out"' EXIT
timed() { # what procs cmd...
	local what=$1 procs=$2
	shift 2
	local t
	t=$( { GOMAXPROCS=$procs /usr/bin/time -f '%e %U %S' "$@" > "$out" ; } 2>&1 | tail -1)
	read -r wall user sys <<< "$t"
	printf '%s\t%s\t%s\t%.2f\t%s\n' "$what" "$procs" "$wall" "$(echo "$user + $sys" | bc)" "$(head -c 200 "$out" | tr -d '\n' | cut -c1-160)"
}
for r in $(seq "$rounds"); do
	echo "# round $r $(date -u +%H:%M:%S) load average $(cut -d' ' -f1-3 /proc/loadavg)"
	for p in 1 2; do
		timed load-old "$p" "$old" bench -n "$n" -iters 1 -track=false -format json
		timed load-new "$p" "$new" bench -n "$n" -iters 1 -track=false -format json
	done
	timed eval-old 2 "$old" eval -plan "$plan" -events "$csv" -as-of 2026-01-01T00:00:00Z
	timed eval-new 2 "$new" eval -plan "$plan" -events "$csv" -as-of 2026-01-01T00:00:00Z
	timed eval-new 1 "$new" eval -plan "$plan" -events "$csv" -as-of 2026-01-01T00:00:00Z
	timed duckdb 2 "$duck" -csv "$csv" -threads 2
	timed duckdb 1 "$duck" -csv "$csv" -threads 1
done
