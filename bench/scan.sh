#!/usr/bin/env bash
# Side by side: `quirk scan --json` with a warm tool-version cache (the
# everyday case) and with no cache (every --version command runs).
# Goal: warm median <= 15 ms on a 2-core machine. Needs hyperfine.
# usage: bench/scan.sh [BUILD_DIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh" "${1:-build}"
proj=$(mktemp -d)
trap 'rm -rf "$proj" "$out"' EXIT
"$quirk" scan --json --project "$proj" >/dev/null || true # warm the cache
# -i: a host with an affected or unknown finding exits 1 or 3, as it should.
hyperfine -N -i --warmup 5 --runs 60 --export-json "$out" \
	-n warm "$quirk scan --json --project $proj" \
	-n no-cache "env QUIRK_NO_CACHE=1 $quirk scan --json --project $proj" >/dev/null
jq -r '.results[] | "\(.command): median \(.median * 1000 | . * 10 | round / 10) ms, mean \(.mean * 1000 | . * 10 | round / 10) ms (\(.times | length) runs)"' "$out"
echo "machine: $(nproc) cores, $(uname -sr)"
