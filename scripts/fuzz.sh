#!/usr/bin/env bash
# Runs every fuzz target of every module for a short time each: FUZZTIME
# (default 10s) of fuzzing, FUZZMINIMIZETIME (default 5s) to minimise a
# failing input. Targets are found by listing, so new ones are picked up.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-10s}
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-5s}
for m in $(find . -name go.mod -not -path './bin/*' -exec dirname {} \; | sort); do
	for pkg in $(cd "$m" && $GO list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./...); do
		for target in $(cd "$m" && $GO test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
			echo "== fuzz $pkg $target"
			# Go's fuzzer can end a run with "context deadline exceeded" when
			# -fuzztime runs out while a worker is busy: no input failed, so
			# that run is tried once more; a failing input (written under
			# testdata/fuzz) or any other error fails at once.
			for try in 1 2; do
				if out=$(cd "$m" && $GO test -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" \
					-fuzzminimizetime "$FUZZMINIMIZETIME" "$pkg" 2>&1); then
					echo "$out" | tail -n 2
					break
				fi
				echo "$out"
				if [ "$try" = 2 ] || ! echo "$out" | grep -q 'context deadline exceeded' ||
					echo "$out" | grep -q 'Failing input written'; then
					exit 1
				fi
				echo "== fuzz $pkg $target: the run ended on its deadline, not on an input; once more"
			done
		done
	done
done
