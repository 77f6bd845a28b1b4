/* jit_stub.c - jit-fork on other POSIX systems: the portable methods. */
#include "../jit.h"

#include <errno.h>

static const struct jit_method *const methods[] = {&jit_posix_wx, &jit_posix_rwx, &jit_posix_file};

const struct jit_method *const *jit_methods(size_t *n)
{
	*n = sizeof(methods) / sizeof(methods[0]);
	return methods;
}

void jit_explain(const char *method, const char *step, int err, char *buf, size_t n)
{
	(void)method, (void)step, (void)err;
	if (n)
		buf[0] = '\0';
}

int jit_deny_write_execute(void)
{
	return ENOSYS;
}
