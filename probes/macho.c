/* macho.c - Mach-O containers: fat headers, slices, load commands; files read piecewise. */
#include "macho.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* From xnu's EXTERNAL_HEADERS/mach-o/loader.h and fat.h. */
#define MH_MAGIC 0xfeedfaceu
#define MH_CIGAM 0xcefaedfeu
#define MH_MAGIC_64 0xfeedfacfu
#define MH_CIGAM_64 0xcffaedfeu
#define FAT_MAGIC 0xcafebabeu
#define FAT_MAGIC_64 0xcafebabfu
#define LC_SEGMENT 0x1u
#define LC_SEGMENT_64 0x19u
#define LC_CODE_SIGNATURE 0x1du

#define MACH_HEADER_SIZE 28u
#define MACH_HEADER_64_SIZE 32u
#define LOAD_COMMAND_MIN 8u
#define LINKEDIT_DATA_SIZE 16u
#define SEGMENT_SIZE 56u
#define SEGMENT_64_SIZE 72u
#define SECTION_SIZE 68u
#define SECTION_64_SIZE 80u
#define FAT_HEADER_SIZE 8u
#define FAT_ARCH_SIZE 20u
#define FAT_ARCH_64_SIZE 32u

#define CPU_ARCH_ABI64 0x01000000u
#define CPU_ARCH_ABI64_32 0x02000000u
#define CPU_TYPE_X86 7u
#define CPU_TYPE_ARM 12u
#define CPU_TYPE_POWERPC 18u
#define CPU_SUBTYPE_MASK 0xff000000u
#define CPU_SUBTYPE_X86_64_H 8u
#define CPU_SUBTYPE_ARM64E 2u

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)macho_be32(p) << 32 | macho_be32(p + 4);
}

/* A Mach-O header field in the slice's own byte order. */
static uint32_t rd32(const unsigned char *p, bool big)
{
	return big ? macho_be32(p) : le32(p);
}

static void arch_name(uint32_t cputype, uint32_t cpusubtype, char *buf, size_t n)
{
	uint32_t sub = cpusubtype & ~CPU_SUBTYPE_MASK;
	const char *name = NULL;

	switch (cputype) {
	case CPU_TYPE_X86: name = "i386"; break;
	case CPU_TYPE_X86 | CPU_ARCH_ABI64: name = sub == CPU_SUBTYPE_X86_64_H ? "x86_64h" : "x86_64"; break;
	case CPU_TYPE_ARM: name = "arm"; break;
	case CPU_TYPE_ARM | CPU_ARCH_ABI64: name = sub == CPU_SUBTYPE_ARM64E ? "arm64e" : "arm64"; break;
	case CPU_TYPE_ARM | CPU_ARCH_ABI64_32: name = "arm64_32"; break;
	case CPU_TYPE_POWERPC: name = "ppc"; break;
	case CPU_TYPE_POWERPC | CPU_ARCH_ABI64: name = "ppc64"; break;
	}
	if (name)
		snprintf(buf, n, "%s", name);
	else
		snprintf(buf, n, "cpu-%u", cputype);
}

static uint64_t rd64(const unsigned char *p, bool big)
{
	return big ? (uint64_t)macho_be32(p) << 32 | macho_be32(p + 4)
		   : (uint64_t)le32(p + 4) << 32 | le32(p);
}

/* A fixed 16-byte name field as a C string. */
static void name16(char out[17], const unsigned char *p)
{
	memcpy(out, p, 16);
	out[16] = '\0';
}

/* Appends n zeroed elements of size sz to *v (holding *count), within max. */
static void *grow(void *v, size_t *count, size_t n, size_t sz, size_t max, bool *too_many)
{
	void *nv;

	*too_many = n > max - *count;
	if (*too_many)
		return NULL;
	nv = realloc(v, (*count + n ? *count + n : 1) * sz);
	if (nv)
		memset((char *)nv + *count * sz, 0, n * sz);
	return nv;
}

/* LC_SEGMENT(_64) at p (cmdsize bytes, checked by the caller) and its
 * sections, appended to s. */
static enum status add_segment(const unsigned char *p, uint32_t cmdsize, bool big, bool is64,
			       uint32_t idx, const char *where, struct macho_slice *s, struct diag *d)
{
	uint32_t hsize = is64 ? SEGMENT_64_SIZE : SEGMENT_SIZE;
	uint32_t ssize = is64 ? SECTION_64_SIZE : SECTION_SIZE, nsects;
	struct macho_segment *seg, *segs;
	struct macho_section *secs;
	bool too_many;

	if (cmdsize < hsize)
		return macho_bad(d, where, "segment (load command %u): cmdsize %u is smaller than %u", idx,
				 cmdsize, hsize);
	nsects = rd32(p + hsize - 8, big);
	if (nsects > (cmdsize - hsize) / ssize)
		return macho_bad(d, where, "segment (load command %u): %u sections cannot fit in cmdsize %u",
				 idx, nsects, cmdsize);
	segs = grow(s->segments, &s->nsegments, 1, sizeof(*segs), MACHO_MAX_SEGMENTS, &too_many);
	if (too_many)
		return macho_bad(d, where, "more than %d segments", MACHO_MAX_SEGMENTS);
	if (!segs)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", where);
	s->segments = segs;
	seg = &segs[s->nsegments++];
	name16(seg->name, p + 8);
	seg->vmaddr = is64 ? rd64(p + 24, big) : rd32(p + 24, big);
	seg->vmsize = is64 ? rd64(p + 32, big) : rd32(p + 28, big);
	seg->fileoff = is64 ? rd64(p + 40, big) : rd32(p + 32, big);
	seg->filesize = is64 ? rd64(p + 48, big) : rd32(p + 36, big);
	seg->maxprot = rd32(p + (is64 ? 56 : 40), big);
	seg->initprot = rd32(p + (is64 ? 60 : 44), big);

	secs = grow(s->sections, &s->nsections, nsects, sizeof(*secs), MACHO_MAX_SECTIONS, &too_many);
	if (too_many)
		return macho_bad(d, where, "more than %d sections", MACHO_MAX_SECTIONS);
	if (!secs)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", where);
	s->sections = secs;
	for (uint32_t k = 0; k < nsects; k++) {
		const unsigned char *q = p + hsize + (size_t)k * ssize;
		struct macho_section *sec = &secs[s->nsections++];
		name16(sec->sectname, q);
		name16(sec->segname, q + 16);
		sec->addr = is64 ? rd64(q + 32, big) : rd32(q + 32, big);
		sec->size = is64 ? rd64(q + 40, big) : rd32(q + 36, big);
		sec->offset = rd32(q + (is64 ? 48 : 40), big);
	}
	return STATUS_OK;
}

/* The load commands: each bounded by sizeofcmds, at least 8 bytes and a
 * multiple of 4, so the walk always advances and ends. Collects the
 * segments and sections and finds the one LC_CODE_SIGNATURE. */
static enum status walk_commands(const unsigned char *cmds, uint32_t ncmds, uint32_t sizeofcmds,
				 bool big, const char *where, struct macho_slice *s, bool *has_sig,
				 uint32_t *dataoff, uint32_t *datasize, struct diag *d)
{
	uint32_t pos = 0;

	*has_sig = false;
	for (uint32_t i = 0; i < ncmds; i++) {
		uint32_t cmd, cmdsize;

		if (sizeofcmds - pos < LOAD_COMMAND_MIN)
			return macho_bad(d, where, "load command %u is truncated (sizeofcmds %u)", i, sizeofcmds);
		cmd = rd32(cmds + pos, big);
		cmdsize = rd32(cmds + pos + 4, big);
		if (cmdsize < LOAD_COMMAND_MIN)
			return macho_bad(d, where, "load command %u (cmd 0x%x): cmdsize %u is smaller than 8",
				   i, cmd, cmdsize);
		if (cmdsize % 4)
			return macho_bad(d, where, "load command %u (cmd 0x%x): cmdsize %u is not a multiple of 4",
				   i, cmd, cmdsize);
		if (cmdsize > sizeofcmds - pos)
			return macho_bad(d, where, "load command %u (cmd 0x%x): cmdsize %u runs past sizeofcmds %u",
				   i, cmd, cmdsize, sizeofcmds);
		if (cmd == LC_SEGMENT || cmd == LC_SEGMENT_64) {
			enum status st = add_segment(cmds + pos, cmdsize, big, cmd == LC_SEGMENT_64, i,
						     where, s, d);
			if (st != STATUS_OK)
				return st;
		} else if (cmd == LC_CODE_SIGNATURE) {
			if (*has_sig)
				return macho_bad(d, where, "load command %u: a second LC_CODE_SIGNATURE", i);
			if (cmdsize < LINKEDIT_DATA_SIZE)
				return macho_bad(d, where, "LC_CODE_SIGNATURE (load command %u): cmdsize %u is smaller than 16",
					   i, cmdsize);
			*has_sig = true;
			*dataoff = rd32(cmds + pos + 8, big);
			*datasize = rd32(cmds + pos + 12, big);
		}
		pos += cmdsize;
	}
	return STATUS_OK;
}

static enum status parse_slice(const struct binsrc *src, bool fat, bool want_sig, size_t idx,
			       uint64_t off, uint64_t size, struct macho_slice *s, struct diag *d)
{
	char where[512];
	unsigned char hdr[MACH_HEADER_64_SIZE];
	struct binpiece pc;
	uint32_t magic, ncmds, sizeofcmds, hsize, dataoff = 0, datasize = 0;
	bool big, has_sig;
	enum status st;

	if (fat)
		snprintf(where, sizeof(where), "%s: slice %zu", src->name, idx);
	else
		snprintf(where, sizeof(where), "%s", src->name);
	if (size < MACH_HEADER_SIZE)
		return macho_bad(d, where, "truncated mach_header (%llu bytes)", (unsigned long long)size);
	st = binsrc_copy(src, off, size < sizeof(hdr) ? (size_t)size : sizeof(hdr), hdr, d);
	if (st != STATUS_OK)
		return st;

	magic = le32(hdr);
	if (magic != MH_MAGIC && magic != MH_MAGIC_64 && magic != MH_CIGAM && magic != MH_CIGAM_64)
		return macho_bad(d, where, "does not start with a Mach-O magic (0x%08x)", macho_be32(hdr));
	big = magic == MH_CIGAM || magic == MH_CIGAM_64;
	s->is64 = magic == MH_MAGIC_64 || magic == MH_CIGAM_64;
	hsize = s->is64 ? MACH_HEADER_64_SIZE : MACH_HEADER_SIZE;
	if (size < hsize)
		return macho_bad(d, where, "truncated mach_header_64 (%llu bytes)", (unsigned long long)size);
	s->offset = off;
	s->size = size;
	s->big_endian = big;
	s->cputype = rd32(hdr + 4, big);
	s->cpusubtype = rd32(hdr + 8, big);
	s->filetype = rd32(hdr + 12, big);
	ncmds = rd32(hdr + 16, big);
	sizeofcmds = rd32(hdr + 20, big);
	arch_name(s->cputype, s->cpusubtype, s->arch, sizeof(s->arch));
	if (fat)
		snprintf(where, sizeof(where), "%s: slice %zu (%s)", src->name, idx, s->arch);

	if (sizeofcmds > size - hsize)
		return macho_bad(d, where, "load commands (sizeofcmds %u) run past the end of the slice (%llu bytes)",
			   sizeofcmds, (unsigned long long)size);
	if (sizeofcmds > MACHO_MAX_CMDS_SIZE)
		return macho_bad(d, where, "sizeofcmds %u is too large (at most %u)", sizeofcmds,
			   MACHO_MAX_CMDS_SIZE);
	if (ncmds > sizeofcmds / LOAD_COMMAND_MIN)
		return macho_bad(d, where, "ncmds %u cannot fit in sizeofcmds %u", ncmds, sizeofcmds);
	st = binsrc_get(src, off + hsize, sizeofcmds, &pc, d);
	if (st != STATUS_OK)
		return st;
	st = walk_commands(pc.p, ncmds, sizeofcmds, big, where, s, &has_sig, &dataoff, &datasize, d);
	binpiece_free(&pc);
	if (st != STATUS_OK || !has_sig || !want_sig)
		return st;

	if (dataoff < hsize + sizeofcmds)
		return macho_bad(d, where, "code signature (dataoff %u) overlaps the load commands", dataoff);
	if ((uint64_t)dataoff + datasize > size)
		return macho_bad(d, where, "code signature (dataoff %u, datasize %u) runs past the end of the slice (%llu bytes)",
			   dataoff, datasize, (unsigned long long)size);
	if (datasize > MACHO_MAX_SIG_SIZE)
		return macho_bad(d, where, "code signature of %u bytes is too large (at most %u)", datasize,
			   MACHO_MAX_SIG_SIZE);
	st = binsrc_get(src, off + dataoff, datasize, &pc, d);
	if (st != STATUS_OK)
		return st;
	st = macho_sig_parse(pc.p, datasize, where, s, d);
	binpiece_free(&pc);
	return st;
}

struct fat_entry {
	uint64_t off, size;
};

/* The fat header and arch table (big-endian), then each slice. Slices
 * must lie after the table, inside the file, and apart from each other. */
static enum status parse_fat(const struct binsrc *src, uint32_t magic, bool want_sig,
			     struct macho_info *mi, struct diag *d)
{
	unsigned char head[FAT_HEADER_SIZE];
	struct fat_entry ent[MACHO_MAX_FAT_ARCH];
	struct binpiece pc;
	uint32_t nfat, esize = magic == FAT_MAGIC_64 ? FAT_ARCH_64_SIZE : FAT_ARCH_SIZE;
	uint64_t table_end;
	enum status st;

	if (src->size < FAT_HEADER_SIZE)
		return macho_bad(d, src->name, "truncated fat header (%llu bytes)",
			   (unsigned long long)src->size);
	st = binsrc_copy(src, 0, FAT_HEADER_SIZE, head, d);
	if (st != STATUS_OK)
		return st;
	nfat = macho_be32(head + 4);
	/* A Java class file shares 0xcafebabe; its version (45 and up) sits
	 * where nfat_arch would. */
	if (magic == FAT_MAGIC && nfat > MACHO_MAX_FAT_ARCH)
		return diag_set(d, STATUS_ERR_NOT_MACHO,
				"%s: not a Mach-O file (0xcafebabe with %u architectures: a Java class file?)",
				src->name, nfat);
	if (nfat > MACHO_MAX_FAT_ARCH)
		return macho_bad(d, src->name, "fat header lists %u architectures (at most %d)", nfat,
			   MACHO_MAX_FAT_ARCH);
	if (nfat == 0)
		return macho_bad(d, src->name, "fat header lists no architectures");
	table_end = FAT_HEADER_SIZE + (uint64_t)nfat * esize;
	if (table_end > src->size)
		return macho_bad(d, src->name, "fat_arch table of %u entries is truncated", nfat);
	st = binsrc_get(src, FAT_HEADER_SIZE, (size_t)(table_end - FAT_HEADER_SIZE), &pc, d);
	if (st != STATUS_OK)
		return st;
	for (uint32_t i = 0; i < nfat; i++) {
		const unsigned char *e = pc.p + (size_t)i * esize;
		ent[i].off = esize == FAT_ARCH_64_SIZE ? be64(e + 8) : macho_be32(e + 8);
		ent[i].size = esize == FAT_ARCH_64_SIZE ? be64(e + 16) : macho_be32(e + 12);
	}
	binpiece_free(&pc);

	for (uint32_t i = 0; i < nfat; i++) {
		if (ent[i].off < table_end)
			return macho_bad(d, src->name, "slice %u (offset %llu) overlaps the fat header", i,
				   (unsigned long long)ent[i].off);
		if (ent[i].off > src->size || ent[i].size > src->size - ent[i].off)
			return macho_bad(d, src->name, "slice %u (offset %llu, size %llu) runs past the end of the file (%llu bytes)",
				   i, (unsigned long long)ent[i].off, (unsigned long long)ent[i].size,
				   (unsigned long long)src->size);
		for (uint32_t j = 0; j < i; j++)
			if (ent[i].off < ent[j].off + ent[j].size && ent[j].off < ent[i].off + ent[i].size)
				return macho_bad(d, src->name, "slices %u and %u overlap", j, i);
	}
	mi->fat = true;
	mi->slices = calloc(nfat, sizeof(*mi->slices));
	if (!mi->slices)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", src->name);
	mi->nslices = nfat;
	for (uint32_t i = 0; i < nfat; i++) {
		st = parse_slice(src, true, want_sig, i, ent[i].off, ent[i].size, &mi->slices[i], d);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

enum status macho_parse_src(const struct binsrc *src, bool want_sig, struct macho_info *out,
			    struct diag *d)
{
	struct macho_info mi = {0};
	unsigned char head[4];
	uint32_t be, le;
	enum status st;

	memset(out, 0, sizeof(*out));
	if (src->size < sizeof(head))
		return diag_set(d, STATUS_ERR_NOT_MACHO, "%s: not a Mach-O file (%llu bytes)",
				src->name, (unsigned long long)src->size);
	st = binsrc_copy(src, 0, sizeof(head), head, d);
	if (st != STATUS_OK)
		return st;
	be = macho_be32(head);
	le = le32(head);
	if (be == FAT_MAGIC || be == FAT_MAGIC_64) {
		st = parse_fat(src, be, want_sig, &mi, d);
	} else if (le == MH_MAGIC || le == MH_MAGIC_64 || le == MH_CIGAM || le == MH_CIGAM_64) {
		mi.slices = calloc(1, sizeof(*mi.slices));
		if (!mi.slices)
			return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", src->name);
		mi.nslices = 1;
		st = parse_slice(src, false, want_sig, 0, 0, src->size, &mi.slices[0], d);
	} else {
		return diag_set(d, STATUS_ERR_NOT_MACHO, "%s: not a Mach-O file (starts with 0x%08x)",
				src->name, be);
	}
	if (st != STATUS_OK) {
		macho_info_free(&mi);
		return st;
	}
	*out = mi;
	return STATUS_OK;
}

enum status macho_parse(const unsigned char *buf, size_t len, const char *name,
			struct macho_info *out, struct diag *d)
{
	struct binsrc src;

	binsrc_mem(&src, buf, len, name);
	return macho_parse_src(&src, true, out, d);
}

static enum status parse_signed(const struct binsrc *src, void *out, struct diag *d)
{
	return macho_parse_src(src, true, out, d);
}

enum status macho_read_file(const char *path, struct macho_info *out, struct diag *d)
{
	memset(out, 0, sizeof(*out));
	return binsrc_parse_file(path, parse_signed, out, d);
}

bool macho_slice_addr(const struct macho_slice *s, uint64_t addr, uint64_t *off, uint64_t *avail)
{
	for (size_t i = 0; i < s->nsegments; i++) {
		const struct macho_segment *g = &s->segments[i];
		if (!strcmp(g->name, "__PAGEZERO") || addr < g->vmaddr || addr - g->vmaddr >= g->filesize)
			continue;
		/* The segment's file data must lie within the slice. */
		if (g->fileoff > s->size || g->filesize > s->size - g->fileoff)
			continue;
		*off = s->offset + g->fileoff + (addr - g->vmaddr);
		*avail = g->filesize - (addr - g->vmaddr);
		return true;
	}
	return false;
}

void macho_info_free(struct macho_info *mi)
{
	for (size_t i = 0; mi->slices && i < mi->nslices; i++)
		macho_slice_clear(&mi->slices[i]);
	free(mi->slices);
	memset(mi, 0, sizeof(*mi));
}

enum status macho_tool_facts(struct facts *f, const char *tool, const char *path,
			     const char *host_arch, struct diag *d)
{
	struct macho_info mi;
	const struct macho_slice *s;
	char hr_key[256], ent_key[256];
	enum status st;

	if (snprintf(hr_key, sizeof(hr_key), "tool.%s.hardened_runtime", tool) >= (int)sizeof(hr_key) ||
	    snprintf(ent_key, sizeof(ent_key), "tool.%s.entitlements", tool) >= (int)sizeof(ent_key))
		return diag_set(d, STATUS_ERR_ARGS, "tool name \"%.40s...\" is too long", tool);
	st = macho_read_file(path, &mi, d);
	if (st != STATUS_OK)
		return st;
	s = &mi.slices[0];
	for (size_t i = 0; host_arch && i < mi.nslices; i++) {
		if (!strcmp(mi.slices[i].arch, host_arch)) {
			s = &mi.slices[i];
			break;
		}
	}
	st = facts_set_bool(f, hr_key, s->hardened_runtime);
	if (st == STATUS_OK)
		st = facts_set_list(f, ent_key, (const char *const *)s->entitlements, s->nentitlements);
	macho_info_free(&mi);
	if (st != STATUS_OK)
		return diag_set(d, st, "%s: out of memory setting facts", path);
	return STATUS_OK;
}
