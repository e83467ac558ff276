#!/usr/bin/env bash
# consumer-test.sh: prove that every module of this repository can be used
# with `go get` from outside it, as a host would after a release.
#
# scripts/modproxy publishes every module of go.work, at the release version
# the modules require one another at, from the files git tracks (as they are
# in the working tree) into a file-based module proxy in a temporary
# directory. Then a new module outside the repository, with no workspace and
# that proxy first in GOPROXY, runs `go get` of every module, builds and runs
# a program that imports a package of each and evaluates a plan on the
# in-memory store and in SQLite, and installs the command line with
# `go install github.com/goalkit/goalkit/cmd/goalkit@VERSION` (which refuses a
# go.mod with replace directives) and runs it on the same files.
#
# It also checks that README states the Go version of go.work.
#
# The consumer has a module cache of its own, removed at the end with the
# rest, so that these test builds of goalkit never enter the shared one.
# Third-party modules come from the shared module cache when it has them,
# else from $(go env GOPROXY), and are checked against the repository's go.sum
# files; with a warm module cache it needs no network. The build cache is the
# shared one.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
start=$SECONDS

fail() {
	echo "consumer-test: $*" >&2
	exit 1
}

# quiet runs a command and shows its output only if it fails.
quiet() {
	"$@" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; fail "failed: $*"; }
}

# One Go version line for the repository (modproxy checks go.work against
# every go.mod), and README says it.
gover=$(awk '$1 == "go" { print $2; exit }' go.work)
[ -n "$gover" ] || fail "go.work has no go line"
minor=$(echo "$gover" | cut -d. -f1,2)
grep -q "Go $minor or newer" README.md || fail "README does not say \"Go $minor or newer\" (go.work says go $gover)"

trap 'echo "consumer-test: failed (line $LINENO)" >&2' ERR
tmp=$(mktemp -d "${TMPDIR:-/tmp}/goalkit-consumer.XXXXXX")
cleanup() {
	chmod -R u+w "$tmp" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

"$GO" run ./scripts/modproxy -o "$tmp/proxy" >"$tmp/modules"
version=$(awk 'NR == 1 { print $2 }' "$tmp/modules")
specs=$(awk '{ print $1 "@" $2 }' "$tmp/modules")
echo "consumer-test: published $(wc -l <"$tmp/modules") modules at $version"

# The consumer checks third-party modules against the repository's go.sum
# files rather than the checksum database, so that it runs offline once the
# module cache holds them; a module none of them lists is looked up as usual.
git ls-files -z -- go.sum '*/go.sum' go.work.sum | xargs -0 cat | sort -u >"$tmp/go.sum"

upstream_proxy=$("$GO" env GOPROXY)
upstream_sumdb=$("$GO" env GOSUMDB)
shared_download=$("$GO" env GOMODCACHE)/cache/download
gocache=$("$GO" env GOCACHE)

# From here on, a consumer's environment: no go env file, no workspace, no
# private-module settings that would send goalkit around the proxy; goalkit's
# test versions need no checksum database (they are not published), every
# other module is checked against go.sum (above) or it, as usual.
unset GOFLAGS GOPRIVATE GONOPROXY GONOSUMDB GOINSECURE GOWORK GOPATH
export GOENV=off GOWORK=off GOTOOLCHAIN=local
export GOPROXY="file://$tmp/proxy,file://$shared_download,$upstream_proxy"
export GOSUMDB="$upstream_sumdb" GONOSUMDB=github.com/goalkit/goalkit
export GOMODCACHE="$tmp/modcache" GOCACHE="$gocache" GOBIN="$tmp/bin" GOPATH="$tmp/gopath"
# -trimpath keeps build cache keys free of the temporary directory, so a
# second run reuses the first one's builds.
export GOFLAGS="-modcacherw -trimpath"

mkdir "$tmp/consumer"
cd "$tmp/consumer"
quiet "$GO" mod init example.com/consumer
cp "$tmp/go.sum" go.sum
# shellcheck disable=SC2086 # one argument per module
quiet "$GO" get $specs
# go get added every goalkit module from the proxy, at the release version, not replaced.
"$GO" list -m -f '{{.Path}} {{.Version}} {{with .Replace}}replaced by {{.Path}}{{end}}' all |
	awk -v v="$version" -v want="$(wc -l <"$tmp/modules")" '
		$1 ~ /^github\.com\/goalkit\/goalkit(\/|$)/ { n++; if ($2 != v || NF > 2) { print; bad = 1 } }
		END { if (n != want) { print n " goalkit modules in the build list, not " want; bad = 1 } exit bad }' ||
	fail "go get made a wrong build list (above)"

cat >plan.yaml <<'EOF'
timezone: Europe/Moscow
indicators:
  - id: won
    kinds: [deal.won]
    aggregate: count
  - id: revenue
    kinds: [deal.won]
    aggregate: sum
    value: amount
    currency: RUB
report:
  grain: month
  from: 2025-03-01
  to: 2025-04-01
EOF
cat >events.ndjson <<'EOF'
{"id": "d1", "kind": "deal.won", "time": "2025-03-03T11:25:00+03:00", "actor": "anna", "amount": "1500.00", "currency": "RUB"}
{"id": "d2", "kind": "deal.won", "time": "2025-03-14T14:28:00+03:00", "actor": "boris", "amount": "220000.00", "currency": "RUB"}
{"id": "d1", "kind": "deal.won", "time": "2025-03-03T11:25:00+03:00", "actor": "anna", "amount": "1750.50", "currency": "RUB"}
EOF
cat >main.go <<'EOF'
// Command consumer uses every goalkit module the way a host does: it
// evaluates a plan over an event file on the in-memory store and in SQLite,
// checks that both give the same report, and prints it.
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/eventfile"
	gkkafka "github.com/goalkit/goalkit/adapters/kafka"
	"github.com/goalkit/goalkit/adapters/memory"
	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/adapters/postgres"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlite"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/export/xlsx"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/serve"
	"github.com/goalkit/goalkit/scaleout"
)

var (
	_ scaleout.Log      = (*gknats.Tenant)(nil)
	_ scaleout.Log      = (*gkkafka.Tenant)(nil)
	_ kpi.PartialSource = (*scaleout.Source)(nil)
)

var (
	_ kpi.Source = (*sqlcore.Store)(nil)
	_ kpi.Source = (*postgres.Store)(nil)
	_ kpi.Source = (*sqlite.Store)(nil)
	_             = dashboard.New
	_             = serve.New
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "consumer:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	data, err := os.ReadFile("plan.yaml")
	if err != nil {
		return err
	}
	def, err := goalkit.ParseDefinition("plan.yaml", data)
	if err != nil {
		return err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return err
	}
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, plan.Calendar().Location())
	dir, err := os.MkdirTemp("", "consumer")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "events.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	mem := memory.New(plan.Calendar().Location())
	// The one way to load an event file, into each store.
	for _, dst := range []eventfile.Store{mem, db} {
		f, err := os.Open("events.ndjson")
		if err != nil {
			return err
		}
		err = eventfile.Load(ctx, dst, f, "events.ndjson", eventfile.Options{Attributes: def.Attributes})
		f.Close()
		if err != nil {
			return err
		}
	}

	var tables [2]bytes.Buffer
	for i, src := range []kpi.Source{mem, db} {
		rep, err := plan.Evaluate(ctx, src, asOf)
		if err != nil {
			return err
		}
		if err := rep.WriteTable(&tables[i]); err != nil {
			return err
		}
	}
	if !bytes.Equal(tables[0].Bytes(), tables[1].Bytes()) {
		return fmt.Errorf("memory and sqlite differ:\n%s\n%s", &tables[0], &tables[1])
	}

	if _, err := bitrix24.New(bitrix24.Webhook("https://portal.example/rest/1/code/")); err != nil {
		return err
	}
	rep, err := plan.Evaluate(ctx, mem, asOf)
	if err != nil {
		return err
	}
	var book bytes.Buffer
	if err := xlsx.Write(&book, plan, rep); err != nil || book.Len() == 0 {
		return fmt.Errorf("the report as a workbook: %v (%d bytes)", err, book.Len())
	}
	if _, err := deliver.ParseConfig("deliver.yaml", []byte("channels: [{name: c, type: telegram, token_env: T}]\nrecipients: [{user: anna, telegram: '1'}]\n")); err != nil {
		return fmt.Errorf("delivery configuration: %w", err)
	}
	_, err = os.Stdout.Write(tables[0].Bytes())
	return err
}
EOF

quiet "$GO" mod tidy
"$GO" vet ./...
"$GO" build -o consumer .
./consumer >consumer.out || fail "the consumer program failed"
grep -q "221 750.50" consumer.out || { cat consumer.out >&2; fail "the consumer's report lacks the corrected revenue 221 750.50"; }

# go install PKG@VERSION has no go.sum to check modules against: it may use
# only goalkit's test versions and the modules this run already verified.
GOPROXY="file://$tmp/proxy,file://$GOMODCACHE/cache/download,off" GOSUMDB=off \
	quiet "$GO" install "github.com/goalkit/goalkit/cmd/goalkit@$version"
"$GOBIN/goalkit" eval -plan plan.yaml -events events.ndjson -as-of 2025-04-01T00:00:00+03:00 -format table >cli.out ||
	fail "the installed goalkit eval failed"
cmp -s consumer.out cli.out || { diff consumer.out cli.out >&2 || true; fail "goalkit eval and the library print different reports"; }

echo "consumer-test: ok: go get, build and go install of $(wc -l <"$tmp/modules") modules at $version outside the repository ($((SECONDS - start)) s)"
