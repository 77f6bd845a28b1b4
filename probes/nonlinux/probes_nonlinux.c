/* probes_nonlinux.c - probes whose bugs live in Linux: not applicable on macOS and elsewhere. */
#include "../probe_impl.h"

enum probe_status probe_ymm_signal(struct probe_ctx *c)
{
	return probe_finish(c, PROBE_NOT_APPLICABLE, "the bug is in Linux's x86 signal code");
}

enum probe_status probe_mmap_fixed(struct probe_ctx *c)
{
	return probe_finish(c, PROBE_NOT_APPLICABLE, "the probe speaks the Linux mmap ABI");
}

enum probe_status probe_clone3(struct probe_ctx *c)
{
	return probe_finish(c, PROBE_NOT_APPLICABLE, "clone3 is a Linux system call");
}

enum probe_status probe_vsyscall(struct probe_ctx *c)
{
	return probe_finish(c, PROBE_NOT_APPLICABLE, "the vsyscall page is a Linux x86-64 interface");
}
