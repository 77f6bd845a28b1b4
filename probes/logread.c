/* logread.c - plain and gzip log input through one read call. */
#include "logread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RAW_SIZE (64 * 1024)

struct logread {
	const char *path;
	int fd;
	bool own_fd, gzip, sniffed, eof;
	z_stream z;
	bool z_live;
	bool member_start; /* between gzip members: ending here is fine */
	bool done;         /* trailing bytes after the last member */
	unsigned members;
	unsigned char *raw; /* compressed input, or the sniffed first bytes */
	size_t raw_len, raw_pos;
	unsigned long long raw_total;
	bool in_mem; /* logread_open_mem: mem instead of fd */
	const unsigned char *mem;
	size_t mem_len, mem_pos;
};

static struct logread *alloc_reader(void)
{
	struct logread *r = calloc(1, sizeof(*r));

	if (r && !(r->raw = malloc(RAW_SIZE))) {
		free(r);
		r = NULL;
	}
	return r;
}

enum status logread_open(const char *path, struct logread **out, struct diag *d)
{
	struct logread *r = alloc_reader();
	struct stat sb;

	*out = NULL;
	if (!r)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: %s", path, status_str(STATUS_ERR_NOMEM));
	r->path = path;
	if (!strcmp(path, "-")) {
		r->fd = STDIN_FILENO;
		r->path = "(standard input)";
	} else if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		int e = errno;
		logread_close(r);
		return diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(e));
	} else {
		r->own_fd = true;
	}
	if (fstat(r->fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		logread_close(r);
		return diag_set(d, STATUS_ERR_IO, "%s: is a directory", path);
	}
	*out = r;
	return STATUS_OK;
}

enum status logread_open_mem(const void *data, size_t len, const char *name, struct logread **out,
			     struct diag *d)
{
	struct logread *r = alloc_reader();

	*out = NULL;
	if (!r)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: %s", name, status_str(STATUS_ERR_NOMEM));
	r->path = name;
	r->fd = -1;
	r->in_mem = true;
	r->mem = data;
	r->mem_len = len;
	*out = r;
	return STATUS_OK;
}

/* read(2) from the descriptor, or the next bytes of the memory input. */
static ssize_t source_read(struct logread *r, void *buf, size_t cap)
{
	ssize_t got;
	size_t k;

	if (!r->in_mem) {
		do
			got = read(r->fd, buf, cap);
		while (got < 0 && errno == EINTR);
		return got;
	}
	k = r->mem_len - r->mem_pos < cap ? r->mem_len - r->mem_pos : cap;
	if (k)
		memcpy(buf, r->mem + r->mem_pos, k);
	r->mem_pos += k;
	return (ssize_t)k;
}

/* Refills raw from the input; false at end of input or on error. */
static enum status fill(struct logread *r, struct diag *d)
{
	ssize_t got = source_read(r, r->raw, RAW_SIZE);

	if (got < 0)
		return diag_set(d, STATUS_ERR_IO, "%s: %s", r->path, strerror(errno));
	r->raw_len = (size_t)got;
	r->raw_pos = 0;
	r->raw_total += (unsigned long long)got;
	r->eof = got == 0;
	return STATUS_OK;
}

/* Looks at the first bytes: gzip data starts with 1f 8b. */
static enum status sniff(struct logread *r, struct diag *d)
{
	enum status st = fill(r, d);

	r->sniffed = true;
	if (st != STATUS_OK)
		return st;
	/* A first read may return one byte from a pipe: wait for a second. */
	if (r->raw_len == 1 && r->raw[0] == 0x1f) {
		ssize_t got = source_read(r, r->raw + 1, 1);
		if (got < 0)
			return diag_set(d, STATUS_ERR_IO, "%s: %s", r->path, strerror(errno));
		r->raw_len += (size_t)got;
		r->raw_total += (unsigned long long)got;
	}
	r->gzip = r->raw_len >= 2 && r->raw[0] == 0x1f && r->raw[1] == 0x8b;
	if (r->gzip) {
		/* 16 + MAX_WBITS: gzip framing, checked CRC and length. */
		if (inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK)
			return diag_set(d, STATUS_ERR_NOMEM, "%s: cannot start gzip decoding", r->path);
		r->z_live = true;
		r->member_start = true;
	}
	return STATUS_OK;
}

static enum status read_gzip(struct logread *r, void *buf, size_t cap, size_t *n, struct diag *d)
{
	enum status st;
	int rc;

	r->z.next_out = buf;
	r->z.avail_out = (uInt)(cap > (1u << 30) ? 1u << 30 : cap);
	while (r->z.next_out == buf && !r->done) {
		if (r->raw_pos == r->raw_len) {
			if ((st = fill(r, d)) != STATUS_OK)
				return st;
			if (r->eof) {
				/* Ending inside a member is truncation. */
				if (!r->member_start)
					return diag_set(d, STATUS_ERR_PARSE, "%s: truncated gzip data", r->path);
				break;
			}
		}
		r->z.next_in = r->raw + r->raw_pos;
		r->z.avail_in = (uInt)(r->raw_len - r->raw_pos);
		rc = inflate(&r->z, Z_NO_FLUSH);
		r->raw_pos = r->raw_len - r->z.avail_in;
		if (rc == Z_STREAM_END) {
			/* gzip files may hold several members one after another. */
			inflateReset(&r->z);
			r->member_start = true;
		} else if (rc == Z_DATA_ERROR && r->member_start && r->members) {
			/* Like gzip(1): what follows the last member is ignored. */
			r->done = true;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			return diag_set(d, STATUS_ERR_PARSE, "%s: corrupt gzip data near byte %llu: %s", r->path,
					r->raw_total - (r->raw_len - r->raw_pos), r->z.msg ? r->z.msg : "error");
		} else {
			r->members += r->member_start;
			r->member_start = false;
		}
	}
	*n = (size_t)((unsigned char *)r->z.next_out - (unsigned char *)buf);
	return STATUS_OK;
}

enum status logread_read(struct logread *r, void *buf, size_t cap, size_t *n, struct diag *d)
{
	enum status st;
	ssize_t got;

	*n = 0;
	if (!r->sniffed && (st = sniff(r, d)) != STATUS_OK)
		return st;
	if (r->gzip)
		return read_gzip(r, buf, cap, n, d);
	if (r->raw_pos < r->raw_len) {
		size_t k = r->raw_len - r->raw_pos < cap ? r->raw_len - r->raw_pos : cap;
		memcpy(buf, r->raw + r->raw_pos, k);
		r->raw_pos += k;
		*n = k;
		return STATUS_OK;
	}
	got = source_read(r, buf, cap);
	if (got < 0)
		return diag_set(d, STATUS_ERR_IO, "%s: %s", r->path, strerror(errno));
	r->raw_total += (unsigned long long)got;
	*n = (size_t)got;
	return STATUS_OK;
}

bool logread_gzip(const struct logread *r)
{
	return r->gzip;
}

unsigned long long logread_raw_bytes(const struct logread *r)
{
	return r->raw_total;
}

void logread_close(struct logread *r)
{
	if (!r)
		return;
	if (r->z_live)
		inflateEnd(&r->z);
	if (r->own_fd)
		close(r->fd);
	free(r->raw);
	free(r);
}
