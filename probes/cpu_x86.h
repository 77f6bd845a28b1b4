/* cpu_x86.h - x86 CPU identity through libcpuid (live CPUID or a raw dump). */
#ifndef QUIRK_CPU_X86_H
#define QUIRK_CPU_X86_H

#include "facts.h"
#include "host.h"

/* Sets cpu.vendor, cpu.brand, cpu.codename, cpu.family, cpu.model,
 * cpu.stepping, and cpu.flags unless the kernel's view already set them.
 * Live: does nothing on hosts without CPUID. With ctx->cpuid_dump:
 * STATUS_ERR_PARSE (d names the file) if libcpuid cannot load it;
 * STATUS_ERR_UNSUPPORTED if quirk was built without libcpuid. */
enum status cpu_x86_collect(const struct host_ctx *ctx, struct facts *f,
			    struct diag *d);

#endif
