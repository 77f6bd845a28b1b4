# lib.sh - shared by the benches, sourced with the build directory in $1.
# Runs from the repository root; sets $quirk (the binary), $tmp (a scratch
# directory removed on exit) and $proj (an empty project directory in it,
# so no lockfile of the caller's directory is read), or exits 2 saying
# what is missing. Imported records of whoever runs a bench stay out of
# it (XDG_DATA_HOME is in $tmp).
# shellcheck shell=bash
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
quirk="$PWD/${1:-build}/quirk"
[ -x "$quirk" ] || { echo "bench: build quirk first ($quirk)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
proj=$tmp/project
mkdir -p "$proj"
export XDG_DATA_HOME=$tmp/data

# need TOOL [PACKAGE]: exits 2 with the install hint unless TOOL is on PATH.
need() {
	command -v "$1" >/dev/null && return
	echo "bench: $1 is needed: .ci/setup --bench installs it (Debian package ${2:-$1})" >&2
	exit 2
}
need jq

# Warms the tool-version cache, as everyday use has it.
warm_cache() { "$quirk" scan --json --project "$proj" >/dev/null || true; }

# hf JSON ARGS...: hyperfine with its JSON export in JSON, output to a pipe
# like a script reading quirk's would be, its progress hidden.
hf() {
	local out=$1
	shift
	# Its warnings (non-zero exits that -i accepts, a slow first run) only
	# when it fails.
	hyperfine -N --output=pipe --export-json "$out" "$@" >/dev/null 2>"$out.err" || {
		cat "$out.err" >&2
		return 1
	}
}

# two NAME_A CMD_A NAME_B CMD_B: the two commands side by side, 60 runs
# each after 5 warm-up runs, with non-zero exits accepted (a host with an
# affected or unknown finding exits 1 or 3, as it should); prints their
# times and sets $a and $b to their medians in ms.
two() {
	hf "$tmp/two.json" -i --warmup 5 --runs 60 -n "$1" "$2" -n "$3" "$4"
	hf_times "$tmp/two.json"
	# shellcheck disable=SC2034 # read by the bench that sources this
	a=$(ms "$tmp/two.json" 0) b=$(ms "$tmp/two.json" 1)
}

# hf_times JSON: one line per command of a hyperfine export: median, mean and
# the CPU time (user + system) of a run, in ms.
hf_times() {
	jq -r '.results[] | "\(.command): median \(.median * 1000 | . * 10 | round / 10) ms,'\
' mean \(.mean * 1000 | . * 10 | round / 10) ms, CPU \((.user + .system) * 1000 | . * 10 | round / 10) ms'\
' (\(.times | length) runs)"' "$1"
}

# ms JSON N: the median of command N (0-based) in ms.
ms() { jq -r ".results[$2].median * 1000 | . * 10 | round / 10" "$1"; }
# cpu JSON N: the CPU time (user + system) of a run of command N, in ms.
cpu() { jq -r ".results[$2] | (.user + .system) * 1000 | . * 10 | round / 10" "$1"; }

# ratio A B: A / B to one decimal.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }

# goal VALUE OP LIMIT: "pass" or "fail" (OP is <= or >=).
goal() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { ok = op == "<=" ? v <= l : v >= l; print ok ? "pass" : "fail" }'
}

# result BENCH QUIRK COMPARISON RATIO GOAL VERDICT: one row of bench/run's
# summary (a no-op when the bench runs alone). A comparison that could not
# run says "not run: why" and its verdict is "not run".
result() {
	[ -n "${BENCH_RESULTS:-}" ] || return 0
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$BENCH_RESULTS"
}

# journal_log MIB: the path of a journal-like log of at least MIB MiB in
# the bench cache (kernel, systemd, sshd, JSON service lines and Go
# goroutine dumps, so "runtime: " prefixes are common, with a symptom line
# about every 200,000 lines), written the first time, then reused.
journal_log() {
	local cache=${XDG_CACHE_HOME:-$HOME/.cache}/quirk-bench log
	log=$cache/journal-${1}m.log
	mkdir -p "$cache"
	if [ ! -s "$log" ]; then
		echo "bench: writing a $1 MiB log to $log" >&2
		awk -v limit=$(($1 * 1048576)) 'BEGIN {
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
	echo "$log"
}

machine() { echo "machine: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"; }
