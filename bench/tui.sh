#!/usr/bin/env bash
# Time to the first full frame of the TUI with a warm fact cache: the
# scripted mode on a virtual 80x24 terminal, with an empty script, draws
# the Overview once and leaves. Side by side: `quirk scan --json`, the same
# pipeline without curses. Goal: first frame <= 50 ms. Needs hyperfine.
# usage: bench/tui.sh [BUILD_DIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh" "${1:-build}"
proj=$(mktemp -d)
trap 'rm -rf "$proj" "$out"' EXIT
"$quirk" scan --json --project "$proj" >/dev/null || true # warm the cache
hyperfine -N -i --warmup 5 --runs 60 --export-json "$out" \
	-n tui-first-frame "env TERM=xterm-256color COLUMNS=80 LINES=24 QUIRK_TUI_SCRIPT= $quirk tui --project $proj" \
	-n scan-json "$quirk scan --json --project $proj" >/dev/null
jq -r '.results[] | "\(.command): median \(.median * 1000 | . * 10 | round / 10) ms, mean \(.mean * 1000 | . * 10 | round / 10) ms (\(.times | length) runs)"' "$out"
echo "machine: $(nproc) cores, $(uname -sr)"
