/* test_gobuildinfo.c - Go build info of real binaries, damaged copies of them, and what Go's mlock workaround means on a host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "probes/gobuildinfo.h"
#include "probes/gomlock.h"

#define AMD64 "go-get-folder-size-0.5.5-linux_amd64_v1"
#define I386 "go-get-folder-size-0.5.5-linux_386"
#define DARWIN "go-get-folder-size-0.5.5-darwin_arm64"
#define ESBUILD "esbuild-linux-64-0.6.34"
#define MODULE "github.com/markthree/go-get-folder-size"

static char *gobin_path(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", GOBIN_FIXTURES, name);
	return path;
}

static struct img load(const char *name)
{
	return img_load(GOBIN_FIXTURES, name);
}

static void put_le(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Parses im expecting status st with msg in the detail; nothing left behind. */
static void expect_error(const struct img *im, enum status st, const char *msg)
{
	struct gobuildinfo bi;
	struct diag d = {""};

	assert_int_equal(gobuildinfo_parse(im->p, im->n, "bad", &bi, &d), st);
	if (!strstr(d.msg, msg))
		fail_msg("\"%s\" lacks \"%s\"", d.msg, msg);
	assert_null(bi.version);
	assert_null(bi.settings);
}

static void inline_elf(void **state)
{
	struct gobuildinfo bi;
	struct diag d = {""};

	(void)state;
	assert_int_equal(gobuildinfo_read_file(gobin_path(AMD64), &bi, &d), STATUS_OK);
	assert_string_equal(bi.format, "ELF");
	assert_string_equal(bi.arch, "x86_64");
	assert_string_equal(bi.version, "go1.22.1");
	assert_true(bi.inline_strings);
	assert_string_equal(bi.path, MODULE);
	assert_string_equal(bi.mod_path, MODULE);
	assert_string_equal(bi.mod_version, "(devel)");
	assert_int_equal(bi.nsettings, 12);
	assert_string_equal(bi.settings[0], "-buildmode=exe");
	assert_string_equal(gobuildinfo_setting(&bi, "GOARCH"), "amd64");
	assert_string_equal(gobuildinfo_setting(&bi, "vcs.revision"), "885d1d52f5610dbd7ec93a4a0d7168e66e7907f1");
	assert_string_equal(gobuildinfo_setting(&bi, "DefaultGODEBUG"),
			    "httplaxcontentlength=1,httpmuxgo121=1,tls10server=1,tlsrsakex=1,tlsunsafeekm=1");
	assert_null(gobuildinfo_setting(&bi, "GOARM"));
	assert_string_equal(bi.goos, "linux");
	assert_false(bi.goos_inferred);
	gobuildinfo_free(&bi);
	gobuildinfo_free(&bi);

	assert_int_equal(gobuildinfo_read_file(gobin_path(I386), &bi, &d), STATUS_OK);
	assert_string_equal(bi.arch, "i386");
	assert_string_equal(bi.version, "go1.22.1");
	assert_string_equal(gobuildinfo_setting(&bi, "GOARCH"), "386");
	gobuildinfo_free(&bi);
}

static void pointer_elf(void **state)
{
	struct gobuildinfo bi;
	struct diag d = {""};

	(void)state;
	assert_int_equal(gobuildinfo_read_file(gobin_path(ESBUILD), &bi, &d), STATUS_OK);
	assert_string_equal(bi.version, "go1.15");
	assert_false(bi.inline_strings);
	assert_string_equal(bi.path, "github.com/evanw/esbuild/cmd/esbuild");
	assert_string_equal(bi.mod_path, "github.com/evanw/esbuild");
	assert_string_equal(bi.mod_version, "(devel)");
	assert_int_equal(bi.nsettings, 0);
	assert_string_equal(bi.goos, "linux");
	assert_true(bi.goos_inferred);
	gobuildinfo_free(&bi);
}

static void macho(void **state)
{
	struct img im = load(DARWIN);
	struct gobuildinfo bi;
	struct diag d = {""};

	(void)state;
	assert_int_equal(gobuildinfo_parse(im.p, im.n, DARWIN, &bi, &d), STATUS_OK);
	assert_string_equal(bi.format, "Mach-O");
	assert_string_equal(bi.arch, "arm64");
	assert_string_equal(bi.version, "go1.22.1");
	assert_string_equal(bi.goos, "darwin");
	assert_false(bi.goos_inferred);
	assert_string_equal(bi.mod_path, MODULE);
	gobuildinfo_free(&bi);
	/* Without the section, the writable segments are searched (the blob
	 * is in __DATA, after __DATA_CONST). */
	for (size_t i = 0; i < 4096; i++)
		if (!memcmp(im.p + i, "__go_buildinfo", 14))
			memcpy(im.p + i, "__xx_buildinfo", 14);
	assert_int_equal(gobuildinfo_parse(im.p, im.n, DARWIN, &bi, &d), STATUS_OK);
	assert_string_equal(bi.version, "go1.22.1");
	gobuildinfo_free(&bi);
	free(im.p);
}

static void not_go(void **state)
{
	struct img text = {(unsigned char *)"PRETTY_NAME=\"Debian\"\n", 21};
	struct img empty = {NULL, 0};
	struct gobuildinfo bi;
	struct diag d = {""};
	char *ninja = NULL;
	size_t n = 0;
	char path[4096];

	(void)state;
	expect_error(&text, STATUS_ERR_NOT_GO, "bad: not an ELF or Mach-O file (starts with 0x50524554)");
	expect_error(&empty, STATUS_ERR_NOT_GO, "bad: not an ELF or Mach-O file (0 bytes)");
	/* A real Mach-O that is not Go: ninja. */
	snprintf(path, sizeof(path), "%s/macho/ninja", FIXTURES);
	assert_int_equal(fileio_read(path, 1 << 24, &ninja, &n, NULL), STATUS_OK);
	assert_int_equal(gobuildinfo_parse((unsigned char *)ninja, n, "ninja", &bi, &d), STATUS_ERR_NOT_GO);
	assert_string_equal(d.msg, "ninja: no Go build info (no \"\\xff Go buildinf:\" header in its data)");
	free(ninja);
	assert_int_equal(gobuildinfo_read_file(FIXTURES, &bi, &d), STATUS_ERR_IO);
	assert_non_null(strstr(d.msg, "is a directory"));
}

/* Damaged blobs: each must be a clean "no Go build info" naming where it broke. */
static void damaged_blobs(void **state)
{
	struct img im = load(AMD64), es = load(ESBUILD);
	unsigned char *blob = im.p + 0x14b000, *eblob = es.p + 0x461000, orig[64];

	(void)state;
	memcpy(orig, blob, sizeof(orig));
#define RESET() memcpy(blob, orig, sizeof(orig))
	memset(blob, 0, 14);
	expect_error(&im, STATUS_ERR_NOT_GO, "no \"\\xff Go buildinf:\" header");
	RESET();
	blob[32] = 0xff, blob[33] = 0x7f; /* version length 16383 */
	expect_error(&im, STATUS_ERR_NOT_GO, "the version string claims 16383 bytes (at most 256)");
	RESET();
	blob[32] = 0;
	expect_error(&im, STATUS_ERR_NOT_GO, "the version string is empty");
	RESET();
	blob[36] = 0; /* "go1\0" */
	expect_error(&im, STATUS_ERR_NOT_GO, "the version string is not text");
	RESET();
	blob[41] = 0xff, blob[42] = 0xff, blob[43] = 0xff, blob[44] = 0x7f; /* module info length 2^28-1 */
	expect_error(&im, STATUS_ERR_NOT_GO, "the module info claims 268435455 bytes (at most 4194304)");
	RESET();
	blob[41] = 0xf0, blob[42] = 0xff, blob[43] = 0x3f; /* 1048560: past the data segment's file data */
	expect_error(&im, STATUS_ERR_NOT_GO,
		     "the module info (1048560 bytes at 0x54b02c) runs past the end of its segment");
	RESET();
	memset(blob + 41, 0xff, 10); /* not a varint */
	expect_error(&im, STATUS_ERR_NOT_GO, "the module info length (at 0x54b029) is not a varint");
#undef RESET

	eblob[14] = 3;
	expect_error(&es, STATUS_ERR_NOT_GO, "pointer size 3 (not 4 or 8)");
	eblob[14] = 8;
	put_le(eblob + 16, 0x10, 8); /* the version's string header: unmapped */
	expect_error(&es, STATUS_ERR_NOT_GO, "the version string (address 0x10) is not in the file's data");
	free(im.p);
	free(es.p);
}

/* A parse: a clean status, and an empty result on error. */
static void parse_checked(const unsigned char *p, size_t n, const char *name)
{
	struct gobuildinfo bi;
	struct diag d = {""};
	enum status st = gobuildinfo_parse(p, n, name, &bi, &d);

	if (st != STATUS_OK && st != STATUS_ERR_NOT_GO && st != STATUS_ERR_ELF && st != STATUS_ERR_MACHO)
		fail_msg("%s (%zu bytes): status %d: %s", name, n, st, d.msg);
	if (st != STATUS_OK) {
		assert_null(bi.version);
		assert_true(strstr(d.msg, name) == d.msg);
	} else {
		assert_non_null(bi.version);
	}
	gobuildinfo_free(&bi);
}

/* The same on a prefix in an allocation of its own, so ASan sees a read past it. */
static void parse_copy(const unsigned char *p, size_t n, const char *name)
{
	unsigned char *copy = malloc(n ? n : 1);

	memcpy(copy, p, n);
	parse_checked(copy, n, name);
	free(copy);
}

/* Every prefix of the first 4 KiB, 256 spread further, and every length
 * through the Mach-O's build info blob; then every byte of the headers
 * and of the blob flipped in turn. */
static void truncated_and_corrupted(void **state)
{
	const char *names[] = {AMD64, I386, ESBUILD, DARWIN};
	const size_t blobs[] = {0x14b000, 0x13b000, 0x461000, 0x14c000};

	(void)state;
	for (size_t f = 0; f < 4; f++) {
		struct img im = load(names[f]);
		for (size_t cut = 0; cut < 4096; cut++)
			parse_copy(im.p, cut, names[f]);
		for (size_t k = 0; k < 256; k++)
			parse_copy(im.p, 4096 + (im.n - 4096) / 256 * k, names[f]);
		for (size_t cut = blobs[f]; cut < blobs[f] + 0x240 && f == 3; cut++)
			parse_copy(im.p, cut, names[f]);
		for (size_t at = 0; at < 4096 + 0x240; at++) {
			size_t i = at < 4096 ? at : blobs[f] + at - 4096;
			im.p[i] ^= 0xff;
			parse_checked(im.p, im.n, names[f]);
			im.p[i] ^= 0xff;
		}
		free(im.p);
	}
}

static void variants(void **state)
{
	static const struct {
		const char *v;
		enum gomlock_variant want;
	} cases[] = {
		{"go1.13.8", GOMLOCK_BEFORE},    {"go1.4", GOMLOCK_BEFORE},
		{"go1.14", GOMLOCK_FATAL},       {"go1.14beta1", GOMLOCK_FATAL},
		{"go1.14rc2", GOMLOCK_FATAL},    {"go1.14.0", GOMLOCK_FATAL},
		{"go1.14.1", GOMLOCK_NOTE},      {"go1.14.15", GOMLOCK_NOTE},
		{"go1.15beta1", GOMLOCK_NOTE},   {"go1.15rc1", GOMLOCK_UNKNOWN},
		{"go1.15", GOMLOCK_NOTE_UBUNTU}, {"go1.15.15", GOMLOCK_NOTE_UBUNTU},
		{"go1.16", GOMLOCK_REMOVED},     {"go1.16beta1", GOMLOCK_REMOVED},
		{"go1.22.1", GOMLOCK_REMOVED},   {"go1.20.5 X:boringcrypto", GOMLOCK_REMOVED},
		{"devel go1.18-e1c1c3b Mon Dec 6 2021", GOMLOCK_UNKNOWN},
		{"devel +b7a85e0003 Tue Jan 7 2020", GOMLOCK_UNKNOWN},
		{"go2.0", GOMLOCK_UNKNOWN},      {"go1", GOMLOCK_UNKNOWN},
		{"go1.x", GOMLOCK_UNKNOWN},      {"", GOMLOCK_UNKNOWN},
		{"go1.14.", GOMLOCK_UNKNOWN},    {"go1.15_x", GOMLOCK_UNKNOWN},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (gomlock_variant(cases[i].v) != cases[i].want)
			fail_msg("%s: variant %s, want %s", cases[i].v,
				 gomlock_variant_name(gomlock_variant(cases[i].v)), gomlock_variant_name(cases[i].want));
}

static void applies(void **state)
{
	(void)state;
	/* The runtime's ranges: 5.2.x, 5.3.0-5.3.14, 5.4.0-5.4.1, by uname -r only. */
	assert_int_equal(gomlock_applies(GOMLOCK_NOTE, "5.4.1-arch1-1", false), GOMLOCK_YES);
	assert_int_equal(gomlock_applies(GOMLOCK_NOTE, "5.4.2", false), GOMLOCK_NO);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "5.3.14", false), GOMLOCK_YES);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "5.3.15", false), GOMLOCK_NO);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "5.2.0", false), GOMLOCK_YES);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "5.2.21-1-MANJARO", false), GOMLOCK_YES);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "5.5.0", false), GOMLOCK_NO);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "4.19.0-9-amd64", false), GOMLOCK_NO);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "6.18.44-fc-v669", false), GOMLOCK_NO);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "5.4", false), GOMLOCK_YES);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "5.4.0.1", false), GOMLOCK_YES);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "5.4_x", false), GOMLOCK_NO);
	assert_int_equal(gomlock_applies(GOMLOCK_FATAL, "5.4.", false), GOMLOCK_NO);
	/* Go 1.15 skips Ubuntu's 5.4 kernels, not its 5.3 ones; 1.14.x skips none. */
	assert_int_equal(gomlock_applies(GOMLOCK_NOTE_UBUNTU, "5.4.0-26-generic", true), GOMLOCK_NO);
	assert_int_equal(gomlock_applies(GOMLOCK_NOTE_UBUNTU, "5.4.0-26-generic", false), GOMLOCK_YES);
	assert_int_equal(gomlock_applies(GOMLOCK_NOTE_UBUNTU, "5.3.0-40-generic", true), GOMLOCK_YES);
	assert_int_equal(gomlock_applies(GOMLOCK_NOTE, "5.4.0-26-generic", true), GOMLOCK_YES);
	assert_int_equal(gomlock_applies(GOMLOCK_REMOVED, "5.4.1", false), GOMLOCK_NO);
	assert_int_equal(gomlock_applies(GOMLOCK_BEFORE, "5.4.1", false), GOMLOCK_NO);
	assert_int_equal(gomlock_applies(GOMLOCK_NOTE, NULL, false), GOMLOCK_UNSURE);
	assert_int_equal(gomlock_applies(GOMLOCK_UNKNOWN, "5.4.1", false), GOMLOCK_UNSURE);
}

/* A host: "KERNEL;RELEASE;MEMLOCK" with KERNEL y/n/? (the KB's verdict),
 * RELEASE or "-" (unknown), MEMLOCK bytes, "u" (unlimited) or "-". */
static void judge(const char *version, const char *goos, const char *arch, const char *host,
		  enum gomlock_risk want, const char *text)
{
	struct gomlock_host h = {goos, arch, GOMLOCK_UNSURE, NULL, false, false, false, 0};
	struct gomlock_judgement j;
	char rel[64] = "", ml[32] = "";

	h.kernel_affected = host[0] == 'y' ? GOMLOCK_YES : host[0] == 'n' ? GOMLOCK_NO : GOMLOCK_UNSURE;
	sscanf(host + 2, "%63[^;];%31s", rel, ml);
	h.release = strcmp(rel, "-") ? rel : NULL;
	h.ubuntu = strstr(rel, "generic") != NULL;
	h.memlock_known = strcmp(ml, "-") != 0;
	h.memlock_unlimited = !strcmp(ml, "u");
	h.memlock = h.memlock_known && !h.memlock_unlimited ? atof(ml) : 0;
	gomlock_judge(version, &h, &j);
	if (j.risk != want || !strstr(j.text, text))
		fail_msg("%s on %s: risk %d (want %d): %s (want \"%s\")", version, host, j.risk, want, j.text, text);
}

static void judgements(void **state)
{
	(void)state;
	/* Go 1.14 on an affected kernel, 64 KiB: dies once past 16 threads. */
	judge("go1.14", "linux", "x86_64", "y;5.4.1-arch1-1;65536", GOMLOCK_AT_RISK,
	      "memlock 64 KiB covers only 16 threads, a 4 KiB page each (root aside): the program dies with "
	      "\"runtime: mlock of signal stack failed: 12\"");
	/* ... and on a patched Ubuntu kernel too: it judges by the number. */
	judge("go1.14", "linux", "x86_64", "n;5.4.0-26-generic;65536", GOMLOCK_AT_RISK,
	      "rebuild with Go 1.14.1 or later");
	judge("go1.14", "linux", "x86_64", "n;5.4.0-26-generic;0", GOMLOCK_AT_RISK, "covers no thread's");
	judge("go1.14", "linux", "x86_64", "n;5.4.0-26-generic;u", GOMLOCK_OK, "so the lock succeeds");
	judge("go1.14", "linux", "x86_64", "n;5.4.0-26-generic;-", GOMLOCK_RISK_UNKNOWN, "the program dies if the lock fails");
	judge("go1.14", "linux", "x86_64", "?;5.4.1;67108864", GOMLOCK_OK, "memlock 64 MiB is enough");
	/* 1.14.x: a failed lock leaves threads unprotected on an affected kernel. */
	judge("go1.14.2", "linux", "x86_64", "y;5.4.1-arch1-1;65536", GOMLOCK_AT_RISK,
	      "threads past that run unprotected");
	judge("go1.14.2", "linux", "i386", "y;5.3.13-300.fc31.x86_64;u", GOMLOCK_OK, "update the kernel all the same");
	judge("go1.14.2", "linux", "x86_64", "n;5.4.0-26-generic;65536", GOMLOCK_OK,
	      "a misleading \"runtime: note: your Linux kernel may be buggy\"");
	judge("go1.14.2", "linux", "x86_64", "?;5.4.1;65536", GOMLOCK_RISK_UNKNOWN, "would run unprotected");
	judge("go1.14.2", "linux", "x86_64", "y;5.4.1;-", GOMLOCK_RISK_UNKNOWN, "is not known");
	/* 1.15 leaves Ubuntu's 5.4 alone. */
	judge("go1.15", "linux", "x86_64", "n;5.4.0-26-generic;65536", GOMLOCK_OK, "this kernel is not affected: nothing to do");
	/* No workaround: at risk exactly when the kernel is affected. */
	judge("go1.16.3", "linux", "x86_64", "y;5.4.1;u", GOMLOCK_AT_RISK, "this Go has no workaround");
	judge("go1.13.8", "linux", "x86_64", "y;5.3.7;u", GOMLOCK_AT_RISK, "this Go has no workaround");
	judge("go1.22.1", "linux", "x86_64", "n;6.18.44-fc-v669;8388608", GOMLOCK_OK, "nothing to do");
	judge("go1.22.1", "linux", "x86_64", "?;5.4.1;u", GOMLOCK_RISK_UNKNOWN, "if it has, this program is unprotected");
	/* Not a Linux x86 program. */
	judge("go1.14", "darwin", "arm64", "y;5.4.1;0", GOMLOCK_OK, "a darwin/arm64 binary");
	judge("go1.14", "linux", "arm64", "y;5.4.1;0", GOMLOCK_OK, "Linux x86 programs only");
	/* Unknown releases. */
	judge("devel +b7a85e0003", "linux", "x86_64", "n;6.1.0;-", GOMLOCK_OK, "nothing to do");
	judge("devel +b7a85e0003", "linux", "x86_64", "n;5.4.0-26-generic;-", GOMLOCK_RISK_UNKNOWN,
	      "which Go release built it is not known");
	judge("go1.15.2", "linux", "x86_64", "?;-;u", GOMLOCK_RISK_UNKNOWN, "the kernel release is not known");
}

static void scan_dir(void **state)
{
	char dir[] = "/tmp/quirk-gobin-XXXXXX", cmd[8192];
	struct facts f;
	struct diag d = {""};
	const struct fact *x;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* bin/server: Go; tool: Go; notes.txt (executable text) and a
	 * non-executable Go binary are left out; a directory named like a binary too. */
	snprintf(cmd, sizeof(cmd),
		 "mkdir %1$s/bin %1$s/dir.exe && cp %2$s/" ESBUILD " %1$s/bin/server && cp %2$s/" AMD64
		 " %1$s/tool && cp %2$s/" I386 " %1$s/lib386 && chmod 644 %1$s/lib386 && printf '#!/bin/sh\\n' "
		 ">%1$s/notes.txt && chmod 755 %1$s/notes.txt",
		 dir, GOBIN_FIXTURES);
	assert_int_equal(system(cmd), 0);
	facts_init(&f);
	assert_int_equal(gobuildinfo_scan_dir(dir, &f, &d), STATUS_OK);
	x = facts_get(&f, "project.go.binaries");
	assert_non_null(x);
	assert_int_equal(x->type, FACT_LIST);
	assert_int_equal(x->nlist, 2);
	assert_true(facts_list_has(&f, "project.go.binaries", "bin/server go1.15"));
	assert_true(facts_list_has(&f, "project.go.binaries", "tool go1.22.1"));
	facts_free(&f);
	facts_init(&f);
	snprintf(cmd, sizeof(cmd), "%s/none", dir);
	assert_int_equal(gobuildinfo_scan_dir(cmd, &f, &d), STATUS_ERR_IO);
	assert_non_null(strstr(d.msg, "/none: cannot read the directory"));
	facts_free(&f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inline_elf),    cmocka_unit_test(pointer_elf),
		cmocka_unit_test(macho),         cmocka_unit_test(not_go),
		cmocka_unit_test(damaged_blobs), cmocka_unit_test(truncated_and_corrupted),
		cmocka_unit_test(variants),      cmocka_unit_test(applies),
		cmocka_unit_test(judgements),    cmocka_unit_test(scan_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
