#!/usr/bin/env bash
# The bad input suite: each row of tests/bad-input/cases.tsv is one bad
# input given to quirk, with the exit status it must get, what its message
# must say, what standard output may hold and which files must not change.
# Every case also checks: no death by a signal, no sanitizer report, no
# core file, no temporary file left behind.
# usage: bad_input.sh QUIRK QUIRK_KBC FIXTURES CASE
#   CASE "table" checks the table itself; "big_setup" and "big_cleanup"
#   write and remove the 100 MB inputs in $BADINPUT_BIG (ctest fixtures).
set -u
QUIRK=$(realpath "$1") KBC=$(realpath "$2") FX=$(realpath "$3") CASE=$4
HERE=$(cd "$(dirname "$0")" && pwd)
TABLE=$HERE/../bad-input/cases.tsv
BIG=${BADINPUT_BIG:-}
SIZE_100M=100000000
SYMPTOM='runtime: mlock of signal stack failed: 12'

# The row of a case: its seven tab-separated fields.
row() { awk -F'\t' -v n="$1" '!/^#/ && $1 == n' "$TABLE"; }

# A case that fills or write-protects a directory runs in a mount
# namespace of its own, so the tmpfs or read-only mount is its alone.
if [ -z "${BADINPUT_NS:-}" ] && row "$CASE" | cut -f2 | grep -qE 'tmpfs|full_fs|read_only'; then
	flags=-m
	[ "$(id -u)" = 0 ] || flags=-Urm
	BADINPUT_NS=1 exec unshare $flags -- bash "$0" "$@"
fi

. "$HERE/lib.sh"
MOUNTS=()
trap 'for m in "${MOUNTS[@]}"; do umount "$m"; done; rm -rf "$TMP"' EXIT

# The case's own directory, reachable by the unprivileged user some cases
# run as; quirk runs in an empty directory (no project around it).
T=$TMP/case
mkdir -p "$T/cwd" "$T/data"
chmod 711 "$TMP"
chmod 755 "$T" "$T/cwd"
export XDG_DATA_HOME=$T/data XDG_CACHE_HOME=$T/cache HOME=$T/home
ARCH_FACTS=$T/facts.json

# $T, $FX, $BIG, $ARCH_FACTS, $BUILT_KB (the KB the build made) and
# $SRC_DIR (the source tree) in a field of the table.
expand() {
	local s=$1
	s=${s//\$ARCH_FACTS/$ARCH_FACTS}
	s=${s//\$BUILT_KB/$(dirname "$QUIRK")/kb.sqlite}
	s=${s//\$SRC_DIR/$(dirname "$FX")/..}
	s=${s//\$T/$T}
	s=${s//\$FX/$FX}
	s=${s//\$BIG/$BIG}
	printf '%s' "$s"
}

# How quirk is started: as another user, without some variables, in tmux.
AS_NOBODY= UNSET=() TMUX_SIZE= TMUX_KEYS= TMUX_TERM=xterm-256color

# Setup functions: the table's second column, run in $T.
setup_arch_facts() { # facts of Arch's 5.4.1 (affected): $ARCH_FACTS
	"$QUIRK" facts --json --root "$FX/roots/arch-5.4.1" --project "$T/cwd" >"$ARCH_FACTS" || fail "facts"
}
# Files are made with their directories.
at() { mkdir -p "$(dirname "$1")"; }
setup_empty() { at "$1" && : >"$1"; }
setup_dir() { mkdir -p "$1"; }
setup_text() { at "$1" && printf "$2" >"$1"; } # FILE PRINTF-FORMAT
setup_cut() { at "$3" && head -c "$2" "$1" >"$3"; } # SRC BYTES DEST: the first bytes of a real file
setup_gunzip_cut() { at "$3" && gzip -dc "$1" | head -c "$2" >"$3"; }
setup_garbage() { at "$1" && { printf '\0'; head -c 4095 /dev/urandom; } >"$1"; } # random, with a NUL
setup_nested() { # FILE DEPTH [PREFIX SUFFIX]: arrays nested DEPTH deep
	at "$1"
	{ printf '%s' "${3:-}"; head -c "$2" /dev/zero | tr '\0' '['; head -c "$2" /dev/zero | tr '\0' ']'; printf '%s' "${4:-}"; } >"$1"
}
setup_exec_bit() { chmod +x "$1"; }
# FILE: one this user cannot read (mode 000). Root reads everything, so as
# root quirk then runs as nobody (setpriv), which gets EACCES.
setup_lock() {
	chmod 000 "$1" || fail "cannot chmod $1"
	chmod 777 "$T/data"
	[ "$(id -u)" = 0 ] && AS_NOBODY=1
	true
}
setup_unreadable() { at "$2" && cp -r "$1" "$2" && setup_lock "$2"; } # SRC DEST: a good input, locked
setup_overlay() { # a real record imported: the overlay exists
	"$QUIRK" kb import "$FX/osv/GHSA-22f2-v57c-j9cx.json" >/dev/null || fail "import"
}
setup_overlay_garbage() { mkdir -p "$T/data/quirk"; setup_garbage "$T/data/quirk/overlay.sqlite"; }
setup_overlay_cut() {
	setup_overlay
	head -c 8192 "$T/data/quirk/overlay.sqlite" >"$T/cut" && mv "$T/cut" "$T/data/quirk/overlay.sqlite"
}
setup_future_db() { # a real KB whose schema_version says 2
	cp "$(dirname "$QUIRK")/kb.sqlite" "$1"
	sqlite3 "$1" "UPDATE meta SET value = '2' WHERE key = 'schema_version'" || fail "sqlite3"
}
setup_other_db() { sqlite3 "$1" "CREATE TABLE t(a); INSERT INTO t VALUES (1);" || fail "sqlite3"; }
setup_tmpfs() { # DIR: a 64 KiB tmpfs
	mkdir -p "$1"
	mount -t tmpfs -o size=64k tmpfs "$1" || fail "cannot mount a tmpfs on $1"
	MOUNTS+=("$1")
}
setup_fill() { # DIR: its file system filled to the last byte
	cat /dev/zero >"$1/filler" 2>/dev/null
	[ "$(df --output=avail "$1" | tail -1 | tr -d ' ')" = 0 ] || fail "$1 is not full"
}
setup_full_fs() { setup_tmpfs "$1" && setup_fill "$1"; }
setup_read_only() { # DIR: bind-mounted read-only over itself
	mkdir -p "$1"
	mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || fail "cannot make $1 read-only"
	MOUNTS+=("$1")
}
setup_no_home() { UNSET=(HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_CONFIG_HOME); }
setup_with_cache() { unset QUIRK_NO_CACHE; }
setup_tmux() { # COLSxROWS [KEYS|- [TERM]]
	TMUX_SIZE=$1 TMUX_KEYS=${2:--} TMUX_TERM=${3:-xterm-256color}
	[ "$TMUX_KEYS" = - ] && TMUX_KEYS=
	true
}

# The command: quirk as a function, so the table's redirections work.
quirk() {
	local pre=(timeout 60)
	[ -n "$AS_NOBODY" ] && pre+=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	for v in "${UNSET[@]}"; do pre+=(env -u "$v"); done
	"${pre[@]}" "$QUIRK" "$@"
}

# The same in a terminal: tmux at TMUX_SIZE, the keys sent once the screen
# shows the stdout check's pattern; then the shell must be back as it was.
tmux_case() {
	local cmd i
	sock=badinput-$$
	cmd=$(expand "$CMD")
	cat >"$T/pane.sh" <<-EOF
		quirk() { "$QUIRK" "\$@"; }
		cd "$T/cwd" && TERM=$TMUX_TERM eval '$cmd' 2>"$T/err"
		echo \$? >"$T/rc"
	EOF
	trap 'tmux -L "$sock" kill-server 2>/dev/null; sleep 0.2; for m in "${MOUNTS[@]}"; do umount "$m"; done; rm -rf "$TMP"' EXIT
	tmux -L "$sock" -f /dev/null new-session -d -s t -x "${TMUX_SIZE%x*}" -y "${TMUX_SIZE#*x}" \
		"env -i PATH=$PATH HOME=$T HISTFILE=/dev/null TERM=xterm-256color LANG=C.UTF-8 NO_COLOR=1 QUIRK_NO_CACHE=1 XDG_DATA_HOME=$T/data PS1='$ ' bash --norc --noprofile" ||
		fail "cannot start tmux"
	screen() { tmux -L "$sock" capture-pane -p -t t; }
	wait_until() { # CONDITION-COMMAND WHAT
		for i in $(seq 600); do eval "$1" && return 0; sleep 0.05; done
		fail "$2:
$(screen)"
	}
	wait_until 'screen | grep -q "\\$"' "no shell prompt"
	tmux -L "$sock" send-keys -t t "bash $T/pane.sh" Enter
	if [ "${OUT_CHECK#screen:}" != "$OUT_CHECK" ]; then
		wait_until 'screen | grep -qE -- "${OUT_CHECK#screen:}"' "the screen never showed /${OUT_CHECK#screen:}/"
		[ -n "$TMUX_KEYS" ] && tmux -L "$sock" send-keys -t t "$TMUX_KEYS"
	fi
	wait_until '[ -s "$T/rc" ]' "quirk did not end"
	RC=$(cat "$T/rc")
	cp "$T/err" "$TMP/err"
	: >"$TMP/out"
	[ "$(tmux -L "$sock" display -p -t t '#{alternate_on}')" = 0 ] || fail "the terminal is left on the alternate screen"
	tmux -L "$sock" resize-window -t t -x 80 -y 24
	tmux -L "$sock" send-keys -t t "stty -a | tr ' ' '\\n' | grep -x -e echo -e icanon | sort | tr '\\n' ' '; echo" Enter
	wait_until 'screen | grep -qx "echo icanon *"' "the terminal is left without echo or line editing"
}

case $CASE in
big_setup)
	# One line of 100 MB each, made once a run and shared by the cases.
	[ -n "$BIG" ] || fail "BADINPUT_BIG is not set"
	mkdir -p "$BIG"
	make_big() { # FILE PREFIX SUFFIX: PREFIX, 'a' to 100 MB, SUFFIX
		{ printf '%s' "$2"; head -c $SIZE_100M /dev/zero | tr '\0' a; printf '%s\n' "$3"; } >"$BIG/$1.tmp" &&
			mv "$BIG/$1.tmp" "$BIG/$1" || fail "cannot write $BIG/$1"
	}
	make_big line.txt "" ""
	make_big osv-record.json '{"id": "BIG-1", "modified": "2024-01-01T00:00:00Z", "summary": "' '"}'
	make_big log.txt "" " $SYMPTOM"
	echo "ok [$CASE]"
	exit 0 ;;
big_cleanup)
	rm -rf "$BIG"
	echo "ok [$CASE]"
	exit 0 ;;
table)
	# At least 30 cases, each well formed, named once, with a setup the
	# runner has and an exit status quirk documents.
	n=0
	while IFS=$'\t' read -r name setup status err out files cmd extra; do
		case $name in '#'* | '') continue ;; esac
		n=$((n + 1))
		[ -n "$cmd" ] && [ -z "${extra:-}" ] || fail "row $name: want 7 tab-separated fields"
		[[ $name =~ ^[a-z0-9_]+$ ]] || fail "row $name: names are [a-z0-9_]+"
		[[ $status =~ ^[0-3](\|[0-3])*$ ]] || fail "row $name: status '$status' is not 0-3 joined by |"
		[[ $out =~ ^(empty|json|re:.+|screen:.+)$ ]] || fail "row $name: stdout check '$out'"
		[[ $cmd == quirk* ]] || fail "row $name: the command must start with quirk"
		[ "$setup" = - ] || while read -r f _; do
			declare -F "setup_$f" >/dev/null || fail "row $name: no setup function setup_$f"
		done < <(tr ';' '\n' <<<"$setup")
	done <"$TABLE"
	dups=$(grep -v '^#' "$TABLE" | cut -f1 | grep . | sort | uniq -d)
	[ -z "$dups" ] || fail "names used twice: $dups"
	[ "$n" -ge 30 ] || fail "only $n cases; the suite has at least 30"
	echo "ok [$CASE] ($n cases)"
	exit 0 ;;
esac

ROW=$(row "$CASE")
[ -n "$ROW" ] || fail "no such case in $TABLE"
IFS=$'\t' read -r _ SETUP STATUS ERR_RE OUT_CHECK FILES CMD <<<"$ROW"

cd "$T" || fail "cd $T"
# "name args; name args": setup_name args, in order.
[ "$SETUP" = - ] || eval "$(expand "$SETUP" | sed -E 's/(^|; *)([a-z_]+)/\1setup_\2/g')" || fail "setup failed: $SETUP"

# Files that must not change: their bytes now.
for check in $(expand "$FILES"); do
	case $check in
	same:* | changed:*) [ -f "${check#*:}" ] || fail "$check does not exist before the run"
		cp -p "${check#*:}" "$TMP/before.$(echo "${check#*:}" | md5sum | cut -c1-8)" ;;
	absent:*) [ ! -e "${check#absent:}" ] || fail "absent:${check#absent:} exists before the run" ;;
	-) ;;
	*) fail "file check '$check': want same:PATH, changed:PATH, absent:PATH or -" ;;
	esac
done

if [ -n "$TMUX_SIZE" ]; then
	tmux_case
else
	cd "$T/cwd" || fail "cd"
	eval "$(expand "$CMD")" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	cd "$T" || fail "cd"
fi

# What every case must hold.
show() { printf '%s\n--- stdout: %s\n--- stderr: %s' "$1" "$(head -c 2000 "$TMP/out")" "$(head -c 2000 "$TMP/err")"; }
[ "$RC" = 124 ] && fail "$(show "quirk did not end within 60 s")"
[ "$RC" -lt 128 ] || fail "$(show "killed by signal $((RC - 128))")"
grep -qE 'Sanitizer|runtime error:' "$TMP/err" && fail "$(show "sanitizer report")"
[[ "|$STATUS|" == *"|$RC|"* ]] || fail "$(show "exit $RC, want $STATUS")"
if [ "$ERR_RE" = - ]; then
	[ ! -s "$TMP/err" ] || fail "$(show "stderr not empty")"
else
	grep -qE -- "$(expand "$ERR_RE")" "$TMP/err" || fail "$(show "stderr does not match /$(expand "$ERR_RE")/")"
fi
case $OUT_CHECK in
empty) [ ! -s "$TMP/out" ] || fail "$(show "stdout not empty: a half report")" ;;
json) jq -e . "$TMP/out" >/dev/null 2>&1 || fail "$(show "stdout is not one whole JSON document")" ;;
re:*) grep -qE -- "$(expand "${OUT_CHECK#re:}")" "$TMP/out" || fail "$(show "stdout does not match /$(expand "${OUT_CHECK#re:}")/")" ;;
screen:*) ;;
esac
for check in $(expand "$FILES"); do
	case $check in
	same:*) cmp -s "${check#same:}" "$TMP/before.$(echo "${check#same:}" | md5sum | cut -c1-8)" ||
			fail "$(show "${check#same:} changed")" ;;
	absent:*) [ ! -e "${check#absent:}" ] || fail "$(show "${check#absent:} was written")" ;;
	changed:*) cmp -s "${check#changed:}" "$TMP/before.$(echo "${check#changed:}" | md5sum | cut -c1-8)" &&
			fail "$(show "${check#changed:} was not written anew")" ;;
	esac
done
left=$(find "$T" -name '*.tmp.*' -o -name 'core' -o -name 'core.[0-9]*' 2>/dev/null)
[ -z "$left" ] || fail "$(show "left behind: $left")"
echo "ok [$CASE]"
