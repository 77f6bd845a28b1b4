/* fileio.h - bounded whole-file reads and atomic writes. */
#ifndef QUIRK_FILEIO_H
#define QUIRK_FILEIO_H

#include <stddef.h>

#include "status.h"

/* Reads all of path (at most max bytes) into a NUL-terminated buffer the
 * caller frees. STATUS_ERR_IO if it cannot be opened or read (d names the
 * file and errno), STATUS_ERR_TOO_LARGE if it exceeds max. Directories are
 * refused with STATUS_ERR_IO. */
enum status fileio_read(const char *path, size_t max, char **out, size_t *len,
			struct diag *d);

/* Writes data to path through a temporary file in the same directory and
 * rename(), so readers never see half a file. STATUS_ERR_IO on failure,
 * with nothing left behind. */
enum status fileio_write_atomic(const char *path, const void *data, size_t len,
				struct diag *d);

/* Joins root and an absolute path ("/proc/version") into buf; a NULL or
 * empty root means the path itself. Returns buf. */
char *fileio_join(char *buf, size_t size, const char *root, const char *path);

#endif
