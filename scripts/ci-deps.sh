#!/usr/bin/env bash
# ci-deps.sh: install the outside programs that some tests drive for real,
# when they are missing: chromium (the dashboard's browser tests),
# poppler-utils (pdftotext, pdffonts and pdftoppm read the PDF exports back)
# and nats-server (the multi-process scale-out test). It needs root and
# apt-get; elsewhere it says what is missing and leaves the tests to skip.
# CI sets GOALKIT_CI=1, under which those tests fail instead of skipping when
# their program is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "ci-deps: installing ${missing[*]} with apt-get" >&2
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
else
	echo "ci-deps: missing ${missing[*]} (install them to run every test)" >&2
fi
