/* gobuildinfo.c - the Go build info blob, as cmd/link writes it and debug/buildinfo reads it.
 *
 * Format (https://github.com/golang/go/blob/go1.18/src/debug/buildinfo/buildinfo.go,
 * cmd/link d6b06f0254 for Go 1.13, b37a5391f9 for the Go 1.18 inline form): a
 * 32-byte header, 16-byte aligned, in the .go.buildinfo (ELF) or
 * __go_buildinfo (Mach-O) section or else early in the writable data:
 *   "\xff Go buildinf:" (14 bytes), pointer size, flags, then two pointers.
 * flags bit 1 (0x2) set (Go 1.18+): the version and the module info follow
 * the header inline, each a uvarint length and the bytes. Clear (Go 1.13 to
 * 1.17): the pointers (size and byte order from the header, flags bit 0 =
 * big-endian) are virtual addresses of Go string headers {data, len}. The
 * module info is framed by 16-byte sentinels and holds "path", "mod",
 * "dep" and (Go 1.18+) "build KEY=VALUE" lines. */
#include "gobuildinfo.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf.h"
#include "macho.h"

#define MAGIC "\xff Go buildinf:"
#define MAGIC_LEN 14u
#define HEADER_SIZE 32u
#define ALIGN 16u
#define FLAG_BIG_ENDIAN 0x1u
#define FLAG_INLINE 0x2u
#define SEARCH_CHUNK (1u << 20)
#define MODINFO_SENTINEL 16u
#define UVARINT_MAX 10u

/* The binary being read: its source and one of its header sets. */
struct image {
	const struct binsrc *src;
	const struct elf_info *elf;
	const struct macho_slice *macho;
};

static bool image_map(const struct image *im, uint64_t addr, uint64_t *off, uint64_t *avail)
{
	if (im->elf)
		return elf_addr_to_offset(im->elf, addr, off, avail);
	return macho_slice_addr(im->macho, addr, off, avail);
}

/* n bytes at virtual address addr, all within one segment's file data. */
static enum status read_at(const struct image *im, uint64_t addr, size_t n, void *out,
			   const char *what, struct diag *d)
{
	uint64_t off, avail;

	if (!image_map(im, addr, &off, &avail))
		return diag_set(d, STATUS_ERR_NOT_GO,
				"%s: no Go build info: the %s (address 0x%llx) is not in the file's data",
				im->src->name, what, (unsigned long long)addr);
	if (n > avail)
		return diag_set(d, STATUS_ERR_NOT_GO,
				"%s: no Go build info: the %s (%zu bytes at 0x%llx) runs past the end of its segment",
				im->src->name, what, n, (unsigned long long)addr);
	return binsrc_copy(im->src, off, n, out, d);
}

/* A malloc'd NUL-terminated copy of n bytes at addr (which may hold NULs:
 * *len says how many bytes there are). */
static enum status read_str(const struct image *im, uint64_t addr, uint64_t n, uint64_t max,
			    const char *what, char **out, size_t *len, struct diag *d)
{
	enum status st;

	*out = NULL;
	if (n > max)
		return diag_set(d, STATUS_ERR_NOT_GO, "%s: no Go build info: the %s claims %llu bytes (at most %llu)",
				im->src->name, what, (unsigned long long)n, (unsigned long long)max);
	*out = malloc((size_t)n + 1);
	if (!*out)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", im->src->name);
	st = read_at(im, addr, (size_t)n, *out, what, d);
	if (st != STATUS_OK) {
		free(*out);
		*out = NULL;
		return st;
	}
	(*out)[n] = '\0';
	*len = (size_t)n;
	return STATUS_OK;
}

/* The k-th place to look for the blob: the build info section, else
 * with search the writable, non-executable data (debug/buildinfo takes
 * the first such segment; Mach-O's __DATA_CONST can come before the
 * __DATA that holds it, so every one is tried). */
static bool blob_region(const struct image *im, bool search, size_t k, uint64_t *start,
			uint64_t *size)
{
	if (im->elf) {
		const struct elf_section *s = elf_section_named(im->elf, ".go.buildinfo");
		if (s || !search) {
			*start = s ? s->addr : 0, *size = s ? s->size : 0;
			return s && k == 0;
		}
		for (size_t i = 0; i < im->elf->nsegments; i++) {
			const struct elf_segment *g = &im->elf->segments[i];
			if (g->type == ELF_PT_LOAD && (g->flags & (ELF_PF_X | ELF_PF_W)) == ELF_PF_W && !k--) {
				*start = g->vaddr, *size = g->memsz;
				return true;
			}
		}
		return false;
	}
	for (size_t i = 0; i < im->macho->nsections; i++) {
		const struct macho_section *s = &im->macho->sections[i];
		if (!strcmp(s->sectname, "__go_buildinfo")) {
			*start = s->addr, *size = s->size;
			return k == 0;
		}
	}
	for (size_t i = 0; search && i < im->macho->nsegments; i++) {
		const struct macho_segment *g = &im->macho->segments[i];
		if (g->vmaddr && g->filesize && (g->initprot & 7) == 3 && !k--) {
			*start = g->vmaddr, *size = g->vmsize;
			return true;
		}
	}
	return false;
}

/* The address of the first 16-byte aligned magic in [start, start + size)
 * (*found stays 0 if there is none), reading no more file data than
 * *budget allows and deducting what it read. */
static enum status find_magic(const struct image *im, uint64_t start, uint64_t size,
			      uint64_t *budget, uint64_t *found, struct diag *d)
{
	uint64_t a = (start + ALIGN - 1) & ~(uint64_t)(ALIGN - 1), end = start + size;
	unsigned char *buf;
	enum status st = STATUS_OK;

	*found = 0;
	if (end < start || a < start)
		return STATUS_OK;
	buf = malloc(SEARCH_CHUNK);
	if (!buf)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", im->src->name);
	while (a < end && *budget && st == STATUS_OK) {
		uint64_t off, avail, n = end - a;
		if (!image_map(im, a, &off, &avail))
			break;
		n = n < avail ? n : avail;
		n = n < SEARCH_CHUNK ? n : SEARCH_CHUNK;
		n = n < *budget ? n : *budget;
		st = binsrc_copy(im->src, off, (size_t)n, buf, d);
		for (uint64_t i = 0; st == STATUS_OK && i + MAGIC_LEN <= n; i += ALIGN) {
			if (!memcmp(buf + i, MAGIC, MAGIC_LEN)) {
				*found = a + i;
				free(buf);
				return STATUS_OK;
			}
		}
		/* Chunks after the first stay aligned: n is a multiple of 16
		 * unless this was the end of the segment's data. */
		*budget -= n;
		if (n % ALIGN)
			break;
		a += n;
	}
	free(buf);
	return st;
}

/* A uvarint-length-prefixed string at *addr (Go 1.18+); advances *addr. */
static enum status inline_str(const struct image *im, uint64_t *addr, uint64_t max,
			      const char *what, char **out, size_t *out_len, struct diag *d)
{
	unsigned char b[UVARINT_MAX];
	uint64_t off, avail, len = 0;
	size_t n, i;
	enum status st;

	*out = NULL;
	if (!image_map(im, *addr, &off, &avail))
		return diag_set(d, STATUS_ERR_NOT_GO, "%s: no Go build info: the %s length (address 0x%llx) is not in the file's data",
				im->src->name, what, (unsigned long long)*addr);
	n = avail < UVARINT_MAX ? (size_t)avail : UVARINT_MAX;
	st = binsrc_copy(im->src, off, n, b, d);
	if (st != STATUS_OK)
		return st;
	for (i = 0; i < n; i++) {
		if (i == UVARINT_MAX - 1 && b[i] > 1)
			break;
		len |= (uint64_t)(b[i] & 0x7f) << (7 * i);
		if (!(b[i] & 0x80))
			break;
	}
	if (i == n || (i == UVARINT_MAX - 1 && b[i] > 1))
		return diag_set(d, STATUS_ERR_NOT_GO, "%s: no Go build info: the %s length (at 0x%llx) is not a varint",
				im->src->name, what, (unsigned long long)*addr);
	if (*addr > UINT64_MAX - (i + 1))
		return diag_set(d, STATUS_ERR_NOT_GO, "%s: no Go build info: the %s runs past the address space",
				im->src->name, what);
	*addr += i + 1;
	st = read_str(im, *addr, len, max, what, out, out_len, d);
	if (st == STATUS_OK)
		*addr += len;
	return st;
}

static uint64_t ptr_at(const unsigned char *p, unsigned size, bool big)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)p[big ? size - 1 - i : i] << (8 * i);
	return v;
}

/* A Go string {data, len} whose header is at addr (Go 1.13 to 1.17). */
static enum status pointer_str(const struct image *im, uint64_t addr, unsigned ptr_size, bool big,
			       uint64_t max, const char *what, char **out, size_t *len, struct diag *d)
{
	unsigned char hdr[16];
	enum status st = read_at(im, addr, 2 * ptr_size, hdr, what, d);

	*out = NULL;
	if (st != STATUS_OK)
		return st;
	return read_str(im, ptr_at(hdr, ptr_size, big), ptr_at(hdr + ptr_size, ptr_size, big), max,
			what, out, len, d);
}

static char *dup_n(const char *s, size_t n)
{
	char *c = malloc(n + 1);

	if (c) {
		memcpy(c, s, n);
		c[n] = '\0';
	}
	return c;
}

/* "path", "mod" and "build" lines of the module info (runtime/debug
 * ParseBuildInfo's format, tab-separated). */
static enum status parse_modinfo(const char *mod, struct gobuildinfo *bi, struct diag *d,
				 const char *name)
{
	for (const char *line = mod; *line;) {
		size_t len = strcspn(line, "\n");
		const char *tab = memchr(line, '\t', len), *rest = tab ? tab + 1 : NULL;
		size_t klen = tab ? (size_t)(tab - line) : 0, rlen = tab ? len - klen - 1 : 0;
		bool nomem = false;

		if (tab && klen == 4 && !memcmp(line, "path", 4) && !bi->path) {
			nomem = !(bi->path = dup_n(rest, rlen));
		} else if (tab && klen == 3 && !memcmp(line, "mod", 3) && !bi->mod_path) {
			size_t plen = strcspn(rest, "\t\n");
			const char *ver = rest + plen;
			size_t vlen = *ver == '\t' ? strcspn(ver + 1, "\t\n") : 0;
			nomem = !(bi->mod_path = dup_n(rest, plen)) ||
				!(bi->mod_version = dup_n(vlen ? ver + 1 : "", vlen));
		} else if (tab && klen == 5 && !memcmp(line, "build", 5) &&
			   bi->nsettings < GOBUILDINFO_MAX_SETTINGS) {
			char **v = realloc(bi->settings, (bi->nsettings + 1) * sizeof(*v));
			nomem = !v;
			if (v) {
				bi->settings = v;
				nomem = !(v[bi->nsettings] = dup_n(rest, rlen));
				bi->nsettings += !nomem;
			}
		}
		if (nomem)
			return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", name);
		line += len + (line[len] == '\n');
	}
	return STATUS_OK;
}

/* Decodes the blob whose header is at addr into bi. */
static enum status decode_blob(const struct image *im, uint64_t addr, struct gobuildinfo *bi,
			       struct diag *d)
{
	unsigned char h[HEADER_SIZE];
	char *mod = NULL;
	size_t vlen = 0, mlen = 0;
	enum status st = read_at(im, addr, HEADER_SIZE, h, "build info header", d);

	if (st != STATUS_OK)
		return st;
	if (h[15] & FLAG_INLINE) {
		uint64_t at = addr + HEADER_SIZE;
		bi->inline_strings = true;
		st = inline_str(im, &at, GOBUILDINFO_MAX_VERSION, "version string", &bi->version, &vlen, d);
		if (st == STATUS_OK)
			st = inline_str(im, &at, GOBUILDINFO_MAX_MODINFO, "module info", &mod, &mlen, d);
	} else {
		unsigned ps = h[14];
		bool big = h[15] & FLAG_BIG_ENDIAN;
		if (ps != 4 && ps != 8)
			return diag_set(d, STATUS_ERR_NOT_GO, "%s: no Go build info: pointer size %u (not 4 or 8)",
					im->src->name, ps);
		st = pointer_str(im, ptr_at(h + 16, ps, big), ps, big, GOBUILDINFO_MAX_VERSION,
				 "version string", &bi->version, &vlen, d);
		/* Like go version: module info that cannot be read is absent. */
		if (st == STATUS_OK &&
		    pointer_str(im, ptr_at(h + 16 + ps, ps, big), ps, big, GOBUILDINFO_MAX_MODINFO,
				"module info", &mod, &mlen, NULL) != STATUS_OK)
			mod = NULL, mlen = 0;
	}
	if (st == STATUS_OK && (!vlen || strlen(bi->version) != vlen))
		st = diag_set(d, STATUS_ERR_NOT_GO, "%s: no Go build info: the version string is %s",
			      im->src->name, vlen ? "not text" : "empty");
	/* Strip the sentinels (cmd/go's infoStart and infoEnd; they may hold
	 * NUL bytes, the text between them does not). */
	if (st == STATUS_OK && mlen >= 2 * MODINFO_SENTINEL + 1 && mod[mlen - MODINFO_SENTINEL - 1] == '\n') {
		mod[mlen - MODINFO_SENTINEL - 1] = '\0';
		st = parse_modinfo(mod + MODINFO_SENTINEL, bi, d, im->src->name);
	}
	free(mod);
	return st;
}

/* GOOS from the settings, else what the headers say: Mach-O is darwin;
 * an ELF file is linux unless it carries a BSD's mark. */
static void set_goos(struct gobuildinfo *bi, const struct image *im)
{
	const char *goos = gobuildinfo_setting(bi, "GOOS");

	bi->goos_inferred = !goos;
	if (!goos && im->macho)
		goos = "darwin";
	else if (!goos && im->elf->osabi == 9)
		goos = "freebsd";
	else if (!goos && elf_section_named(im->elf, ".note.netbsd.ident"))
		goos = "netbsd";
	else if (!goos && elf_section_named(im->elf, ".note.openbsd.ident"))
		goos = "openbsd";
	else if (!goos)
		goos = "linux";
	snprintf(bi->goos, sizeof(bi->goos), "%s", goos);
}

static enum status read_image(const struct image *im, bool search, struct gobuildinfo *bi,
			      struct diag *d)
{
	uint64_t start = 0, size = 0, addr = 0, budget = GOBUILDINFO_MAX_SEARCH;
	enum status st = STATUS_OK;
	size_t k = 0;

	if (!blob_region(im, search, 0, &start, &size))
		return diag_set(d, STATUS_ERR_NOT_GO, "%s: no Go build info (no %s section)", im->src->name,
				im->elf ? ".go.buildinfo" : "__go_buildinfo");
	while (st == STATUS_OK && !addr && blob_region(im, search, k++, &start, &size))
		st = find_magic(im, start, size, &budget, &addr, d);
	if (st == STATUS_OK && !addr)
		st = diag_set(d, STATUS_ERR_NOT_GO, "%s: no Go build info (no \"\\xff Go buildinf:\" header in its data)",
			      im->src->name);
	if (st == STATUS_OK)
		st = decode_blob(im, addr, bi, d);
	if (st == STATUS_OK)
		set_goos(bi, im);
	return st;
}

enum status gobuildinfo_parse_src(const struct binsrc *src, bool search, struct gobuildinfo *out,
				  struct diag *d)
{
	struct gobuildinfo bi = {0};
	struct image im = {src, NULL, NULL};
	unsigned char head[4] = {0};
	enum status st;

	memset(out, 0, sizeof(*out));
	if (src->size >= 4 && (st = binsrc_copy(src, 0, 4, head, d)) != STATUS_OK)
		return st;
	if (!memcmp(head, "\x7f" "ELF", 4)) {
		struct elf_info ei;
		st = elf_parse_src(src, &ei, d);
		if (st != STATUS_OK)
			return st;
		snprintf(bi.format, sizeof(bi.format), "ELF");
		snprintf(bi.arch, sizeof(bi.arch), "%s", ei.arch);
		im.elf = &ei;
		st = read_image(&im, search, &bi, d);
		elf_info_free(&ei);
	} else {
		struct macho_info mi;
		st = macho_parse_src(src, false, &mi, d);
		if (st == STATUS_ERR_NOT_MACHO) {
			if (src->size < 4)
				return diag_set(d, STATUS_ERR_NOT_GO, "%s: not an ELF or Mach-O file (%llu bytes)",
						src->name, (unsigned long long)src->size);
			return diag_set(d, STATUS_ERR_NOT_GO, "%s: not an ELF or Mach-O file (starts with 0x%02x%02x%02x%02x)",
					src->name, head[0], head[1], head[2], head[3]);
		}
		if (st != STATUS_OK)
			return st;
		snprintf(bi.format, sizeof(bi.format), "Mach-O");
		snprintf(bi.arch, sizeof(bi.arch), "%s", mi.slices[0].arch);
		im.macho = &mi.slices[0];
		st = read_image(&im, search, &bi, d);
		macho_info_free(&mi);
	}
	if (st != STATUS_OK) {
		gobuildinfo_free(&bi);
		return st;
	}
	*out = bi;
	return STATUS_OK;
}

enum status gobuildinfo_parse(const unsigned char *buf, size_t len, const char *name,
			      struct gobuildinfo *out, struct diag *d)
{
	struct binsrc src;

	binsrc_mem(&src, buf, len, name);
	return gobuildinfo_parse_src(&src, true, out, d);
}

static enum status parse_searching(const struct binsrc *src, void *out, struct diag *d)
{
	return gobuildinfo_parse_src(src, true, out, d);
}

enum status gobuildinfo_read_file(const char *path, struct gobuildinfo *out, struct diag *d)
{
	memset(out, 0, sizeof(*out));
	return binsrc_parse_file(path, parse_searching, out, d);
}

void gobuildinfo_free(struct gobuildinfo *bi)
{
	for (size_t i = 0; i < bi->nsettings; i++)
		free(bi->settings[i]);
	free(bi->settings);
	free(bi->version);
	free(bi->path);
	free(bi->mod_path);
	free(bi->mod_version);
	memset(bi, 0, sizeof(*bi));
}

const char *gobuildinfo_setting(const struct gobuildinfo *bi, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < bi->nsettings; i++)
		if (!strncmp(bi->settings[i], key, klen) && bi->settings[i][klen] == '=')
			return bi->settings[i] + klen + 1;
	return NULL;
}

/* Whether the file at path starts like an ELF or Mach-O file: a cheap
 * test before reading any headers. */
static bool binary_magic(const char *path)
{
	unsigned char m[4];
	FILE *fp = fopen(path, "rb");
	bool yes = false;

	if (!fp)
		return false;
	if (fread(m, 1, 4, fp) == 4) {
		uint32_t be = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
		yes = !memcmp(m, "\x7f" "ELF", 4) || be == 0xfeedfaceu || be == 0xfeedfacfu ||
		      be == 0xcefaedfeu || be == 0xcffaedfeu || be == 0xcafebabeu || be == 0xcafebabfu;
	}
	fclose(fp);
	return yes;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir (no dot files), sorted, at most max; NULL on failure
 * with *n = 0 (errno set by opendir). */
static char **list_dir(const char *dir, size_t max, size_t *n)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char **names = NULL;

	*n = 0;
	if (!dp)
		return NULL;
	names = calloc(max ? max : 1, sizeof(*names));
	while (names && (e = readdir(dp)) && *n < max) {
		if (e->d_name[0] == '.')
			continue;
		if (!(names[*n] = strdup(e->d_name)))
			break;
		(*n)++;
	}
	closedir(dp);
	if (names)
		qsort(names, *n, sizeof(*names), cmp_name);
	return names;
}

/* The Go binaries among the executable regular files of dir/sub; *budget
 * counts the files still to consider. */
static enum status scan_one(const char *dir, const char *sub, unsigned *budget, struct facts *f,
			    struct diag *d)
{
	char base[4096], path[4096 + 256], item[512];
	size_t n;
	char **names;
	enum status st = STATUS_OK;

	snprintf(base, sizeof(base), "%s%s%s", dir, *sub ? "/" : "", sub);
	names = list_dir(base, 4096, &n);
	if (!names)
		return *sub ? STATUS_OK : diag_set(d, STATUS_ERR_IO, "%s: cannot read the directory", dir);
	for (size_t i = 0; i < n && *budget && st == STATUS_OK; i++) {
		struct stat sb;
		struct gobuildinfo bi;
		struct binsrc src;
		snprintf(path, sizeof(path), "%s/%s", base, names[i]);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || !(sb.st_mode & 0111))
			continue;
		(*budget)--;
		if (!binary_magic(path) || binsrc_open(&src, path, NULL) != STATUS_OK)
			continue;
		st = gobuildinfo_parse_src(&src, false, &bi, NULL);
		binsrc_close(&src);
		if (st != STATUS_OK) {
			st = st == STATUS_ERR_NOMEM ? diag_set(d, st, "%s: out of memory", path) : STATUS_OK;
			continue;
		}
		if (snprintf(item, sizeof(item), "%s%s%s %s", sub, *sub ? "/" : "", names[i], bi.version) <
		    (int)sizeof(item))
			st = facts_list_add(f, "project.go.binaries", item);
		gobuildinfo_free(&bi);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return st;
}

enum status gobuildinfo_scan_dir(const char *dir, struct facts *f, struct diag *d)
{
	unsigned budget = GOBUILDINFO_SCAN_MAX_FILES;
	enum status st = facts_set_list(f, "project.go.binaries", NULL, 0);

	if (st == STATUS_OK)
		st = scan_one(dir, "", &budget, f, d);
	if (st == STATUS_OK)
		st = scan_one(dir, "bin", &budget, f, d);
	return st;
}
