/* probe_guard.h - platform interface: a probe's processes die with quirk. */
#ifndef QUIRK_PROBE_GUARD_H
#define QUIRK_PROBE_GUARD_H

#include <stdbool.h>
#include <sys/types.h>

/* In a freshly forked probe child, before anything else: arranges that
 * the child's process group is killed when parent (the runner) dies,
 * even by SIGKILL. death_fd is the read end of a pipe whose write end only
 * the runner holds, for platforms that watch it. False if the parent is
 * already gone; the child must then exit. */
bool probe_guard_child(pid_t parent, int death_fd);

/* In a helper process forked by a probe, or a tool forked to be run
 * (tools.c): dies with parent, the process that forked it, where the
 * platform can arrange that (Linux: even when parent is killed). False if
 * the parent is already gone. */
bool probe_guard_helper(pid_t parent);

#endif
