/* status.c - messages for enum status. */
#include "status.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static const char *const status_messages[] = {
#define STATUS_MSG(name, msg) msg,
	STATUS_TABLE(STATUS_MSG)
#undef STATUS_MSG
};

const char *status_str(enum status st)
{
	if ((unsigned)st >= sizeof(status_messages) / sizeof(status_messages[0]))
		return "unknown error";
	return status_messages[st];
}

enum status diag_set(struct diag *d, enum status st, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return st;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return st;
}

enum status diag_setv_prefixed(struct diag *d, enum status st, const char *prefix,
			       const char *fmt, va_list ap)
{
	char detail[512];

	if (!d)
		return st;
	vsnprintf(detail, sizeof(detail), fmt, ap);
	snprintf(d->msg, sizeof(d->msg), "%s%s", prefix, detail);
	return st;
}

const char *status_errno_name(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{EPERM, "EPERM"}, {ENOENT, "ENOENT"}, {EINTR, "EINTR"}, {EIO, "EIO"},
		{EBADF, "EBADF"}, {EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"}, {EACCES, "EACCES"},
		{EFAULT, "EFAULT"}, {EBUSY, "EBUSY"}, {EEXIST, "EEXIST"}, {ENODEV, "ENODEV"},
		{EINVAL, "EINVAL"}, {ENFILE, "ENFILE"}, {EMFILE, "EMFILE"}, {ETXTBSY, "ETXTBSY"},
		{EFBIG, "EFBIG"}, {ENOSPC, "ENOSPC"}, {EROFS, "EROFS"}, {ENOSYS, "ENOSYS"},
		{EOVERFLOW, "EOVERFLOW"}, {ENOTSUP, "ENOTSUP"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	return "errno";
}
