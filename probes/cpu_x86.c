/* cpu_x86.c - libcpuid wrapper. */
#include "cpu_x86.h"

#include "config.h"

#if QUIRK_HAVE_LIBCPUID
#include <libcpuid.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "text.h"

#define DUMP_MAX (1u << 20) /* a dump of many CPUs is tens of KiB */
#define DUMP_LEAVES 32      /* libcpuid keeps 32 basic and 32 extended leaves */
#define EXT_BASE 0x80000000u

/* Notes one line of a libcpuid raw dump ("basic_cpuid[N]=A B C D",
 * "ext_cpuid[N]=...") or of an AIDA64 one ("CPUID 0000000N: A-B-C-D"):
 * which leaf it gives, and the highest leaf leaf 0 and 0x80000000 name. */
static void dump_line(const char *line, bool *basic, bool *ext, unsigned *max_basic, unsigned *max_ext)
{
	unsigned i, a, b, c, dd;

	if (sscanf(line, "basic_cpuid[%u]=%x %x %x %x", &i, &a, &b, &c, &dd) == 5 && i < DUMP_LEAVES) {
		basic[i] = true;
	} else if (sscanf(line, "ext_cpuid[%u]=%x %x %x %x", &i, &a, &b, &c, &dd) == 5 && i < DUMP_LEAVES) {
		ext[i] = true;
		i += EXT_BASE;
	} else if (sscanf(line, "CPUID %x: %x-%x-%x-%x", &i, &a, &b, &c, &dd) == 5) {
		if (i < DUMP_LEAVES)
			basic[i] = true;
		else if (i >= EXT_BASE && i - EXT_BASE < DUMP_LEAVES)
			ext[i - EXT_BASE] = true;
	} else {
		return;
	}
	if (i == 0)
		*max_basic = a;
	else if (i == EXT_BASE)
		*max_ext = a;
}

/* libcpuid reads any file (/dev/zero for ever) and takes a leaf the dump
 * lacks as zeros: a dump cut short would give a CPU without its brand or
 * flags. So the dump must hold every leaf its leaves 0 and 0x80000000
 * announce (up to the 32 of each that libcpuid keeps). */
static enum status dump_check(const char *path, struct diag *d)
{
	bool basic[DUMP_LEAVES] = {false}, ext[DUMP_LEAVES] = {false};
	unsigned max_basic = 0, max_ext = 0;
	char *text = NULL, *save = NULL;
	size_t len = 0;
	enum status st = fileio_read(path, DUMP_MAX, &text, &len, d);

	if (st == STATUS_ERR_TOO_LARGE)
		return diag_set(d, STATUS_ERR_PARSE, "%s: larger than 1 MiB; not a CPUID dump", path);
	if (st != STATUS_OK)
		return st;
	if ((st = text_check(path, text, len, "a CPUID dump", d)) != STATUS_OK) {
		free(text);
		return st;
	}
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		dump_line(line, basic, ext, &max_basic, &max_ext);
	free(text);
	if (!basic[0])
		return diag_set(d, STATUS_ERR_PARSE, "%s: not a CPUID dump (no basic_cpuid[0]= line, as cpuid_tool --save"
				" writes, nor an AIDA64 CPUID 00000000: line)", path);
	for (unsigned i = 1; i <= max_basic && i < DUMP_LEAVES; i++)
		if (!basic[i])
			return diag_set(d, STATUS_ERR_PARSE, "%s: CPUID leaf 0x%x is missing (leaf 0 announces 0x%x): the"
					" dump is cut short", path, i, max_basic);
	if (!ext[0])
		return diag_set(d, STATUS_ERR_PARSE, "%s: CPUID leaf 0x%x is missing: the dump is cut short", path,
				EXT_BASE);
	for (unsigned i = 1; max_ext > EXT_BASE && i <= max_ext - EXT_BASE && i < DUMP_LEAVES; i++)
		if (!ext[i])
			return diag_set(d, STATUS_ERR_PARSE, "%s: CPUID leaf 0x%x is missing (leaf 0x%x announces 0x%x):"
					" the dump is cut short", path, EXT_BASE + i, EXT_BASE, max_ext);
	return STATUS_OK;
}

/* libcpuid warns on stderr by default; probes never print. */
static void quiet(const char *msg)
{
	(void)msg;
}

enum status cpu_x86_collect(const struct host_ctx *ctx, struct facts *f,
			    struct diag *d)
{
	struct cpu_raw_data_t raw;
	struct cpu_id_t id;
	enum status st;

	cpuid_set_warn_function(quiet);
	if (ctx->cpuid_dump) {
		if ((st = dump_check(ctx->cpuid_dump, d)) != STATUS_OK)
			return st;
		if (cpuid_deserialize_raw_data(&raw, ctx->cpuid_dump) != 0)
			return diag_set(d, STATUS_ERR_PARSE,
					"%s: not a libcpuid raw dump (%s)",
					ctx->cpuid_dump, cpuid_error());
	} else {
		if (!ctx->live || !cpuid_present())
			return STATUS_OK;
		if (cpuid_get_raw_data(&raw) != 0)
			return STATUS_OK;
	}
	if (cpu_identify(&raw, &id) != 0) {
		if (ctx->cpuid_dump)
			return diag_set(d, STATUS_ERR_PARSE, "%s: %s",
					ctx->cpuid_dump, cpuid_error());
		return STATUS_OK;
	}
	st = facts_set_str(f, "cpu.vendor", id.vendor_str);
	if (st == STATUS_OK)
		st = facts_set_str(f, "cpu.brand", id.brand_str);
	if (st == STATUS_OK && id.cpu_codename[0])
		st = facts_set_str(f, "cpu.codename", id.cpu_codename);
	/* libcpuid's ext_family/ext_model are the display values that
	 * vendors' documents and /proc/cpuinfo use. */
	if (st == STATUS_OK)
		st = facts_set_num(f, "cpu.family", id.ext_family);
	if (st == STATUS_OK)
		st = facts_set_num(f, "cpu.model", id.ext_model);
	if (st == STATUS_OK)
		st = facts_set_num(f, "cpu.stepping", id.stepping);
	if (st == STATUS_OK && !facts_get(f, "cpu.arch"))
		st = facts_set_str(f, "cpu.arch", "x86_64");
	/* The kernel's flags (cpuinfo) say what programs may use; CPUID
	 * alone says what the silicon has. Prefer the kernel's view. */
	if (st == STATUS_OK && !facts_get(f, "cpu.flags")) {
		st = facts_set_list(f, "cpu.flags", NULL, 0);
		for (int i = 0; i < NUM_CPU_FEATURES && st == STATUS_OK; i++)
			if (id.flags[i])
				st = facts_list_add(f, "cpu.flags",
						    cpu_feature_str((cpu_feature_t)i));
	}
	return st;
}
#else
enum status cpu_x86_collect(const struct host_ctx *ctx, struct facts *f,
			    struct diag *d)
{
	(void)f;
	if (ctx->cpuid_dump)
		return diag_set(d, STATUS_ERR_UNSUPPORTED,
				"%s: quirk was built without libcpuid",
				ctx->cpuid_dump);
	return STATUS_OK;
}
#endif
