#!/usr/bin/env bash
# Counts the exported identifiers of each package of the core module, as
# `go doc -all` lists them: functions, methods, types, and every constant
# and variable (one per name, also inside blocks). Struct fields are not
# counted. Usage: scripts/api-count.sh [package ...]
set -euo pipefail
cd "$(dirname "$0")/.."
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
done
