/* fileio.c - bounded reads, atomic writes. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
				return diag_set(d, STATUS_ERR_TOO_LARGE,
						"%s: larger than %zu bytes", path, max);
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
		return diag_set(d, STATUS_ERR_TOO_LARGE, "%s: larger than %zu bytes",
				path, max);
	}
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return STATUS_OK;
}

enum status fileio_write_atomic(const char *path, const void *data, size_t len,
				struct diag *d)
{
	char tmp[4096];
	const char *p = data;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp))
		return diag_set(d, STATUS_ERR_IO, "%s: path too long", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(errno));
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;
			close(fd);
			unlink(tmp);
			return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(e));
		}
		p += w;
		len -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(e));
	}
	return STATUS_OK;
}

char *fileio_join(char *buf, size_t size, const char *root, const char *path)
{
	if (!root || !*root || strcmp(root, "/") == 0)
		snprintf(buf, size, "%s", path);
	else
		snprintf(buf, size, "%s%s", root, path);
	return buf;
}
