#!/usr/bin/env bash
# Fleet tests: --format, --output and the Prometheus metrics checked by
# the real promtool and node_exporter; the example units and alert rules.
# usage: fleet_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$1 KBC=$2 FX=$3 CASE=$4
. "$(dirname "$0")/lib.sh"
ASSETS=$(cd "$(dirname "$0")/../../assets/fleet" && pwd)

# Facts of a fixture tree, saved as a customer would send them.
# Every line is a HELP/TYPE comment or a sample: nothing else on stdout.
only_metrics() {
	local bad
	bad=$(grep -Ev '^# (HELP|TYPE) quirk_[a-z_]+ |^quirk_[a-z_]+(\{.*\})? [0-9.e+-]+$' "$1")
	[ -z "$bad" ] || fail "not a metric line: $bad"
}

# Nothing but FILE in DIR: no temporary file left behind.
only_file() { # DIR FILE
	local others
	others=$(find "$1" -mindepth 1 ! -name "$2")
	[ -z "$others" ] || fail "left behind: $others"
}

EXPORTER_PID=
stop_exporter() {
	if [ -n "$EXPORTER_PID" ]; then
		kill "$EXPORTER_PID" 2>/dev/null
		wait "$EXPORTER_PID" 2>/dev/null
		EXPORTER_PID=
	fi
}

# node_exporter with only the textfile collector, reading DIR, on a free
# loopback port: a random one, another if that one is taken. Sets PORT.
start_exporter() { # DIR
	local bin tries
	bin=$(command -v prometheus-node-exporter || command -v node_exporter) ||
		fail "node_exporter is not installed (.ci/setup --test)"
	trap 'stop_exporter; rm -rf "$TMP"' EXIT
	trap 'exit 130' INT TERM
	for tries in 1 2 3 4 5 6 7 8; do
		PORT=$((20000 + RANDOM % 40000))
		"$bin" --web.listen-address="127.0.0.1:$PORT" --collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$1" >"$TMP/exporter.log" 2>&1 &
		EXPORTER_PID=$!
		for _ in $(seq 50); do
			if ! kill -0 "$EXPORTER_PID" 2>/dev/null; then
				wait "$EXPORTER_PID" 2>/dev/null
				EXPORTER_PID=
				grep -q "address already in use" "$TMP/exporter.log" && continue 2
				fail "node_exporter did not start: $(cat "$TMP/exporter.log")"
			fi
			curl -sf "http://127.0.0.1:$PORT/metrics" -o /dev/null && kill -0 "$EXPORTER_PID" 2>/dev/null && return
			sleep 0.1
		done
		fail "node_exporter did not answer on 127.0.0.1:$PORT: $(cat "$TMP/exporter.log")"
	done
	fail "no free port after $tries tries"
}

scrape() { curl -sf "http://127.0.0.1:$PORT/metrics" >"$TMP/out" || fail "scrape of 127.0.0.1:$PORT failed"; }

# A KB entry whose component holds the characters label values escape.
escape_kb() {
	kb_one label-escape $'back\\slash "quoted"\nnext line' '{"fact": "os.name", "op": "eq", "value": "Linux"}'
}

case $CASE in
format_option)
	facts_of arch-5.4.1
	run 1 "$QUIRK" scan --json --facts "$TMP/facts.json"; cp "$TMP/out" "$TMP/json"
	run 1 "$QUIRK" scan --format json --facts "$TMP/facts.json"
	cmp -s "$TMP/out" "$TMP/json" || fail "--format json differs from --json"
	run 1 "$QUIRK" scan --format markdown --facts "$TMP/facts.json"; grep -v '^- written: ' "$TMP/out" >"$TMP/md"
	run 1 "$QUIRK" report --facts "$TMP/facts.json"; grep -v '^- written: ' "$TMP/out" >"$TMP/report"
	cmp -s "$TMP/md" "$TMP/report" || fail "scan --format markdown differs from report"
	run 1 "$QUIRK" scan --format text --facts "$TMP/facts.json"; out_has "AFFECTED  high     linux-sigframe-avx-corruption"
	run 1 "$QUIRK" report --format json --facts "$TMP/facts.json"; cmp -s "$TMP/out" "$TMP/json" || fail "report json"
	# A format the command does not write: exit 2, naming both.
	run 2 "$QUIRK" facts --format prometheus; err_has "facts has no --format prometheus output"; out_empty
	run 2 "$QUIRK" report --format text; err_has "report has no --format text output (it writes markdown, json)"
	run 2 "$QUIRK" kb list --markdown; err_has "kb has no --markdown output"
	run 2 "$QUIRK" scan --format yaml; err_has '--format: "yaml" is not one of text, json, markdown, prometheus'
	run 2 "$QUIRK" scan --format; err_has "incomplete option"
	run 2 "$QUIRK" tui --format prometheus; err_has "tui has no --format prometheus output" ;;
prom_promtool)
	# Arch's 5.4.1 built by GCC 9.2.0 on an AVX2 Intel: affected, exit 1.
	facts_of arch-5.4.1
	run 1 "$QUIRK" scan --format prometheus --facts "$TMP/facts.json"
	[ -s "$TMP/err" ] && fail "stderr not empty: $(cat "$TMP/err")"
	only_metrics "$TMP/out"
	promtool check metrics <"$TMP/out" >"$TMP/lint" 2>&1 || fail "promtool: $(cat "$TMP/lint")"
	[ -s "$TMP/lint" ] && fail "promtool found problems: $(cat "$TMP/lint")"
	out_has 'quirk_finding{id="linux-sigframe-avx-corruption",verdict="affected",severity="high",component="kernel"} 1'
	out_has 'quirk_finding{id="asterinas-vmar-alloc-assert",verdict="not_affected",severity="medium",component="kernel"} 1'
	# The counts are the scan's own verdicts of the same facts.
	cp "$TMP/out" "$TMP/prom"
	"$QUIRK" scan --json --facts "$TMP/facts.json" >"$TMP/scan.json"
	for v in affected unknown not_affected; do
		n=$(jq --arg v $v '[.findings[] | select(.verdict == $v)] | length' "$TMP/scan.json")
		grep -qxF "quirk_findings{verdict=\"$v\"} $n" "$TMP/prom" || fail "no quirk_findings{verdict=\"$v\"} $n"
	done
	out_has 'quirk_findings{verdict="affected"} 1'; out_has "quirk_knowledge_base_entries $(kb_size)"
	out_has "quirk_info{version=\"$("$QUIRK" --version | cut -d' ' -f2)\",kb_version=\"$("$QUIRK" scan --json --facts "$TMP/facts.json" | jq -r .kb_version)\"} 1"
	[ "$(grep -c '^quirk_finding{' "$TMP/out")" = "$(kb_size)" ] || fail "want one series per entry"
	[ "$(grep -c '^# TYPE quirk_finding gauge$' "$TMP/out")" = 1 ] || fail "want one TYPE line per family"
	now=$(date +%s); ts=$(sed -n 's/^quirk_scan_timestamp_seconds //p' "$TMP/out")
	[ $((now - ts)) -ge 0 ] && [ $((now - ts)) -lt 60 ] || fail "timestamp $ts is not now ($now)"
	grep -q "quirk_probe" "$TMP/out" && fail "probe metrics without --probes"
	# This machine's 6.18 kernel: nothing affected, exit 0.
	facts_of this-machine
	run 0 "$QUIRK" scan --format prometheus --facts "$TMP/facts.json"
	out_has 'quirk_findings{verdict="affected"} 0'
	out_has 'quirk_finding{id="linux-sigframe-avx-corruption",verdict="not_affected",severity="high",component="kernel"} 1'
	promtool check metrics <"$TMP/out" || fail "promtool rejected the clean host's metrics" ;;
prom_escape)
	escape_kb; facts_of arch-5.4.1
	run 1 "$QUIRK" scan --format prometheus --db "$TMP/kb.sqlite" --facts "$TMP/facts.json"
	out_has 'quirk_finding{id="label-escape",verdict="affected",severity="low",component="back\\slash \"quoted\"\nnext line"} 1'
	only_metrics "$TMP/out"
	promtool check metrics <"$TMP/out" || fail "promtool rejected escaped labels" ;;
prom_probes)
	grep -qw avx /proc/cpuinfo 2>/dev/null || fail "this test needs an AVX machine (x86-64 with avx in /proc/cpuinfo)"
	"$KBC" "$TMP/kb.c" "$TMP/kb.sqlite" "$FX"/kb-probe/*.json >/dev/null || fail "cannot build the test KB"
	run 3 "$QUIRK" scan --probes --duration 1 --db "$TMP/kb.sqlite" --format prometheus
	out_has 'quirk_probe_result{probe="ymm-signal",status="pass"} 1'
	out_has 'quirk_finding{id="test-ymm-undecided",verdict="not_affected",severity="high",component="kernel"} 1'
	grep -Eq '^quirk_probe_duration_seconds\{probe="ymm-signal"\} 1\.[0-9]+$' "$TMP/out" || fail "no probe duration"
	only_metrics "$TMP/out"
	promtool check metrics <"$TMP/out" || fail "promtool rejected probe metrics" ;;
output_atomic)
	facts_of arch-5.4.1
	mkdir -p "$TMP/dir"
	run 1 "$QUIRK" scan --json --facts "$TMP/facts.json" --output "$TMP/dir/scan.json"
	out_empty; cmp -s "$TMP/dir/scan.json" <("$QUIRK" scan --json --facts "$TMP/facts.json") || fail "file differs from stdout"
	only_file "$TMP/dir" scan.json
	mode=$(ls -l "$TMP/dir/scan.json" | cut -c1-10)
	[ "$mode" = "-rw-r--r--" ] || fail "mode $mode, want -rw-r--r-- (a collector reads it as another user)"
	cp "$TMP/dir/scan.json" "$TMP/old"
	# Bad input: exit 2, the old document stays, nothing else appears.
	printf '{"os.name": ' >"$TMP/bad.json"
	run 2 "$QUIRK" scan --json --facts "$TMP/bad.json" --output "$TMP/dir/scan.json"; err_has "$TMP/bad.json"
	cmp -s "$TMP/dir/scan.json" "$TMP/old" || fail "old file changed"; only_file "$TMP/dir" scan.json
	# A write that fails midway (the file size limit, past the first 2 KiB
	# of the report): exit 2 naming the file, the old one intact.
	(trap '' XFSZ; ulimit -f 2; exec "$QUIRK" report --facts "$TMP/facts.json" --output "$TMP/dir/scan.json") \
		>"$TMP/out" 2>"$TMP/err"
	[ $? = 2 ] || fail "a failed write must exit 2: $(cat "$TMP/err")"
	err_has "--output $TMP/dir/scan.json: File too large (left unchanged)"
	[ "$("$QUIRK" report --facts "$TMP/facts.json" | wc -c)" -gt 4096 ] || fail "the report must pass the limit"
	cmp -s "$TMP/dir/scan.json" "$TMP/old" || fail "old file changed"; only_file "$TMP/dir" scan.json
	# Killed while waiting for its input (a FIFO), even by SIGKILL: the
	# document being written has no name yet (O_TMPFILE), so none is left.
	mkfifo "$TMP/facts.fifo"
	for sig in TERM KILL; do
		"$QUIRK" scan --json --facts "$TMP/facts.fifo" --output "$TMP/dir/scan.json" 2>"$TMP/err" &
		pid=$!
		for _ in $(seq 100); do
			ls -l "/proc/$pid/fd" 2>/dev/null | grep -qF "$TMP/dir/#" && break
			sleep 0.05
		done
		ls -l "/proc/$pid/fd" | grep -qF "$TMP/dir/#" || fail "no nameless temporary file while writing"
		only_file "$TMP/dir" scan.json
		kill -"$sig" "$pid"; wait "$pid"; rc=$?
		[ $rc = $((128 + $(kill -l "$sig"))) ] || fail "killed by SIG$sig: exit $rc"
		cmp -s "$TMP/dir/scan.json" "$TMP/old" || fail "old file changed"; only_file "$TMP/dir" scan.json
	done
	# A directory that does not exist, a FIFO (renaming over it would
	# replace it), a full device as stdout, and tui: exit 2.
	run 2 "$QUIRK" scan --facts "$TMP/facts.json" --output "$TMP/nowhere/x.prom"
	err_has "--output $TMP/nowhere/x.prom: No such file or directory"
	mkfifo "$TMP/dir/fifo"
	run 2 "$QUIRK" scan --facts "$TMP/facts.json" --output "$TMP/dir/fifo"
	err_has "--output $TMP/dir/fifo: not a regular file"; [ -p "$TMP/dir/fifo" ] || fail "the FIFO was replaced"
	rm "$TMP/dir/fifo"
	"$QUIRK" scan --facts "$TMP/facts.json" --json >/dev/full 2>"$TMP/err"
	[ $? = 2 ] || fail "a full standard output must exit 2"; err_has "cannot write to standard output"
	run 2 "$QUIRK" tui --output "$TMP/dir/t"; err_has "tui has no --output"
	# Other document-writing commands: facts, report, explain, kb list.
	run 0 "$QUIRK" facts --json --facts "$TMP/facts.json" --output "$TMP/dir/facts.json"
	cmp -s "$TMP/dir/facts.json" "$TMP/facts.json" || fail "facts --output differs"
	run 1 "$QUIRK" report --facts "$TMP/facts.json" --output "$TMP/dir/report.md"
	grep -q "^# quirk report" "$TMP/dir/report.md" || fail "report --output"
	run 0 "$QUIRK" kb list --json --output "$TMP/dir/kb.json"
	jq -e "length == $(kb_size)" "$TMP/dir/kb.json" >/dev/null || fail "kb list --output" ;;
node_exporter)
	# What the collector serves is what quirk wrote, and it parsed cleanly.
	facts_of arch-5.4.1
	mkdir -p "$TMP/textfile"
	run 1 "$QUIRK" scan --format prometheus --facts "$TMP/facts.json" --output "$TMP/textfile/quirk.prom"
	out_empty
	start_exporter "$TMP/textfile"
	scrape
	out_has 'node_textfile_scrape_error 0'
	# node_exporter sorts the labels by name.
	out_has 'quirk_finding{component="kernel",id="linux-sigframe-avx-corruption",severity="high",verdict="affected"} 1'
	out_has 'quirk_finding{component="tool",id="spin-hardened-runtime-sigkill",severity="high",verdict="not_affected"} 1'
	out_has 'quirk_findings{verdict="affected"} 1'; out_has "quirk_knowledge_base_entries $(kb_size)"
	# (printed back as a float: 1.7e+09)
	ts=$(awk '$1 == "quirk_scan_timestamp_seconds" {printf "%d", $2}' "$TMP/out")
	[ "$ts" = "$(sed -n 's/^quirk_scan_timestamp_seconds //p' "$TMP/textfile/quirk.prom")" ] ||
		fail "scraped timestamp $ts differs from the file's"
	out_has '# HELP quirk_finding One series per knowledge base entry'
	out_has "node_textfile_mtime_seconds{file=\"$TMP/textfile/quirk.prom\"}"
	# A second run replaces the file in place: the next scrape has the new verdicts.
	facts_of this-machine
	run 0 "$QUIRK" scan --format prometheus --facts "$TMP/facts.json" --output "$TMP/textfile/quirk.prom"
	scrape
	out_has 'node_textfile_scrape_error 0'
	out_has 'quirk_finding{component="kernel",id="linux-sigframe-avx-corruption",severity="high",verdict="not_affected"} 1'
	out_has 'quirk_findings{verdict="affected"} 0'
	# Escaped label values come back as written.
	escape_kb; facts_of arch-5.4.1
	run 1 "$QUIRK" scan --format prometheus --db "$TMP/kb.sqlite" --facts "$TMP/facts.json" --output "$TMP/textfile/quirk.prom"
	scrape
	out_has 'node_textfile_scrape_error 0'
	out_has 'quirk_finding{component="back\\slash \"quoted\"\nnext line",id="label-escape",severity="low",verdict="affected"} 1'
	stop_exporter ;;
alert_rules)
	promtool check rules "$ASSETS/quirk-alerts.yml" >"$TMP/out" 2>&1 || fail "$(cat "$TMP/out")"
	out_has "SUCCESS: 2 rules found"
	# The rules against series as quirk writes them: an affected entry
	# fires, a not affected one does not; a scan 4 hours old is stale.
	cat >"$TMP/alerts_test.yml" <<EOF
rule_files: ["$ASSETS/quirk-alerts.yml"]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'quirk_finding{instance="h1",id="linux-sigframe-avx-corruption",verdict="affected",severity="high",component="kernel"}'
        values: '1x300'
      - series: 'quirk_finding{instance="h2",id="linux-sigframe-avx-corruption",verdict="not_affected",severity="high",component="kernel"}'
        values: '1x300'
      - series: 'quirk_scan_timestamp_seconds{instance="h1"}'
        values: '0x300'
    alert_rule_test:
      - eval_time: 10m
        alertname: QuirkHostAffected
        exp_alerts:
          - exp_labels: {instance: h1, id: linux-sigframe-avx-corruption, verdict: affected, severity: high, component: kernel}
            exp_annotations:
              summary: "h1 has the known platform bug linux-sigframe-avx-corruption"
              description: "quirk judged h1 affected by linux-sigframe-avx-corruption (severity high, component kernel). Run \`quirk explain linux-sigframe-avx-corruption\` there for the evidence and workarounds."
      - eval_time: 2h
        alertname: QuirkScanStale
        exp_alerts: []
      - eval_time: 4h
        alertname: QuirkScanStale
        exp_alerts:
          - exp_labels: {instance: h1}
            exp_annotations:
              summary: "quirk has not judged h1 for over 3 hours"
              description: "Check the quirk-textfile service (or cron job) on h1: journalctl -u quirk-textfile."
EOF
	promtool test rules "$TMP/alerts_test.yml" >"$TMP/out" 2>&1 || fail "promtool test rules: $(cat "$TMP/out")"
	out_has "SUCCESS" ;;
systemd_units)
	# The example units, pointed at this build, pass systemd's own check.
	mkdir -p "$TMP/units"
	sed "s|/usr/local/bin/quirk|$QUIRK|" "$ASSETS/quirk-textfile.service" >"$TMP/units/quirk-textfile.service"
	cp "$ASSETS/quirk-textfile.timer" "$TMP/units/"
	grep -q "^ExecStart=$QUIRK scan --format prometheus " "$TMP/units/quirk-textfile.service" || fail "ExecStart not found"
	# Documentation=man:quirk(1) must resolve: this tree's man page.
	mkdir -p "$TMP/man/man1"; cp "$(dirname "$0")/../../quirk.1" "$TMP/man/man1/"
	MANPATH="$TMP/man" run 0 systemd-analyze verify "$TMP/units/quirk-textfile.timer" \
		"$TMP/units/quirk-textfile.service"
	[ -s "$TMP/err" ] && fail "systemd-analyze: $(cat "$TMP/err")"
	# The cron line runs the same command.
	grep -q "quirk scan --format prometheus --project /var/lib/quirk --output /var/lib/prometheus/node-exporter/quirk.prom$" \
		"$ASSETS/quirk.cron" || fail "cron line" ;;
*)
	fail "no such case" ;;
esac
echo "ok [$CASE]"
