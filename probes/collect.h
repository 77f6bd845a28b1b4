/* collect.h - gathers every host fact: OS, CPU, tools, project lockfiles, Go binaries and shared objects. */
#ifndef QUIRK_COLLECT_H
#define QUIRK_COLLECT_H

#include <stddef.h>

#include "facts.h"
#include "host.h"

/* quirk's cache directory, $XDG_CACHE_HOME/quirk or ~/.cache/quirk,
 * written into buf and created if needed. NULL if there is none, it
 * cannot be created, or QUIRK_NO_CACHE is set. */
const char *collect_cache_dir(char *buf, size_t size);

/* Fills ctx for the running host: live roots, PATH from the environment,
 * the cache dir (collect_cache_dir() into cache_buf; NULL in ctx if there
 * is none), and project_dir as given (may be NULL). */
void collect_ctx_live(struct host_ctx *ctx, const char *project_dir,
		      char *cache_buf, size_t cache_size);

/* Collects all facts described by ctx into f. Errors that make the facts
 * untrustworthy are returned with d filled: a root that is not a readable
 * directory holding proc/, sys/, etc/, usr/ or var/ (STATUS_ERR_IO), a
 * malformed or cut short CPUID dump (STATUS_ERR_PARSE), an unreadable
 * project dir (STATUS_ERR_IO), a malformed lockfile (STATUS_ERR_LOCKFILE),
 * STATUS_ERR_NOMEM. */
enum status collect_facts(const struct host_ctx *ctx, struct facts *f,
			  struct diag *d);

#endif
