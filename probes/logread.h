/* logread.h - a log as a stream of bytes: a file, standard input, or
 * gzip-compressed data (recognised by its magic, not its name). */
#ifndef QUIRK_LOGREAD_H
#define QUIRK_LOGREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

struct logread;

/* Opens path ("-" is standard input). STATUS_ERR_IO (d names the file and
 * errno; directories included) or STATUS_ERR_NOMEM; *out is NULL then.
 * Close with logread_close(). */
enum status logread_open(const char *path, struct logread **out, struct diag *d);

/* The same for len bytes in memory, named name in messages; neither is
 * copied, so both must outlive r. STATUS_ERR_NOMEM (*out NULL). */
enum status logread_open_mem(const void *data, size_t len, const char *name, struct logread **out,
			     struct diag *d);

/* Reads up to cap bytes of the decoded stream into buf; *n is 0 at the
 * end. STATUS_ERR_IO on a read error, STATUS_ERR_PARSE on corrupt or
 * truncated gzip data (d names the file and the compressed offset). */
enum status logread_read(struct logread *r, void *buf, size_t cap, size_t *n, struct diag *d);

/* Whether the input is gzip-compressed (known after the first read). */
bool logread_gzip(const struct logread *r);

/* Compressed bytes read so far (the file's size once at the end). */
unsigned long long logread_raw_bytes(const struct logread *r);

void logread_close(struct logread *r);

#endif
