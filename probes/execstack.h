/* execstack.h - shared objects in the project that ask for an executable stack (glibc 2.41 will not dlopen them). */
#ifndef QUIRK_EXECSTACK_H
#define QUIRK_EXECSTACK_H

#include <stdbool.h>

#include "facts.h"

/* Bounds on the walk: native addons sit some levels down node_modules
 * (node_modules/a/node_modules/b/build/Release/b.node), Python
 * extensions under .venv/lib/python3.x/site-packages/pkg/. A tree past
 * them (quirk run in / or a home directory) is not a project: the fact
 * is left unknown rather than judged on part of it. The walk stays on
 * the project's file system. */
#define EXECSTACK_MAX_DEPTH 12
#define EXECSTACK_MAX_DIRS 2000u
#define EXECSTACK_MAX_FILES 4096u

/* Whether a file name is a shared object's: *.so, *.so.1.2, *.node. */
bool execstack_is_shared_name(const char *name);

/* Sets project.execstack_libs to the paths (relative to dir) of the ELF
 * shared objects in dir's tree for which elf_wants_exec_stack() holds.
 * The walk is bounded by the limits above (past them the fact is removed:
 * unknown), does not follow symbolic links or leave dir's file system,
 * and skips version-control folders; files that are not ELF shared
 * objects or whose headers are damaged are left out, as the Go binary
 * scan does. STATUS_ERR_IO if dir cannot be read, STATUS_ERR_NOMEM. */
enum status execstack_scan_dir(const char *dir, struct facts *f, struct diag *d);

#endif
