#!/usr/bin/env bash
# CLI tests: the built quirk against real fixture trees and facts files.
# usage: cli_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$1 KBC=$2 FX=$3 CASE=$4
. "$(dirname "$0")/lib.sh"

# Facts of a fixture tree, saved as a customer would send them.
case $CASE in
version)
	run 0 "$QUIRK" --version; out_has "quirk 0." ;;
help)
	run 0 "$QUIRK" --help; out_has "exit status"; out_has "explain ID"
	long=$(awk 'length > 80' "$TMP/out"); [ -z "$long" ] || fail "help lines over 80 columns: $long" ;;
bad_option)
	run 2 "$QUIRK" scan --frobnicate; err_has "--frobnicate"
	run 2 "$QUIRK" frobnicate; err_has "unknown command"
	run 2 "$QUIRK" scan --facts; err_has "incomplete option"
	run 2 "$QUIRK" kb; err_has "quirk kb list" ;;
scan_json_shape)
	facts_of arch-5.4.1
	run 1 "$QUIRK" scan --json --facts "$TMP/facts.json"
	jq_true '.quirk_version and .kb_version and (.facts|type=="object") and (.findings|type=="array")'
	jq_true ".findings|length == $(kb_size)"
	jq_true 'all(.findings[]; has("id") and has("summary") and has("verdict") and has("severity")
		and has("evidence") and has("workarounds") and has("probe") and has("references"))'
	jq_true 'all(.findings[].verdict; . == "affected" or . == "unknown" or . == "not_affected")'
	jq_true 'all(.findings[].evidence[]; has("fact") and has("expected") and has("actual") and has("outcome"))'
	jq_true '.findings[0].id == "linux-sigframe-avx-corruption" and .findings[0].verdict == "affected"' ;;
exit_affected)
	# Arch's 5.4.1 built by GCC 9.2.0 on an AVX2 Intel: the bug.
	facts_of arch-5.4.1
	run 1 "$QUIRK" scan --facts "$TMP/facts.json"
	out_has "AFFECTED"; out_has "linux-sigframe-avx-corruption"; out_has "os.kernel.release" ;;
exit_clean)
	# This machine's 6.18 kernel; an empty project.
	facts_of this-machine . this-machine-amd-epyc.txt
	run 0 "$QUIRK" scan --facts "$TMP/facts.json"
	out_has "0 affected, 0 unknown, $(kb_size) not affected"
	# Ubuntu 20.04's 5.4.0-26 is patched though "in range" upstream.
	facts_of ubuntu-20.04-5.4.0-26
	run 0 "$QUIRK" scan --json --facts "$TMP/facts.json"
	jq_true '.findings[] | select(.id=="linux-sigframe-avx-corruption") | .verdict == "not_affected"'
	jq_true '.findings[] | select(.id=="linux-sigframe-avx-corruption") | .evidence[-1].note | test("5.4.0-26.30")' ;;
exit_unknown)
	# No project was read: whether rustler is used is unknown.
	mkdir -p "$TMP/empty"
	"$QUIRK" facts --json --root "$FX/roots/this-machine" >"$TMP/facts.json"
	run 3 "$QUIRK" scan --facts "$TMP/facts.json"
	out_has "UNKNOWN"; out_has "project.packages" ;;
facts_roundtrip)
	facts_of ubuntu-20.04-5.4.0-26
	run 0 "$QUIRK" facts --json --facts "$TMP/facts.json"
	cmp -s "$TMP/out" "$TMP/facts.json" || fail "facts changed in a round trip"
	jq_true '."os.kernel.distro_version" == "5.4.0-26.30" and ."cpu.microcode" == "0xca"' ;;
facts_malformed)
	printf '{"os.name": "Linux",' >"$TMP/bad.json"
	run 2 "$QUIRK" scan --facts "$TMP/bad.json"; err_has "$TMP/bad.json"; err_has "not valid JSON" ;;
facts_missing)
	run 2 "$QUIRK" scan --facts "$TMP/nope.json"; err_has "$TMP/nope.json"; err_has "No such file"
	run 2 "$QUIRK" scan --facts "$TMP"; err_has "is a directory" ;;
facts_binary)
	head -c 4096 "$QUIRK" >"$TMP/bin.json"
	run 2 "$QUIRK" scan --facts "$TMP/bin.json"; err_has "$TMP/bin.json" ;;
facts_not_object)
	echo '["os.name"]' >"$TMP/arr.json"
	run 2 "$QUIRK" scan --json --facts "$TMP/arr.json"; err_has "expected a JSON object"
	[ -s "$TMP/out" ] && fail "printed output on error" ; true ;;
facts_bad_value)
	echo '{"cpu.flags": [1, 2]}' >"$TMP/v.json"
	run 2 "$QUIRK" scan --facts "$TMP/v.json"; err_has 'fact "cpu.flags"' ;;
explain_text)
	facts_of arch-5.4.1
	run 1 "$QUIRK" explain linux-sigframe-avx-corruption --facts "$TMP/facts.json"
	out_has "runtime: note: your Linux kernel may be buggy"; out_has "59c4bd853abc"
	out_has "Verdict for these facts: affected"; out_has "ulimit -l" ;;
explain_json)
	facts_of this-machine . this-machine-amd-epyc.txt
	run 0 "$QUIRK" explain rustler-encode-panic-aborts-beam --json --facts "$TMP/facts.json"
	jq_true '.findings|length == 1'
	jq_true '.findings[0].verdict == "not_affected" and (.findings[0].references|length) >= 2' ;;
explain_unknown)
	run 2 "$QUIRK" explain no-such-entry; err_has 'no knowledge base entry "no-such-entry"'
	run 2 "$QUIRK" explain; err_has "needs an entry id" ;;
kb_list_json)
	run 0 "$QUIRK" kb list --json
	jq_true "length == $(kb_size)"
	jq_true 'all(.[]; .id and .severity and .component and .verified)'
	run 0 "$QUIRK" kb list; out_has "spin-hardened-runtime-sigkill"
	head -1 "$TMP/out" | grep -qE "^ID +SOURCE +COMPONENT +SEVERITY +PROBE +VERIFIED +SUMMARY$" ||
		fail "header: $(head -1 "$TMP/out")"
	# Every row's columns start where the header's do.
	awk 'NR == 1 { c = index($0, "SOURCE") } NR > 1 && substr($0, c - 1, 2) !~ /^ [a-z]/ { exit 1 }' "$TMP/out" ||
		fail "columns do not line up: $(cat "$TMP/out")" ;;
db_corrupt)
	head -c 8192 /dev/urandom >"$TMP/kb.sqlite"
	run 2 "$QUIRK" kb list --db "$TMP/kb.sqlite"; err_has "$TMP/kb.sqlite"
	echo "SQLite format 3" >"$TMP/kb2.sqlite"
	run 2 "$QUIRK" scan --db "$TMP/kb2.sqlite"; err_has "not a quirk knowledge base" ;;
db_missing)
	run 2 "$QUIRK" scan --db "$TMP/none.sqlite"; err_has "$TMP/none.sqlite"
	# The database the build made works as --db.
	run 0 "$QUIRK" kb list --json --db "$(dirname "$QUIRK")/kb.sqlite"
	jq_true "length == $(kb_size)" ;;
lockfile_malformed)
	mkdir -p "$TMP/proj/native/nif"
	printf '[[package]]\nname = "rustler"\n' >"$TMP/proj/native/nif/Cargo.lock"
	run 2 "$QUIRK" scan --project "$TMP/proj"; err_has "$TMP/proj/native/nif/Cargo.lock:1"
	err_has "without name and version"
	# Lockfiles under test data are not the project's: skipped.
	mv "$TMP/proj/native" "$TMP/proj/fixtures"
	run 0 "$QUIRK" facts --json --project "$TMP/proj"
	jq_true '."project.packages" == []' ;;
lockfile_npm)
	cp -r "$FX/projects/ctrl-lang-ts" "$TMP/proj"
	# A dependency's own lockfile is not the project's: node_modules is skipped.
	mkdir -p "$TMP/proj/node_modules/left-pad"
	printf '{"lockfileVersion": 3,' >"$TMP/proj/node_modules/left-pad/package-lock.json"
	run 0 "$QUIRK" facts --json --root "$FX/roots/arch-5.4.1" --project "$TMP/proj"
	jq_true '(."project.packages"|length) == 190 and (."project.packages"|index("pkg:npm/semver@7.0.0")) != null
		and (."project.packages"|index("pkg:npm/%40typescript-eslint/parser@5.59.0")) != null'
	run 0 "$QUIRK" facts --root "$FX/roots/arch-5.4.1" --project "$TMP/proj"
	out_has "pkg:npm/%40cspotcode/source-map-support@0.8.1"
	# yarn.lock beside it adds its packages.
	cp "$FX/lockfiles/yarn-v1-gray-dispatcher.lock" "$TMP/proj/yarn.lock"
	run 0 "$QUIRK" facts --json --root "$FX/roots/arch-5.4.1" --project "$TMP/proj"
	jq_true '(."project.packages"|index("pkg:npm/http-proxy@1.17.0")) != null'
	# Malformed: exit 2 naming the file and the problem.
	printf '{"lockfileVersion": 3, "packages": {' >"$TMP/proj/package-lock.json"
	run 2 "$QUIRK" scan --root "$FX/roots/arch-5.4.1" --project "$TMP/proj"
	err_has "$TMP/proj/package-lock.json"; err_has "not valid JSON"; out_empty
	rm "$TMP/proj/package-lock.json"
	printf '# yarn lockfile v1\n\nleft-pad@^1.3.0:\n  resolved "x"\n' >"$TMP/proj/yarn.lock"
	run 2 "$QUIRK" facts --root "$FX/roots/arch-5.4.1" --project "$TMP/proj"
	err_has "$TMP/proj/yarn.lock:3: entry without a version" ;;
root_fixture)
	run 0 "$QUIRK" facts --root "$FX/roots/ubuntu-20.04-5.4.0-26"
	out_has "5.4.0-26.30"; out_has "9.3.0" ;;
facts_environment)
	# Where quirk runs, from this machine's files: text and JSON.
	run 0 "$QUIRK" facts --root "$FX/roots/this-machine"
	out_has "container.runtime"; out_has "os.cgroup.version"; out_has "hybrid"; out_has "xonly"
	run 0 "$QUIRK" facts --json --root "$FX/roots/this-machine"
	jq_true '."container.runtime" == "docker" and ."os.cgroup.version" == "hybrid" and ."os.cgroup.memory_max" == "unlimited" and (."os.cgroup.proc_cgroups"|length) == 12 and ."os.kernel.vsyscall" == "xonly" and ."cpu.signature_microcode" == "19-11-01:1000065" and (."os.kernel.cmdline"|startswith("mitigations=auto")) and has("virt.guest") == false' ;;
cpuid_dump)
	run 0 "$QUIRK" facts --json --root "$FX/roots/arm64-rpi" --cpuid "$FX/cpuid/intel-core2-conroe-e6420.txt"
	jq_true '."cpu.vendor" == "GenuineIntel" and ."cpu.model" == 15 and (."cpu.flags"|index("avx")) == null' ;;
cpuid_bad)
	run 2 "$QUIRK" facts --cpuid "$FX/os_release/arch"; err_has "$FX/os_release/arch"
	run 2 "$QUIRK" facts --cpuid "$FX/os_release/arch" --facts x.json; err_has "cannot be combined" ;;
project_missing)
	run 2 "$QUIRK" scan --project "$TMP/nowhere"; err_has "$TMP/nowhere" ;;
kbc_invalid_entry|kbc_missing_reference|kbc_secondary_reference|kbc_unknown_fact|kbc_bad_version|kbc_not_utf8)
	declare -A file=([kbc_invalid_entry]=malformed-json [kbc_missing_reference]=missing-reference [kbc_not_utf8]=not-utf8
		[kbc_secondary_reference]=secondary-references-only
		[kbc_unknown_fact]=unknown-fact [kbc_bad_version]=bad-version)
	declare -A why=([kbc_invalid_entry]="not valid JSON" [kbc_missing_reference]="at least one primary source"
		[kbc_secondary_reference]="references: at least one primary source is required (type FIX"
		[kbc_unknown_fact]='unknown fact "kernel.version"' [kbc_bad_version]='"5.x" is not a valid linux version'
		[kbc_not_utf8]='not-utf8.json:6: not valid UTF-8 (byte 0xe9 in column 18); a KB entry is UTF-8 text')
	f="$FX/kb-invalid/${file[$CASE]}.json"
	run 2 "$KBC" "$TMP/kb.c" "$TMP/kb.sqlite" "$f"
	err_has "$f"; err_has "${why[$CASE]}"
	[ -e "$TMP/kb.c" ] && fail "left a partial output"; true ;;
kbc_list)
	# Paths from a list file (@LIST: more entries than a command line
	# holds) and --sqlite (no C array): the same database as the build's.
	ls "$FX"/../../assets/kb/*.json >"$TMP/list"
	run 0 "$KBC" "$TMP/kb.c" "$TMP/kb.sqlite" "$FX"/../../assets/kb/*.json
	run 0 "$KBC" --sqlite "$TMP/list.sqlite" "@$TMP/list"
	cmp -s "$TMP/kb.sqlite" "$TMP/list.sqlite" || fail "@LIST built another database"
	grep -q "kb_blob_len = $(stat -c %s "$TMP/kb.sqlite");" "$TMP/kb.c" || fail "C array of another length"
	run 2 "$KBC" --sqlite "$TMP/none.sqlite" "@$TMP/no-list"
	err_has "$TMP/no-list"
	echo "$FX/kb-invalid/missing-reference.json" >>"$TMP/list"
	run 2 "$KBC" --sqlite "$TMP/bad.sqlite" "@$TMP/list"
	err_has "$FX/kb-invalid/missing-reference.json"
	[ -e "$TMP/bad.sqlite" ] && fail "left a partial output"; true ;;
search_go_error)
	# The Go runtime's message, pasted as one argument and as stdin.
	facts_of arch-5.4.1
	run 0 "$QUIRK" search --facts "$TMP/facts.json" "runtime: note: your Linux kernel may be buggy"
	head -1 "$TMP/out" | grep -q "^linux-sigframe-avx-corruption *affected" || fail "not first: $(cat "$TMP/out")"
	out_has "symptom: runtime: note: your Linux kernel may be buggy"
	printf 'goroutine 1 [running]:\nruntime: mlock of signal stack failed: 12\nruntime: increase the mlock limit (ulimit -l) or\n' |
		"$QUIRK" search --json - >"$TMP/out" 2>"$TMP/err" || fail "stdin search failed"
	jq_true '.results[0].id == "linux-sigframe-avx-corruption" and .results[0].exact
		and (.results[0].matched|test("mlock"))' ;;
search_words)
	run 0 "$QUIRK" search --json SIGKILL Code Signature Invalid
	jq_true '.results[0].id == "spin-hardened-runtime-sigkill" and (.results[0].exact|not) and .results[0].score > 0'
	run 0 "$QUIRK" search --json rustler
	jq_true '.results[0].id == "rustler-encode-panic-aborts-beam"'
	run 1 "$QUIRK" search zzzz qqqq; out_has "no knowledge base entry matches"
	run 1 "$QUIRK" search --json '"*:()^'; jq_true '.results == []'
	run 2 "$QUIRK" search; err_has "usage: quirk search" ;;
report_markdown)
	facts_of arch-5.4.1
	run 1 "$QUIRK" report --markdown --facts "$TMP/facts.json"
	out_has "# quirk report"; out_has "**1 affected, 0 unknown, $(($(kb_size) - 1)) not affected.**"
	out_has "### linux-sigframe-avx-corruption: affected"
	out_has '- [x] `os.kernel.release`'; out_has "## Facts"; out_has "os.kernel.release"
	run 1 "$QUIRK" report --json --facts "$TMP/facts.json"
	jq_true '.findings[0].verdict == "affected"' ;;
no_tty)
	# No terminal: `quirk` is `quirk scan`, never the interactive interface.
	facts_of arch-5.4.1
	run 1 "$QUIRK" --facts "$TMP/facts.json"
	out_has "AFFECTED"; out_has "linux-sigframe-avx-corruption"
	run 1 "$QUIRK" tui --facts "$TMP/facts.json"
	out_has "AFFECTED"
	run 2 "$QUIRK" tui --json; err_has "no --json" ;;
*)
	fail "no such case" ;;
esac
echo "ok [$CASE]"
