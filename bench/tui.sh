#!/usr/bin/env bash
# Time to the first full frame of the TUI with a warm fact cache: the
# scripted mode on a virtual 80x24 terminal, with an empty script, draws
# the Overview once and leaves. Side by side: `quirk scan --json`, the same
# pipeline without curses. Goal: first frame <= 50 ms. Needs hyperfine.
# usage: bench/tui.sh [BUILD_DIR]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" "${1:-build}"
need hyperfine
warm_cache
two tui-first-frame "env TERM=xterm-256color COLUMNS=80 LINES=24 QUIRK_TUI_SCRIPT= $quirk tui --project $proj" \
	scan-json "$quirk scan --json --project $proj"
echo "ratio: the first frame takes $(ratio "$a" "$b")x the scan (goal: first frame <= 50 ms)"
machine
result tui "first frame $a ms" "scan --json $b ms" "$(ratio "$a" "$b")x" "<= 50 ms" "$(goal "$a" "<=" 50)"
