#!/usr/bin/env bash
# The knowledge base scaled to 100,000 synthetic entries (bench/kbgen.awk:
# OSV-shaped records of kernel, C library, runtime, tool, Debian package
# and project dependency bugs, with 2 or 3 distinct symptom strings each,
# a pattern for every fifth, aliases for half), compiled with quirk-kbc,
# then each command with that KB (--db) beside the same command with the
# built-in 25 entries: scan --json, match on a 16 MiB log carrying 100 of
# the synthetic symptoms (cold: the signatures compiled; warm: loaded from
# the signature cache), search for a pasted symptom, kb list, and the TUI's
# first frame. Prints each ratio (100k / 25) and the cost per entry
# ((t100k - t25) / 99,975), of the wall clock and of the CPU time.
# Goal: linear scaling, at most 100 us of CPU time per entry (10 s for
# 100,000) for scan, warm match, search, kb list and the first frame (CPU
# time: on a shared machine the wall clock measures the other jobs too).
# The compile and a cold match are once per KB and have no goal. Needs
# hyperfine.
# usage: bench/kb100k.sh [BUILD_DIR] [ENTRIES]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" "${1:-build}"
need hyperfine
n=${2:-100000}
kbc=$(dirname "$quirk")/quirk-kbc
[ -x "$kbc" ] || { echo "bench: build quirk-kbc first ($kbc)" >&2; exit 2; }

# The entries are made once per generator version and reused.
store=${XDG_CACHE_HOME:-$HOME/.cache}/quirk-bench/kb-$n-$(cksum <bench/kbgen.awk | cut -d' ' -f1)
if [ ! -s "$store/list" ]; then
	echo "bench: writing $n synthetic entries to $store"
	rm -rf "${store%-*}"-* && mkdir -p "$store.tmp" # and those of other generator versions
	awk -v n="$n" -v dir="$store.tmp" -f bench/kbgen.awk
	sed -i "s|^$store.tmp/|$store/|" "$store.tmp/list"
	rm -rf "$store" && mv "$store.tmp" "$store"
fi
# 16 MiB of journal with the sampled symptoms spread through it.
awk -v every=$((16 * 1048576 / 110 / 100)) 'NR == FNR { sym[n++] = $0; next }
	{ print } FNR % every == 0 && k < n { print "2026-11-23 10:00:00 app[77]: " sym[k++] }
	END { while (k < n) print "2026-11-23 10:00:00 app[77]: " sym[k++] }' \
	"$store/symptoms" "$(journal_log 16)" >"$tmp/log"
# quirk's own caches (tool versions, compiled signatures) live in $tmp.
export XDG_CACHE_HOME=$tmp/cache
warm_cache
big=$tmp/kb.sqlite
kbfiles=(assets/kb/*.json)
entries=${#kbfiles[@]}

echo "== compile: quirk-kbc, $n entries"
hf "$tmp/c.json" --runs 1 -n "quirk-kbc $n" "$kbc --sqlite $big @$store/list"
printf "%s\n" "${kbfiles[@]}" >"$tmp/list25"
hf "$tmp/c25.json" --runs 5 -n "quirk-kbc $entries" "$kbc --sqlite $tmp/kb25.sqlite @$tmp/list25"
hf_times "$tmp/c.json"
hf_times "$tmp/c25.json"
echo "database: $(($(stat -c %s "$big") / 1048576)) MiB, $(stat -c %s "$tmp/kb25.sqlite") bytes with $entries entries"

"$quirk" scan --json --db "$big" --project "$proj" >"$tmp/scan.json" || true
jq -r '"verdicts with \(.findings | length) entries: " + ([.findings | group_by(.verdict)[] | "\(length) \(.[0].verdict)"] | join(", "))' "$tmp/scan.json"
"$quirk" match --json --db "$big" "$tmp/log" >"$tmp/match.json" || true
found=$(jq '.matches | length' "$tmp/match.json")
echo "match: $found entries found in the log ($(wc -l <"$store/symptoms") symptoms were put there)"
[ "$found" -ge "$(wc -l <"$store/symptoms")" ] || { echo "bench: the big KB missed symptoms" >&2; exit 1; }
rm -f "$XDG_CACHE_HOME/quirk/signatures.hs"

# per_entry MS100K MS25: the difference per added entry, in us.
per_entry() { awk -v a="$1" -v b="$2" -v n="$n" -v e="$entries" 'BEGIN { printf "%.1f", (a - b) * 1000 / (n - e) }'; }
secs() { awk -v t="$1" 'BEGIN { printf "%.2f s", t / 1000 }'; }

sym=$(sed -n "$((($(wc -l <"$store/symptoms") + 1) / 2))p" "$store/symptoms")
tuienv="env TERM=xterm-256color COLUMNS=80 LINES=24 QUIRK_TUI_SCRIPT="
# name | goal (us/entry, or - for none) | command with the big KB | command with the built-in one
cases=(
	"scan --json|100|$quirk scan --json --db $big --project $proj|$quirk scan --json --project $proj"
	"match, cold|-|$quirk match --db $big $tmp/log|$quirk match $tmp/log"
	"match, warm|100|$quirk match --db $big $tmp/log|$quirk match $tmp/log"
	"search|100|$quirk search --db $big --project $proj '$sym'|$quirk search --project $proj 'runtime: mlock of signal stack failed: 12'"
	"kb list|100|$quirk kb list --db $big|$quirk kb list"
	"tui first frame|100|$tuienv $quirk tui --db $big --project $proj|$tuienv $quirk tui --project $proj"
)
i=0
for c in "${cases[@]}"; do
	IFS='|' read -r name limit cmd100k cmd25 <<<"$c"
	echo "== $name"
	# A cold match is one run (it writes the cache the warm one reads).
	runs=3
	[ "$name" = "match, cold" ] && runs=1
	hf "$tmp/$i.json" -i --runs "$runs" -n "$n entries" "$cmd100k"
	hf "$tmp/$i-25.json" -i --warmup 2 --runs 10 -n "$entries entries" "$cmd25"
	hf_times "$tmp/$i.json"
	hf_times "$tmp/$i-25.json"
	t=$(ms "$tmp/$i.json" 0) t25=$(ms "$tmp/$i-25.json" 0)
	c=$(cpu "$tmp/$i.json" 0) c25=$(cpu "$tmp/$i-25.json" 0)
	per=$(per_entry "$t" "$t25") cper=$(per_entry "$c" "$c25")
	echo "ratio: $(ratio "$t" "$t25")x with $n entries; $per us per entry, $cper us of CPU time"
	if [ "$limit" = - ]; then
		verdict="no goal" goal_text="-"
	else
		verdict=$(goal "$cper" "<=" "$limit") goal_text="CPU <= $limit us/entry"
	fi
	result "kb100k $name" "$(secs "$t") ($per us/entry; CPU $(secs "$c"), $cper us/entry)" \
		"$t25 ms with $entries (CPU $c25 ms)" "$(ratio "$t" "$t25")x" "$goal_text" "$verdict"
	i=$((i + 1))
done
t=$(ms "$tmp/c.json" 0) t25=$(ms "$tmp/c25.json" 0) c=$(cpu "$tmp/c.json" 0)
result "kb100k compile" "$(secs "$t") ($(per_entry "$t" "$t25") us/entry; CPU $(secs "$c"))" \
	"$t25 ms with $entries" "$(ratio "$t" "$t25")x" "-" "no goal"
machine
