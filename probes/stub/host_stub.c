/* host_stub.c - hosts quirk has no collector for: only what POSIX tells. */
#include "../host.h"

enum status host_os_collect(const struct host_ctx *ctx, struct facts *f,
			    struct diag *d)
{
	enum status st;

	(void)d;
	if (!ctx->live)
		return STATUS_OK;
	st = host_uname(f, NULL);
	return st == STATUS_ERR_NOMEM ? st : STATUS_OK;
}
