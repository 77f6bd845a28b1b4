#!/usr/bin/env bash
# `quirk match`: KB symptom signatures in real and derived logs.
# usage: match_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$1 KBC=$2 FX=$3 CASE=$4
. "$(dirname "$0")/lib.sh"
LOG=$FX/logs/terraform-go1.14-mlock.log

case $CASE in
affected_host)
	# The Go 1.14 mlock messages, judged on Arch's 5.4.1 (GCC 9): the bug.
	facts_of arch-5.4.1
	run 1 "$QUIRK" match --facts "$TMP/facts.json" "$LOG"
	out_has "AFFECTED  high     linux-sigframe-avx-corruption  (4 lines)"
	out_has "terraform-go1.14-mlock.log:2: 2020-07-13T19:32:19.720Z [DEBUG] plugin.terraform-provider-random_v2.3.0_x4: runtime: mlock of signal stack failed: 12"
	out_has "terraform-go1.14-mlock.log:5: "
	out_has "affected on $TMP/facts.json:"
	out_has "searched 1 input (0.0 MiB, 10 lines)"
	out_has "1 entry matched: 1 affected" ;;
patched_host)
	# The same log from Ubuntu 20.04's patched 5.4.0-26: Go 1.14.0 took the
	# kernel for a buggy one, the kernel is not the bug.
	facts_of ubuntu-20.04-5.4.0-26
	run 0 "$QUIRK" match --facts "$TMP/facts.json" "$LOG"
	out_has "ok        high     linux-sigframe-avx-corruption  (4 lines)"
	out_has "not affected on $TMP/facts.json:"
	out_has "5.4.0-26.30" ;;
json)
	facts_of arch-5.4.1
	run 1 "$QUIRK" match --json --facts "$TMP/facts.json" "$LOG"
	jq_true '.signatures > 10 and (.inputs | length) == 1 and .inputs[0].lines == 10 and .inputs[0].gzip == false'
	jq_true '.matches | length == 1'
	jq_true '.matches[0] | .id == "linux-sigframe-avx-corruption" and .verdict == "affected" and .lines == 4'
	jq_true '[.matches[0].hits[].line] == [2, 3, 4, 5]'
	# Line 2 is found by the pattern for any errno, which ends first.
	jq_true '.matches[0].hits[0] | .pattern and .signature == "runtime: mlock of signal stack failed: [0-9]+"'
	jq_true '.matches[0].finding[0].evidence | length > 3' ;;
errno_pattern)
	# Another errno than the KB's exact string: only the pattern sees it.
	printf 'runtime: mlock of signal stack failed: 1\n' >"$TMP/eperm.log"
	run 0 "$QUIRK" match --json "$TMP/eperm.log"
	jq_true '.matches[0].hits[0].pattern and .matches[0].hits[0].line == 1' ;;
no_match)
	run 0 "$QUIRK" match "$FX/os_release/debian-12-this-machine"
	out_has "no symptom of a known platform bug in this input" ;;
gzip)
	gzip -c "$LOG" >"$TMP/a.log.gz"
	cat "$TMP/a.log.gz" "$TMP/a.log.gz" >"$TMP/two-members.gz"
	run 0 "$QUIRK" match --json "$TMP/a.log.gz" "$TMP/two-members.gz"
	jq_true '.inputs[0].gzip and .inputs[0].lines == 10 and .inputs[1].lines == 20'
	jq_true '[.matches[0].hits[] | "\(.file | split("/") | last):\(.line)"] ==
		["a.log.gz:2","a.log.gz:3","a.log.gz:4","a.log.gz:5","two-members.gz:2","two-members.gz:3",
		 "two-members.gz:4","two-members.gz:5","two-members.gz:12","two-members.gz:13"]'
	jq_true '.matches[0].lines == 12' ;;
gzip_corrupt)
	# A truncated and a damaged gzip: exit 2 naming each, the good log is
	# still searched and reported.
	gzip -c "$LOG" >"$TMP/full.gz"
	head -c 200 "$TMP/full.gz" >"$TMP/truncated.gz"
	cp "$TMP/full.gz" "$TMP/damaged.gz"
	printf '\xff\xff\xff\xff' | dd of="$TMP/damaged.gz" bs=1 seek=120 conv=notrunc 2>/dev/null
	run 2 "$QUIRK" match "$TMP/truncated.gz" "$TMP/damaged.gz" "$LOG"
	err_has "$TMP/truncated.gz: truncated gzip data"
	err_has "$TMP/damaged.gz: corrupt gzip data near byte"
	out_has "$LOG:2: " ;;
directory)
	# Directories are searched in name order; symbolic links inside them
	# are not followed (here: a loop).
	mkdir -p "$TMP/logs/b/deeper" "$TMP/logs/a"
	cp "$LOG" "$TMP/logs/b/deeper/z.log"
	gzip -c "$LOG" >"$TMP/logs/a/y.log.gz"
	ln -s .. "$TMP/logs/b/loop"
	ln -s "$LOG" "$TMP/logs/b/link.log"
	run 0 "$QUIRK" match --json "$TMP/logs"
	jq_true '[.inputs[].path] == ["'"$TMP"'/logs/a/y.log.gz", "'"$TMP"'/logs/b/deeper/z.log"]'
	jq_true '.matches[0].lines == 8' ;;
stdin)
	run 0 "$QUIRK" match - <"$LOG"
	out_has "(standard input):2: "
	cat "$LOG" | "$QUIRK" match >"$TMP/out" 2>"$TMP/err" || fail "match from a pipe: $(cat "$TMP/err")"
	out_has "(standard input):5: " ;;
binary)
	# NUL bytes, invalid UTF-8, CRLF and a terminal escape around the
	# symptoms: the terminal gets \xNN, JSON stays valid.
	{ printf 'bin\x00\xff\xfe\x1b[2J '; sed -n 2p "$LOG" | tr -d '\n'; printf '\r\n'
	  head -c 4096 /dev/urandom | tr -d '\n'; printf '\n'; sed -n 3p "$LOG"; } >"$TMP/bin.log"
	run 0 "$QUIRK" match "$TMP/bin.log"
	out_has 'bin.log:1: bin\x00\xff\xfe\x1b[2J 2020-07-13T19:32:19.720Z'
	grep -q $'\x1b' "$TMP/out" && fail "an escape character reached the terminal"
	grep -q $'\r' "$TMP/out" && fail "a CR reached the terminal"
	out_has 'bin.log:3: '
	run 0 "$QUIRK" match --json "$TMP/bin.log"
	jq_true '.matches[0].hits[0].text | startswith("bin\u0000\ufffd\ufffd\u001b[2J ") and endswith("failed: 12")' ;;
huge_line)
	# A 64 MiB line with the symptom in the middle and another at its end:
	# found, with a bounded window, on the right lines.
	{ echo first; head -c 33554432 /dev/zero | tr '\0' 'a'; sed -n 2p "$LOG" | tr -d '\n'
	  head -c 33554432 /dev/zero | tr '\0' 'b'; echo " fatal error: mlock failed"; echo last; } >"$TMP/huge.log"
	run 0 "$QUIRK" match --json "$TMP/huge.log"
	jq_true '.inputs[0].lines == 3 and .matches[0].lines == 1'
	jq_true '.matches[0].hits[0] | .line == 2 and .cut_before and .cut_after and (.text | length) <= 768'
	jq_true '.matches[0].hits[0].text | test("runtime: mlock of signal stack failed: 1")' ;;
bounded_memory)
	# 256 MiB in one line through a pipe, under a 160 MiB address-space
	# limit: the matcher keeps a bounded window, never the line.
	( ulimit -v 163840
	  { head -c 268435456 /dev/zero | tr '\0' 'x'; echo " runtime: note: your Linux kernel may be buggy"; } |
		"$QUIRK" match --json - >"$TMP/out" 2>"$TMP/err" ) || fail "under the limit: $(cat "$TMP/err")"
	jq_true '.inputs[0].bytes == 268435503 and .matches[0].hits[0].line == 1' ;;
max_hits)
	run 0 "$QUIRK" match --max-hits 1 "$LOG"
	out_has "... and 3 more lines (--max-hits N shows more)"
	run 2 "$QUIRK" match --max-hits 0 "$LOG"; err_has '--max-hits: "0"' ;;
missing_file)
	run 2 "$QUIRK" match "$TMP/nope.log" "$LOG"
	err_has "$TMP/nope.log: No such file or directory"
	out_has "$LOG:2: " ;;
signatures)
	run 0 "$QUIRK" match --signatures
	out_has $'linux-sigframe-avx-corruption\tpattern\truntime: mlock of signal stack failed: [0-9]+'
	out_has $'linux-sigframe-avx-corruption\texact\truntime: note: your Linux kernel may be buggy' ;;
signature_cache)
	# A KB of 1,200 signatures (a large one takes minutes to compile) is
	# compiled once into the cache and loaded after; a damaged or stale
	# cache is compiled anew, never trusted.
	unset QUIRK_NO_CACHE
	export XDG_CACHE_HOME="$TMP/cache"
	cache=$TMP/cache/quirk/signatures.hs
	big_kb() { # big_kb NAME WORD: 1,200 symptoms "WORD failure N seen", one entry
		mkdir -p "$TMP/$1"
		jq -n --arg w "$2" '{schema_version: "1.6.0", id: "many-signatures", modified: "2026-11-23T00:00:00Z",
			aliases: [], summary: "Test entry with many symptoms", details: "A test entry.",
			references: [{type: "EVIDENCE", url: "https://ossf.github.io/osv-schema/"}],
			database_specific: {component: "tool", severity: "low", verified: "2026-11-23",
				conditions: [{fact: "os.name", op: "eq", value: "Plan 9"}],
				symptoms: [range(1200) | "\($w) failure \(.) seen"], workarounds: [{text: "none"}]}}' \
			>"$TMP/$1/many-signatures.json" || fail "cannot write $1"
		"$KBC" --sqlite "$TMP/$1.sqlite" "$TMP/$1/many-signatures.json" || fail "cannot build $1"
	}
	big_kb kb1 alpha; big_kb kb2 gamma # the same length: only the key tells them apart
	printf 'x\nalpha failure 1199 seen\ngamma failure 7 seen\n' >"$TMP/a.log"
	hits() { # hits KB: the lines matched, as JSON
		"$QUIRK" match --json --db "$TMP/$1.sqlite" "$TMP/a.log" >"$TMP/out" 2>"$TMP/err" ||
			fail "match with $1: $(cat "$TMP/err")"
		jq -c '[.matches[].hits[] | [.line, .signature]]' "$TMP/out"
	}
	[ "$(hits kb1)" = '[[2,"alpha failure 1199 seen"]]' ] || fail "kb1, compiled: $(hits kb1)"
	[ -s "$cache" ] || fail "no cache written"
	inode=$(stat -c %i "$cache")
	[ "$(hits kb1)" = '[[2,"alpha failure 1199 seen"]]' ] || fail "kb1, from the cache"
	[ "$(stat -c %i "$cache")" = "$inode" ] || fail "the cache was compiled again instead of loaded"
	# Another KB: its own signatures, and the cache replaced.
	[ "$(hits kb2)" = '[[3,"gamma failure 7 seen"]]' ] || fail "kb2 got kb1's cache: $(hits kb2)"
	[ "$(stat -c %i "$cache")" != "$inode" ] || fail "the cache was not replaced"
	# Damaged in the compiled part (Hyperscan's CRC refuses it), then cut short.
	size=$(stat -c %s "$cache")
	printf '\xff\xff\xff\xff' | dd of="$cache" bs=1 seek=$((size - 100)) conv=notrunc 2>/dev/null
	[ "$(hits kb2)" = '[[3,"gamma failure 7 seen"]]' ] || fail "kb2 with a damaged cache"
	head -c 300 "$cache" >"$cache.cut" && mv "$cache.cut" "$cache"
	[ "$(hits kb2)" = '[[3,"gamma failure 7 seen"]]' ] || fail "kb2 with a truncated cache"
	[ "$(stat -c %s "$cache")" -gt 300 ] || fail "the cut cache was not rewritten"
	# QUIRK_NO_CACHE: neither read nor written.
	rm -f "$cache"
	QUIRK_NO_CACHE=1 "$QUIRK" match --db "$TMP/kb1.sqlite" "$TMP/a.log" >/dev/null || fail "no-cache run"
	[ -e "$cache" ] && fail "a cache was written with QUIRK_NO_CACHE set"
	# The built-in KB's few signatures compile faster than a file loads.
	"$QUIRK" match "$TMP/a.log" >/dev/null || fail "built-in run"
	[ -e "$cache" ] && fail "the built-in KB's signatures were cached"; true ;;
kbc_bad_pattern)
	for f in bad-pattern pattern-mismatch; do
		run 2 "$KBC" "$TMP/kb.c" "$TMP/kb.sqlite" "$FX/kb-invalid/$f.json"
		err_has "$FX/kb-invalid/$f.json: database_specific.symptom_patterns[0]"
		[ -e "$TMP/kb.c" ] && fail "left a partial output"
	done
	err_has "matches none of the entry's symptom strings" ;;
*)
	fail "unknown case" ;;
esac
exit 0
