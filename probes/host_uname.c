/* host_uname.c - the uname(2) facts every platform shares. */
#include "host.h"

#include <sys/utsname.h>

enum status host_uname(struct facts *f, struct utsname *out)
{
	struct utsname u;
	enum status st;

	if (uname(&u) != 0)
		return STATUS_ERR_UNSUPPORTED;
	st = facts_set_str(f, "os.name", u.sysname);
	if (st == STATUS_OK)
		st = facts_set_str(f, "os.kernel.release", u.release);
	if (st == STATUS_OK)
		st = facts_set_str(f, "os.kernel.version", u.version);
	if (out)
		*out = u;
	return st;
}
