/* cpu_x86.c - libcpuid wrapper. */
#include "cpu_x86.h"

#include "config.h"

#if QUIRK_HAVE_LIBCPUID
#include <libcpuid.h>
#include <string.h>

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
