#!/usr/bin/env bash
# CLI tests of `quirk gobin` and the project scan against real Go binaries
# (unpacked into $GOBIN_FIXTURES by the fixtures.gobin test).
# usage: gobin_tests.sh QUIRK QUIRK_KBC FIXTURES CASE
set -u
QUIRK=$1 FX=$3 CASE=$4
GB=${GOBIN_FIXTURES:?unpacked Go binaries (fixtures.gobin)}
. "$(dirname "$0")/lib.sh"

ESBUILD=$GB/esbuild-linux-64-0.6.34          # go1.15, pointer form
AMD64=$GB/go-get-folder-size-0.5.5-linux_amd64_v1 # go1.22.1, inline form
I386=$GB/go-get-folder-size-0.5.5-linux_386
DARWIN=$GB/go-get-folder-size-0.5.5-darwin_arm64

# Facts of a fixture tree with RLIMIT_MEMLOCK set (bytes, "unlimited" or
# none), saved as a customer would send them.
case $CASE in
text)
	facts_of this-machine '."limits.memlock" = 8388608'
	run 0 "$QUIRK" gobin --facts "$TMP/facts.json" "$ESBUILD" "$AMD64"
	out_has "$ESBUILD: ELF x86_64 (linux, from the headers), go1.15"
	out_has "    module:      github.com/evanw/esbuild (devel)"
	out_has "    Go runtime:  locks each thread's signal-stack page on Linux 5.2 to 5.4.1 (not on Ubuntu's 5.4 kernels)"
	out_has "    this host:   linux-sigframe-avx-corruption not_affected; kernel 6.18.44-fc-v669, memlock 8 MiB"
	out_has "    verdict:     OK: this kernel is not affected: nothing to do"
	out_has "$AMD64: ELF x86_64 (linux), go1.22.1"
	out_has "    module:      github.com/markthree/go-get-folder-size (devel)"
	out_has "    Go runtime:  no workaround (removed in Go 1.16)" ;;
json)
	facts_of arch-5.4.1 '."limits.memlock" = 65536'
	run 1 "$QUIRK" gobin --json --facts "$TMP/facts.json" "$ESBUILD" "$I386"
	jq_true 'length == 2'
	jq_true '.[0] | .format == "ELF" and .arch == "x86_64" and .goos == "linux" and .goos_inferred
		and .build_info == "pointer" and .go_version == "go1.15"
		and .main_package == "github.com/evanw/esbuild/cmd/esbuild"
		and .module == {"path": "github.com/evanw/esbuild", "version": "(devel)"} and .settings == []
		and .workaround.variant == "note-skips-ubuntu" and .workaround.applies_here == true
		and .host.verdict == "affected" and .host.kernel_release == "5.4.1-arch1-1"
		and .host.memlock == 65536 and .risk == "at_risk"
		and (.summary | contains("covers only 16 threads"))'
	jq_true '.[1] | .arch == "i386" and (.goos_inferred|not) and .build_info == "inline"
		and (.settings | index("GOARCH=386")) != null and .workaround.variant == "removed"
		and .workaround.applies_here == false and .risk == "at_risk"
		and (.summary | contains("this Go has no workaround"))' ;;
affected_small_memlock)
	# Arch's 5.4.1 built by GCC 9: the bug. A 64 KiB limit covers 16 threads.
	facts_of arch-5.4.1 '."limits.memlock" = 65536'
	run 1 "$QUIRK" gobin --facts "$TMP/facts.json" "$ESBUILD"
	out_has "this host:   linux-sigframe-avx-corruption affected; kernel 5.4.1-arch1-1, memlock 64 KiB"
	out_has "verdict:     AT RISK: this kernel is affected; memlock 64 KiB covers only 16 threads, a 4 KiB page each (root aside): threads past that run unprotected"
	out_has '"runtime: note: mlock workaround for kernel bug failed with errno 12"'
	out_has "ulimit -l 65536" ;;
affected_enough_memlock)
	facts_of arch-5.4.1 '."limits.memlock" = "unlimited"'
	run 0 "$QUIRK" gobin --facts "$TMP/facts.json" "$ESBUILD"
	out_has "memlock unlimited is enough, so the lock succeeds and protects Go's signal stacks; update the kernel all the same"
	# Go 1.16 and later: no workaround, whatever the limit.
	run 1 "$QUIRK" gobin --facts "$TMP/facts.json" "$ESBUILD" "$AMD64"
	out_has "AT RISK: this kernel is affected and this Go has no workaround: signals can corrupt AVX registers, and so memory, silently" ;;
ubuntu_patched)
	# Ubuntu 20.04's 5.4.0-26 is patched; Go 1.15 does not lock there.
	facts_of ubuntu-20.04-5.4.0-26 '."limits.memlock" = 65536'
	run 0 "$QUIRK" gobin --json --facts "$TMP/facts.json" "$ESBUILD"
	jq_true '.[0] | .host.verdict == "not_affected" and .workaround.applies_here == false and .risk == "ok"
		and .summary == "this kernel is not affected: nothing to do"' ;;
memlock_unknown)
	# An affected kernel and no limit known: protected or not, nobody can say.
	facts_of arch-5.4.1
	run 3 "$QUIRK" gobin --facts "$TMP/facts.json" "$ESBUILD"
	out_has "UNKNOWN: this kernel is affected; the memlock limit (ulimit -l) is not known" ;;
macho)
	facts_of arch-5.4.1 '."limits.memlock" = 0'
	run 0 "$QUIRK" gobin --facts "$TMP/facts.json" "$DARWIN"
	out_has "$DARWIN: Mach-O arm64 (darwin), go1.22.1"
	out_has "OK: a darwin/arm64 binary: the kernel bug and Go's workaround concern Linux x86 programs only" ;;
this_host)
	# Facts of this machine: whatever its kernel, a verdict and a host line.
	"$QUIRK" gobin "$ESBUILD" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	case $rc in 0|1|3) ;; *) fail "exit $rc: $(cat "$TMP/err")" ;; esac
	out_has "this host:   linux-sigframe-avx-corruption"
	out_has "verdict:     " ;;
not_go)
	printf 'PRETTY_NAME="Debian"\n' >"$TMP/text"
	: >"$TMP/empty"
	run 2 "$QUIRK" gobin "$TMP/text" "$TMP/empty" "$QUIRK" "$FX/macho/ninja"
	err_has "quirk: $TMP/text: not an ELF or Mach-O file (starts with 0x50524554)"
	err_has "quirk: $TMP/empty: not an ELF or Mach-O file (0 bytes)"
	err_has "quirk: $QUIRK: no Go build info (no \"\\xff Go buildinf:\" header in its data)"
	err_has "quirk: $FX/macho/ninja: no Go build info"
	out_empty ;;
unreadable)
	run 2 "$QUIRK" gobin "$TMP/none" "$ESBUILD"
	err_has "quirk: $TMP/none: No such file or directory"
	out_has "$ESBUILD: ELF x86_64"
	run 2 "$QUIRK" gobin "$GB"; err_has "quirk: $GB: is a directory"
	# With --json the good file is not printed as half an answer.
	run 2 "$QUIRK" gobin --json "$ESBUILD" "$TMP/none"
	err_has "$TMP/none"; out_empty ;;
truncated)
	head -c 1000000 "$ESBUILD" >"$TMP/esbuild"
	run 2 "$QUIRK" gobin "$TMP/esbuild"
	err_has "quirk: $TMP/esbuild: malformed ELF file: section name table (section 3, offset 3466848, size 165) lies outside the file (1000000 bytes)"
	# The blob's module info length made absurd (2^28 - 1).
	cp "$AMD64" "$TMP/amd64"
	printf '\377\377\377\177' | dd of="$TMP/amd64" bs=1 seek=$((0x14b029)) conv=notrunc 2>/dev/null
	run 2 "$QUIRK" gobin --json "$TMP/amd64"
	err_has "quirk: $TMP/amd64: no Go build info: the module info claims 268435455 bytes"
	out_empty ;;
project_scan)
	# Go binaries at the top of the project and in bin/; others left out.
	mkdir -p "$TMP/proj/bin"
	cp "$ESBUILD" "$TMP/proj/bin/server"
	cp "$AMD64" "$TMP/proj/folder-size"
	cp "$QUIRK" "$TMP/proj/bin/not-go"
	cp "$I386" "$TMP/proj/lib386" && chmod 644 "$TMP/proj/lib386"
	run 0 "$QUIRK" facts --json --root "$FX/roots/this-machine" --project "$TMP/proj"
	jq_true '."project.go.binaries" == ["bin/server go1.15", "folder-size go1.22.1"]'
	run 0 "$QUIRK" facts --keys
	out_has "project.go.binaries" ;;
no_path)
	run 2 "$QUIRK" gobin; err_has "PATH" ;;
*)
	fail "unknown case" ;;
esac
exit 0
