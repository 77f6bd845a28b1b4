/* elf.c - ELF file, program and section headers, read piecewise and checked against the file. */
#include "elf.h"

#include <stdarg.h>
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* From the System V gABI (and glibc's elf.h). */
#define EI_NIDENT 16u
#define ELFCLASS32 1u
#define ELFCLASS64 2u
#define ELFDATA2LSB 1u
#define ELFDATA2MSB 2u
#define EHDR32_SIZE 52u
#define EHDR64_SIZE 64u
#define PHDR32_SIZE 32u
#define PHDR64_SIZE 56u
#define SHDR32_SIZE 40u
#define SHDR64_SIZE 64u
#define PN_XNUM 0xffffu
#define SHN_UNDEF 0u
#define SHN_XINDEX 0xffffu

/* Reads fields in the file's byte order and word size. */
struct rd {
	bool big, is64;
};

static uint64_t get(const struct rd *r, const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[r->big ? n - 1 - i : i] << (8 * i);
	return v;
}

/* An address-sized field: 8 bytes in ELF64, 4 in ELF32. */
static uint64_t word(const struct rd *r, const unsigned char *p)
{
	return get(r, p, r->is64 ? 8 : 4);
}

__attribute__((format(printf, 3, 4))) static enum status bad(struct diag *d, const char *name,
							     const char *fmt, ...)
{
	char prefix[512];
	va_list ap;
	enum status st;

	snprintf(prefix, sizeof(prefix), "%s: malformed ELF file: ", name);
	va_start(ap, fmt);
	st = diag_setv_prefixed(d, STATUS_ERR_ELF, prefix, fmt, ap);
	va_end(ap);
	return st;
}

static void arch_name(uint16_t machine, bool is64, char *buf, size_t n)
{
	const char *name = NULL;

	switch (machine) {
	case 3: name = "i386"; break;
	case 8: name = is64 ? "mips64" : "mips"; break;
	case 20: name = "ppc"; break;
	case 21: name = "ppc64"; break;
	case 22: name = "s390x"; break;
	case 40: name = "arm"; break;
	case 62: name = "x86_64"; break;
	case 183: name = "arm64"; break;
	case 243: name = is64 ? "riscv64" : "riscv32"; break;
	case 258: name = "loong64"; break;
	}
	if (name)
		snprintf(buf, n, "%s", name);
	else
		snprintf(buf, n, "machine-%u", machine);
}

/* A table of count entries of entsize bytes at off: within the file, and
 * entries large enough for the fields we read. */
static enum status check_table(const struct binsrc *src, const char *what, uint64_t off,
			       uint64_t count, uint64_t entsize, uint64_t min, uint64_t max,
			       struct diag *d)
{
	if (!count)
		return STATUS_OK;
	if (count > max)
		return bad(d, src->name, "%llu %s headers (at most %llu)", (unsigned long long)count, what,
			   (unsigned long long)max);
	if (entsize < min)
		return bad(d, src->name, "%s header size %llu is smaller than %llu", what,
			   (unsigned long long)entsize, (unsigned long long)min);
	/* count <= 4096 and entsize < 65536: the product cannot overflow. */
	if (!binsrc_has(src, off, count * entsize))
		return bad(d, src->name, "%llu %s headers at offset %llu run past the end of the file (%llu bytes)",
			   (unsigned long long)count, what, (unsigned long long)off,
			   (unsigned long long)src->size);
	return STATUS_OK;
}

static enum status read_segments(const struct binsrc *src, const struct rd *r, uint64_t phoff,
				 uint64_t phnum, uint64_t phentsize, struct elf_info *ei, struct diag *d)
{
	struct binpiece pc;
	enum status st = check_table(src, "program", phoff, phnum, phentsize,
				     r->is64 ? PHDR64_SIZE : PHDR32_SIZE, ELF_MAX_SEGMENTS, d);

	if (st != STATUS_OK || !phnum)
		return st;
	ei->segments = calloc(phnum, sizeof(*ei->segments));
	if (!ei->segments)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", src->name);
	st = binsrc_get(src, phoff, (size_t)(phnum * phentsize), &pc, d);
	if (st != STATUS_OK)
		return st;
	for (uint64_t i = 0; i < phnum; i++) {
		const unsigned char *p = pc.p + i * phentsize;
		struct elf_segment *g = &ei->segments[i];
		g->type = (uint32_t)get(r, p, 4);
		if (r->is64) {
			g->flags = (uint32_t)get(r, p + 4, 4);
			g->offset = get(r, p + 8, 8);
			g->vaddr = get(r, p + 16, 8);
			g->filesz = get(r, p + 32, 8);
			g->memsz = get(r, p + 40, 8);
		} else {
			g->offset = get(r, p + 4, 4);
			g->vaddr = get(r, p + 8, 4);
			g->filesz = get(r, p + 16, 4);
			g->memsz = get(r, p + 20, 4);
			g->flags = (uint32_t)get(r, p + 24, 4);
		}
	}
	ei->nsegments = (size_t)phnum;
	binpiece_free(&pc);
	return STATUS_OK;
}

/* Section i's header fields from the table at tab. */
static void section_at(const struct rd *r, const unsigned char *tab, uint64_t i, uint64_t entsize,
		       struct elf_section *s, uint32_t *name_off)
{
	const unsigned char *p = tab + i * entsize;

	*name_off = (uint32_t)get(r, p, 4);
	s->type = (uint32_t)get(r, p + 4, 4);
	s->link = (uint32_t)get(r, p + (r->is64 ? 40 : 24), 4);
	s->info = (uint32_t)get(r, p + (r->is64 ? 44 : 28), 4);
	s->flags = word(r, p + 8);
	s->addr = word(r, p + (r->is64 ? 16 : 12));
	s->offset = word(r, p + (r->is64 ? 24 : 16));
	s->size = word(r, p + (r->is64 ? 32 : 20));
}

/* The section name table: its data inside the file, at most
 * ELF_MAX_SHSTRTAB bytes, kept NUL-terminated in ei->names. */
static enum status read_names(const struct binsrc *src, const struct elf_section *tab,
			      uint64_t shstrndx, struct elf_info *ei, struct diag *d)
{
	enum status st;

	if (tab->type == ELF_SHT_NOBITS || !binsrc_has(src, tab->offset, tab->size))
		return bad(d, src->name, "section name table (section %llu, offset %llu, size %llu) lies outside the file (%llu bytes)",
			   (unsigned long long)shstrndx, (unsigned long long)tab->offset,
			   (unsigned long long)tab->size, (unsigned long long)src->size);
	if (tab->size > ELF_MAX_SHSTRTAB)
		return bad(d, src->name, "section name table of %llu bytes is too large (at most %u)",
			   (unsigned long long)tab->size, ELF_MAX_SHSTRTAB);
	ei->names = malloc((size_t)tab->size + 1);
	if (!ei->names)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", src->name);
	st = binsrc_copy(src, tab->offset, (size_t)tab->size, ei->names, d);
	ei->names[tab->size] = '\0';
	return st;
}

static enum status read_sections(const struct binsrc *src, const struct rd *r, uint64_t shoff,
				 uint64_t shnum, uint64_t shentsize, uint64_t shstrndx,
				 struct elf_info *ei, struct diag *d)
{
	struct binpiece pc;
	uint32_t *name_off;
	uint64_t names_size = 0;
	enum status st = check_table(src, "section", shoff, shnum, shentsize,
				     r->is64 ? SHDR64_SIZE : SHDR32_SIZE, ELF_MAX_SECTIONS, d);

	if (st != STATUS_OK || !shnum)
		return st;
	if (shstrndx != SHN_UNDEF && shstrndx >= shnum)
		return bad(d, src->name, "e_shstrndx %llu is out of range (%llu sections)",
			   (unsigned long long)shstrndx, (unsigned long long)shnum);
	ei->sections = calloc(shnum, sizeof(*ei->sections));
	name_off = calloc(shnum, sizeof(*name_off));
	if (!ei->sections || !name_off) {
		free(name_off);
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", src->name);
	}
	ei->nsections = (size_t)shnum;
	st = binsrc_get(src, shoff, (size_t)(shnum * shentsize), &pc, d);
	if (st != STATUS_OK) {
		free(name_off);
		return st;
	}
	for (uint64_t i = 0; i < shnum; i++)
		section_at(r, pc.p, i, shentsize, &ei->sections[i], &name_off[i]);
	binpiece_free(&pc);
	if (shstrndx != SHN_UNDEF) {
		st = read_names(src, &ei->sections[shstrndx], shstrndx, ei, d);
		names_size = ei->sections[shstrndx].size;
	}
	for (uint64_t i = 0; st == STATUS_OK && i < shnum; i++) {
		if (!ei->names) {
			ei->sections[i].name = "";
		} else if (name_off[i] >= names_size) {
			st = bad(d, src->name, "section %llu: name offset %u is past the name table (%llu bytes)",
				 (unsigned long long)i, name_off[i], (unsigned long long)names_size);
		} else {
			ei->sections[i].name = ei->names + name_off[i];
		}
	}
	free(name_off);
	return st;
}

/* Counts past 16 bits live in section 0 (gABI "extended numbering"). */
static enum status extended_counts(const struct binsrc *src, const struct rd *r, uint64_t shoff,
				   uint64_t shentsize, uint64_t *phnum, uint64_t *shnum,
				   uint64_t *shstrndx, struct diag *d)
{
	unsigned char sh0[SHDR64_SIZE];
	uint64_t min = r->is64 ? SHDR64_SIZE : SHDR32_SIZE;
	enum status st;

	if (*phnum != PN_XNUM && *shnum != 0 && *shstrndx != SHN_XINDEX)
		return STATUS_OK;
	if (!shoff)
		return *phnum == PN_XNUM || *shstrndx == SHN_XINDEX
			       ? bad(d, src->name, "extended numbering without section headers")
			       : STATUS_OK;
	if (shentsize < min)
		return bad(d, src->name, "section header size %llu is smaller than %llu",
			   (unsigned long long)shentsize, (unsigned long long)min);
	if (!binsrc_has(src, shoff, min))
		return bad(d, src->name, "section headers at offset %llu run past the end of the file (%llu bytes)",
			   (unsigned long long)shoff, (unsigned long long)src->size);
	st = binsrc_copy(src, shoff, (size_t)min, sh0, d);
	if (st != STATUS_OK)
		return st;
	if (*shnum == 0)
		*shnum = word(r, sh0 + (r->is64 ? 32 : 20));
	if (*shstrndx == SHN_XINDEX)
		*shstrndx = get(r, sh0 + (r->is64 ? 40 : 24), 4);
	if (*phnum == PN_XNUM)
		*phnum = get(r, sh0 + (r->is64 ? 44 : 28), 4);
	return STATUS_OK;
}

enum status elf_parse_src(const struct binsrc *src, struct elf_info *out, struct diag *d)
{
	unsigned char h[EHDR64_SIZE];
	struct elf_info ei = {0};
	struct rd r;
	uint64_t phoff, shoff, phnum, shnum, shstrndx, phentsize, shentsize;
	enum status st;

	memset(out, 0, sizeof(*out));
	if (src->size < 4)
		return diag_set(d, STATUS_ERR_NOT_ELF, "%s: not an ELF file (%llu bytes)", src->name,
				(unsigned long long)src->size);
	st = binsrc_copy(src, 0, 4, h, d);
	if (st != STATUS_OK)
		return st;
	if (memcmp(h, "\x7f" "ELF", 4) != 0)
		return diag_set(d, STATUS_ERR_NOT_ELF, "%s: not an ELF file", src->name);
	if (src->size < EI_NIDENT)
		return bad(d, src->name, "truncated e_ident (%llu bytes)", (unsigned long long)src->size);
	st = binsrc_copy(src, 0, EI_NIDENT, h, d);
	if (st != STATUS_OK)
		return st;
	if (h[4] != ELFCLASS32 && h[4] != ELFCLASS64)
		return bad(d, src->name, "unknown class %u", h[4]);
	if (h[5] != ELFDATA2LSB && h[5] != ELFDATA2MSB)
		return bad(d, src->name, "unknown byte order %u", h[5]);
	r.is64 = h[4] == ELFCLASS64;
	r.big = h[5] == ELFDATA2MSB;
	if (src->size < (r.is64 ? EHDR64_SIZE : EHDR32_SIZE))
		return bad(d, src->name, "truncated ELF header (%llu bytes)", (unsigned long long)src->size);
	st = binsrc_copy(src, 0, r.is64 ? EHDR64_SIZE : EHDR32_SIZE, h, d);
	if (st != STATUS_OK)
		return st;

	ei.is64 = r.is64;
	ei.big_endian = r.big;
	ei.osabi = h[7];
	ei.type = (uint16_t)get(&r, h + 16, 2);
	ei.machine = (uint16_t)get(&r, h + 18, 2);
	ei.file_size = src->size;
	arch_name(ei.machine, r.is64, ei.arch, sizeof(ei.arch));
	phoff = word(&r, h + (r.is64 ? 32 : 28));
	shoff = word(&r, h + (r.is64 ? 40 : 32));
	phentsize = get(&r, h + (r.is64 ? 54 : 42), 2);
	phnum = get(&r, h + (r.is64 ? 56 : 44), 2);
	shentsize = get(&r, h + (r.is64 ? 58 : 46), 2);
	shnum = shoff ? get(&r, h + (r.is64 ? 60 : 48), 2) : 0;
	shstrndx = shoff ? get(&r, h + (r.is64 ? 62 : 50), 2) : SHN_UNDEF;

	st = extended_counts(src, &r, shoff, shentsize, &phnum, &shnum, &shstrndx, d);
	if (st == STATUS_OK)
		st = read_segments(src, &r, phoff, phnum, phentsize, &ei, d);
	if (st == STATUS_OK)
		st = read_sections(src, &r, shoff, shnum, shentsize, shstrndx, &ei, d);
	if (st != STATUS_OK) {
		elf_info_free(&ei);
		return st;
	}
	*out = ei;
	return STATUS_OK;
}

enum status elf_parse(const unsigned char *buf, size_t len, const char *name,
		      struct elf_info *out, struct diag *d)
{
	struct binsrc src;

	binsrc_mem(&src, buf, len, name);
	return elf_parse_src(&src, out, d);
}

void elf_info_free(struct elf_info *ei)
{
	free(ei->segments);
	free(ei->sections);
	free(ei->names);
	memset(ei, 0, sizeof(*ei));
}

const struct elf_section *elf_section_named(const struct elf_info *ei, const char *name)
{
	for (size_t i = 0; i < ei->nsections; i++)
		if (!strcmp(ei->sections[i].name, name))
			return &ei->sections[i];
	return NULL;
}

bool elf_addr_to_offset(const struct elf_info *ei, uint64_t addr, uint64_t *off, uint64_t *avail)
{
	for (size_t i = 0; i < ei->nsegments; i++) {
		const struct elf_segment *g = &ei->segments[i];
		if (g->type != ELF_PT_LOAD || addr < g->vaddr || addr - g->vaddr >= g->filesz)
			continue;
		if (g->offset > ei->file_size || g->filesz > ei->file_size - g->offset)
			continue;
		*off = g->offset + (addr - g->vaddr);
		*avail = g->filesz - (addr - g->vaddr);
		return true;
	}
	return false;
}

/* glibc 2.41, elf/dl-load.c (_dl_map_object_from_fd): stack_flags starts
 * as DEFAULT_STACK_PERMS and PT_GNU_STACK's p_flags replace it; when
 * (stack_flags & ~GL(dl_stack_flags)) & PF_X and the object comes from
 * dlopen, loading fails with "cannot enable executable stack as shared
 * object requires" (commit 0ca8785a28, "elf: Do not change stack
 * permission on dlopen/dlmopen"; 2.40 made the stack executable instead).
 * DEFAULT_STACK_PERMS includes PF_X in sysdeps/{alpha,arm,hppa,i386,m68k,
 * microblaze,mips,or1k,powerpc/powerpc32,s390,sh,sparc,x86_64}/stackinfo.h;
 * every other port uses sysdeps/generic/stackinfo.h, PF_R|PF_W. */
static bool default_stack_exec(uint16_t machine)
{
	switch (machine) {
	case 2:      /* EM_SPARC */
	case 3:      /* EM_386 */
	case 4:      /* EM_68K */
	case 8:      /* EM_MIPS */
	case 10:     /* EM_MIPS_RS3_LE */
	case 15:     /* EM_PARISC */
	case 18:     /* EM_SPARC32PLUS */
	case 20:     /* EM_PPC (powerpc32 only; EM_PPC64 is generic) */
	case 22:     /* EM_S390, also s390x */
	case 40:     /* EM_ARM */
	case 42:     /* EM_SH */
	case 43:     /* EM_SPARCV9 */
	case 62:     /* EM_X86_64 */
	case 92:     /* EM_OPENRISC */
	case 189:    /* EM_MICROBLAZE */
	case 0x9026: /* EM_ALPHA */
		return true;
	default:
		return false;
	}
}

bool elf_wants_exec_stack(const struct elf_info *ei)
{
	for (size_t i = 0; i < ei->nsegments; i++)
		if (ei->segments[i].type == ELF_PT_GNU_STACK)
			return (ei->segments[i].flags & ELF_PF_X) != 0;
	return default_stack_exec(ei->machine);
}

void elf_verneed_free(struct elf_verneed *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].file);
		free(v[i].version);
	}
	free(v);
}

/* The NUL-terminated name at off in string table strtab, copied. */
static enum status str_at(const struct binsrc *src, const struct elf_section *strtab, uint64_t off,
			  char **out, struct diag *d)
{
	char buf[ELF_MAX_VERNAME];
	size_t n;
	char *end;
	enum status st;

	if (off >= strtab->size)
		return bad(d, src->name, "version name offset %llu is past its string table (%llu bytes)",
			   (unsigned long long)off, (unsigned long long)strtab->size);
	n = strtab->size - off < sizeof(buf) ? (size_t)(strtab->size - off) : sizeof(buf);
	st = binsrc_copy(src, strtab->offset + off, n, buf, d);
	if (st != STATUS_OK)
		return st;
	end = memchr(buf, '\0', n);
	if (!end)
		return bad(d, src->name, "version name at offset %llu is unterminated or longer than %u bytes",
			   (unsigned long long)off, ELF_MAX_VERNAME - 1);
	*out = strdup(buf);
	return *out ? STATUS_OK : diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", src->name);
}

struct verneed_walk {
	const struct binsrc *src;
	const struct elf_section *strtab;
	struct rd r;
	const unsigned char *sec; /* the section's bytes */
	uint64_t size;
	struct elf_verneed *v;
	size_t n;
};

/* The vn_cnt auxiliary entries of the need at off (its file name read). */
static enum status verneed_aux(struct verneed_walk *w, uint64_t off, uint64_t cnt, const char *file,
			       struct diag *d)
{
	uint64_t aux = off + get(&w->r, w->sec + off + 8, 4);
	enum status st;

	for (uint64_t j = 0; j < cnt; j++) {
		struct elf_verneed *e;
		uint64_t next;
		if (aux > w->size || w->size - aux < 16)
			return bad(d, w->src->name, "version need aux entry at offset %llu is outside .gnu.version_r (%llu bytes)",
				   (unsigned long long)aux, (unsigned long long)w->size);
		if (w->n == ELF_MAX_VERNEED)
			return bad(d, w->src->name, "more than %u version needs", ELF_MAX_VERNEED);
		e = &w->v[w->n];
		e->file = strdup(file);
		if (!e->file)
			return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", w->src->name);
		w->n++;
		st = str_at(w->src, w->strtab, get(&w->r, w->sec + aux + 8, 4), &e->version, d);
		if (st != STATUS_OK)
			return st;
		next = get(&w->r, w->sec + aux + 12, 4);
		if (!next)
			break;
		aux += next;
	}
	return STATUS_OK;
}

static enum status verneed_walk(struct verneed_walk *w, struct diag *d)
{
	uint64_t off = 0;
	enum status st = STATUS_OK;

	/* Each need and aux entry is 16 bytes in both classes; the chain
	 * ends at a zero vn_next. The count bounds a cyclic chain. */
	for (unsigned needs = 0;; needs++) {
		char *file = NULL;
		uint64_t next;
		if (off > w->size || w->size - off < 16)
			return bad(d, w->src->name, "version need at offset %llu is outside .gnu.version_r (%llu bytes)",
				   (unsigned long long)off, (unsigned long long)w->size);
		if (get(&w->r, w->sec + off, 2) != 1)
			return bad(d, w->src->name, "version need revision %llu (expected 1)",
				   (unsigned long long)get(&w->r, w->sec + off, 2));
		if (w->n == ELF_MAX_VERNEED || needs == ELF_MAX_VERNEED)
			return bad(d, w->src->name, "more than %u version needs", ELF_MAX_VERNEED);
		st = str_at(w->src, w->strtab, get(&w->r, w->sec + off + 4, 4), &file, d);
		if (st == STATUS_OK)
			st = verneed_aux(w, off, get(&w->r, w->sec + off + 2, 2), file, d);
		free(file);
		if (st != STATUS_OK)
			return st;
		next = get(&w->r, w->sec + off + 12, 4);
		if (!next)
			return STATUS_OK;
		off += next;
	}
}

enum status elf_verneed_read(const struct binsrc *src, const struct elf_info *ei,
			     struct elf_verneed **out, size_t *n, struct diag *d)
{
	const struct elf_section *sec = NULL;
	struct verneed_walk w = {.src = src, .r = {.big = ei->big_endian, .is64 = ei->is64}};
	struct binpiece pc;
	enum status st;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < ei->nsections && !sec; i++)
		if (ei->sections[i].type == ELF_SHT_GNU_VERNEED)
			sec = &ei->sections[i];
	if (!sec || !sec->size)
		return STATUS_OK;
	if (sec->link >= ei->nsections)
		return bad(d, src->name, ".gnu.version_r links to section %u (%zu sections)", sec->link,
			   ei->nsections);
	w.strtab = &ei->sections[sec->link];
	if (sec->size > (uint64_t)ELF_MAX_VERNEED * 32 || !binsrc_has(src, sec->offset, sec->size) ||
	    w.strtab->type == ELF_SHT_NOBITS || !binsrc_has(src, w.strtab->offset, w.strtab->size))
		return bad(d, src->name, ".gnu.version_r or its string table lies outside the file or is too large");
	st = binsrc_get(src, sec->offset, (size_t)sec->size, &pc, d);
	if (st != STATUS_OK)
		return st;
	w.sec = pc.p;
	w.size = sec->size;
	w.v = calloc(ELF_MAX_VERNEED, sizeof(*w.v));
	st = w.v ? verneed_walk(&w, d) : diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", src->name);
	binpiece_free(&pc);
	if (st != STATUS_OK) {
		elf_verneed_free(w.v, w.n);
		return st;
	}
	*out = w.v;
	*n = w.n;
	return STATUS_OK;
}

/* "GLIBC_2.34" -> its numbers; false for GLIBC_PRIVATE and other names. */
static bool glibc_numbers(const char *v, unsigned long num[3])
{
	const char *p = v + 6;
	char *end;

	if (strncmp(v, "GLIBC_", 6) != 0)
		return false;
	num[0] = num[1] = num[2] = 0;
	for (int i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*p))
			return false;
		num[i] = strtoul(p, &end, 10);
		p = end;
		if (!*p)
			return i > 0;
		if (*p++ != '.')
			return false;
	}
	return false;
}

bool elf_glibc_required(const struct elf_verneed *v, size_t n, char *buf, size_t size)
{
	unsigned long best[3] = {0, 0, 0}, num[3];
	const char *which = NULL;

	for (size_t i = 0; i < n; i++) {
		int k = 0;
		if (!glibc_numbers(v[i].version, num))
			continue;
		while (k < 2 && num[k] == best[k])
			k++;
		if (which && num[k] <= best[k])
			continue;
		memcpy(best, num, sizeof(best));
		which = v[i].version;
	}
	if (!which)
		return false;
	snprintf(buf, size, "%s", which + 6);
	return true;
}
