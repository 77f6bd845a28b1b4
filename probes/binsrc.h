/* binsrc.h - the bytes of a binary, from memory or read piecewise from a file, every range checked. */
#ifndef QUIRK_BINSRC_H
#define QUIRK_BINSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* A file read piece by piece costs a few reads of what a reader looks at,
 * however large the binary. */
struct binsrc {
	const char *name;         /* for messages */
	const unsigned char *buf; /* NULL for a file */
	int fd;
	uint64_t size;
};

/* Bytes of the source: a pointer into the buffer, or a copy we own. */
struct binpiece {
	const unsigned char *p;
	unsigned char *owned;
};

/* A source over len bytes at buf (NULL reads as empty). Never fails. */
void binsrc_mem(struct binsrc *s, const unsigned char *buf, size_t len, const char *name);

/* Opens path, a regular file. STATUS_ERR_IO naming the file and errno (or
 * "is a directory", "not a regular file"); nothing is left open then. */
enum status binsrc_open(struct binsrc *s, const char *path, struct diag *d);
/* Closes a file source; safe on a memory source and twice. */
void binsrc_close(struct binsrc *s);

/* Opens path, runs parse over it with out, closes it: parse's status, or
 * binsrc_open's. */
enum status binsrc_parse_file(const char *path,
			      enum status (*parse)(const struct binsrc *, void *out, struct diag *),
			      void *out, struct diag *d);

/* Whether [off, off + n) lies within the source, without overflow. */
bool binsrc_has(const struct binsrc *s, uint64_t off, uint64_t n);

/* The n bytes at off, which the caller has checked with binsrc_has().
 * STATUS_ERR_NOMEM, or STATUS_ERR_IO if the file cannot be read or shrank;
 * pc holds nothing to free then. Free with binpiece_free(). */
enum status binsrc_get(const struct binsrc *s, uint64_t off, size_t n, struct binpiece *pc,
		       struct diag *d);
void binpiece_free(struct binpiece *pc);

/* Copies the n bytes at off (checked by the caller) into dst. As binsrc_get. */
enum status binsrc_copy(const struct binsrc *s, uint64_t off, size_t n, void *dst, struct diag *d);

#endif
