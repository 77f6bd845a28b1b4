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

/* Writes data to path through a temporary file in the same directory,
 * fsync() and rename(), so readers never see half a file.
 * STATUS_ERR_IO on failure, with nothing left behind and path untouched. */
enum status fileio_write_atomic(const char *path, const void *data, size_t len,
				struct diag *d);

/* The same for a document written piece by piece: write to fd, then
 * commit or abort. The temporary file (mode 0644) has no name until the
 * commit where the system allows it (Linux's O_TMPFILE), so a writer
 * killed meanwhile leaves nothing; elsewhere it is PATH.tmp.XXXXXX. */
struct fileio_atomic {
	int fd;
	char path[4096];
	char tmp[4096]; /* the temporary file's name; "" while it has none */
};

/* Creates the temporary file beside path. STATUS_ERR_IO (d names path)
 * with nothing left behind, also if path exists and is not a regular
 * file (a device or FIFO would be replaced, not written). */
enum status fileio_atomic_open(struct fileio_atomic *a, const char *path, struct diag *d);
/* Syncs and closes the temporary file, renames it over path and syncs the
 * directory. STATUS_ERR_IO (d filled) with the temporary file removed
 * and path untouched. */
enum status fileio_atomic_commit(struct fileio_atomic *a, struct diag *d);
/* Closes and removes the temporary file; path is untouched. */
void fileio_atomic_abort(struct fileio_atomic *a);

/* Joins root and an absolute path ("/proc/version") into buf; a NULL or
 * empty root means the path itself. Returns buf. */
char *fileio_join(char *buf, size_t size, const char *root, const char *path);

#endif
