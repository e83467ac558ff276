#!/usr/bin/env bash
# Compares live tracking between two goalkit binaries in alternating rounds
# on one machine, as BENCHMARKS.md reports it: the standard workload with 5 %
# corrected and 2 % retracted, one version per Apply (goalkit bench's
# track_* figures), OLD on one core, NEW on one core and on two
# (-track-cores 2: a tracker's table then copies its growing columns on the
# second core), and the medians at the end.
#
#   scripts/bench-track.sh OLD NEW [ROUNDS] [EVENTS]
#
# OLD and NEW are goalkit binaries (go build -o NEW ./cmd/goalkit, OLD the
# same on an earlier commit, which may lack -track-cores). Each run prints
# what, versions/s, bytes retained per event and the load average.
set -euo pipefail
old=$1 new=$2 rounds=${3:-5} n=${4:-10000000}
runs=$(mktemp)
trap 'rm -f "$runs"' EXIT
track() { # what procs binary [flags]
	local what=$1 procs=$2 bin=$3
	shift 3
	local out
	out=$(GOMAXPROCS=$procs "$bin" bench -n "$n" -iters 1 -format json "$@")
	printf '%s\t%s\t%s\t%s\n' "$what" \
		"$(sed -E 's/.*"track_events_per_s":([0-9.]+).*/\1/' <<< "$out" | cut -d. -f1)" \
		"$(sed -E 's/.*"track_bytes_per_event":([0-9.]+).*/\1/' <<< "$out")" \
		"$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$runs"
}
for r in $(seq "$rounds"); do
	echo "# round $r $(date -u +%H:%M:%S)"
	track old-1 1 "$old"
	track new-1 1 "$new"
	track new-2 2 "$new" -track-cores 2
done
echo "# median versions/s"
for w in old-1 new-1 new-2; do
	printf '%s\t%s\n' "$w" "$(awk -v w="$w" '$1 == w {print $2}' "$runs" | sort -n |
		awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}')"
done
