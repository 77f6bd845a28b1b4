/* fileio.c - bounded reads, atomic writes. */
#define _GNU_SOURCE 1 /* O_TMPFILE */
#include "config.h"
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static enum status too_large(const char *path, size_t max, struct diag *d)
{
	if (max % (1u << 20) == 0)
		return diag_set(d, STATUS_ERR_TOO_LARGE, "%s: larger than %zu MiB", path, max >> 20);
	return diag_set(d, STATUS_ERR_TOO_LARGE, "%s: larger than %zu bytes", path, max);
}

enum status fileio_read(const char *path, size_t max, char **out, size_t *len,
			struct diag *d)
{
	struct stat sb;
	size_t cap = 4096, n = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		close(fd);
		return diag_set(d, STATUS_ERR_IO, "%s: is a directory", path);
	}
	/* /proc files report size 0, so grow as we go instead of trusting it. */
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return STATUS_ERR_NOMEM;
	}
	for (;;) {
		ssize_t r;
		if (n + 1 >= cap) {
			char *nb;
			if (cap > max) {
				free(buf);
				close(fd);
				return too_large(path, max, d);
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				close(fd);
				return STATUS_ERR_NOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			close(fd);
			return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(buf);
		return too_large(path, max, d);
	}
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return STATUS_OK;
}

/* The directory of path into dir ("." for a bare name). */
static void dir_of(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, n, ".");
	else
		snprintf(dir, n, "%.*s", slash == path ? 1 : (int)(slash - path), path);
}

/* A file without a name in path's directory, so that a writer killed
 * before the commit, even by SIGKILL, leaves nothing; -1 where the system
 * or the file system has no such files, or the commit could not name it
 * (that needs /proc/self/fd). */
static int nameless_file(const char *path)
{
#if QUIRK_HAVE_O_TMPFILE
	char dir[4096];

	if (access("/proc/self/fd", X_OK) != 0)
		return -1;
	dir_of(path, dir, sizeof(dir));
	return open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
#else
	(void)path;
	return -1;
#endif
}

enum status fileio_atomic_open(struct fileio_atomic *a, const char *path, struct diag *d)
{
	struct stat sb;

	a->fd = -1;
	/* The rename would replace a device or FIFO node, not write to it. */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return diag_set(d, STATUS_ERR_IO, "%s: not a regular file", path);
	if (snprintf(a->path, sizeof(a->path), "%s", path) >= (int)sizeof(a->path) ||
	    snprintf(a->tmp, sizeof(a->tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(a->tmp))
		return diag_set(d, STATUS_ERR_IO, "%s: path too long", path);
	if ((a->fd = nameless_file(path)) >= 0)
		a->tmp[0] = '\0';
	else
		a->fd = mkstemp(a->tmp);
	if (a->fd < 0)
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(errno));
	/* Not private, whatever the umask: the document is for readers such
	 * as a metrics collector running as another user. */
	if (fchmod(a->fd, 0644) != 0) {
		int e = errno;
		fileio_atomic_abort(a);
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(e));
	}
	return STATUS_OK;
}

/* Gives the nameless file the name PATH.tmp.NNNNNN for the rename; only
 * then is a->tmp set, so nothing else's file is ever removed. */
static bool name_file(struct fileio_atomic *a)
{
	char proc[64], tmp[sizeof(a->tmp)];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", a->fd);
	for (unsigned i = 0; i < 100; i++) {
		/* As long as PATH.tmp.XXXXXX, which fileio_atomic_open checked. */
		if (snprintf(tmp, sizeof(tmp), "%s.tmp.%06x", a->path,
			     ((unsigned)getpid() * 100 + i) & 0xffffff) >= (int)sizeof(tmp)) {
			errno = ENAMETOOLONG;
			return false;
		}
		if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
			memcpy(a->tmp, tmp, sizeof(tmp));
			return true;
		}
		if (errno != EEXIST)
			return false;
	}
	return false;
}

/* Makes the rename itself durable. Best effort: some file systems refuse
 * fsync on directories, and the new file is in place either way. */
static void sync_dir(const char *path)
{
	char dir[4096];
	int fd;

	dir_of(path, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

enum status fileio_atomic_commit(struct fileio_atomic *a, struct diag *d)
{
	int e;

	/* The data reaches the disk before the name does: after a crash the
	 * path holds the old document or the whole new one. */
	if (fsync(a->fd) != 0 || (!a->tmp[0] && !name_file(a)) || close(a->fd) != 0) {
		e = errno;
		a->fd = -1;
		fileio_atomic_abort(a);
		return diag_set(d, STATUS_ERR_IO, "%s: %s", a->path, strerror(e));
	}
	a->fd = -1;
	if (rename(a->tmp, a->path) != 0) {
		e = errno;
		fileio_atomic_abort(a);
		return diag_set(d, STATUS_ERR_IO, "%s: %s", a->path, strerror(e));
	}
	sync_dir(a->path);
	return STATUS_OK;
}

void fileio_atomic_abort(struct fileio_atomic *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	if (a->tmp[0])
		unlink(a->tmp);
}

enum status fileio_write_atomic(const char *path, const void *data, size_t len,
				struct diag *d)
{
	struct fileio_atomic a;
	const char *p = data;
	enum status st = fileio_atomic_open(&a, path, d);

	if (st != STATUS_OK)
		return st;
	while (len) {
		ssize_t w = write(a.fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;
			fileio_atomic_abort(&a);
			return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(e));
		}
		p += w;
		len -= (size_t)w;
	}
	return fileio_atomic_commit(&a, d);
}

char *fileio_join(char *buf, size_t size, const char *root, const char *path)
{
	if (!root || !*root || strcmp(root, "/") == 0)
		snprintf(buf, size, "%s", path);
	else
		snprintf(buf, size, "%s%s", root, path);
	return buf;
}
