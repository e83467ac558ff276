#!/usr/bin/env bash
# Counts the exported identifiers of each package of the core module, as
# `go doc -all` lists them: functions, methods, types, and every constant
# and variable (one per name, also inside blocks). Struct fields are not
# counted. Usage: scripts/api-count.sh [-check] [package ...]
# With -check it fails when a package exceeds the redesign's limits (kpi at
# most 130 exported identifiers, no package above 150): make lint runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
check=
if [ "${1:-}" = -check ]; then
	check=1
	shift
fi
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
	mapfile -t pkgs < <(go list ./... | grep -v -e /internal/ -e /examples/ -e /scripts)
fi
for p in "${pkgs[@]}"; do
	n=$(go doc -all "$p" 2>/dev/null | awk '
		/^(func|type) / { n++; next }
		/^(const|var) \(/ { block = 1; next }
		block && /^\)/ { block = 0; next }
		block && /^\t[A-Z][A-Za-z0-9_]*/ { n++; next }
		/^(const|var) [A-Z]/ { n++ }
		END { print n + 0 }')
	printf '%4d %s\n' "$n" "$p"
	limit=150
	[ "$p" = github.com/goalkit/goalkit/kpi ] && limit=130
	if [ -n "$check" ] && [ "$n" -gt "$limit" ]; then
		echo "api-count: $p exports $n identifiers, more than $limit" >&2
		over=1
	fi
done
[ -z "${over:-}" ]
