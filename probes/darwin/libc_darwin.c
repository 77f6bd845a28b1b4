/* libc_darwin.c - macOS has its own C library (libSystem), neither glibc
 * nor musl. */
#include "../host.h"

enum status host_libc_collect(const struct host_ctx *ctx, struct facts *f)
{
	enum status st;

	if (!ctx->live)
		return STATUS_OK;
	st = facts_set_null(f, "libc.name");
	return st == STATUS_OK ? facts_set_null(f, "libc.version") : st;
}
