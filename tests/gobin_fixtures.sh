#!/usr/bin/env bash
# Unpacks the gzip-compressed Go binaries of tests/fixtures/gobin into DEST,
# named without .gz and executable, for the unit and CLI tests.
# usage: gobin_fixtures.sh SRC DEST
set -eu
src=$1 dest=$2
mkdir -p "$dest"
n=0
for f in "$src"/*.gz; do
	out="$dest/$(basename "$f" .gz)"
	gzip -dc "$f" >"$out.tmp"
	chmod 755 "$out.tmp"
	mv "$out.tmp" "$out"
	n=$((n + 1))
done
[ "$n" -ge 4 ] || { echo "gobin_fixtures: only $n fixtures in $src" >&2; exit 1; }
echo "gobin_fixtures: $n binaries in $dest"
