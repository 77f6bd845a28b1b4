/* binsrc.c - reading pieces of a binary from memory or a file. */
#include "binsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void binsrc_mem(struct binsrc *s, const unsigned char *buf, size_t len, const char *name)
{
	/* buf NULL would mean a file: an empty buffer stands in. */
	s->name = name;
	s->buf = buf ? buf : (const unsigned char *)"";
	s->fd = -1;
	s->size = buf ? len : 0;
}

enum status binsrc_open(struct binsrc *s, const char *path, struct diag *d)
{
	struct stat sb;

	s->name = path;
	s->buf = NULL;
	s->size = 0;
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(errno));
	if (fstat(s->fd, &sb) != 0) {
		int e = errno;
		binsrc_close(s);
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(e));
	}
	if (!S_ISREG(sb.st_mode)) {
		binsrc_close(s);
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path,
				S_ISDIR(sb.st_mode) ? "is a directory" : "not a regular file");
	}
	s->size = (uint64_t)sb.st_size;
	return STATUS_OK;
}

void binsrc_close(struct binsrc *s)
{
	if (!s->buf && s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

enum status binsrc_parse_file(const char *path,
			      enum status (*parse)(const struct binsrc *, void *out, struct diag *),
			      void *out, struct diag *d)
{
	struct binsrc src;
	enum status st = binsrc_open(&src, path, d);

	if (st != STATUS_OK)
		return st;
	st = parse(&src, out, d);
	binsrc_close(&src);
	return st;
}

bool binsrc_has(const struct binsrc *s, uint64_t off, uint64_t n)
{
	return off <= s->size && n <= s->size - off;
}

enum status binsrc_copy(const struct binsrc *s, uint64_t off, size_t n, void *dst, struct diag *d)
{
	unsigned char *out = dst;
	size_t done = 0;

	if (s->buf) {
		memcpy(dst, s->buf + off, n);
		return STATUS_OK;
	}
	while (done < n) {
		ssize_t r = pread(s->fd, out + done, n - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return diag_set(d, STATUS_ERR_IO, "%s: file shrank while being read", s->name);
		if (r < 0)
			return diag_set(d, STATUS_ERR_IO, "%s: %s", s->name, strerror(errno));
		done += (size_t)r;
	}
	return STATUS_OK;
}

enum status binsrc_get(const struct binsrc *s, uint64_t off, size_t n, struct binpiece *pc,
		       struct diag *d)
{
	enum status st;

	pc->owned = NULL;
	if (s->buf) {
		pc->p = s->buf + off;
		return STATUS_OK;
	}
	pc->owned = malloc(n ? n : 1);
	if (!pc->owned)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory reading %zu bytes", s->name, n);
	st = binsrc_copy(s, off, n, pc->owned, d);
	if (st != STATUS_OK) {
		free(pc->owned);
		pc->owned = NULL;
		return st;
	}
	pc->p = pc->owned;
	return STATUS_OK;
}

void binpiece_free(struct binpiece *pc)
{
	free(pc->owned);
	pc->owned = NULL;
	pc->p = NULL;
}
