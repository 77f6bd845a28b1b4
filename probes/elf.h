/* elf.h - ELF headers (32/64-bit, either byte order): sections, program headers, stack flags, version needs. */
#ifndef QUIRK_ELF_H
#define QUIRK_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binsrc.h"
#include "status.h"

/* Limits that keep a hostile file from making us allocate much: real
 * executables have some dozens of sections and a dozen program headers,
 * and their section names take a few hundred bytes. */
#define ELF_MAX_SECTIONS 4096
#define ELF_MAX_SEGMENTS 1024
#define ELF_MAX_SHSTRTAB (1u << 20)

#define ELF_PT_LOAD 1u
#define ELF_PT_GNU_STACK 0x6474e551u
#define ELF_ET_DYN 3u
#define ELF_PF_X 0x1u
#define ELF_PF_W 0x2u
#define ELF_SHT_NOBITS 8u
#define ELF_SHT_GNU_VERNEED 0x6ffffffeu
/* Version needs: entries read at most, and the longest name (file or
 * version) taken; real programs need a few dozen versions of a few files. */
#define ELF_MAX_VERNEED 4096u
#define ELF_MAX_VERNAME 256u

struct elf_section {
	const char *name; /* into elf_info.names; "" when unnamed */
	uint32_t type;
	uint32_t link, info;      /* sh_link, sh_info */
	uint64_t flags, addr, offset, size;
};

struct elf_segment {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
};

struct elf_info {
	bool is64, big_endian;
	uint8_t osabi;            /* e_ident[EI_OSABI]: 0 System V, 3 Linux, 9 FreeBSD, ... */
	uint16_t type, machine;   /* e_type, e_machine */
	char arch[16];            /* "x86_64", "i386", "arm64", "arm", ... or "machine-<n>" */
	uint64_t file_size;
	struct elf_segment *segments;
	size_t nsegments;
	struct elf_section *sections;
	size_t nsections;
	char *names;              /* the section name string table, NUL-terminated */
};

/* Parses the ELF header, program headers and section headers of src.
 * Only the tables are checked against the file: a section's or segment's
 * data is checked when it is read (elf_addr_to_offset, binsrc_has).
 * STATUS_ERR_NOT_ELF if src does not start with the ELF magic,
 * STATUS_ERR_ELF with d naming the file and the field that is wrong
 * (truncated tables, entry sizes too small, counts over the limits,
 * e_shstrndx out of range, names outside their table), STATUS_ERR_IO,
 * STATUS_ERR_NOMEM. On error *out is left empty. */
enum status elf_parse_src(const struct binsrc *src, struct elf_info *out, struct diag *d);
/* The same for len bytes at buf; name is used only in messages. */
enum status elf_parse(const unsigned char *buf, size_t len, const char *name,
		      struct elf_info *out, struct diag *d);

/* Frees what a parse allocated and empties *ei; safe twice. */
void elf_info_free(struct elf_info *ei);

/* The first section called name; NULL if there is none. */
const struct elf_section *elf_section_named(const struct elf_info *ei, const char *name);

/* Where virtual address addr lies in the file: the offset and how many
 * bytes of its PT_LOAD segment's file data follow it. false if no
 * loadable segment whose file data lies within the file holds addr. */
bool elf_addr_to_offset(const struct elf_info *ei, uint64_t addr, uint64_t *off, uint64_t *avail);

/* Whether glibc's dynamic loader takes this object to want an executable
 * stack: its PT_GNU_STACK has PF_X, or it has no PT_GNU_STACK and its
 * architecture's default stack is executable (x86, 32-bit Arm, ...; not
 * arm64, riscv64, ppc64). glibc 2.41 refuses to dlopen such an object
 * unless the stack is already executable. */
bool elf_wants_exec_stack(const struct elf_info *ei);

/* One version a file needs from a shared library (.gnu.version_r). */
struct elf_verneed {
	char *file;    /* "libc.so.6" */
	char *version; /* "GLIBC_2.34" */
};

/* Reads the version needs of src, whose headers ei holds (the
 * SHT_GNU_verneed section and the string table it links to); *out is a
 * malloc'd array of *n entries, NULL and 0 if there are none.
 * STATUS_ERR_ELF with d naming the file and the broken field (section or
 * name outside the file, entry chain out of the section, more than
 * ELF_MAX_VERNEED entries, unterminated or over-long names),
 * STATUS_ERR_IO, STATUS_ERR_NOMEM; on error nothing is left allocated. */
enum status elf_verneed_read(const struct binsrc *src, const struct elf_info *ei,
			     struct elf_verneed **out, size_t *n, struct diag *d);
void elf_verneed_free(struct elf_verneed *v, size_t n);

/* The highest GLIBC_x.y[.z] among the needs, as "x.y[.z]" into buf;
 * false if none is a numbered GLIBC_ version (musl, static, not glibc). */
bool elf_glibc_required(const struct elf_verneed *v, size_t n, char *buf, size_t size);

#endif
