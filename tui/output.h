/* output.h - where a command's document goes: standard output, or with
 * --output a file that is replaced only when the whole document is there. */
#ifndef QUIRK_OUTPUT_H
#define QUIRK_OUTPUT_H

#include <stdbool.h>

/* Points standard output at a temporary file beside path (path NULL:
 * leaves it alone). SIGINT, SIGTERM and SIGHUP remove the temporary file
 * before quirk dies of them. Prints the error and returns false, with
 * nothing created. */
bool output_open(const char *path);

/* Ends the command whose exit status is rc: flushes standard output and,
 * with a file, renames it into place unless rc is EXIT_ERROR or a write
 * failed (then the temporary file is removed and the old file is left as
 * it was). Returns rc, or EXIT_ERROR after printing why a write, sync or
 * rename failed. */
int output_close(int rc);

#endif
