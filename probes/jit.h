/* jit.h - platform interface of the jit-fork probe: the ways a JIT makes
 * generated code executable on this OS, and why one might be refused. */
#ifndef QUIRK_JIT_H
#define QUIRK_JIT_H

#include <stdbool.h>
#include <stddef.h>

/* Code is written through w and run through x (the same address unless
 * the method maps the memory twice). */
struct jit_region {
	unsigned char *w, *x;
	size_t len;
};

/* Each step returns 0 or an errno value and names itself in *step. */
struct jit_method {
	const char *name;  /* short, e.g. "wx-flip" */
	const char *how;   /* e.g. "mmap RW, write, mprotect RX" */
	bool shared;       /* a fork child's writes are seen by the parent */
	int (*map)(struct jit_region *r, const char **step);
	int (*begin_write)(struct jit_region *r, const char **step);
	int (*end_write)(struct jit_region *r, const char **step); /* + icache flush */
	void (*unmap)(struct jit_region *r);
};

/* The methods JITs use on this platform, in order. */
const struct jit_method *const *jit_methods(size_t *n);

/* Methods every POSIX system has, for platforms to list. */
extern const struct jit_method jit_posix_wx;   /* mmap RW -> mprotect RX */
extern const struct jit_method jit_posix_rwx;  /* mmap RWX */
extern const struct jit_method jit_posix_file; /* a file in TMPDIR mapped RW and RX */

/* Writes the likely reason why step failed with err on this host
 * (security module, seccomp, mount option...) into buf; "" if none is
 * known. */
void jit_explain(const char *method, const char *step, int err, char *buf, size_t n);

/* Self-test: from now on this process may not create writable+executable
 * mappings or make memory executable, as systemd's
 * MemoryDenyWriteExecute=yes arranges. 0, or an errno value (ENOSYS where
 * the platform cannot). */
int jit_deny_write_execute(void);

#endif
