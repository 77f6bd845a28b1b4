#!/usr/bin/env bash
# `quirk check` tests: profiles judged against facts of real fixture trees.
# usage: check_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$1 KBC=$2 FX=$3 CASE=$4
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
EXAMPLE=$SRC/assets/profiles/example.quirk.json

profile() { cat >"$TMP/p.json"; }

case $CASE in
pass)
	# Debian 12 on an AMD EPYC, a 6.18 kernel, an 8 MiB memlock limit.
	facts_of this-machine '. + {"compiler.gcc": "12.2.0"}'
	profile <<'EOF'
{"name": "backend", "require": [
  "compiler.gcc >= 12",
  "limits.memlock >= 8 MiB",
  "cpu.flags contains avx2",
  "os.kernel.release >= 5.10",
  {"entry": "linux-sigframe-avx-corruption"}
]}
EOF
	run 0 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/p.json"
	out_has "profile $TMP/p.json (backend)"
	out_has "[✓] compiler.gcc >= 12: 12.2.0"; out_has "[✓] limits.memlock >= 8 MiB: 8 MiB"
	out_has "[✓] linux-sigframe-avx-corruption: not affected"
	out_has "5 passed, 0 warnings, 0 failed. Ready"
	grep -q '\[[!✗]\]' "$TMP/out" && fail "a warning or failure in a passing list"; true ;;
fail)
	# Arch's 5.4.1 (the AVX bug) with an 8 MiB memlock limit.
	facts_of arch-5.4.1 '. + {"limits.memlock": 8388608, "compiler.gcc": "9.2.0"}'
	profile <<'EOF'
{"require": [
  {"check": "limits.memlock >= 64 MiB", "why": "Go locks its signal stacks"},
  {"check": "compiler.gcc >= 12", "fix": ["sudo apt-get install gcc-12", "export CC=gcc-12"]},
  {"entry": "linux-sigframe-avx-corruption"},
  "os.kernel.release >= 5.10"
]}
EOF
	run 1 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/p.json"
	out_has "[✗] limits.memlock >= 64 MiB: 8 MiB"; out_has "Go locks its signal stacks"
	out_has '$ ulimit -Sl 65536'
	out_has "[✗] compiler.gcc >= 12: 9.2.0"; out_has '$ sudo apt-get install gcc-12'; out_has '$ export CC=gcc-12'
	out_has "[✗] linux-sigframe-avx-corruption: affected"; out_has "5.4.1-arch1-1 is in the affected range"
	out_has '$ uname -r'; out_has '$ ulimit -l 65536'
	out_has "[✗] os.kernel.release >= 5.10: 5.4.1-arch1-1"; out_has "fix: the profile gives none"
	out_has "0 passed, 0 warnings, 4 failed. Not ready: 4 required items fail."
	# Every ✗ has a fix line under it, before the next item.
	awk '/^\[/ { if (open) exit 1; open = /^\[✗\]/ } /^    fix:/ { open = 0 } END { exit open }' "$TMP/out" ||
		fail "a failed item without a fix: $(cat "$TMP/out")" ;;
advisory)
	facts_of this-machine '. + {"runtime.ruby": "3.3.0", "runtime.ruby.yjit": false}'
	profile <<'EOF'
{"require": [
  {"check": "runtime.ruby.yjit == true", "label": "Ruby with YJIT", "required": false},
  {"check": "limits.memlock >= 1 GiB", "required": false},
  "runtime.ruby >= 3.2"
]}
EOF
	run 0 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/p.json"
	out_has "[!] Ruby with YJIT (runtime.ruby.yjit == true): false (advisory)"
	out_has "[!] limits.memlock >= 1 GiB: 8 MiB (advisory)"; out_has '$ ulimit -Sl 1048576'
	out_has "[✓] runtime.ruby >= 3.2: 3.3.0"
	out_has "1 passed, 2 warnings, 0 failed. Ready" ;;
undecided)
	# The fixture tree knows no compilers, and no probe has run.
	facts_of this-machine
	profile <<'EOF'
{"require": ["compiler.gcc >= 12", {"probe": "ymm-signal"}, "cpu.arch == x86_64"]}
EOF
	run 3 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/p.json"
	out_has "[!] compiler.gcc >= 12: not known"; out_has "to decide: a value of compiler.gcc"
	out_has "[!] probe ymm-signal: not run"; out_has "quirk check --probes"
	out_has "Undecided: 2 required items could not be decided."
	# A failure outranks what is undecided.
	echo '{"require": ["compiler.gcc >= 12", "cpu.arch == arm64"]}' >"$TMP/p.json"
	run 1 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/p.json" ;;
malformed)
	facts_of this-machine
	while IFS='|' read -r text why; do
		printf '%s' "$text" >"$TMP/bad.json"
		run 2 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/bad.json"
		err_has "$TMP/bad.json: $why"; out_empty
	done <<'EOF'
{"require": ["compiler.gcc >= 12",|not valid JSON
{"require": ["compiler.gcc >= 12", "kernel.version >= 5"]}|require[1]: unknown fact "kernel.version" (see quirk facts --keys)
{"require": ["os.name == Linux", "cpu.arch == x86_64", "compiler.gcc >> 12"]}|require[2]: unknown op ">>"
{"require": ["limits.memlock >= 64 MB"]}|require[0]: "64 MB" is not a valid size
{"require": ["compiler.gcc >= twelve"]}|require[0]: "twelve" is not a valid dotted version
{"require": ["runtime.ruby.yjit == yes"]}|require[0]: "yes" is not true or false
{"require": [{"check": "compiler.gcc >= 12", "required": "no"}]}|require[0]: "required" must be true or false
{"require": [{"check": "compiler.gcc >= 12", "fix": 12}]}|require[0]: "fix" must be a command or a list of commands
{"require": "compiler.gcc >= 12"}|require: must be a non-empty list of checks
{"require": [42]}|require[0]: must be a string ("FACT OP VALUE") or an object
{"require": [{"entry": "linux-sigframe"}]}|require[0]: unknown entry "linux-sigframe" (see quirk kb list)
{"require": [{"probe": "ymm"}]}|require[0]: unknown probe "ymm" (see quirk probe list)
{"require": ["cpu.flags == avx"]}|require[0]: "==" does not apply to cpu.flags
EOF
	run 2 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/none.json"
	err_has "$TMP/none.json"; err_has "No such file"
	head -c 4096 "$QUIRK" >"$TMP/bin.json"
	run 2 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/bin.json"; err_has "$TMP/bin.json: binary data" ;;
discovery)
	# .quirk.json in the project directory (--project, else the current one).
	facts_of arch-5.4.1
	mkdir -p "$TMP/proj"
	echo '{"name": "found", "require": ["cpu.arch == x86_64"]}' >"$TMP/proj/.quirk.json"
	run 0 "$QUIRK" check --facts "$TMP/facts.json" --project "$TMP/proj"
	out_has "profile $TMP/proj/.quirk.json (found)"; out_has "[✓] cpu.arch == x86_64: x86_64"
	(cd "$TMP/proj" && "$QUIRK" check --facts "$TMP/facts.json" >"$TMP/out" 2>"$TMP/err") || fail "in the project: $?"
	out_has "profile .quirk.json (found)"
	# --profile wins over the project's.
	echo '{"require": ["cpu.arch == arm64"]}' >"$TMP/other.json"
	run 1 "$QUIRK" check --facts "$TMP/facts.json" --project "$TMP/proj" --profile "$TMP/other.json"
	out_has "profile $TMP/other.json"
	# A malformed project profile is an error, not a fallback.
	echo '{"require": [' >"$TMP/proj/.quirk.json"
	run 2 "$QUIRK" check --facts "$TMP/facts.json" --project "$TMP/proj"; err_has "$TMP/proj/.quirk.json: not valid JSON" ;;
json)
	facts_of arch-5.4.1 '. + {"limits.memlock": 8388608}'
	profile <<'EOF'
{"name": "team", "require": [
  {"check": "limits.memlock >= 64 MiB", "label": "memlock"},
  {"check": "cpu.arch == x86_64", "required": false},
  {"entry": "linux-sigframe-avx-corruption"},
  {"probe": "ymm-signal", "required": false}
]}
EOF
	run 1 "$QUIRK" check --json --facts "$TMP/facts.json" --profile "$TMP/p.json"
	jq_true '.quirk_version and .kb_version and .facts_source and .profile == "'"$TMP/p.json"'" and .name == "team"'
	jq_true '.status == "not_ready" and .counts == {"pass": 1, "warn": 1, "fail": 2} and (.items|length) == 4'
	jq_true 'all(.items[]; has("kind") and has("title") and has("required") and has("outcome") and has("mark")
		and has("state") and has("actual") and has("fix") and has("fix_source"))'
	jq_true '.items[0] | .kind == "fact" and .subject == "limits.memlock" and .actual == 8388608
		and .state == "8 MiB" and .mark == "fail" and .fix_source == "builtin"
		and .fix[0].commands == ["ulimit -Sl 65536"] and .title == "memlock (limits.memlock >= 64 MiB)"'
	jq_true '.items[1] | .required == false and .outcome == "pass" and .mark == "pass" and .actual == "x86_64"'
	jq_true '.items[2] | .kind == "entry" and .state == "affected" and .fix_source == "kb"
		and (.fix|map(.commands[])|index("ulimit -l 65536")) != null'
	jq_true '.items[3] | .kind == "probe" and .outcome == "undecided" and .mark == "warn" and .actual == null'
	jq_true '.probes == []' ;;
markdown)
	facts_of arch-5.4.1 '. + {"limits.memlock": 8388608}'
	echo '{"require": ["limits.memlock >= 64 MiB", "cpu.arch == x86_64"]}' >"$TMP/p.json"
	run 1 "$QUIRK" check --markdown --facts "$TMP/facts.json" --profile "$TMP/p.json"
	out_has "# quirk check"; out_has "- profile $TMP/p.json, facts from $TMP/facts.json"
	out_has "**1 passed, 0 warnings, 1 failed. Not ready: 1 required item fails.**"
	out_has '- ✗ **limits.memlock >= 64 MiB**: `8 MiB`'; out_has '  - fix: Raise the locked-memory limit'
	out_has '    - `ulimit -Sl 65536`'; out_has '- ✓ **cpu.arch == x86_64**: `x86_64`' ;;
no_profile)
	# Without a profile: the entries that can concern the host, none ruled out by it.
	facts_of arch-5.4.1
	run 1 "$QUIRK" check --facts "$TMP/facts.json" --project "$TMP/empty"
	n=$(grep -c "^\[[✓✗?]\] " "$TMP/out")
	out_has "no profile (.quirk.json): the $n knowledge base entries that can concern this host"
	out_has "[✗] linux-sigframe-avx-corruption: affected"; out_has '$ ulimit -l 65536'
	# Ruled out by the host: macOS, other CPUs, other kernels. Software
	# that is not there now may be installed later: it stays listed.
	grep -q "macos\|spin-hardened\|asterinas\|rustler\|amd-\|intel-\|jdk-sve\|ruby-330" "$TMP/out" &&
		fail "an entry the host rules out: $(cat "$TMP/out")"
	out_has "[✓] java-cgroup-v2-limits-ignored: not affected"
	# A project with rustler 0.30.0: its entry joins the list.
	facts_of arch-5.4.1 '."project.packages" = ["pkg:cargo/rustler@0.30.0"]'
	run 1 "$QUIRK" check --json --facts "$TMP/facts.json" --project "$TMP/empty"
	jq_true '.profile == null and (.items | length) == '"$((n + 1))"
	jq_true '[.items[] | select(.outcome != "pass") | .subject] == ["linux-sigframe-avx-corruption", "rustler-encode-panic-aborts-beam"]'
	jq_true 'all(.items[]; .required and .kind == "entry")'
	# A host nothing applies to: ready.
	facts_of this-machine
	run 0 "$QUIRK" check --facts "$TMP/facts.json" --project "$TMP/empty"
	out_has "Ready: every required item passes." ;;
example)
	# The example profile of assets/profiles: valid, and right on both sides.
	facts_of arch-5.4.1 '. + {"limits.memlock": 8388608}'
	run 1 "$QUIRK" check --facts "$TMP/facts.json" --profile "$EXAMPLE"
	out_has "[✗] linux-sigframe-avx-corruption: affected"
	out_has "[✗] locked-memory limit for Go (limits.memlock >= 64 MiB): 8 MiB"
	facts_of this-machine '. + {"limits.memlock": 67108864, "compiler.gcc": "12.2.0", "runtime.ruby.yjit": true,
		"probe.ymm-signal.status": "pass", "probe.ymm-signal.summary": "no YMM corruption"}'
	run 0 "$QUIRK" check --facts "$TMP/facts.json" --profile "$EXAMPLE"
	out_has "Ready: every required item passes."
	grep -q '\[[!✗]\]' "$TMP/out" && fail "not all pass: $(cat "$TMP/out")"; true ;;
docs)
	# The examples of README.md and quirk(1) are valid profiles, and the
	# README's sample output is what quirk prints for them.
	awk '/^### Team checklists/ { f = 1 } f && /^```json/ { g = 1; next } g && /^```/ { exit } g' \
		"$SRC/README.md" >"$TMP/readme.json"
	awk '/^An example/ { f = 1 } f && /^\.nf/ { g = 1; next } g && /^\.fi/ { exit } g' "$SRC/quirk.1" >"$TMP/man.json"
	cmp -s "$TMP/readme.json" "$TMP/man.json" || fail "README and quirk.1 show different examples"
	facts_of arch-5.4.1 '. + {"limits.memlock": 8388608, "compiler.gcc": "13.2.1", "runtime.ruby.yjit": false}'
	run 1 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/readme.json"
	awk '/^\$ quirk check/ { f = 1; next } f && /^```/ { exit } f && (/^\[/ || / passed, /)' "$SRC/README.md" >"$TMP/want"
	[ "$(wc -l <"$TMP/want")" -ge 6 ] || fail "no sample output found in README.md"
	while IFS= read -r line; do out_has "$line"; done <"$TMP/want" ;;
probes)
	# Probes look at this host only; a profile asking for them is judged
	# from the facts it is given (their results there, else "not run").
	facts_of this-machine
	echo '{"run_probes": true, "require": [{"probe": "ymm-signal"}]}' >"$TMP/p.json"
	run 2 "$QUIRK" check --probes --facts "$TMP/facts.json" --profile "$TMP/p.json"; err_has "probes run on this machine"
	run 3 "$QUIRK" check --facts "$TMP/facts.json" --profile "$TMP/p.json"; out_has "[!] probe ymm-signal: not run"
	jq '. + {"probe.ymm-signal.status": "fail", "probe.ymm-signal.summary": "YMM registers corrupted"}' \
		"$TMP/facts.json" >"$TMP/f2.json"
	run 1 "$QUIRK" check --facts "$TMP/f2.json" --profile "$TMP/p.json"
	out_has "[✗] probe ymm-signal: fail"; out_has "YMM registers corrupted"; out_has '$ ulimit -l 65536'
	# On this host: run for a second, enough triggers on a loaded machine too.
	# A pass, or not applicable without AVX.
	run 0 "$QUIRK" check --probes --duration 1 --profile "$TMP/p.json" --project "$TMP/empty"
	out_has "probes run:"; out_has "[✓] probe ymm-signal:"
	# "run_probes": true runs them without --probes, on this host.
	run 0 "$QUIRK" check --duration 1 --json --profile "$TMP/p.json" --project "$TMP/empty"
	jq_true '(.probes|length) == 1 and .probes[0].probe == "ymm-signal" and .items[0].outcome == "pass"' ;;
color)
	# On a terminal: colour unless NO_COLOR; the same words either way.
	facts_of arch-5.4.1
	script -qec "env -u NO_COLOR TERM=xterm $QUIRK check --facts $TMP/facts.json --project $TMP/empty" /dev/null \
		>"$TMP/tty" 2>&1
	grep -q $'\033\\[1;31m\\[✗\\]' "$TMP/tty" || fail "no red ✗ on a terminal: $(cat -v "$TMP/tty")"
	script -qec "env NO_COLOR=1 TERM=xterm $QUIRK check --facts $TMP/facts.json --project $TMP/empty" /dev/null \
		>"$TMP/plain" 2>&1
	grep -q $'\033' "$TMP/plain" && fail "colour with NO_COLOR: $(cat -v "$TMP/plain")"
	tr -d '\r' <"$TMP/tty" | sed 's/\x1b\[[0-9;]*m//g' >"$TMP/a"
	tr -d '\r' <"$TMP/plain" >"$TMP/b"
	cmp -s "$TMP/a" "$TMP/b" || fail "the words differ with colour: $(diff "$TMP/a" "$TMP/b")" ;;
*)
	fail "no such case" ;;
esac
echo "ok [$CASE]"
