#!/usr/bin/env bash
# Side by side: `quirk scan --json` with a warm tool-version cache (the
# everyday case) and with no cache (every --version command runs).
# Goal: warm median <= 15 ms on a 2-core machine. Needs hyperfine.
# usage: bench/scan.sh [BUILD_DIR]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" "${1:-build}"
need hyperfine
warm_cache
two warm "$quirk scan --json --project $proj" no-cache "env QUIRK_NO_CACHE=1 $quirk scan --json --project $proj"
echo "ratio: no cache takes $(ratio "$b" "$a")x the warm scan (goal: warm <= 15 ms)"
machine
result scan "warm $a ms" "no cache $b ms" "$(ratio "$b" "$a")x" "warm <= 15 ms" "$(goal "$a" "<=" 15)"
