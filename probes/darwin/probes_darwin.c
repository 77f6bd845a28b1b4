/* probes_darwin.c - probes whose bugs live in Linux do not apply here. */
#include "../probe_impl.h"

enum probe_status probe_ymm_signal(struct probe_ctx *c)
{
	return probe_finish(c, PROBE_NOT_APPLICABLE, "the bug is in Linux's x86 signal code");
}

enum probe_status probe_mmap_fixed(struct probe_ctx *c)
{
	return probe_finish(c, PROBE_NOT_APPLICABLE, "the probe speaks the Linux mmap ABI");
}
