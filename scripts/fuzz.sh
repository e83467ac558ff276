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
			(cd "$m" && $GO test -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" \
				-fuzzminimizetime "$FUZZMINIMIZETIME" "$pkg")
		done
	done
done
