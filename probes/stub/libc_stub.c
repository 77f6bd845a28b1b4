/* libc_stub.c - other hosts: the C library stays unknown unless ldd
 * answers (tools.c). */
#include "../host.h"

enum status host_libc_collect(const struct host_ctx *ctx, struct facts *f)
{
	(void)ctx;
	(void)f;
	return STATUS_OK;
}
