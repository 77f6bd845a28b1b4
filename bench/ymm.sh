#!/usr/bin/env bash
# Side by side on this machine: the ymm-signal probe and the Go wiki's
# reproducer (../shared/baselines/ymm_signal_reference.c, when present),
# each for the same number of seconds, one after the other so neither
# steals the other's CPUs. Compares triggers per second (signals
# delivered onto released signal-stack pages); goal: the probe >= 10x.
# Then the self-test's time to detect the injected corruption (goal
# <= 100 ms), as the probe measures it and as a whole command.
# usage: bench/ymm.sh [SECONDS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
build=${2:-build}
quirk="$PWD/$build/quirk"
ref_src=${YMM_REFERENCE:-../shared/baselines/ymm_signal_reference.c}
[ -x "$quirk" ] || { echo "bench: build quirk first ($quirk)" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench: jq is needed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
"$quirk" probe run ymm-signal --duration "$secs" --json >"$tmp/probe.json" || true
probe_rate=$(jq '.counters.triggers / .duration_s' "$tmp/probe.json")
jq -r '"probe:     processes=\(.counters.processes) seconds=\(.duration_s|.*100|round/100) triggers=\(.counters.triggers) triggers_per_s=\(.counters.triggers / .duration_s | round) status=\(.status)"' "$tmp/probe.json"

if [ -f "$ref_src" ]; then
	cc -O2 -pthread -w "$ref_src" -o "$tmp/reference"
	"$tmp/reference" "$secs" | tee "$tmp/ref.txt"
	ref_rate=$(sed -n 's/.*triggers_per_s=\([0-9.]*\).*/\1/p' "$tmp/ref.txt")
	awk -v p="$probe_rate" -v r="$ref_rate" 'BEGIN { printf "ratio:     %.1fx the reference trigger rate (goal >= 10x)\n", p / r }'
else
	echo "reference: $ref_src not found (set YMM_REFERENCE); probe figures only"
fi

for i in $(seq 20); do
	"$quirk" probe run ymm-signal --self-test --json >"$tmp/st$i.json" || true
done
jq -s -r '"self-test: \(length) runs, all fail=\(all(.status == "fail")), detection (probe clock) median \(map(.summary|capture("(?<t>[0-9.]+) s\\)").t|tonumber)|sort|.[length/2|floor]*1000|round) ms, whole probe run median \(map(.duration_s)|sort|.[length/2|floor]*1000|round) ms (goal <= 100 ms)"' "$tmp"/st*.json
if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 3 --runs 20 -i --export-json "$tmp/h.json" "$quirk probe run ymm-signal --self-test" >/dev/null
	jq -r '"self-test: whole command (facts, KB, probe) median \(.results[0].median*1000|round) ms"' "$tmp/h.json"
fi
