/* fileio.c - bounded reads, atomic writes. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
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
	a->fd = mkstemp(a->tmp);
	if (a->fd < 0)
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(errno));
	/* mkstemp makes it private; the document is for readers such as a
	 * metrics collector running as another user. */
	if (fchmod(a->fd, 0644) != 0) {
		int e = errno;
		fileio_atomic_abort(a);
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(e));
	}
	return STATUS_OK;
}

/* Makes the rename itself durable. Best effort: some file systems refuse
 * fsync on directories, and the new file is in place either way. */
static void sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
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
	if (fsync(a->fd) != 0 || close(a->fd) != 0) {
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
