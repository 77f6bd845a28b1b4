#!/usr/bin/env bash
# Side by side on this machine: the ymm-signal probe and the Go wiki's
# reproducer (../shared/baselines/ymm_signal_reference.c beside the
# repository, or YMM_REFERENCE; optional: without it the probe's figures
# stand alone and the comparison is "not run"), each for the same number
# of seconds, one after the other so neither steals the other's CPUs.
# Compares triggers per second (signals delivered onto released
# signal-stack pages); goal: the probe >= 10x. The reproducer's second
# thread signals every 100 us; each probe worker instead signals itself
# with tgkill() while its YMM registers hold a pattern, so every loop is a
# delivery onto released pages. Then the self-test's time
# to detect the injected corruption (goal <= 100 ms), as the probe
# measures it and as a whole command.
# usage: bench/ymm.sh [SECONDS] [BUILD_DIR]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" "${2:-build}"
secs=${1:-10}
ref_src=${YMM_REFERENCE:-../shared/baselines/ymm_signal_reference.c}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
"$quirk" probe run ymm-signal --duration "$secs" --json >"$tmp/probe.json" || true
probe_rate=$(jq '.counters.triggers / .duration_s | round' "$tmp/probe.json")
jq -r '"probe:     processes=\(.counters.processes) seconds=\(.duration_s|.*100|round/100) triggers=\(.counters.triggers) triggers_per_s=\(.counters.triggers / .duration_s | round) status=\(.status)"' "$tmp/probe.json"

if [ ! -f "$ref_src" ]; then
	why="$ref_src not found (set YMM_REFERENCE)"
	echo "reference: not run: $why"
	result ymm-signal "probe $probe_rate triggers/s" "not run: $why" "-" ">= 10x" "not run"
elif ! command -v cc >/dev/null; then
	echo "reference: not run: no C compiler (cc)"
	result ymm-signal "probe $probe_rate triggers/s" "not run: no C compiler (cc)" "-" ">= 10x" "not run"
else
	cc -O2 -pthread -w "$ref_src" -o "$tmp/reference"
	"$tmp/reference" "$secs" | tee "$tmp/ref.txt"
	ref_rate=$(sed -n 's/.*triggers_per_s=\([0-9.]*\).*/\1/p' "$tmp/ref.txt")
	x=$(ratio "$probe_rate" "$ref_rate")
	echo "ratio:     ${x}x the reference trigger rate (goal >= 10x)"
	result ymm-signal "probe $probe_rate triggers/s" "reference $ref_rate triggers/s" "${x}x" ">= 10x" "$(goal "$x" ">=" 10)"
fi

for i in $(seq 20); do
	"$quirk" probe run ymm-signal --self-test --json >"$tmp/st$i.json" || true
done
jq -s -r '"self-test: \(length) runs, all fail=\(all(.status == "fail")), detection (probe clock) median \(map(.summary|capture("(?<t>[0-9.]+) s\\)").t|tonumber)|sort|.[length/2|floor]*1000|round) ms, whole probe run median \(map(.duration_s)|sort|.[length/2|floor]*1000|round) ms (goal <= 100 ms)"' "$tmp"/st*.json
detect=$(jq -s 'map(.summary|capture("(?<t>[0-9.]+) s\\)").t|tonumber)|sort|.[length/2|floor]*1000|round' "$tmp"/st*.json)
all_fail=$(jq -s 'all(.status == "fail")' "$tmp"/st*.json)
verdict=$(goal "$detect" "<=" 100)
[ "$all_fail" = true ] || verdict=fail
if command -v hyperfine >/dev/null; then
	hf "$tmp/h.json" --warmup 3 --runs 20 -i "$quirk probe run ymm-signal --self-test"
	whole=$(ms "$tmp/h.json" 0)
	echo "self-test: whole command (facts, KB, probe) median $whole ms"
	result ymm-self-test "detection $detect ms" "whole command $whole ms" "-" "detection <= 100 ms" "$verdict"
else
	result ymm-self-test "detection $detect ms" "-" "-" "detection <= 100 ms" "$verdict"
fi
