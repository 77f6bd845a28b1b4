/* hygiene.h - the process-hygiene stress test: a sandbox whose every
 * process and file can be accounted for, and the checks run in it. */
#ifndef QUIRK_HYGIENE_H
#define QUIRK_HYGIENE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define HYG_PATH 4096

/* Where quirk may write in the sandbox: each run gets these as TMPDIR,
 * XDG_CACHE_HOME, XDG_DATA_HOME, XDG_RUNTIME_DIR, HOME, its working
 * directory, and the directory of its --output files. */
struct sandbox {
	char root[HYG_PATH];
	char tmp[HYG_PATH], cache[HYG_PATH], data[HYG_PATH], runtime[HYG_PATH];
	char home[HYG_PATH], cwd[HYG_PATH], out[HYG_PATH];
	char tag[96];         /* NAME=VALUE put into every run's environment */
	char kept[256];       /* a directory of /tmp seen through the private one ("": none) */
	bool private_mounts;  /* own tmpfs on /tmp and /dev/shm */
	bool private_ipc;     /* own System V IPC namespace */
	int inotify_fd;       /* watches tmp for names created in it; -1: none */
};

/* Enters private mount and IPC namespaces (as root, or in a new user
 * namespace), puts tmpfs on /tmp and /dev/shm, creates the directories,
 * becomes the subreaper of everything started later and starts watching
 * sb->tmp. Says on stdout what it could not isolate; false (message
 * printed) only if the directories cannot be made. Call it while the
 * process has a single thread. When keep (quirk's path) lies under /tmp,
 * its top directory there stays visible in the private /tmp. */
bool sandbox_enter(struct sandbox *sb, unsigned long long seed, const char *keep);

/* The environment of a run: ours without QUIRK_*, XDG_*, TMPDIR and HOME,
 * plus the sandbox's and the tag, plus extra (NAME=VALUE strings, NULL
 * ended). A NULL-ended array to free() (the strings are not the caller's
 * to free); NULL when out of memory. */
char **sandbox_env(const struct sandbox *sb, const char *const *extra);

/* The value of variable name in pid's environment into out (n bytes; out
 * may be NULL); false if it has none or pid is gone. */
bool proc_env(pid_t pid, const char *name, char *out, size_t n);
/* Whether process pid carries the sandbox's tag in its environment. */
bool sandbox_tagged(const struct sandbox *sb, pid_t pid);

/* The children of pid (those of all its threads), into out (at most max);
 * returns how many. None if pid is gone. */
size_t proc_children(pid_t pid, pid_t *out, size_t max);
/* pid's state letter (R, S, Z, ...); '?' if it is gone. */
char proc_state(pid_t pid);
/* pid's command line with NULs as spaces; "?" if it is gone. */
void proc_cmdline(pid_t pid, char *buf, size_t n);

/* After all runs ended: waits up to grace_s for every process carrying the
 * tag and every remaining child of ours (orphans reparented to us) to go,
 * calling reap() to reap them as they end. Survivors are printed (pid,
 * parent, state, command line, how each was found), then killed and
 * reaped. Returns how many survived. */
size_t sandbox_survivors(const struct sandbox *sb, double grace_s, void (*reap)(void));

/* Every file quirk left: anything in the sandbox's directories but the
 * tools cache and complete --output documents (checked with jq), names
 * ever created in TMPDIR (seen by inotify: a kill in the window before
 * such a name is removed leaves it), and, when isolated, anything in /tmp
 * besides the sandbox, in /dev/shm, and System V IPC objects. Each is
 * printed; returns how many. */
size_t sandbox_leftovers(const struct sandbox *sb);

/* Removes the sandbox's directories (best effort). */
void sandbox_remove(const struct sandbox *sb);

/* Starts argv with env in cwd; its stdout and stderr go to pipes whose
 * read ends (non-blocking) land in out and err, or, with pty, to a new
 * 100x30 terminal whose master lands there. SIGPIPE ignored if asked, in
 * a process group of its own. The pid; -1 if it could not be started. */
pid_t spawn_run(const char *cwd, char **argv, char **env, int *out, int *err, int *pty,
		bool ignore_sigpipe);

/* A TCP port on 127.0.0.1 that takes connections and never answers, as a
 * hung daemon; var gets "DOCKER_HOST=tcp://...". False (errno set) if
 * none could be opened. */
bool silent_listener(char *var, size_t n);

/* Plants what the checks must find: a process that escaped (double fork,
 * own session) with the tag, one without it (only being reparented to us
 * gives it away), one that ends late_s seconds later, and leftover files.
 * Returns how many findings the files make. */
unsigned plant_faults(const struct sandbox *sb, double late_s);

/* Monotonic seconds. */
double now_s(void);

#endif
