/* macho_sig.c - the embedded code signature: SuperBlob, CodeDirectory, entitlements. */
#include "macho.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <plist/plist.h>

/* Magics and slot numbers from xnu's osfmk/kern/cs_blobs.h. The signature
 * is big-endian whatever the byte order of the Mach-O around it. */
#define CSMAGIC_REQUIREMENTS 0xfade0c01u
#define CSMAGIC_CODEDIRECTORY 0xfade0c02u
#define CSMAGIC_EMBEDDED_SIGNATURE 0xfade0cc0u
#define CSMAGIC_EMBEDDED_ENTITLEMENTS 0xfade7171u
#define CSMAGIC_EMBEDDED_DER_ENTITLEMENTS 0xfade7172u
#define CSMAGIC_BLOBWRAPPER 0xfade0b01u

#define CSSLOT_CODEDIRECTORY 0u
#define CSSLOT_REQUIREMENTS 2u
#define CSSLOT_ENTITLEMENTS 5u
#define CSSLOT_DER_ENTITLEMENTS 7u
#define CSSLOT_ALTERNATE_CODEDIRECTORIES 0x1000u
#define CSSLOT_ALTERNATE_CODEDIRECTORY_MAX 5u
#define CSSLOT_SIGNATURESLOT 0x10000u

#define SUPERBLOB_HEADER 12u
#define BLOB_INDEX_SIZE 8u
#define BLOB_HEADER 8u
#define CD_HEADER_EARLIEST 44u /* magic .. spare2 */
#define CD_TEAM_OFFSET 48u
#define CD_HEADER_WITH_TEAM 52u
#define CD_VERSION_TEAM 0x20200u

#define ENT_ALLOW_JIT "com.apple.security.cs.allow-jit"
#define ENT_ALLOW_UNSIGNED "com.apple.security.cs.allow-unsigned-executable-memory"
#define ENT_DISABLE_PAGE_PROT "com.apple.security.cs.disable-executable-page-protection"

struct blob {
	uint32_t type, off, len;
};

/* What one CodeDirectory says; the primary one ends up in the slice. */
struct cd_facts {
	uint32_t version, flags;
	char identifier[256];
	char team_id[64];
};

uint32_t macho_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

enum status macho_bad(struct diag *d, const char *where, const char *fmt, ...)
{
	char prefix[600];
	va_list ap;
	enum status st;

	snprintf(prefix, sizeof(prefix), "%s: ", where);
	va_start(ap, fmt);
	st = diag_setv_prefixed(d, STATUS_ERR_MACHO, prefix, fmt, ap);
	va_end(ap);
	return st;
}

static bool is_cd_slot(uint32_t type)
{
	return type == CSSLOT_CODEDIRECTORY ||
	       (type >= CSSLOT_ALTERNATE_CODEDIRECTORIES &&
		type < CSSLOT_ALTERNATE_CODEDIRECTORIES + CSSLOT_ALTERNATE_CODEDIRECTORY_MAX);
}

/* Copies the NUL-terminated string at off inside the CodeDirectory. It
 * must start after the fixed header and end inside the blob. */
static enum status cd_string(const unsigned char *cd, uint32_t len, uint32_t off,
			     const char *what, char *out, size_t cap, const char *where,
			     uint32_t slot, struct diag *d)
{
	const unsigned char *nul;

	if (off < CD_HEADER_EARLIEST)
		return macho_bad(d, where, "CodeDirectory (slot 0x%x): %s offset %u points into its header",
			   slot, what, off);
	if (off >= len)
		return macho_bad(d, where, "CodeDirectory (slot 0x%x): %s offset %u is past its length %u",
			   slot, what, off, len);
	nul = memchr(cd + off, '\0', len - off);
	if (!nul)
		return macho_bad(d, where, "CodeDirectory (slot 0x%x): %s is not NUL-terminated within the blob",
			   slot, what);
	if ((size_t)(nul - (cd + off)) >= cap)
		return macho_bad(d, where, "CodeDirectory (slot 0x%x): %s is longer than %zu bytes",
			   slot, what, cap - 1);
	memcpy(out, cd + off, (size_t)(nul - (cd + off)) + 1);
	return STATUS_OK;
}

static enum status parse_cd(const unsigned char *cd, uint32_t len, uint32_t slot,
			    const char *where, struct cd_facts *cf, struct diag *d)
{
	uint32_t team_off = 0;
	enum status st;

	if (len < CD_HEADER_EARLIEST)
		return macho_bad(d, where, "CodeDirectory (slot 0x%x): length %u is shorter than its %u-byte header",
			   slot, len, CD_HEADER_EARLIEST);
	cf->version = macho_be32(cd + 8);
	cf->flags = macho_be32(cd + 12);
	if (cf->version >= CD_VERSION_TEAM) {
		if (len < CD_HEADER_WITH_TEAM)
			return macho_bad(d, where, "CodeDirectory (slot 0x%x): version 0x%x but length %u leaves no room for teamOffset",
				   slot, cf->version, len);
		team_off = macho_be32(cd + CD_TEAM_OFFSET);
	}
	st = cd_string(cd, len, macho_be32(cd + 20), "identifier", cf->identifier,
		       sizeof(cf->identifier), where, slot, d);
	cf->team_id[0] = '\0';
	if (st == STATUS_OK && team_off)
		st = cd_string(cd, len, team_off, "team id", cf->team_id, sizeof(cf->team_id),
			       where, slot, d);
	return st;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keys of dict whose value is boolean true, sorted, into s. */
static enum status true_keys(plist_t dict, struct macho_slice *s, const char *where,
			     struct diag *d)
{
	plist_dict_iter it = NULL;
	size_t cap = 0;

	plist_dict_new_iter(dict, &it);
	if (!it)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", where);
	for (;;) {
		char *key = NULL;
		plist_t val = NULL;
		uint8_t on = 0;

		plist_dict_next_item(dict, it, &key, &val);
		if (!val) {
			free(key);
			break;
		}
		if (plist_get_node_type(val) == PLIST_BOOLEAN)
			plist_get_bool_val(val, &on);
		if (!on || !key) {
			free(key);
			continue;
		}
		if (s->nentitlements == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **nv = realloc(s->entitlements, ncap * sizeof(*nv));
			if (!nv) {
				free(key);
				free(it);
				return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", where);
			}
			s->entitlements = nv;
			cap = ncap;
		}
		s->entitlements[s->nentitlements++] = key;
	}
	free(it);
	if (s->nentitlements)
		qsort(s->entitlements, s->nentitlements, sizeof(*s->entitlements), cmp_str);
	return STATUS_OK;
}

/* libplist parses nesting iteratively but frees it recursively, so a
 * deep enough plist overflows the stack (libplist 2.2 crashes between
 * 100k and 1M levels). Entitlements are a small dict with a few arrays:
 * counting every "<array" and "<dict" bounds the depth whatever comments
 * or CDATA around them try to hide, and the size cap bounds the time. */
static bool plist_safe(const char *x, size_t n)
{
	size_t containers = 0;

	if (n > MACHO_MAX_ENTITLEMENTS_XML)
		return false;
	for (const char *p = x; (p = memchr(p, '<', n - (size_t)(p - x))); p++) {
		size_t left = n - (size_t)(p - x);
		if (((left >= 6 && !memcmp(p, "<array", 6)) || (left >= 5 && !memcmp(p, "<dict", 5))) &&
		    ++containers > MACHO_MAX_PLIST_CONTAINERS)
			return false;
	}
	return true;
}

/* The XML entitlements blob. A plist that does not parse is kept as text
 * and flagged: it says something about the signer, not about our input. */
static enum status parse_entitlements(const unsigned char *b, uint32_t len, const char *where,
				      struct macho_slice *s, struct diag *d)
{
	size_t n = len - BLOB_HEADER;
	plist_t root = NULL;
	enum status st = STATUS_OK;

	s->entitlements_xml = malloc(n + 1);
	if (!s->entitlements_xml)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", where);
	memcpy(s->entitlements_xml, b + BLOB_HEADER, n);
	s->entitlements_xml[n] = '\0';
	if (n > 0 && plist_safe(s->entitlements_xml, n))
		plist_from_xml(s->entitlements_xml, (uint32_t)n, &root);
	if (!root || plist_get_node_type(root) != PLIST_DICT)
		s->entitlements_malformed = true;
	else
		st = true_keys(root, s, where, d);
	if (root)
		plist_free(root);
	return st;
}

/* Checks the index and every blob's bounds before anything is read
 * through it: offsets inside the blob area, lengths at least a header,
 * no slot twice, no two blobs sharing bytes (which would make one blob
 * readable as another). */
static enum status read_index(const unsigned char *sig, uint32_t length, uint32_t count,
			      const char *where, struct blob *v, struct diag *d)
{
	uint32_t index_end = SUPERBLOB_HEADER + count * BLOB_INDEX_SIZE;

	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *e = sig + SUPERBLOB_HEADER + i * BLOB_INDEX_SIZE;
		struct blob *b = &v[i];

		b->type = macho_be32(e);
		b->off = macho_be32(e + 4);
		if (b->off < index_end || b->off > length - BLOB_HEADER)
			return macho_bad(d, where, "SuperBlob entry %u (slot 0x%x): offset %u is outside the blob area (%u to %u)",
				   i, b->type, b->off, index_end, length - BLOB_HEADER);
		b->len = macho_be32(sig + b->off + 4);
		if (b->len < BLOB_HEADER)
			return macho_bad(d, where, "blob of slot 0x%x: length %u is smaller than its 8-byte header",
				   b->type, b->len);
		if (b->len > length - b->off)
			return macho_bad(d, where, "blob of slot 0x%x: length %u at offset %u runs past the SuperBlob's end (%u)",
				   b->type, b->len, b->off, length);
		for (uint32_t j = 0; j < i; j++) {
			if (v[j].type == b->type)
				return macho_bad(d, where, "SuperBlob lists slot 0x%x twice", b->type);
			if (b->off < v[j].off + v[j].len && v[j].off < b->off + b->len)
				return macho_bad(d, where, "blobs of slots 0x%x and 0x%x overlap (offsets %u and %u)",
					   v[j].type, b->type, v[j].off, b->off);
		}
	}
	return STATUS_OK;
}

static uint32_t want_magic(uint32_t type)
{
	if (is_cd_slot(type))
		return CSMAGIC_CODEDIRECTORY;
	switch (type) {
	case CSSLOT_REQUIREMENTS: return CSMAGIC_REQUIREMENTS;
	case CSSLOT_ENTITLEMENTS: return CSMAGIC_EMBEDDED_ENTITLEMENTS;
	case CSSLOT_DER_ENTITLEMENTS: return CSMAGIC_EMBEDDED_DER_ENTITLEMENTS;
	case CSSLOT_SIGNATURESLOT: return CSMAGIC_BLOBWRAPPER;
	default: return 0; /* a slot we do not read */
	}
}

enum status macho_sig_parse(const unsigned char *sig, size_t sig_len, const char *where,
			    struct macho_slice *s, struct diag *d)
{
	struct blob v[MACHO_MAX_BLOBS];
	struct cd_facts primary = {0}, alt;
	uint32_t length, count, primary_slot = UINT32_MAX;
	enum status st;

	if (sig_len < SUPERBLOB_HEADER)
		return macho_bad(d, where, "code signature is %zu bytes, shorter than a SuperBlob header", sig_len);
	if (macho_be32(sig) != CSMAGIC_EMBEDDED_SIGNATURE)
		return macho_bad(d, where, "code signature starts with 0x%08x, not the SuperBlob magic 0xfade0cc0",
			   macho_be32(sig));
	length = macho_be32(sig + 4);
	count = macho_be32(sig + 8);
	/* The load command's size may include padding after the SuperBlob. */
	if (length < SUPERBLOB_HEADER || length > sig_len)
		return macho_bad(d, where, "SuperBlob length %u is outside the %zu bytes of LC_CODE_SIGNATURE data",
			   length, sig_len);
	if (count > MACHO_MAX_BLOBS)
		return macho_bad(d, where, "SuperBlob count %u is too large (at most %d)", count, MACHO_MAX_BLOBS);
	if (count > (length - SUPERBLOB_HEADER) / BLOB_INDEX_SIZE)
		return macho_bad(d, where, "SuperBlob index of %u entries does not fit in its length %u",
			   count, length);
	st = read_index(sig, length, count, where, v, d);
	if (st != STATUS_OK)
		return st;

	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *b = sig + v[i].off;
		uint32_t magic = macho_be32(b), want = want_magic(v[i].type);

		if (want && magic != want)
			return macho_bad(d, where, "blob of slot 0x%x has magic 0x%08x, expected 0x%08x",
				   v[i].type, magic, want);
		if (is_cd_slot(v[i].type)) {
			/* Every CodeDirectory is checked; the lowest slot is the
			 * primary (slot 0, else the first alternate). */
			bool first = v[i].type < primary_slot;
			st = parse_cd(b, v[i].len, v[i].type, where, first ? &primary : &alt, d);
			if (st != STATUS_OK)
				return st;
			if (first)
				primary_slot = v[i].type;
		} else if (v[i].type == CSSLOT_ENTITLEMENTS) {
			st = parse_entitlements(b, v[i].len, where, s, d);
			if (st != STATUS_OK)
				return st;
		} else if (v[i].type == CSSLOT_DER_ENTITLEMENTS) {
			s->has_entitlements_der = true;
		} else if (v[i].type == CSSLOT_SIGNATURESLOT) {
			/* Ad-hoc signatures carry an empty wrapper: no signer. */
			s->has_cms = v[i].len > BLOB_HEADER;
		}
	}
	if (primary_slot == UINT32_MAX)
		return macho_bad(d, where, "code signature has no CodeDirectory");
	s->is_signed = true;
	s->cd_version = primary.version;
	s->cd_flags = primary.flags;
	s->adhoc = primary.flags & MACHO_CS_ADHOC;
	s->linker_signed = primary.flags & MACHO_CS_LINKER_SIGNED;
	s->hardened_runtime = primary.flags & MACHO_CS_RUNTIME;
	memcpy(s->identifier, primary.identifier, sizeof(s->identifier));
	memcpy(s->team_id, primary.team_id, sizeof(s->team_id));
	return STATUS_OK;
}

void macho_slice_clear(struct macho_slice *s)
{
	for (size_t i = 0; i < s->nentitlements; i++)
		free(s->entitlements[i]);
	free(s->entitlements);
	free(s->entitlements_xml);
	free(s->segments);
	free(s->sections);
	s->entitlements = NULL;
	s->nentitlements = 0;
	s->entitlements_xml = NULL;
	s->segments = NULL;
	s->sections = NULL;
	s->nsegments = s->nsections = 0;
}

bool macho_slice_has_entitlement(const struct macho_slice *s, const char *key)
{
	return s->nentitlements &&
	       bsearch(&key, s->entitlements, s->nentitlements, sizeof(*s->entitlements), cmp_str);
}

const char *macho_jit_verdict(const struct macho_slice *s, bool *jit_ok, bool *wasmtime_ok)
{
	/* Apple's cascade: each entitlement is a superset of the one before
	 * (allow-jit < allow-unsigned-executable-memory < disable-executable-
	 * page-protection). Wasmtime maps code without MAP_JIT, so it needs
	 * the second. */
	bool jit = macho_slice_has_entitlement(s, ENT_ALLOW_JIT);
	bool unsigned_mem = macho_slice_has_entitlement(s, ENT_ALLOW_UNSIGNED);
	bool no_prot = macho_slice_has_entitlement(s, ENT_DISABLE_PAGE_PROT);
	bool j = true, w = true;
	const char *msg;

	if (!s->is_signed && s->cputype == 0x0100000cu) {
		msg = "not signed: code generation is not restricted by a signature, but macOS on "
		      "Apple silicon runs no unsigned arm64 code (an ad-hoc signature is enough: "
		      "codesign -s -)";
	} else if (!s->is_signed) {
		msg = "not signed: code generation is not restricted by a signature";
	} else if (!s->hardened_runtime) {
		msg = "not hardened: code generation is not restricted by the signature";
	} else if (unsigned_mem) {
		msg = "hardened runtime with allow-unsigned-executable-memory: "
		      "Wasmtime-style code generation is allowed";
	} else if (no_prot) {
		msg = "hardened runtime with disable-executable-page-protection: "
		      "Wasmtime-style code generation is allowed";
	} else if (jit) {
		w = false;
		msg = "hardened runtime with allow-jit but without allow-unsigned-executable-memory: "
		      "MAP_JIT code generation (V8, JavaScriptCore) is allowed, Wasmtime's (no MAP_JIT) "
		      "will be killed (SIGKILL, Code Signature Invalid)";
	} else {
		j = w = false;
		msg = "hardened runtime without com.apple.security.cs.allow-jit or "
		      "allow-unsigned-executable-memory: generating code will be killed "
		      "(SIGKILL, Code Signature Invalid)";
	}
	if (jit_ok)
		*jit_ok = j;
	if (wasmtime_ok)
		*wasmtime_ok = w;
	return msg;
}
