/* jit_darwin.c - jit-fork on macOS: W^X flipping and MAP_JIT with
 * per-thread write protection, the way V8 and Wasmtime do it. */
#include "../jit.h"

#include <errno.h>
#include <libkern/OSCacheControl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>

#define CODE_SIZE 16384 /* one arm64 page */

static int map_jit(struct jit_region *r, const char **step)
{
	*step = "mmap(PROT_READ|PROT_WRITE|PROT_EXEC, MAP_JIT)";
	r->len = CODE_SIZE;
	r->x = r->w = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_JIT, -1, 0);
	return r->x == MAP_FAILED ? errno : 0;
}

static int jit_writable(struct jit_region *r, const char **step)
{
	(void)r;
	*step = "pthread_jit_write_protect_np(0)";
	if (__builtin_available(macOS 11.0, *))
		pthread_jit_write_protect_np(0);
	return 0;
}

static int jit_executable(struct jit_region *r, const char **step)
{
	*step = "pthread_jit_write_protect_np(1) and sys_icache_invalidate";
	if (__builtin_available(macOS 11.0, *))
		pthread_jit_write_protect_np(1);
	sys_icache_invalidate(r->x, r->len);
	return 0;
}

static void unmap_jit(struct jit_region *r)
{
	munmap(r->x, r->len);
}

static const struct jit_method map_jit_method = {
	"map-jit", "MAP_JIT, pthread_jit_write_protect_np, sys_icache_invalidate", false,
	map_jit, jit_writable, jit_executable, unmap_jit,
};

static const struct jit_method *const methods[] = {&jit_posix_wx, &map_jit_method};

const struct jit_method *const *jit_methods(size_t *n)
{
	*n = sizeof(methods) / sizeof(methods[0]);
	return methods;
}

void jit_explain(const char *method, const char *step, int err, char *buf, size_t n)
{
	(void)step;
	buf[0] = '\0';
	if (err != EPERM && err != EACCES && err != ENOTSUP)
		return;
	snprintf(buf, n, "%s",
		 method[0] == 'm' ? "the hardened runtime without com.apple.security.cs.allow-jit refuses MAP_JIT"
				  : "the hardened runtime without com.apple.security.cs.allow-unsigned-executable-memory"
				    " refuses to make written memory executable");
}

int jit_deny_write_execute(void)
{
	return ENOSYS;
}
