#!/usr/bin/env bash
# pg-test.sh [COMMAND...]: start a throwaway PostgreSQL cluster on 127.0.0.1
# (its own data directory in a temporary directory, a free port, run as an
# unprivileged user), export GOALKIT_PG_DSN, run COMMAND (default: the
# postgres adapter's tests and the command line's PostgreSQL tests), then stop
# the cluster and remove its files.
# Without PostgreSQL, as root, it installs it with apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

find_bindir() {
	local d
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir)
		if [ -x "$d/initdb" ]; then echo "$d"; return; fi
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$d/initdb" ]; then echo "$d"; return; fi
	done
	if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; fi
}

bindir=$(find_bindir)
if [ -z "$bindir" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "pg-test: installing postgresql with apt-get" >&2
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
		bindir=$(find_bindir)
	fi
fi
if [ -z "$bindir" ]; then
	echo "pg-test: PostgreSQL not found (install it, or put initdb on PATH)" >&2
	exit 1
fi

# initdb refuses to run as root: run the server as an unprivileged user.
as=()
if [ "$(id -u)" = 0 ]; then
	user=postgres
	if ! id "$user" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
	fi
	as=(runuser -u "$user" --)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/goalkit-pg.XXXXXX")
chmod 755 "$tmp"
[ ${#as[@]} -gt 0 ] && chown "$user" "$tmp"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))

stop() {
	"${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap stop EXIT

"${as[@]}" "$bindir/initdb" -D "$tmp/data" -U goalkit --auth=trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 ||
	"${as[@]}" "$bindir/initdb" -D "$tmp/data" -U goalkit --auth=trust -E UTF8 >"$tmp/initdb.log" 2>&1 ||
	{ cat "$tmp/initdb.log" >&2; exit 1; }
"${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
	-o "-h 127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null ||
	{ cat "$tmp/server.log" >&2; exit 1; }

export GOALKIT_PG_DSN="postgres://goalkit@127.0.0.1:$port/postgres?sslmode=disable"
echo "pg-test: $("$bindir/postgres" --version) on 127.0.0.1:$port" >&2
if [ $# -eq 0 ]; then
	# The adapter's tests, and the command line's tests that need a server.
	set -- sh -c "cd '$root/adapters/postgres' && ${GO:-go} test -race -count=1 ./... &&
		cd '$root/cmd/goalkit' && ${GO:-go} test -race -count=1 -run Postgres ."
fi
"$@"
