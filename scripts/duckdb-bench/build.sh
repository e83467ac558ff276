#!/usr/bin/env bash
# Builds duckdb-bench (main.go beside this script) into the binary OUT, as
# a module of its own in a temporary directory, so that DuckDB is never a
# requirement of a goalkit module. Needs cgo (a C compiler) and the Go
# module proxy; the DuckDB library comes in a module of the Go bindings.
#
#   scripts/duckdb-bench/build.sh OUT
set -euo pipefail
out=$(realpath -m "$1")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed '/^\/\/go:build ignore$/d' "$here/main.go" > "$tmp/main.go"
cd "$tmp"
cat > go.mod <<'MOD'
module duckdbbench

go 1.25.0

require github.com/duckdb/duckdb-go/v2 v2.10506.0
MOD
export GOWORK=off GOFLAGS=-mod=mod
go mod tidy
CGO_ENABLED=1 go build -o "$out" .
