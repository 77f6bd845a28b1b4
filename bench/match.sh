#!/usr/bin/env bash
# Side by side on one log of at least 256 MiB: `quirk match` against
# `LC_ALL=C grep -F -f` given the same signatures (the KB's exact symptom
# strings; quirk also runs its patterns and counts lines).
# Goal: quirk's throughput >= 2x grep's. Needs hyperfine.
# usage: bench/match.sh [BUILD_DIR] [MIB]
set -euo pipefail
. "$(dirname "$0")/lib.sh" "${1:-build}"
mib=${2:-256}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/quirk-bench
log=$cache/journal-${mib}m.log
sigs=$(mktemp)
trap 'rm -f "$sigs" "$out"' EXIT
mkdir -p "$cache"

# A journal-like log: kernel, systemd, sshd, JSON service lines and Go
# goroutine dumps (so "runtime: " prefixes are common), with a symptom
# line about every 200,000 lines. Made once, then reused.
if [ ! -s "$log" ]; then
	echo "bench: writing a ${mib} MiB log to $log"
	awk -v limit=$((mib * 1048576)) 'BEGIN {
		srand(7); size = 0; n = 0
		while (size < limit) {
			n++; ts = sprintf("2026-11-%02d %02d:%02d:%02d", 1 + n % 28, n % 24, n % 60, (n * 7) % 60)
			r = n % 9
			if (n % 200000 == 0) l = ts " app[4242]: runtime: note: your Linux kernel may be buggy"
			else if (n % 200000 == 1) l = ts " app[4242]: runtime: mlock of signal stack failed: 12"
			else if (r == 0) l = ts " kernel: [" n / 1000 "] EXT4-fs (nvme0n1p2): mounted filesystem with ordered data mode. Quota mode: none."
			else if (r == 1) l = ts " systemd[1]: Started session-" n ".scope - Session " n " of User deploy."
			else if (r == 2) l = ts " sshd[" (n % 30000) "]: Accepted publickey for deploy from 10.0." (n % 250) "." (n % 200) " port " (40000 + n % 20000) " ssh2: ED25519 SHA256:3kzWq" n
			else if (r == 3) l = ts " api[812]: {\"level\":\"info\",\"ts\":" n ".25,\"msg\":\"request done\",\"method\":\"GET\",\"path\":\"/v1/items/" n "\",\"status\":200,\"latency_ms\":" (n % 97) "}"
			else if (r == 4) l = ts " worker[913]: runtime: goroutine stack exceeds 1000000000-byte limit? no: goroutine " n " [select]:"
			else if (r == 5) l = ts " worker[913]:     /usr/local/go/src/runtime/proc.go:" (n % 400) " +0x" sprintf("%x", n % 4096)
			else if (r == 6) l = ts " containerd[655]: time=\"2026-11-23T10:00:00Z\" level=info msg=\"shim disconnected\" id=" sprintf("%08x%08x", n, n * 31)
			else if (r == 7) l = ts " CRON[" n % 9000 "]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"
			else l = ts " kernel: audit: type=1400 audit(" n ".123:" n "): apparmor=\"DENIED\" operation=\"open\" profile=\"snap.app\" name=\"/proc/" n "/mounts\""
			print l; size += length(l) + 1
		}
	}' >"$log.tmp"
	mv "$log.tmp" "$log"
fi
"$quirk" match --signatures | awk -F'\t' '$2 == "exact" { print $3 }' >"$sigs"
size=$(stat -c %s "$log")
echo "log: $log, $((size / 1048576)) MiB, $(wc -l <"$log") lines; $(wc -l <"$sigs") fixed strings for grep," \
	"$("$quirk" match --signatures | wc -l) signatures for quirk"
# Both must find the same lines before their speed means anything.
q=$("$quirk" match --json --max-hits 100000 "$log" | jq '[.matches[].lines] | add')
g=$(LC_ALL=C grep -c -F -f "$sigs" "$log")
echo "matching lines: quirk $q, grep $g"
[ "$q" = "$g" ] || { echo "bench: quirk and grep disagree" >&2; exit 1; }
hyperfine -N --warmup 1 --runs 5 --output=pipe --export-json "$out" \
	-n "quirk match" "$quirk match --json $log" \
	-n "grep -F -f" "env LC_ALL=C grep -F -f $sigs $log" >/dev/null
jq -r --argjson size "$size" '.results[] | "\(.command): median \(.median * 1000 | round) ms,"
	+ " \($size / .median / 1048576 | round) MiB/s (\(.times | length) runs)"' "$out"
jq -r '"quirk is \(.results[1].median / .results[0].median * 10 | round / 10)x grep"' "$out"
echo "machine: $(nproc) cores, $(uname -sr)"
