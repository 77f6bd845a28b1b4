#!/usr/bin/env bash
# Side by side on one log of at least 256 MiB: `quirk match` against
# `LC_ALL=C grep -F -f` given the same signatures (the KB's exact symptom
# strings; quirk also runs its patterns, counts lines and judges the
# matched entries), after checking that both find the same lines. quirk
# reads 64 KiB at a time, so each piece is still in cache when the matcher
# scans it.
# Goal: quirk's throughput >= 2x grep's. Needs hyperfine.
# usage: bench/match.sh [BUILD_DIR] [MIB]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" "${1:-build}"
need hyperfine
log=$(journal_log "${2:-256}")
sigs=$tmp/sigs
"$quirk" match --signatures | awk -F'\t' '$2 == "exact" { print $3 }' >"$sigs"
size=$(stat -c %s "$log")
echo "log: $log, $((size / 1048576)) MiB, $(wc -l <"$log") lines; $(wc -l <"$sigs") fixed strings for grep," \
	"$("$quirk" match --signatures | wc -l) signatures for quirk"
# Both must find the same lines before their speed means anything.
q=$("$quirk" match --json --max-hits 100000 "$log" | jq '[.matches[].lines] | add')
g=$(LC_ALL=C grep -c -F -f "$sigs" "$log")
echo "matching lines: quirk $q, grep $g"
[ "$q" = "$g" ] || { echo "bench: quirk and grep disagree" >&2; exit 1; }
hf "$tmp/h.json" --warmup 1 --runs 5 \
	-n "quirk match" "$quirk match --json $log" \
	-n "grep -F -f" "env LC_ALL=C grep -F -f $sigs $log"
jq -r --argjson size "$size" '.results[] | "\(.command): median \(.median * 1000 | round) ms,"
	+ " \($size / .median / 1048576 | round) MiB/s (\(.times | length) runs)"' "$tmp/h.json"
qm=$(ms "$tmp/h.json" 0) gm=$(ms "$tmp/h.json" 1)
x=$(ratio "$gm" "$qm")
echo "ratio: quirk is ${x}x grep (goal: >= 2x)"
machine
rate() { awk -v s="$size" -v m="$1" 'BEGIN { printf "%d MiB/s", s / (m / 1000) / 1048576 }'; }
result match "quirk $(rate "$qm")" "grep -F -f $(rate "$gm")" "${x}x" ">= 2x grep" "$(goal "$x" ">=" 2)"
