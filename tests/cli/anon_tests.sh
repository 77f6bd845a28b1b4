#!/usr/bin/env bash
# --anonymize: reports without host or user names, home paths and serials,
# with versions, verdicts and the knowledge base's text intact.
# usage: anon_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$1 KBC=$2 FX=$3 CASE=$4
. "$(dirname "$0")/lib.sh"

# Arch's affected 5.4.1 host as `quirk facts --json` saw it, plus what a
# real laptop's facts file could carry: its names, home, DMI ids, a MAC,
# and a note pasted by its user. Saved under a directory named after the
# user, so the path of the facts file names her too.
alice_facts() {
	mkdir -p "$TMP/empty" "$TMP/alice"
	facts_of arch-5.4.1
	jq '. + {"host.name": "alice-xps13", "user.name": "alice", "user.home": "/home/alice",
		"hw.product_uuid": "4c4c4544-0042-3510-8051-b7c04f4b3732", "hw.product_serial": "8XYZ2N2",
		"net.wlan0.mac": "9c:b6:d0:e1:2f:3a",
		"note": "collected by alice on alice-xps13.corp.example (wlan0 9c:b6:d0:e1:2f:3a, machine-id 4c4c4544004235108051b7c04f4b3732, disk S4EVNF0M123456A) from /home/alice/projects/app"}' \
		"$TMP/facts.json" >"$TMP/alice/facts.json" || fail "jq"
}

# None of the identifying values is in $TMP/out, in any letter case.
none_left() {
	local s
	for s in alice xps13 corp.example 9c:b6:d0:e1:2f:3a 4c4c4544-0042-3510-8051-b7c04f4b3732 8XYZ2N2 \
		4c4c4544004235108051b7c04f4b3732 S4EVNF0M123456A /home/; do
		grep -qiF -- "$s" "$TMP/out" && fail "\"$s\" survived: $(grep -iF -- "$s" "$TMP/out" | head -3)"
	done
	true
}

# What must survive: versions, build strings, the KB's references (a
# commit hash among them) and workarounds.
all_kept() {
	out_has "5.4.1-arch1-1"; out_has "9.2.0"; out_has "0xca"
	out_has "#1 SMP PREEMPT Fri, 29 Nov 2019 13:37:24 +0000"
	out_has "https://github.com/torvalds/linux/commit/59c4bd853abcea95eccc167a7d7fd5f1a5f47b98"
	out_has "https://github.com/golang/go/issues/35777"
	out_has "ulimit -l"
}

case $CASE in
report_markdown)
	alice_facts
	# Without --anonymize everything is there (so the checks below can fail).
	run 1 "$QUIRK" report --facts "$TMP/alice/facts.json"
	out_has "alice-xps13"; out_has "9c:b6:d0:e1:2f:3a"; out_has "$TMP/alice/facts.json"
	run 1 "$QUIRK" report --anonymize --facts "$TMP/alice/facts.json"
	none_left; all_kept
	out_has "**1 affected, 0 unknown, $(($(kb_size) - 1)) not affected.**"
	out_has "### linux-sigframe-avx-corruption: affected"
	# (the rest of the path is mktemp's, which may look like a serial)
	grep -Eq '^- facts from: /.*/<user>/facts\.json$' "$TMP/out" || fail "facts source"
	grep -Eq '^host.name +<host>$' "$TMP/out" || fail "host.name not <host>"
	grep -Eq '^user.home +~$' "$TMP/out" || fail "user.home not ~"
	grep -Eq '^hw.product_uuid +<redacted>$' "$TMP/out" || fail "uuid not redacted"
	out_has "collected by <user> on <host> (wlan0 <redacted>, machine-id <redacted>, disk <redacted>) from ~/projects/app" ;;
report_json)
	alice_facts
	run 1 "$QUIRK" report --json --anonymize --facts "$TMP/alice/facts.json"
	jq_true 'type == "object"'
	none_left; all_kept
	jq_true '.facts."host.name" == "<host>" and .facts."user.name" == "<user>" and .facts."user.home" == "~"'
	jq_true '.facts."net.wlan0.mac" == "<redacted>" and .facts."hw.product_serial" == "<redacted>"'
	jq_true '.facts."os.kernel.release" == "5.4.1-arch1-1" and .facts."os.distro.id" == "arch"'
	jq_true '.facts_source | endswith("/<user>/facts.json")'
	jq_true '.findings[0].id == "linux-sigframe-avx-corruption" and .findings[0].verdict == "affected"'
	jq_true '.findings[0].evidence[-1].actual == "5.4.1-arch1-1"'
	jq_true '[.findings[].references[].url] | index("https://github.com/torvalds/linux/commit/59c4bd853abcea95eccc167a7d7fd5f1a5f47b98") != null' ;;
scan_facts)
	# The same rewriting on scan and facts, in every format.
	alice_facts
	run 1 "$QUIRK" scan --anonymize --facts "$TMP/alice/facts.json"; none_left
	out_has "AFFECTED  high     linux-sigframe-avx-corruption"; grep -Eq 'facts from /.*/<user>/facts\.json$' "$TMP/out" || fail "facts source"
	run 1 "$QUIRK" scan --anonymize --json --facts "$TMP/alice/facts.json"; none_left; all_kept
	run 0 "$QUIRK" facts --anonymize --json --facts "$TMP/alice/facts.json"; none_left
	jq_true '."host.name" == "<host>" and ."os.kernel.version" == "#1 SMP PREEMPT Fri, 29 Nov 2019 13:37:24 +0000"'
	# An anonymized facts file is still a facts file, judged the same.
	cp "$TMP/out" "$TMP/anon.json"
	run 1 "$QUIRK" scan --json --facts "$TMP/anon.json"
	jq_true "[.findings[].verdict] == [\"affected\"] + [range($(($(kb_size) - 1)))|\"not_affected\"]"
	run 0 "$QUIRK" facts --anonymize --facts "$TMP/alice/facts.json"; none_left
	# Only where the pipeline's documents are written.
	run 2 "$QUIRK" explain linux-sigframe-avx-corruption --anonymize; err_has "explain has no --anonymize"
	run 2 "$QUIRK" kb list --anonymize; err_has "kb has no --anonymize" ;;
verdict_guard)
	# A (test) entry whose condition reads free text that --anonymize
	# rewrites: rather than print another verdict, quirk refuses.
	alice_facts
	kb_one summary-names-host kernel '{"fact": "probe.ymm-signal.summary", "op": "glob", "value": "*alice-xps13*"}'
	jq '. + {"probe.ymm-signal.summary": "seen on alice-xps13"}' "$TMP/alice/facts.json" >"$TMP/probe.json"
	run 1 "$QUIRK" report --db "$TMP/kb.sqlite" --facts "$TMP/probe.json"
	out_has "### summary-names-host: affected"
	run 2 "$QUIRK" report --anonymize --db "$TMP/kb.sqlite" --facts "$TMP/probe.json"
	err_has "--anonymize would change the verdict of summary-names-host"; out_empty ;;
*)
	fail "no such case" ;;
esac
echo "ok [$CASE]"
