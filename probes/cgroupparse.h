/* cgroupparse.h - parsers for the cgroup files of /proc (mountinfo,
 * PID/cgroup, /proc/cgroups) and the memory limit files of cgroupfs.
 * Pure string work, tested on every platform. */
#ifndef QUIRK_CGROUPPARSE_H
#define QUIRK_CGROUPPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "facts.h"

/* The cgroup hierarchy a /proc/PID/mountinfo shows: "v2" (only cgroup2
 * mounted), "v1" (only cgroup v1 hierarchies), "hybrid" (both), or NULL
 * when no cgroup file system is mounted. */
const char *cgroup_version(const char *mountinfo);

/* The file that holds the memory limit of the process whose
 * /proc/PID/cgroup is self_cgroup: the mount point of its memory
 * controller joined with the cgroup path below that mount's root, then
 * memory.limit_in_bytes (v1) or memory.max (v2). False (out untouched
 * or partial) if there is no such mount, the cgroup lies outside it, or
 * the path does not fit in size. */
bool cgroup_memory_file(const char *mountinfo, const char *self_cgroup,
			char *out, size_t size);

/* Sets os.cgroup.memory_max from the text of memory.max or
 * memory.limit_in_bytes: bytes as a number, or "unlimited" for "max" and
 * for v1's page-rounded LONG_MAX sentinel. False (nothing set) if the
 * text is no such value or on allocation failure. */
bool cgroup_memory_value(const char *text, struct facts *f);

/* Sets os.cgroup.proc_cgroups to the controllers /proc/cgroups lists
 * with enabled = 1 (possibly none). Returns STATUS_ERR_NOMEM only. */
enum status cgroup_proc_cgroups(const char *text, struct facts *f);

#endif
