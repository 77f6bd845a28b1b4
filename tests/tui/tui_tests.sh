#!/usr/bin/env bash
# TUI tests. Golden screens: the TUI driven by a key script on a virtual
# terminal, each dumped screen compared with tests/tui/golden/CASE-N.txt
# (UPDATE_GOLDEN=1 rewrites them). Real-terminal cases run quirk in tmux.
# usage: tui_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$(realpath "$1") KBC=$(realpath "$2") FX=$(realpath "$3") CASE=$4
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
export TERM=xterm-256color

# Facts of Arch's 5.4.1 (affected) and a KB of the five seed entries, so
# the screens do not change with this machine or with KB growth.
setup() {
	mkdir -p "$TMP/empty"
	"$QUIRK" facts --json --root "$FX/roots/arch-5.4.1" --project "$TMP/empty" >"$TMP/facts.json" ||
		fail "facts"
	local kb=$HERE/../../assets/kb
	"$KBC" "$TMP/kb.c" "$TMP/kb.sqlite" "$kb/asterinas-vmar-alloc-assert.json" \
		"$kb/linux-sigframe-avx-corruption.json" "$kb/macos-m4-sptm-jit-panic.json" \
		"$kb/rustler-encode-panic-aborts-beam.json" "$kb/spin-hardened-runtime-sigkill.json" >/dev/null ||
		fail "kb"
}

# golden COLSxROWS KEYS [ARGS...]: runs the script (quirk tui ARGS),
# compares every dumped screen.
golden() {
	local size=$1 keys=$2 n=0
	shift 2
	mkdir -p "$TMP/dump"
	COLUMNS=${size%x*} LINES=${size#*x} QUIRK_TUI_SCRIPT=$keys QUIRK_TUI_DUMP=$TMP/dump \
		"$QUIRK" tui --facts "$TMP/facts.json" --db "$TMP/kb.sqlite" "$@" >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	[ $rc = 1 ] || fail "exit $rc (want 1: affected): $(cat "$TMP/err")"
	for screen in "$TMP"/dump/screen-*.txt; do
		n=$((n + 1))
		# The versions in the title bar are not what these tests are about.
		sed -E -e 's/quirk [0-9][^ ]* \| KB [^,]*,/quirk VERSION | KB VERSION,/' \
			-e 's|facts from [^ ]*|facts from FILE|' "$screen" >"$TMP/screen"
		want=$HERE/golden/$CASE-$n.txt
		if [ -n "${UPDATE_GOLDEN:-}" ]; then
			cp "$TMP/screen" "$want"
		elif ! diff -u "$want" "$TMP/screen" >"$TMP/diff"; then
			fail "screen $n differs from $want:
$(cat "$TMP/diff")"
		fi
	done
	[ $n -gt 0 ] || fail "no screen was dumped"
	[ -e "$HERE/golden/$CASE-$((n + 1)).txt" ] && fail "golden $CASE-$((n + 1)).txt was not produced"
	true
}

# Real terminal: quirk in a tmux pane of its own server, with a shell
# around it so what the terminal looks like after quirk can be checked.
tmux_start() { # COLSxROWS [QUIRK-ARGS]
	SOCK=quirk-test-$$
	trap 'tmux -L "$SOCK" kill-server 2>/dev/null; sleep 0.2; rm -rf "$TMP"' EXIT
	tmux -L "$SOCK" -f /dev/null new-session -d -s t -x "${1%x*}" -y "${1#*x}" \
		"env -i PATH=$PATH HOME=$TMP TERM=xterm-256color LANG=C.UTF-8 QUIRK_NO_CACHE=1 PS1='READY\$ ' bash --norc --noprofile"
	wait_for 'READY\$'
	keys "cd $TMP && exec 2>$TMP/stderr" Enter
	keys "$QUIRK --facts $TMP/facts.json --db $TMP/kb.sqlite ${2:-}; echo EXIT=\$?" Enter
	wait_for 'Findings: 1 affected|Checklist: '
}
keys() { tmux -L "$SOCK" send-keys -t t "$@"; }
screen() { tmux -L "$SOCK" capture-pane -p -t t; }
# wait_for REGEX [SECONDS]: until the pane shows it.
wait_for() {
	local i
	for i in $(seq $((${2:-10} * 20))); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.05
	done
	fail "the screen never showed /$1/:
$(screen)"
}
quirk_pid() { pgrep -f -- "--facts $TMP/facts.json" | head -1; }
# After quirk: the shell is back, out of the alternate screen, echo on.
# "-" for a quirk killed by Ctrl-C: bash drops the rest of the line then.
terminal_restored() {
	if [ "$1" = - ]; then
		sleep 0.3
		keys 'echo AFTER=$?' Enter
		wait_for '^AFTER=130$'
	else
		wait_for "EXIT=$1"
	fi
	[ "$(tmux -L "$SOCK" display -p -t t '#{alternate_on}')" = 0 ] || fail "still on the alternate screen"
	keys "stty -a | tr ' ' '\\n' | grep -x -e echo -e icanon | tr '\\n' ' '; echo" Enter
	wait_for '^(echo icanon|icanon echo) *$'
	[ -z "$(quirk_pid)" ] || fail "a quirk process remains: $(ps -o pid,cmd -p "$(quirk_pid)")"
	pgrep -f "$TMP/facts.json" >/dev/null && fail "a process of quirk remains"
	true
}

setup
case $CASE in
tmux_navigate)
	tmux_start 80x24
	keys j Enter
	wait_for 'Verdict for these facts: not_affected'
	keys Escape
	wait_for 'Findings: 1 affected'
	sleep 0.1 # not within the Escape's delay: that would be Alt-q
	keys q
	terminal_restored 1 ;;
tmux_search)
	tmux_start 80x24
	keys /
	wait_for 'type or paste an error message'
	keys -l 'runtime: note: your Linux kernel may be buggy'
	wait_for '^ linux-sigframe-avx-corruption +affected'
	keys Enter
	wait_for 'linux-sigframe-avx-corruption: affected'
	keys q
	wait_for '^ > runtime: note'
	keys Escape
	wait_for 'Findings: 1 affected'
	keys q
	terminal_restored 1 ;;
tmux_self_test)
	tmux_start 80x24
	keys p
	wait_for 'Probes \(r runs'
	keys t
	wait_for 'Last result \(self-test\): fail - YMM registers corrupted' 20
	keys q
	wait_for 'Findings: 1 affected'
	keys q
	terminal_restored 1 ;;
tmux_cancel)
	tmux_start 80x24
	keys p r
	wait_for 'Running ymm-signal: +[0-9]+%'
	sleep 0.5
	workers=$(pgrep -P "$(pgrep -P "$(quirk_pid)" | head -1)" | wc -l)
	[ "$workers" -ge 2 ] || fail "no probe workers seen ($workers)"
	keys Escape
	wait_for 'Last result: error - cancelled after'
	keys q
	wait_for 'Findings: 1 affected'
	keys q
	terminal_restored 1 ;;
tmux_resize)
	tmux_start 80x24
	tmux -L "$SOCK" resize-window -t t -x 60 -y 20
	wait_for 'Terminal too small: quirk needs 80x24, this one is 60x20'
	tmux -L "$SOCK" resize-window -t t -x 120 -y 30
	wait_for 'Findings: 1 affected'
	screen | grep -q 'Linux 5.2 to 5.4.1 built with GCC 9 or later corrupts' || fail "not redrawn wider: $(screen)"
	keys q
	terminal_restored 1 ;;
tmux_sigterm)
	tmux_start 80x24
	keys p r
	wait_for 'Running ymm-signal'
	kill -TERM "$(quirk_pid)"
	terminal_restored 143 ;;
tmux_ctrl_c)
	tmux_start 80x24
	keys p r
	wait_for 'triggers [0-9]+'
	keys C-c
	terminal_restored - ;;
tmux_sighup)
	tmux_start 80x24
	kill -HUP "$(quirk_pid)"
	terminal_restored 129 ;;
export)
	# e writes the report where quirk runs and says where.
	mkdir -p "$TMP/run"
	(cd "$TMP/run" && COLUMNS=80 LINES=24 QUIRK_TUI_SCRIPT='e<Dump>' QUIRK_TUI_DUMP=$TMP/run \
		"$QUIRK" tui --facts "$TMP/facts.json" --db "$TMP/kb.sqlite") >/dev/null 2>&1
	report=$(ls "$TMP"/run/quirk-report-*.md 2>/dev/null)
	[ -n "$report" ] || fail "no report file in $TMP/run"
	grep -q "Report written to $report" "$TMP/run/screen-1.txt" || fail "path not shown: $(tail -1 "$TMP/run/screen-1.txt")"
	grep -q '^### linux-sigframe-avx-corruption: affected' "$report" || fail "report lacks the finding"
	grep -q '^## Facts' "$report" || fail "report lacks the facts" ;;
tmux_crash)
	# A crash in quirk itself: the handler gives the terminal back first.
	tmux_start 80x24
	kill -SEGV "$(quirk_pid)"
	terminal_restored 139 ;;
tmux_check)
	# A project with a profile: the checklist first, the overview a q away.
	mkdir -p "$TMP/proj"
	cp "$HERE/../../assets/profiles/example.quirk.json" "$TMP/proj/.quirk.json"
	tmux_start 80x24 "--project $TMP/proj"
	wait_for '✗ linux-sigframe-avx-corruption +affected'
	wait_for '1 passed, 4 warnings, 1 failed. Not ready'
	keys j j
	wait_for '\[!\] locked-memory limit for Go \(limits.memlock >= 64 MiB\): not known'
	keys k k Enter
	wait_for 'linux-sigframe-avx-corruption: affected'
	keys q
	wait_for 'Checklist: example'
	keys q
	wait_for 'Findings: 1 affected'
	keys c
	wait_for 'Checklist: example'
	# Enter on the probe item opens Probes there; its result re-judges the list.
	keys j j j j j
	wait_for '\[!\] probe ymm-signal: not run'
	keys Enter
	wait_for 'Probes \(r runs'
	keys r
	wait_for 'Last result: (pass|not_applicable)' 20
	keys q
	wait_for '✓ probe ymm-signal +(pass|not applicable)'
	wait_for '2 passed, 3 warnings, 1 failed'
	keys q
	wait_for 'Findings: 1 affected'
	keys q
	terminal_restored 1 ;;
checklist)  mkdir -p "$TMP/proj"; cp "$HERE/../../assets/profiles/example.quirk.json" "$TMP/proj/.quirk.json"
	    golden 80x24 '<Dump><Down><Down><Dump><Enter><Dump><Up><Up><Enter><Dump><Esc><Esc><Dump>c<Dump>' \
		    --project "$TMP/proj" ;;
checklist_default) golden 80x24 'c<Dump>' --project "$TMP/empty" ;;
checklist_malformed)
	# A malformed profile ends the interface before it starts, as in check.
	echo '{"require": ["compiler.gcc >> 12"]}' >"$TMP/bad.json"
	COLUMNS=80 LINES=24 QUIRK_TUI_SCRIPT='<Dump>' QUIRK_TUI_DUMP=$TMP \
		run 2 "$QUIRK" tui --facts "$TMP/facts.json" --profile "$TMP/bad.json"
	err_has "$TMP/bad.json: require[0]: unknown op \">>\""
	[ -e "$TMP/screen-1.txt" ] && fail "a screen was drawn"; true ;;
overview)   golden 80x24 '<Dump>' ;;
navigate)   golden 80x24 '<Down><Dump><Up><Enter><Dump><PgDn><Dump><Esc><Dump>' ;;
filter)     golden 80x24 'f<Dump>f<Dump>' ;;
help)       golden 80x24 '?<Dump>q<Dump>' ;;
search)     golden 80x24 '/runtime: note: your Linux kernel may be buggy<Dump><Enter><Dump><Esc><Backspace><Backspace><Backspace><Backspace><Backspace><Dump>' ;;
too_small)  golden 80x24 '<Resize:60x20><Dump><Resize:100x30><Dump>' ;;
*)          fail "no such case" ;;
esac
echo "ok [$CASE]"
