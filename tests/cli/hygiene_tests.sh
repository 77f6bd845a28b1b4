#!/usr/bin/env bash
# Process hygiene of the fact collection: a tool quirk asks for its version
# that hangs (a docker CLI whose daemon never answers) must not outlive
# quirk, however quirk ends. The stress test (tests/hygiene) covers the
# probes; this is the deterministic case for the tools.
# usage: hygiene_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$1 KBC=$2 FX=$3 CASE=$4
. "$(dirname "$0")/lib.sh"

# A docker that hangs as one waiting on a silent daemon does; DOCKER_HOST
# makes quirk ask it (tools.c: docker_reachable).
hung_docker() {
	mkdir -p "$TMP/bin"
	printf '#!/bin/sh\nexec sleep 300\n' >"$TMP/bin/docker"
	chmod +x "$TMP/bin/docker"
}

# The tool's pid once quirk ($1) has started it.
tool_of() {
	local pid
	for _ in $(seq 200); do
		pid=$(pgrep -P "$1" -x sleep | head -1)
		[ -n "$pid" ] && { echo "$pid"; return; }
		sleep 0.05
	done
	fail "quirk never started the hung docker"
}

# Whether process $1 is gone (or a zombie waiting for its new parent).
gone_within() {
	for _ in $(seq 40); do
		case $(ps -o stat= -p "$1" 2>/dev/null) in "" | Z*) return 0 ;; esac
		sleep 0.05
	done
	return 1
}

case $CASE in
hung_tool)
	hung_docker
	for sig in KILL TERM; do
		PATH="$TMP/bin:$PATH" DOCKER_HOST=tcp://127.0.0.1:9 "$QUIRK" facts --json >/dev/null 2>&1 &
		qpid=$!
		tool=$(tool_of "$qpid")
		kill -"$sig" "$qpid"
		wait "$qpid" 2>/dev/null
		gone_within "$tool" || { kill -KILL "$tool"; fail "the hung docker (pid $tool) outlived quirk killed by SIG$sig"; }
	done
	# Left alone, quirk's deadline ends it: the fact stays unknown.
	PATH="$TMP/bin:$PATH" DOCKER_HOST=tcp://127.0.0.1:9 "$QUIRK" facts --json >"$TMP/out" 2>"$TMP/err" &
	qpid=$!
	tool=$(tool_of "$qpid")
	wait "$qpid" || fail "facts: exit $?: $(cat "$TMP/err")"
	jq_true 'has("tool.docker.server") | not'
	gone_within "$tool" || { kill -KILL "$tool"; fail "the hung docker (pid $tool) outlived its deadline"; } ;;
*)
	fail "no such case" ;;
esac
echo "ok [$CASE]"
