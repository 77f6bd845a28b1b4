#!/usr/bin/env bash
# KB update tests: `quirk kb import/export/list` with real OSV records
# (tests/fixtures/osv) and real projects and dpkg status.
# The boundary-case runner (tests/kb_cases.c) is tested here too.
# usage: kb_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$1 KBC=$2 FX=$3 CASE=$4
. "$(dirname "$0")/lib.sh"

OVERLAY="$XDG_DATA_HOME/quirk/overlay.sqlite"
REGEX=$FX/osv/GHSA-m5pq-gvj9-9vr8.json RACK=$FX/osv/GHSA-22f2-v57c-j9cx.json
XNET=$FX/osv/GHSA-2wrh-6pvc-2jm9.json GRPC=$FX/osv/GHSA-m425-mq94-257g.json USN=$FX/osv/USN-6450-1.json
ROOT=(--root "$FX/roots/this-machine")

# verdict ID: the verdict of entry ID in the scan document in $TMP/out.
verdict() { jq -r --arg id "$1" '.findings[] | select(.id == $id) | .verdict' "$TMP/out"; }
want_verdict() { [ "$(verdict "$1")" = "$2" ] || fail "$1 is '$(verdict "$1")', want $2"; }

case $CASE in
cases_runner)
	# The boundary-case runner fails on each kind of gap it exists to catch.
	CASES=$(dirname "$QUIRK")/tests/kb_cases SRC=$FX/../kb-cases R=$TMP/cases
	cp -r "$SRC" "$R"
	run 0 "$CASES" - "$R"; out_has " 0 failures"
	sed -i 's/^not_affected  project.packages=\[pkg:cargo\/rustler@0.35.0\]/affected project.packages=[pkg:cargo\/rustler@0.35.0]/' \
		"$R/rustler-encode-panic-aborts-beam.cases"
	run 1 "$CASES" - "$R"; out_has "rustler-encode-panic-aborts-beam.cases:6: got not_affected, want affected"
	grep -v "rustler@0.35.0" "$SRC/rustler-encode-panic-aborts-beam.cases" >"$R/rustler-encode-panic-aborts-beam.cases"
	run 1 "$CASES" - "$R"; out_has "no cases on both sides of project.packages pkg:cargo/rustler = 0.35.0"
	grep -v "^unknown" "$SRC/rustler-encode-panic-aborts-beam.cases" >"$R/rustler-encode-panic-aborts-beam.cases"
	run 1 "$CASES" - "$R"; out_has "needs cases judged affected, not_affected and unknown"
	cp "$SRC/rustler-encode-panic-aborts-beam.cases" "$R/"
	rm "$R/asterinas-vmar-alloc-assert.cases"; echo "affected os.name=Linux" >"$R/no-such-entry.cases"
	run 1 "$CASES" - "$R"; out_has "entry asterinas-vmar-alloc-assert has no boundary cases"
	out_has "no-such-entry.cases: no KB entry no-such-entry"
	# An entry whose workarounds give no command fails too (quirk-kbc
	# already refuses one without a primary reference or a symptom).
	kb_one test-thin kernel '{"fact": "os.name", "op": "eq", "value": "Linux"}'
	mkdir "$TMP/thin"
	printf 'affected os.name=Linux\nnot_affected os.name=Darwin\nunknown cpu.arch=x86_64\n' >"$TMP/thin/test-thin.cases"
	run 1 "$CASES" "$TMP/kb.sqlite" "$TMP/thin"
	out_has "the entry needs a workaround with a command"
	out_has "3 cases for 1 entries, 1 failure"
	;;
import_gem)
	run 0 "$QUIRK" kb import "$RACK"
	out_has "1 record: 1 added"; out_has "written to $OVERLAY"
	# rails 6.1's rack 2.2.6.3 is in the 0.4 .. 2.2.8.1 line.
	run 1 "$QUIRK" scan --json "${ROOT[@]}" --project "$FX/projects/rails-6.1"
	want_verdict GHSA-22f2-v57c-j9cx affected
	jq_true '.findings[] | select(.id == "GHSA-22f2-v57c-j9cx") | .severity == "medium"
		and any(.evidence[]; .outcome == "met" and (.note | test("pkg:gem/rack@2.2.6.3")))
		and (.workarounds[0].commands == ["bundle update rack"])'
	# rack 3.2.4 is past both fixes (the project's rustler makes it exit 1).
	run 1 "$QUIRK" scan --json "${ROOT[@]}" --project "$FX/lockfiles"
	want_verdict GHSA-22f2-v57c-j9cx not_affected
	run 1 "$QUIRK" explain GHSA-22f2-v57c-j9cx "${ROOT[@]}" --project "$FX/projects/rails-6.1"
	out_has "Verdict for these facts: affected"; out_has "Aliases: CVE-2024-25126."
	out_has "Upgrade rack to a fixed version (3.0.9.1, 2.2.8.1"; out_has "ADVISORY https://nvd.nist.gov/vuln/detail/CVE-2024-25126" ;;
import_go)
	run 0 "$QUIRK" kb import "$XNET" "$GRPC"
	out_has "2 records: 2 added"
	# go.mod: golang.org/x/net v0.10.0 (< 0.13.0), grpc v1.56.3 (the fix).
	run 1 "$QUIRK" scan --json "${ROOT[@]}" --project "$FX/projects/go-auth-server"
	want_verdict GHSA-2wrh-6pvc-2jm9 affected
	want_verdict GHSA-m425-mq94-257g not_affected
	jq_true '.facts."project.packages" | index("pkg:golang/golang.org/x/net@v0.10.0") != null'
	run 1 "$QUIRK" scan "${ROOT[@]}" --project "$FX/projects/go-auth-server"
	out_has "AFFECTED  medium   GHSA-2wrh-6pvc-2jm9"
	run 1 "$QUIRK" explain GHSA-2wrh-6pvc-2jm9 "${ROOT[@]}" --project "$FX/projects/go-auth-server"
	out_has "\$ go get golang.org/x/net@v0.13.0"; out_has "Severity: medium, from the record's database_specific.severity (MODERATE)." ;;
import_cargo)
	# The project's Cargo.lock has no regex: not affected; no project read: unknown.
	run 0 "$QUIRK" kb import "$REGEX"
	run 1 "$QUIRK" scan --json "${ROOT[@]}" --project "$FX/lockfiles"
	want_verdict GHSA-m5pq-gvj9-9vr8 not_affected
	jq_true '.findings[] | select(.id == "GHSA-m5pq-gvj9-9vr8") | .evidence[0].note == "no pkg:cargo/regex in project.packages"'
	run 3 "$QUIRK" scan --json "${ROOT[@]}"
	want_verdict GHSA-m5pq-gvj9-9vr8 unknown ;;
import_deb)
	# Debian 12's dpkg status (a real excerpt): packages by source.
	run 0 "$QUIRK" facts --json --root "$FX/roots/debian-12-dpkg" --project "$TMP"
	jq_true '."os.packages" | index("pkg:deb/debian/openssl@3.0.19-1~deb12u2") != null
		and index("pkg:deb/debian/glibc@2.36-9+deb12u14") != null and length == 7'
	# An Ubuntu 22.04 notice does not apply to Debian 12, whatever the versions.
	run 0 "$QUIRK" kb import "$USN"
	run 3 "$QUIRK" scan --json --root "$FX/roots/debian-12-dpkg" --project "$TMP"
	want_verdict USN-6450-1 not_affected
	# The host has no Ubuntu openssl: both groups (range, listed versions) fail on that.
	jq_true '.findings[] | select(.id == "USN-6450-1") | .severity == "unrated" and (.evidence | length == 2)
		and all(.evidence[]; .outcome == "not_met" and .note == "no pkg:deb/ubuntu/openssl in os.packages")
		and .evidence[0].expected == "pkg:deb/ubuntu/openssl v < 3.0.2-0ubuntu1.12"
		and (.evidence[1].expected | test("v = 3.0.2-0ubuntu1.10"))'
	run 0 "$QUIRK" kb list
	out_has "USN-6450-1"; out_has "unrated" ;;
export_roundtrip)
	run 0 "$QUIRK" kb import "$REGEX" "$RACK" "$XNET" "$GRPC" "$USN"
	run 1 "$QUIRK" scan --json "${ROOT[@]}" --project "$FX/projects"
	jq -S '[.findings[] | {id, verdict, severity}]' "$TMP/out" >"$TMP/before.json"
	run 0 "$QUIRK" kb export --json
	cp "$TMP/out" "$TMP/export.json"
	N=$(($(kb_size) + 5))
	jq_true "length == $N"' and (map(.id) | index("USN-6450-1") != null)'
	# The records come back as they were imported.
	jq_true '.[] | select(.id == "GHSA-22f2-v57c-j9cx") | .database_specific.cwe_ids == ["CWE-1333"]'
	XDG_DATA_HOME="$TMP/data2" run 0 "$QUIRK" kb import "$TMP/export.json"
	out_has "$N records: 5 added"; out_has "not imported: the built-in entry is as new or newer"
	XDG_DATA_HOME="$TMP/data2" run 1 "$QUIRK" scan --json "${ROOT[@]}" --project "$FX/projects"
	jq -S '[.findings[] | {id, verdict, severity}]' "$TMP/out" >"$TMP/after.json"
	cmp -s "$TMP/before.json" "$TMP/after.json" || fail "verdicts differ: $(diff "$TMP/before.json" "$TMP/after.json")"
	jq_true ".findings | length == $N" ;;
invalid_record)
	run 0 "$QUIRK" kb import "$REGEX"
	cp "$OVERLAY" "$TMP/overlay.before"
	# A valid record, then one without an id: nothing is kept.
	printf '[{"id": "X-1", "modified": "2024-01-01T00:00:00Z"}, {"modified": "2024-01-01T00:00:00Z"}]' >"$TMP/noid.json"
	run 2 "$QUIRK" kb import "$RACK" "$TMP/noid.json"
	err_has "$TMP/noid.json: record 1: id: required text"; err_has "$OVERLAY is unchanged"; out_empty
	jq '.affected[0].ranges[0].events = []' "$RACK" >"$TMP/ranges.json"
	run 2 "$QUIRK" kb import "$TMP/ranges.json"
	err_has "$TMP/ranges.json: GHSA-22f2-v57c-j9cx: affected[0].ranges[0]: events must be a non-empty list"
	jq '.affected[0].ranges[0].events[1].fixed = "3.0.9.x!"' "$RACK" >"$TMP/version.json"
	run 2 "$QUIRK" kb import "$TMP/version.json"
	err_has '"3.0.9.x!" is not a valid gem version (RubyGems)'
	head -c 100 "$RACK" >"$TMP/truncated.json"
	run 2 "$QUIRK" kb import "$TMP/truncated.json"; err_has "$TMP/truncated.json: not valid JSON"
	run 2 "$QUIRK" kb import "$TMP/missing.json"; err_has "$TMP/missing.json"
	cmp -s "$OVERLAY" "$TMP/overlay.before" || fail "the overlay changed"
	# An ecosystem quirk does not read: stored, said so, never judged.
	jq '.id = "X-PYPI" | .affected[0].package.ecosystem = "PyPI"' "$REGEX" >"$TMP/pypi.json"
	run 0 "$QUIRK" kb import "$TMP/pypi.json"
	out_has 'X-PYPI: stored, but never judged: not matchable: affected[0]: ecosystem "PyPI" is not one quirk reads'
	run 0 "$QUIRK" kb list --json
	jq_true '.[] | select(.id == "X-PYPI") | .inactive | startswith("not matchable")'
	run 1 "$QUIRK" scan --json "${ROOT[@]}" --project "$FX/lockfiles"
	jq_true 'all(.findings[]; .id != "X-PYPI")' ;;
corrupt_overlay)
	mkdir -p "$(dirname "$OVERLAY")"
	head -c 4096 /dev/urandom >"$OVERLAY"
	run 2 "$QUIRK" scan "${ROOT[@]}"; err_has "$OVERLAY"; err_has "not a quirk overlay database"
	run 2 "$QUIRK" kb list; err_has "$OVERLAY"
	run 2 "$QUIRK" kb import "$REGEX"; err_has "$OVERLAY"
	# A SQLite database that is not an overlay.
	cp "$(dirname "$QUIRK")/kb.sqlite" "$OVERLAY"
	run 2 "$QUIRK" kb export; err_has "$OVERLAY: not a quirk overlay database (no overlay marker)" ;;
withdrawn)
	run 0 "$QUIRK" kb import "$RACK"
	run 1 "$QUIRK" scan --json "${ROOT[@]}" --project "$FX/projects/rails-6.1"
	want_verdict GHSA-22f2-v57c-j9cx affected
	# The same record withdrawn later, as osv.dev publishes a withdrawal.
	jq '.withdrawn = "2024-06-01T00:00:00Z" | .modified = "2024-06-01T00:00:00Z"' "$RACK" >"$TMP/withdrawn.json"
	run 0 "$QUIRK" kb import "$TMP/withdrawn.json"
	out_has "GHSA-22f2-v57c-j9cx: replaced the stored record (modified 2024-05-03T20:15:03Z, now 2024-06-01T00:00:00Z)"
	out_has "stored, but never judged: withdrawn 2024-06-01T00:00:00Z"
	run 0 "$QUIRK" scan --json "${ROOT[@]}" --project "$FX/projects/rails-6.1"
	jq_true 'all(.findings[]; .id != "GHSA-22f2-v57c-j9cx")'
	run 0 "$QUIRK" kb list; out_has "(withdrawn 2024-06-01T00:00:00Z)"
	run 2 "$QUIRK" explain GHSA-22f2-v57c-j9cx "${ROOT[@]}"
	err_has "GHSA-22f2-v57c-j9cx is not judged: withdrawn 2024-06-01T00:00:00Z" ;;
same_id)
	run 0 "$QUIRK" kb import "$RACK"
	run 0 "$QUIRK" kb import "$RACK"
	out_has "GHSA-22f2-v57c-j9cx: unchanged (stored with the same modified time, 2024-05-03T20:15:03Z)"
	out_has "1 record: 0 added, 0 replaced, 1 unchanged"
	jq '.modified = "2024-01-01T00:00:00Z"' "$RACK" >"$TMP/older.json"
	run 0 "$QUIRK" kb import "$TMP/older.json"
	out_has "not imported: the stored record is newer (modified 2024-05-03T20:15:03Z)"
	run 0 "$QUIRK" kb import --json "$RACK"
	jq_true '.unchanged == 1 and .written == false and .overlay == "'"$OVERLAY"'"' ;;
builtin_collision)
	# quirk's own entry, newer, as an update before a release carries it.
	run 0 "$QUIRK" kb export --json
	jq '.[] | select(.id == "rustler-encode-panic-aborts-beam")' "$TMP/out" >"$TMP/same.json"
	run 0 "$QUIRK" kb import "$TMP/same.json"
	out_has "not imported: the built-in entry is as new or newer (modified 2026-11-23T00:00:00Z)"
	jq '.modified = "2027-01-01T00:00:00Z" | .summary = "updated: " + .summary' "$TMP/same.json" >"$TMP/newer.json"
	run 0 "$QUIRK" kb import "$TMP/newer.json"
	out_has "imported; it takes the place of the built-in entry (modified 2026-11-23T00:00:00Z)"
	run 0 "$QUIRK" kb list
	grep -qE "^rustler-encode-panic-aborts-beam +overlay\*" "$TMP/out" || fail "no overlay row: $(cat "$TMP/out")"
	out_has "updated: rustler"
	run 0 "$QUIRK" kb list --json
	N=$(kb_size)
	jq_true "length == $N"' and (.[] | select(.id == "rustler-encode-panic-aborts-beam") | .source == "overlay" and .replaces_base)'
	jq_true "[.[] | select(.source == \"built-in\")] | length == $((N - 1))" ;;
data_dir)
	# Where the data directory cannot be made: exit 2 naming the file; scans still work.
	touch "$TMP/file"
	XDG_DATA_HOME="$TMP/file" run 2 "$QUIRK" kb import "$RACK"
	err_has "$TMP/file/quirk/overlay.sqlite: cannot create its directory: Not a directory"
	XDG_DATA_HOME="$TMP/file" run 0 "$QUIRK" kb list
	# Without XDG_DATA_HOME: ~/.local/share.
	HOME="$TMP/home" XDG_DATA_HOME= run 0 "$QUIRK" kb import "$RACK"
	[ -s "$TMP/home/.local/share/quirk/overlay.sqlite" ] || fail "no overlay under HOME"
	# A read-only overlay: scans read it; an import that changes nothing leaves it alone.
	run 0 "$QUIRK" kb import "$RACK"
	chmod a-w "$OVERLAY" "$(dirname "$OVERLAY")"
	run 0 "$QUIRK" kb import "$RACK"; out_has "unchanged"
	run 1 "$QUIRK" scan "${ROOT[@]}" --project "$FX/projects/rails-6.1"
	chmod u+w "$OVERLAY" "$(dirname "$OVERLAY")" ;;
db_option)
	# --db replaces the built-in base; the overlay still applies over it.
	run 0 "$QUIRK" kb import --db "$(dirname "$QUIRK")/kb.sqlite" "$RACK"
	out_has "1 added"
	run 0 "$QUIRK" kb list --json --db "$(dirname "$QUIRK")/kb.sqlite"
	jq_true "length == $(($(kb_size) + 1)) and ([.[] | select(.source == \"db\")] | length == $(kb_size))"'
		and (.[] | select(.id == "GHSA-22f2-v57c-j9cx") | .source == "overlay")' ;;
search)
	run 0 "$QUIRK" kb import "$RACK" "$REGEX"
	# An id or alias names its entry, first, whatever else mentions the year.
	run 0 "$QUIRK" search --json CVE-2024-25126
	jq_true '.results[0].id == "GHSA-22f2-v57c-j9cx" and .results[0].named and .results[0].matched == "CVE-2024-25126"'
	jq_true '[.results[] | select(.named)] | length == 1'
	run 0 "$QUIRK" search " cve-2019-19602 "
	head -2 "$TMP/out" | grep -q "names: cve-2019-19602" || fail "alias: $(cat "$TMP/out")"
	head -1 "$TMP/out" | grep -q "^linux-sigframe-avx-corruption " || fail "alias: $(cat "$TMP/out")"
	run 0 "$QUIRK" search --json "runtime: note: your Linux kernel may be buggy"
	jq_true '.results[0].id == "linux-sigframe-avx-corruption"' ;;
*)
	fail "no such case" ;;
esac
echo "ok [$CASE]"
