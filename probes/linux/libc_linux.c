/* libc_linux.c - the C library quirk runs on, asked directly. */
#include "../host.h"

#include <sys/auxv.h>
#include <unistd.h>

#include "config.h"
#include "../tools.h"

enum status host_libc_collect(const struct host_ctx *ctx, struct facts *f)
{
#if QUIRK_HAVE_CS_GNU_LIBC_VERSION
	char buf[64];
	size_t n;

	/* Only a dynamically linked quirk (AT_BASE: the loader's address)
	 * runs on the host's C library; a static one would report its own.
	 * musl defines the name but answers EINVAL (src/conf/confstr.c). */
	if (!ctx->live || getauxval(AT_BASE) == 0)
		return STATUS_OK;
	n = confstr(_CS_GNU_LIBC_VERSION, buf, sizeof(buf));
	if (n == 0 || n > sizeof(buf))
		return STATUS_OK;
	/* Text it does not recognise leaves the keys to ldd. */
	tools_parse_libc(buf, f);
	return STATUS_OK;
#else
	(void)ctx;
	(void)f;
	return STATUS_OK;
#endif
}
