# lib.sh - shared by the script tests: a scratch dir, running a command
# with its status checked, and assertions on what it printed.
# Needs CASE set; leaves stdout in $TMP/out and stderr in $TMP/err.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 QUIRK_NO_CACHE=1
# Imported KB records of whoever runs the tests stay out of them.
export XDG_DATA_HOME="$TMP/data"
unset QUIRK_PROBE_INJECT

fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }

# facts_of ROOT [JQ-FILTER [CPUID-DUMP]]: the facts of fixture root ROOT
# (tests/fixtures/roots) with an empty project, in $TMP/facts.json. A root
# holds files, not programs: where it says nothing, the facts a live scan
# of such a host adds from its tools and probes are filled in (no criu, node,
# mongod, java or Docker daemon on PATH, not in a container, the vsyscall
# page execute-only, the rdrand probe passing). JQ-FILTER then edits them.
LIVE_EXTRAS='{"tool.criu": null, "tool.mongod": null, "tool.docker.server": null, "runtime.java": null,
	"tool.node.glibc_required": null,
	"container.runtime": "none", "os.kernel.vsyscall": "xonly", "probe.rdrand.status": "pass"}'
facts_of() {
	local args=(facts --json --root "$FX/roots/$1" --project "$TMP/empty")
	[ -n "${3:-}" ] && args+=(--cpuid "$FX/cpuid/$3")
	mkdir -p "$TMP/empty"
	"$QUIRK" "${args[@]}" >"$TMP/raw.json" || fail "facts of $1"
	jq "$LIVE_EXTRAS + . | ${2:-.}" "$TMP/raw.json" >"$TMP/edited.json" || fail "facts of $1: jq"
	# Written back by quirk, as `quirk facts --json` writes a facts file.
	"$QUIRK" facts --json --facts "$TMP/edited.json" >"$TMP/facts.json" || fail "facts of $1: rewrite"
}

# kb_size: how many entries the built-in KB has (one file each in assets/kb).
kb_size() { ls "$FX"/../../assets/kb/*.json | wc -l; }

# run EXPECTED_STATUS CMD...: runs, keeps stdout/stderr, checks the status.
run() {
	local want=$1; shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	local got=$?
	[ "$got" = "$want" ] || fail "exit $got, want $want: $*
--- stdout: $(head -c 3000 "$TMP/out")
--- stderr: $(cat "$TMP/err")"
}
err_has() { grep -qF -- "$1" "$TMP/err" || fail "stderr lacks '$1': $(cat "$TMP/err")"; }
out_has() { grep -qF -- "$1" "$TMP/out" || fail "stdout lacks '$1': $(head -c 3000 "$TMP/out")"; }
out_empty() { [ ! -s "$TMP/out" ] || fail "stdout not empty: $(head -c 2000 "$TMP/out")"; }
jq_true() { jq -e "$1" "$TMP/out" >/dev/null || fail "jq '$1' false on: $(head -c 3000 "$TMP/out")"; }

# kb_one ID COMPONENT CONDITION: $TMP/kb.sqlite with one test entry, affected
# wherever CONDITION (a JSON condition object) holds. Needs KBC.
kb_one() {
	mkdir -p "$TMP/kb-one"
	jq -n --arg id "$1" --arg component "$2" --argjson cond "$3" '{schema_version: "1.6.0", id: $id,
		modified: "2026-11-23T00:00:00Z", aliases: [], summary: "Test entry \($id)",
		details: "A test entry, affected wherever its one condition holds.",
		references: [{type: "EVIDENCE", url: "https://ossf.github.io/osv-schema/"}],
		database_specific: {component: $component, severity: "low", verified: "2026-11-23",
			conditions: [$cond], symptoms: ["test symptom"], workarounds: [{text: "none"}]}}' \
		>"$TMP/kb-one/$1.json" || fail "cannot write the test entry $1"
	"$KBC" "$TMP/kb.c" "$TMP/kb.sqlite" "$TMP/kb-one/$1.json" >/dev/null || fail "cannot build the test KB"
}
