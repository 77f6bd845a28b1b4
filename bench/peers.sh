#!/usr/bin/env bash
# Side by side: `quirk scan --json` (warm tool-version cache) against two
# tools people run to ask "what is this machine and is it affected":
#
# - spectre-meltdown-checker --batch json (Debian package): the live mode,
#   as a script in a CI job or a monitoring check runs it. It judges 15
#   CPU side-channel CVEs from /sys/devices/system/cpu/vulnerabilities,
#   CPUID and MSRs (/dev/cpu/*/cpuid and msr, loading the modules if it
#   can) and, when it finds the running kernel's image, the image itself.
#   It is a shell script: a run starts about 280 programs (dd, grep, awk,
#   ...). Where there is no kernel image (containers, this machine) it
#   skips those checks and says accuracy might be reduced.
# - inxi -Fxz (Debian package): the full report (-F) with extra details
#   (-x), serials and MAC addresses filtered (-z): system, machine, CPU,
#   graphics, audio, network, drives, partitions, swap, sensors. That is
#   the "describe the machine" half of quirk without verdicts; -b (basic)
#   takes nearly as long, its time being Perl, the helper programs it
#   starts (lspci, ps, ...) and the 0.35 s it sleeps by default to sample
#   CPU speeds (--sleep), which stays in: it is what a user waits for.
#
# quirk does a different amount of work: facts of the CPU (CPUID and
# /proc), kernel and its compiler, OS, C library, compilers and runtimes
# (versions from its cache), the distribution's installed packages, then
# its KB's entries judged in SQL with evidence, as JSON. The comparison is
# of what each costs to run, not of equal work; CPU time (user + system)
# is shown beside the wall clock because both peers wait on children and
# sleeps. Goal: quirk >= 10x faster than each (it is meant to run in
# every CI job and hourly on a fleet; the peers are one-off diagnostics).
# Needs hyperfine, spectre-meltdown-checker and inxi (.ci/setup --bench);
# the checker needs root for the MSRs.
# usage: bench/peers.sh [BUILD_DIR]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" "${1:-build}"
need hyperfine
need spectre-meltdown-checker
need inxi
warm_cache
# -i: each exits non-zero when it finds the host affected (the checker 2,
# quirk 1 or 3). Fewer runs for the peers: a second each.
hf "$tmp/q.json" -i --warmup 5 --runs 30 -n "quirk scan --json" "$quirk scan --json --project $proj"
hf "$tmp/p.json" -i --warmup 1 --runs 10 \
	-n "spectre-meltdown-checker --batch json" "spectre-meltdown-checker --batch json" \
	-n "inxi -Fxz" "inxi -Fxz --tty -c 0"
hf_times "$tmp/q.json"
hf_times "$tmp/p.json"
q=$(ms "$tmp/q.json" 0) smc=$(ms "$tmp/p.json" 0) inxi=$(ms "$tmp/p.json" 1)
xs=$(ratio "$smc" "$q") xi=$(ratio "$inxi" "$q")
echo "ratio: quirk scan is ${xs}x faster than spectre-meltdown-checker, ${xi}x faster than inxi -Fxz (goal: >= 10x each)"
machine
result peers-checker "scan --json $q ms" "spectre-meltdown-checker $smc ms" "${xs}x" ">= 10x faster" "$(goal "$xs" ">=" 10)"
result peers-inxi "scan --json $q ms" "inxi -Fxz $inxi ms" "${xi}x" ">= 10x faster" "$(goal "$xi" ">=" 10)"
