/* host_stub.c - hosts quirk has no collector for: only what POSIX tells. */
#include "../host.h"

#include <string.h>
#include <sys/utsname.h>

enum status host_os_collect(const struct host_ctx *ctx, struct facts *f,
			    struct diag *d)
{
	struct utsname u;
	enum status st = STATUS_OK;

	(void)d;
	if (!ctx->live || uname(&u) != 0)
		return STATUS_OK;
	st = facts_set_str(f, "os.name", u.sysname);
	if (st == STATUS_OK)
		st = facts_set_str(f, "os.kernel.release", u.release);
	if (st == STATUS_OK)
		st = facts_set_str(f, "os.kernel.version", u.version);
	return st;
}
