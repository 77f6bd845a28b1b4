/* host_linux.h - pieces shared by the Linux host collectors. */
#ifndef QUIRK_HOST_LINUX_H
#define QUIRK_HOST_LINUX_H

#include <stddef.h>

#include "../host.h"

/* Reads root + path whole (at most 8 MiB); NULL if absent or unreadable.
 * With len, stores the length (files like /proc/1/environ hold NULs). */
char *host_linux_slurp(const char *root, const char *path, size_t *len);

/* Sets the environment facts: os.kernel.vsyscall, os.cgroup.*,
 * container.runtime and virt.guest. Call after cpu.arch and cpu.flags
 * are known. Unreadable files leave their keys unknown; returns
 * STATUS_ERR_NOMEM only. */
enum status host_linux_env(const struct host_ctx *ctx, struct facts *f);

#endif
