/* test_elf.c - the ELF reader on real Go executables, and on damaged and hostile copies of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>
#include <zlib.h>

#include "helpers.h"
#include "probes/elf.h"

#define AMD64 "go-get-folder-size-0.5.5-linux_amd64_v1"
#define I386 "go-get-folder-size-0.5.5-linux_386"
#define ESBUILD "esbuild-linux-64-0.6.34"
/* Dynamically linked programs from Debian 12 (tests/fixtures/elf). */
#define XZ "xz-5.4.1-debian12-amd64.gz"
#define TRUE "true-coreutils-9.1-debian12-amd64.gz"

static struct img load(const char *name)
{
	return img_load(GOBIN_FIXTURES, name);
}

static uint64_t le(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void put_le(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_be(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

/* Parses im expecting STATUS_ERR_ELF with msg in the detail, and nothing left behind. */
static void expect_bad(const struct img *im, const char *msg)
{
	struct elf_info ei;
	struct diag d = {""};

	assert_int_equal(elf_parse(im->p, im->n, "bad", &ei, &d), STATUS_ERR_ELF);
	if (!strstr(d.msg, msg))
		fail_msg("\"%s\" lacks \"%s\"", d.msg, msg);
	assert_null(ei.sections);
	assert_null(ei.segments);
	assert_null(ei.names);
}

static void amd64_headers(void **state)
{
	struct img im = load(AMD64);
	struct elf_info ei;
	struct diag d = {""};
	const struct elf_section *s;
	uint64_t off, avail;

	(void)state;
	assert_int_equal(elf_parse(im.p, im.n, AMD64, &ei, &d), STATUS_OK);
	assert_true(ei.is64);
	assert_false(ei.big_endian);
	assert_string_equal(ei.arch, "x86_64");
	assert_int_equal(ei.machine, 62);
	assert_int_equal(ei.type, 2); /* ET_EXEC */
	s = elf_section_named(&ei, ".go.buildinfo");
	assert_non_null(s);
	assert_int_equal(s->addr, 0x54b000);
	assert_int_equal(s->offset, 0x14b000);
	assert_int_equal(s->size, 0x220);
	assert_non_null(elf_section_named(&ei, ".text"));
	assert_null(elf_section_named(&ei, ".no-such"));
	assert_true(elf_addr_to_offset(&ei, 0x54b000, &off, &avail));
	assert_int_equal(off, 0x14b000);
	assert_true(avail >= 0x220);
	assert_false(elf_addr_to_offset(&ei, 0x10, &off, &avail));
	elf_info_free(&ei);
	elf_info_free(&ei); /* twice is safe */
	free(im.p);
}

static void i386_and_esbuild(void **state)
{
	struct img im = load(I386);
	struct elf_info ei;
	struct diag d = {""};

	(void)state;
	assert_int_equal(elf_parse(im.p, im.n, I386, &ei, &d), STATUS_OK);
	assert_false(ei.is64);
	assert_string_equal(ei.arch, "i386");
	assert_int_equal(elf_section_named(&ei, ".go.buildinfo")->offset, 0x13b000);
	elf_info_free(&ei);
	free(im.p);
	im = load(ESBUILD);
	assert_int_equal(elf_parse(im.p, im.n, ESBUILD, &ei, &d), STATUS_OK);
	assert_int_equal(elf_section_named(&ei, ".go.buildinfo")->addr, 0x861000);
	assert_int_equal(elf_section_named(&ei, ".go.buildinfo")->size, 0x20);
	elf_info_free(&ei);
	free(im.p);
}

/* The i386 image in big-endian byte order: every header field swapped
 * (as on 32-bit MIPS or PowerPC); the reader must see the same tables. */
static void big_endian(void **state)
{
	struct img im = load(I386);
	static const unsigned ehdr[] = {2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 2, 2, 2}; /* from offset 16 */
	uint64_t phoff = le(im.p + 28, 4), shoff = le(im.p + 32, 4);
	unsigned phnum = (unsigned)le(im.p + 44, 2), shnum = (unsigned)le(im.p + 48, 2);
	struct elf_info ei;
	struct diag d = {""};
	size_t pos = 16;

	(void)state;
	for (unsigned i = 0; i < phnum * 8; i++)
		put_be(im.p + phoff + 4 * i, le(im.p + phoff + 4 * i, 4), 4);
	for (unsigned i = 0; i < shnum * 10; i++)
		put_be(im.p + shoff + 4 * i, le(im.p + shoff + 4 * i, 4), 4);
	for (size_t i = 0; i < sizeof(ehdr) / sizeof(ehdr[0]); pos += ehdr[i++])
		put_be(im.p + pos, le(im.p + pos, ehdr[i]), ehdr[i]);
	im.p[5] = 2; /* ELFDATA2MSB */
	assert_int_equal(elf_parse(im.p, im.n, "be", &ei, &d), STATUS_OK);
	assert_true(ei.big_endian);
	assert_string_equal(ei.arch, "i386");
	assert_int_equal(ei.nsections, shnum);
	assert_int_equal(ei.nsegments, phnum);
	assert_int_equal(elf_section_named(&ei, ".go.buildinfo")->offset, 0x13b000);
	elf_info_free(&ei);
	free(im.p);
}

static void not_elf(void **state)
{
	struct elf_info ei;
	struct diag d = {""};

	(void)state;
	assert_int_equal(elf_parse((const unsigned char *)"PRETTY_NAME=x", 13, "t", &ei, &d), STATUS_ERR_NOT_ELF);
	assert_string_equal(d.msg, "t: not an ELF file");
	assert_int_equal(elf_parse(NULL, 0, "e", &ei, &d), STATUS_ERR_NOT_ELF);
	assert_string_equal(d.msg, "e: not an ELF file (0 bytes)");
	assert_int_equal(elf_parse((const unsigned char *)"\x7f" "ELF\x02", 5, "short", &ei, &d), STATUS_ERR_ELF);
	assert_string_equal(d.msg, "short: malformed ELF file: truncated e_ident (5 bytes)");
}

/* Hostile header fields, each on a fresh copy of the amd64 binary. */
static void hostile(void **state)
{
	struct img im = load(AMD64);
	unsigned char *orig = malloc(im.n);
	uint64_t shoff = le(im.p + 40, 8);
	unsigned shstrndx = (unsigned)le(im.p + 62, 2);
	unsigned char *names_hdr = im.p + shoff + 64 * shstrndx;
	struct elf_info ei;
	struct diag d = {""};

	(void)state;
	assert_non_null(orig);
	memcpy(orig, im.p, im.n);
#define RESET() memcpy(im.p, orig, im.n)
	im.p[4] = 3;
	expect_bad(&im, "unknown class 3");
	RESET();
	im.p[5] = 0;
	expect_bad(&im, "unknown byte order 0");
	RESET();
	put_le(im.p + 62, 999, 2);
	expect_bad(&im, "e_shstrndx 999 is out of range (");
	RESET();
	put_le(im.p + 40, UINT64_MAX - 10, 8);
	expect_bad(&im, "section headers at offset 18446744073709551605 run past the end of the file");
	RESET();
	put_le(im.p + 32, im.n - 8, 8);
	expect_bad(&im, "program headers at offset");
	RESET();
	put_le(im.p + 58, 0, 2);
	expect_bad(&im, "section header size 0 is smaller than 64");
	RESET();
	put_le(im.p + 54, 12, 2);
	expect_bad(&im, "program header size 12 is smaller than 56");
	RESET();
	/* Extended numbering: e_shnum 0 sends the reader to section 0's size. */
	put_le(im.p + 60, 0, 2);
	put_le(im.p + shoff + 32, 0xffffffffffull, 8);
	expect_bad(&im, "1099511627775 section headers (at most 4096)");
	RESET();
	put_le(im.p + 56, 0xffff, 2); /* PN_XNUM: the count is section 0's sh_info */
	put_le(im.p + shoff + 44, 5000, 4);
	expect_bad(&im, "5000 program headers (at most 1024)");
	RESET();
	put_le(names_hdr + 24, im.n - 4, 8); /* the name table's offset */
	expect_bad(&im, "section name table (section");
	RESET();
	put_le(names_hdr + 32, (uint64_t)ELF_MAX_SHSTRTAB + 1, 8);
	expect_bad(&im, "lies outside the file");
	RESET();
	put_le(im.p + shoff + 64 * 3, 0x7fffffff, 4); /* section 3's name offset */
	expect_bad(&im, "section 3: name offset 2147483647 is past the name table");
	RESET();
	/* A loadable segment whose file data lies past the end: not mapped. */
	put_le(im.p + le(im.p + 32, 8) + 56 * 2 + 8, im.n, 8);
	assert_int_equal(elf_parse(im.p, im.n, "seg", &ei, &d), STATUS_OK);
	for (size_t i = 0; i < ei.nsegments; i++) {
		uint64_t off, avail;
		if (ei.segments[i].type == ELF_PT_LOAD && ei.segments[i].offset == im.n)
			assert_false(elf_addr_to_offset(&ei, ei.segments[i].vaddr, &off, &avail));
	}
	elf_info_free(&ei);
#undef RESET
	free(orig);
	free(im.p);
}

/* Every prefix up to 4 KiB, 512 spread over the rest and the last 256
 * bytes (where the section headers are), each in an allocation of its
 * own so ASan sees a read past it: a clean result, never a crash. */
static void truncations(void **state)
{
	const char *names[] = {AMD64, I386, ESBUILD};

	(void)state;
	for (size_t f = 0; f < 3; f++) {
		struct img im = load(names[f]);
		for (size_t k = 0; k < 4096 + 512 + 256; k++) {
			size_t cut = k < 4096 ? k : k < 4096 + 512 ? 4096 + (im.n - 4096) / 512 * (k - 4096)
								: im.n - (k - 4096 - 512) - 1;
			unsigned char *copy = malloc(cut ? cut : 1);
			struct elf_info ei;
			struct diag d = {""};
			enum status st;
			memcpy(copy, im.p, cut);
			st = elf_parse(copy, cut, names[f], &ei, &d);
			if (st != STATUS_OK && st != STATUS_ERR_ELF && st != STATUS_ERR_NOT_ELF)
				fail_msg("%s cut at %zu: status %d", names[f], cut, st);
			if (st != STATUS_OK) {
				assert_null(ei.sections);
				assert_true(strstr(d.msg, names[f]) == d.msg);
			}
			elf_info_free(&ei);
			free(copy);
		}
		free(im.p);
	}
}

/* A gzip'd fixture of tests/fixtures/elf, unpacked in memory. */
static struct img gz_load(const char *name)
{
	char path[4096];
	struct img im = {NULL, 0};
	size_t cap = 0;
	gzFile gz;
	int r;

	snprintf(path, sizeof(path), "%s/elf/%s", FIXTURES, name);
	gz = gzopen(path, "rb");
	assert_non_null(gz);
	do {
		if (im.n + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 17;
			im.p = realloc(im.p, cap);
			assert_non_null(im.p);
		}
		r = gzread(gz, im.p + im.n, 65536);
		assert_true(r >= 0);
		im.n += (size_t)r;
	} while (r > 0);
	gzclose(gz);
	return im;
}

/* What `readelf -V` says the file needs, "FILE VERSION" per line. */
static char *readelf_needs(const struct img *im)
{
	char tmp[] = "/tmp/quirk-test-elf-XXXXXX", cmd[256], line[512], file[256] = "";
	static char out[16384];
	size_t used = 0;
	int fd = mkstemp(tmp);
	FILE *p;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, im->p, im->n), (ssize_t)im->n);
	close(fd);
	snprintf(cmd, sizeof(cmd), "readelf -V -W %s", tmp);
	p = popen(cmd, "r");
	assert_non_null(p);
	out[0] = '\0';
	while (fgets(line, sizeof(line), p)) {
		const char *f = strstr(line, "File: "), *n = strstr(line, "Name: ");
		if (f)
			sscanf(f + 6, "%255s", file);
		else if (n && file[0])
			used += (size_t)snprintf(out + used, sizeof(out) - used, "%s %.*s\n", file,
						 (int)strcspn(n + 6, " \n"), n + 6);
	}
	assert_int_equal(pclose(p), 0);
	unlink(tmp);
	return out;
}

static void verneed_real(void **state)
{
	static const struct {
		const char *name, *glibc;
		size_t n;
	} rows[] = {{XZ, "2.34", 14}, {TRUE, "2.34", 7}};

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct img im = gz_load(rows[i].name);
		struct elf_info ei;
		struct elf_verneed *v;
		struct diag d = {""};
		char ours[16384], glibc[32];
		size_t n, used = 0;
		assert_int_equal(elf_parse(im.p, im.n, rows[i].name, &ei, &d), STATUS_OK);
		struct binsrc src;
		binsrc_mem(&src, im.p, im.n, rows[i].name);
		if (elf_verneed_read(&src, &ei, &v, &n, &d) != STATUS_OK)
			fail_msg("%s: %s", rows[i].name, d.msg);
		assert_int_equal(n, rows[i].n);
		ours[0] = '\0';
		for (size_t k = 0; k < n; k++)
			used += (size_t)snprintf(ours + used, sizeof(ours) - used, "%s %s\n", v[k].file, v[k].version);
		/* The same needs, in the same order, as binutils reads them. */
		assert_string_equal(ours, readelf_needs(&im));
		assert_true(elf_glibc_required(v, n, glibc, sizeof(glibc)));
		assert_string_equal(glibc, rows[i].glibc);
		elf_verneed_free(v, n);
		elf_info_free(&ei);
		free(im.p);
	}
}

static void glibc_highest(void **state)
{
	struct elf_verneed v[] = {{"libc.so.6", "GLIBC_2.2.5"}, {"libc.so.6", "GLIBC_PRIVATE"},
				  {"libm.so.6", "GLIBC_2.29"},  {"libc.so.6", "GLIBC_2.3.4"},
				  {"libc.so.6", "GLIBC_2.9"},   {"libc.so.6", "GLIBC_ABI_DT_RELR"},
				  {"libc.so.6", "GLIBC_2.28"}};
	struct elf_verneed musl[] = {{"liblzma.so.5", "XZ_5.0"}, {"libc.so.6", "GLIBC_2"}};
	char buf[32];

	(void)state;
	assert_true(elf_glibc_required(v, 7, buf, sizeof(buf)));
	assert_string_equal(buf, "2.29");
	assert_true(elf_glibc_required(v, 1, buf, sizeof(buf)));
	assert_string_equal(buf, "2.2.5");
	assert_false(elf_glibc_required(musl, 2, buf, sizeof(buf)));
	assert_false(elf_glibc_required(NULL, 0, buf, sizeof(buf)));
}

/* Reads the version needs of im, expecting STATUS_ERR_ELF with msg. */
static void expect_bad_verneed(const struct img *im, const char *msg)
{
	struct elf_info ei;
	struct elf_verneed *v = (void *)1;
	struct binsrc src;
	struct diag d = {""};
	size_t n = 1;

	assert_int_equal(elf_parse(im->p, im->n, "bad", &ei, &d), STATUS_OK);
	binsrc_mem(&src, im->p, im->n, "bad");
	assert_int_equal(elf_verneed_read(&src, &ei, &v, &n, &d), STATUS_ERR_ELF);
	if (!strstr(d.msg, msg) || strstr(d.msg, "bad: ") != d.msg)
		fail_msg("\"%s\" lacks \"%s\"", d.msg, msg);
	assert_null(v);
	assert_int_equal(n, 0);
	elf_info_free(&ei);
}

static void verneed_hostile(void **state)
{
	struct img im = gz_load(XZ);
	unsigned char *orig = malloc(im.n), *sh = NULL, *need, *strtab;
	uint64_t shoff = le(im.p + 40, 8);
	unsigned shnum = (unsigned)le(im.p + 60, 2);

	(void)state;
	assert_non_null(orig);
	memcpy(orig, im.p, im.n);
	for (unsigned i = 0; i < shnum && !sh; i++)
		if (le(im.p + shoff + 64 * i + 4, 4) == ELF_SHT_GNU_VERNEED)
			sh = im.p + shoff + 64 * i;
	assert_non_null(sh);
	need = im.p + le(sh + 24, 8);
	strtab = im.p + shoff + 64 * le(sh + 40, 4);
#define RESET() memcpy(im.p, orig, im.n)
	put_le(sh + 40, 999, 4);
	expect_bad_verneed(&im, ".gnu.version_r links to section 999");
	RESET();
	put_le(sh + 24, im.n - 8, 8);
	expect_bad_verneed(&im, "lies outside the file");
	RESET();
	put_le(strtab + 32, UINT64_MAX / 2, 8);
	expect_bad_verneed(&im, "lies outside the file");
	RESET();
	put_le(need, 2, 2);
	expect_bad_verneed(&im, "version need revision 2 (expected 1)");
	RESET();
	put_le(need + 4, 0x7fffffff, 4);
	expect_bad_verneed(&im, "version name offset 2147483647 is past its string table");
	RESET();
	put_le(need + 12, 0x100000, 4);
	expect_bad_verneed(&im, "version need at offset 1048576 is outside .gnu.version_r");
	RESET();
	put_le(need + 8, 0xfffffff0u, 4);
	expect_bad_verneed(&im, "aux entry at offset 4294967280 is outside");
	RESET();
	/* The string table cut short inside the first version name. */
	put_le(strtab + 32, le(need + 16 + 8, 4) + 3, 8);
	expect_bad_verneed(&im, "unterminated");
	RESET();
	/* A vn_cnt larger than its chain: the chain's end (vna_next 0) wins. */
	put_le(need + 16 + 12, 0, 4);
	put_le(need + 2, 0xffff, 2);
	{
		struct elf_info ei;
		struct elf_verneed *v;
		struct binsrc src;
		struct diag d = {""};
		size_t n;
		assert_int_equal(elf_parse(im.p, im.n, "x", &ei, &d), STATUS_OK);
		binsrc_mem(&src, im.p, im.n, "x");
		assert_int_equal(elf_verneed_read(&src, &ei, &v, &n, &d), STATUS_OK);
		assert_int_equal(n, 1 + 3);
		elf_verneed_free(v, n);
		elf_info_free(&ei);
	}
#undef RESET
	free(orig);
	free(im.p);
}

/* Every cut of the dynamically linked fixture: a clean result from the
 * headers and version needs, never a crash (ASan sees each allocation). */
static void verneed_truncations(void **state)
{
	struct img im = gz_load(XZ);

	(void)state;
	for (size_t cut = 0; cut < im.n; cut += cut < 8192 ? 1 : 61) {
		unsigned char *copy = malloc(cut ? cut : 1);
		struct elf_info ei;
		struct elf_verneed *v;
		struct binsrc src;
		struct diag d = {""};
		size_t n;
		memcpy(copy, im.p, cut);
		if (elf_parse(copy, cut, XZ, &ei, &d) == STATUS_OK) {
			binsrc_mem(&src, copy, cut, XZ);
			enum status st = elf_verneed_read(&src, &ei, &v, &n, &d);
			if (st != STATUS_OK && st != STATUS_ERR_ELF)
				fail_msg("cut at %zu: status %d", cut, st);
			elf_verneed_free(v, n);
			elf_info_free(&ei);
		}
		free(copy);
	}
	free(im.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(amd64_headers), cmocka_unit_test(i386_and_esbuild),
		cmocka_unit_test(big_endian),    cmocka_unit_test(not_elf),
		cmocka_unit_test(hostile),       cmocka_unit_test(truncations),
		cmocka_unit_test(verneed_real),  cmocka_unit_test(glibc_highest),
		cmocka_unit_test(verneed_hostile), cmocka_unit_test(verneed_truncations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
