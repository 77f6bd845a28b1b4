/* sandbox.c - the hygiene test's sandbox: private /tmp, /dev/shm and IPC,
 * a tag in every run's environment, this process as the subreaper of all
 * of them, and the checks for processes and files left behind. */
#define _GNU_SOURCE
#include "hygiene.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text);
}

/* Own mount and IPC namespaces: directly as root, else inside a user
 * namespace that maps only our own ids. */
static bool enter_namespaces(void)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char map[64];

	if (unshare(CLONE_NEWNS | CLONE_NEWIPC) == 0)
		return true;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC) != 0)
		return false;
	write_text("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
	if (!write_text("/proc/self/uid_map", map))
		return false;
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
	return write_text("/proc/self/gid_map", map);
}

/* A clone made under /tmp (CI may put it there) must still reach its
 * quirk: the top directory of keep under /tmp is bound back into the
 * private /tmp, from the old /tmp held open across the mount. */
static bool private_tmpfs(struct sandbox *sb, const char *keep)
{
	char held[HYG_PATH + 64];
	int old_tmp = -1;
	bool ok;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return false;
	if (keep && strncmp(keep, "/tmp/", 5) == 0) {
		size_t len = strcspn(keep + 5, "/");
		if (len == 0 || len >= sizeof(sb->kept) || (old_tmp = open("/tmp", O_PATH | O_DIRECTORY)) < 0)
			return false;
		memcpy(sb->kept, keep + 5, len);
		sb->kept[len] = '\0';
	}
	ok = mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=256m") == 0 &&
	     mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=64m") == 0;
	if (ok && old_tmp >= 0) {
		char dst[HYG_PATH];
		snprintf(held, sizeof(held), "/proc/self/fd/%d/%s", old_tmp, sb->kept);
		snprintf(dst, sizeof(dst), "/tmp/%s", sb->kept);
		ok = mkdir(dst, 0755) == 0 && mount(held, dst, NULL, MS_BIND | MS_REC, NULL) == 0;
	}
	if (old_tmp >= 0)
		close(old_tmp);
	return ok;
}

static bool make_dir(char *dst, const char *root, const char *name)
{
	snprintf(dst, HYG_PATH, "%s/%s", root, name);
	if (mkdir(dst, 0700) != 0) {
		printf("hygiene: cannot create %s: %s\n", dst, strerror(errno));
		return false;
	}
	return true;
}

bool sandbox_enter(struct sandbox *sb, unsigned long long seed, const char *keep)
{
	memset(sb, 0, sizeof(*sb));
	sb->inotify_fd = -1;
	sb->private_ipc = sb->private_mounts = enter_namespaces();
	if (sb->private_mounts && !private_tmpfs(sb, keep)) {
		printf("hygiene: no private tmpfs on /tmp and /dev/shm (%s): only the sandbox's"
		       " own directories are checked\n", strerror(errno));
		sb->private_mounts = false;
	} else if (!sb->private_ipc) {
		printf("hygiene: no private mount or IPC namespace (%s): only the sandbox's own"
		       " directories are checked\n", strerror(errno));
	}
	if (sb->private_mounts)
		snprintf(sb->root, sizeof(sb->root), "/tmp/hygiene");
	else
		snprintf(sb->root, sizeof(sb->root), "/tmp/quirk-hygiene-%d", (int)getpid());
	if (mkdir(sb->root, 0700) != 0) {
		printf("hygiene: cannot create %s: %s\n", sb->root, strerror(errno));
		return false;
	}
	if (!make_dir(sb->tmp, sb->root, "tmp") || !make_dir(sb->cache, sb->root, "cache") ||
	    !make_dir(sb->data, sb->root, "data") || !make_dir(sb->runtime, sb->root, "runtime") ||
	    !make_dir(sb->home, sb->root, "home") || !make_dir(sb->cwd, sb->root, "cwd") ||
	    !make_dir(sb->out, sb->root, "out"))
		return false;
	snprintf(sb->tag, sizeof(sb->tag), "QUIRK_HYGIENE_TAG=%d-%llx", (int)getpid(), seed);
	/* Orphans of the runs become our children: counted, not lost to init. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		printf("hygiene: PR_SET_CHILD_SUBREAPER: %s (survivors are found by their tag only)\n",
		       strerror(errno));
	sb->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (sb->inotify_fd < 0 || inotify_add_watch(sb->inotify_fd, sb->tmp, IN_CREATE | IN_MOVED_TO) < 0) {
		printf("hygiene: cannot watch %s: %s\n", sb->tmp, strerror(errno));
		return false;
	}
	return true;
}

static bool dropped(const char *entry)
{
	static const char *const prefixes[] = {"QUIRK_", "XDG_", "TMPDIR=", "HOME=", "NO_COLOR="};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(entry, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

char **sandbox_env(const struct sandbox *sb, const char *const *extra)
{
	static char vars[7][HYG_PATH + 32];
	size_t n = 0, k = 0, nextra = 0;
	char **env;

	snprintf(vars[0], sizeof(vars[0]), "TMPDIR=%s", sb->tmp);
	snprintf(vars[1], sizeof(vars[1]), "XDG_CACHE_HOME=%s", sb->cache);
	snprintf(vars[2], sizeof(vars[2]), "XDG_DATA_HOME=%s", sb->data);
	snprintf(vars[3], sizeof(vars[3]), "XDG_RUNTIME_DIR=%s", sb->runtime);
	snprintf(vars[4], sizeof(vars[4]), "HOME=%s", sb->home);
	snprintf(vars[5], sizeof(vars[5]), "%s", sb->tag);
	snprintf(vars[6], sizeof(vars[6]), "NO_COLOR=1");
	while (environ[n])
		n++;
	while (extra && extra[nextra])
		nextra++;
	env = calloc(n + nextra + 8, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!dropped(environ[i]))
			env[k++] = environ[i];
	for (size_t i = 0; i < 7; i++)
		env[k++] = vars[i];
	for (size_t i = 0; i < nextra; i++)
		env[k++] = (char *)extra[i];
	return env;
}

/* Up to max bytes of /proc/PID/NAME into buf; the length, -1 if gone. */
static ssize_t proc_read(pid_t pid, const char *name, char *buf, size_t max)
{
	char path[64];
	ssize_t n, got = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while ((size_t)got < max && (n = read(fd, buf + got, max - (size_t)got)) > 0)
		got += n;
	close(fd);
	return got;
}

bool proc_env(pid_t pid, const char *name, char *out, size_t n)
{
	static char env[1 << 18];
	size_t len = strlen(name);
	ssize_t got = proc_read(pid, "environ", env, sizeof(env) - 1);

	if (got <= 0)
		return false;
	env[got] = '\0';
	for (char *p = env; p < env + got; p += strlen(p) + 1) {
		if (!strncmp(p, name, len) && p[len] == '=') {
			if (out)
				snprintf(out, n, "%s", p + len + 1);
			return true;
		}
	}
	return false;
}

bool sandbox_tagged(const struct sandbox *sb, pid_t pid)
{
	char name[96], value[96];
	const char *eq = strchr(sb->tag, '=');

	snprintf(name, sizeof(name), "%.*s", (int)(eq - sb->tag), sb->tag);
	return proc_env(pid, name, value, sizeof(value)) && !strcmp(value, eq + 1);
}

size_t proc_children(pid_t pid, pid_t *out, size_t max)
{
	char path[64], buf[4096];
	struct dirent *e;
	size_t count = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d)) && count < max) {
		char name[300];
		ssize_t n;
		if (e->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "task/%s/children", e->d_name);
		if ((n = proc_read(pid, name, buf, sizeof(buf) - 1)) <= 0)
			continue;
		buf[n] = '\0';
		for (char *p = buf, *end; count < max; p = end) {
			long v = strtol(p, &end, 10);
			if (end == p)
				break;
			out[count++] = (pid_t)v;
		}
	}
	closedir(d);
	return count;
}

char proc_state(pid_t pid)
{
	char buf[512], *paren;
	ssize_t n = proc_read(pid, "stat", buf, sizeof(buf) - 1);

	if (n <= 0)
		return '?';
	buf[n] = '\0';
	/* "PID (COMM) S ...": the command may hold parentheses. */
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] ? paren[2] : '?';
}

static pid_t proc_ppid(pid_t pid)
{
	char buf[512], *paren;
	ssize_t n = proc_read(pid, "stat", buf, sizeof(buf) - 1);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	return paren && strlen(paren) > 4 ? (pid_t)atol(paren + 4) : 0;
}

void proc_cmdline(pid_t pid, char *buf, size_t n)
{
	ssize_t got = proc_read(pid, "cmdline", buf, n - 1);

	if (got <= 0) {
		snprintf(buf, n, "?");
		return;
	}
	for (ssize_t i = 0; i < got; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[got] = '\0';
}

/* Live processes with the tag, and our live children: the candidates. */
static size_t find_candidates(const struct sandbox *sb, pid_t *pids, bool *tagged, size_t max)
{
	pid_t kids[256];
	size_t n = 0, nk = proc_children(getpid(), kids, 256);
	struct dirent *e;
	DIR *d = opendir("/proc");

	while (d && (e = readdir(d)) && n < max) {
		pid_t pid = (pid_t)atol(e->d_name);
		if (pid <= 0 || pid == getpid() || proc_state(pid) == 'Z' || !sandbox_tagged(sb, pid))
			continue;
		tagged[n] = true;
		pids[n++] = pid;
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < nk && n < max; i++) {
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen = seen || pids[k] == kids[i];
		if (seen || proc_state(kids[i]) == 'Z' || proc_state(kids[i]) == '?')
			continue;
		tagged[n] = false;
		pids[n++] = kids[i];
	}
	return n;
}

static void reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

size_t sandbox_survivors(const struct sandbox *sb, double grace_s, void (*reap)(void))
{
	pid_t pids[256];
	bool tagged[256];
	double end = now_s() + grace_s;
	size_t n;

	for (;;) {
		reap();
		n = find_candidates(sb, pids, tagged, 256);
		if (n == 0 || now_s() >= end)
			break;
		usleep(50 * 1000);
	}
	for (size_t i = 0; i < n; i++) {
		char cmd[512];
		proc_cmdline(pids[i], cmd, sizeof(cmd));
		printf("SURVIVOR pid %d (parent %d, state %c, found by %s): %s\n", (int)pids[i],
		       (int)proc_ppid(pids[i]), proc_state(pids[i]),
		       tagged[i] ? "its environment's tag" : "being reparented to the test", cmd);
	}
	for (size_t i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (size_t i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0); /* ours, or ECHILD at once */
	reap_all();
	return n;
}

/* nftw has no argument for its callback. */
static const struct sandbox *walk_sb;
static size_t walk_found;

static bool has_tmp_name(const char *path)
{
	const char *base = strrchr(path, '/');

	return strstr(base ? base + 1 : path, ".tmp") != NULL;
}

/* A --output document must be whole: jq parses it. */
static bool complete_json(const char *path)
{
	char cmd[HYG_PATH + 64];

	snprintf(cmd, sizeof(cmd), "jq -e . '%s' >/dev/null 2>&1", path);
	return system(cmd) == 0;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const struct sandbox *sb = walk_sb;
	const char *why = NULL;
	size_t cache_len = strlen(sb->cache);

	(void)st;
	(void)ftw;
	if (type == FTW_D || type == FTW_DP)
		return 0;
	if (has_tmp_name(path))
		why = "a temporary file";
	else if (!strncmp(path, sb->cache, cache_len) && !strncmp(path + cache_len, "/quirk/", 7))
		why = NULL; /* the tools cache, written atomically */
	else if (!strncmp(path, sb->out, strlen(sb->out)))
		why = complete_json(path) ? NULL : "a partial --output document";
	else
		why = "a file quirk made";
	if (why) {
		printf("LEFTOVER %s: %s\n", why, path);
		walk_found++;
	}
	return 0;
}

/* Names created in TMPDIR while the runs went on. */
static size_t tmpdir_names(const struct sandbox *sb)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	size_t found = 0;
	ssize_t n;

	while ((n = read(sb->inotify_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW)
				printf("LEFTOVER window: too many names created in %s to list\n", sb->tmp);
			else if (ev->len)
				printf("LEFTOVER window: %s/%s was created by name (a kill before its removal"
				       " leaves it behind)\n", sb->tmp, ev->name);
			found++;
			p += sizeof(*ev) + ev->len;
		}
	}
	return found;
}

/* Entries of dir other than keep. */
static size_t foreign_entries(const char *dir, const char *keep, const char *keep2)
{
	struct dirent *e;
	size_t found = 0;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || (keep && !strcmp(e->d_name, keep)) ||
		    (keep2 && *keep2 && !strcmp(e->d_name, keep2)))
			continue;
		printf("LEFTOVER outside the sandbox: %s/%s\n", dir, e->d_name);
		found++;
	}
	if (d)
		closedir(d);
	return found;
}

/* System V IPC objects: lines after the header of /proc/sysvipc/NAME. */
static size_t ipc_objects(const char *name)
{
	char path[64], line[512];
	size_t found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", name);
	if (!(f = fopen(path, "r")))
		return 0;
	for (int i = 0; fgets(line, sizeof(line), f); i++) {
		if (i == 0)
			continue;
		printf("LEFTOVER System V %s object: %s", name, line);
		found++;
	}
	fclose(f);
	return found;
}

size_t sandbox_leftovers(const struct sandbox *sb)
{
	const char *dirs[] = {sb->tmp, sb->cache, sb->data, sb->runtime, sb->home, sb->cwd, sb->out};

	walk_sb = sb;
	walk_found = 0;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		nftw(dirs[i], visit, 16, FTW_PHYS);
	walk_found += tmpdir_names(sb);
	if (sb->private_mounts) {
		walk_found += foreign_entries("/tmp", strrchr(sb->root, '/') + 1, sb->kept);
		walk_found += foreign_entries("/dev/shm", NULL, NULL);
	}
	if (sb->private_ipc)
		walk_found += ipc_objects("shm") + ipc_objects("sem") + ipc_objects("msg");
	return walk_found;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void sandbox_remove(const struct sandbox *sb)
{
	if (sb->root[0])
		nftw(sb->root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
