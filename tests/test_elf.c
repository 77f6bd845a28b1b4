/* test_elf.c - the ELF reader on real Go executables, and on damaged and hostile copies of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "probes/elf.h"

#define AMD64 "go-get-folder-size-0.5.5-linux_amd64_v1"
#define I386 "go-get-folder-size-0.5.5-linux_386"
#define ESBUILD "esbuild-linux-64-0.6.34"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(amd64_headers), cmocka_unit_test(i386_and_esbuild),
		cmocka_unit_test(big_endian),    cmocka_unit_test(not_elf),
		cmocka_unit_test(hostile),       cmocka_unit_test(truncations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
