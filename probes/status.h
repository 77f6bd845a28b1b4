/* status.h - the one table of error states shared by every layer. */
#ifndef QUIRK_STATUS_H
#define QUIRK_STATUS_H

#include <stdarg.h>

/* X(name, message). probes/ and db/ return these and never print;
 * front ends turn them into text with status_str(). */
#define STATUS_TABLE(X)                                                        \
	X(OK, "success")                                                       \
	X(ERR_NOMEM, "out of memory")                                          \
	X(ERR_IO, "cannot read or write the file")                             \
	X(ERR_NOT_FOUND, "not found")                                          \
	X(ERR_PARSE, "malformed input")                                        \
	X(ERR_TOO_LARGE, "input is too large")                                 \
	X(ERR_VERSION, "unparsable version")                                   \
	X(ERR_SCHEME, "unknown version scheme")                                \
	X(ERR_DB, "database error")                                            \
	X(ERR_KB_INVALID, "invalid knowledge base entry")                      \
	X(ERR_FACTS_INVALID, "invalid facts file")                             \
	X(ERR_PROFILE_INVALID, "invalid profile")                              \
	X(ERR_LOCKFILE, "malformed lockfile")                                  \
	X(ERR_SPAWN, "cannot start a process")                                 \
	X(ERR_TIMEOUT, "timed out")                                            \
	X(ERR_UNSUPPORTED, "not supported on this platform")                   \
	X(ERR_NOT_MACHO, "not a Mach-O file")                                  \
	X(ERR_MACHO, "malformed Mach-O file")                                  \
	X(ERR_NOT_ELF, "not an ELF file")                                      \
	X(ERR_ELF, "malformed ELF file")                                       \
	X(ERR_NOT_GO, "no Go build info")                                      \
	X(ERR_ARGS, "bad arguments")

enum status {
#define STATUS_ENUM(name, msg) STATUS_##name,
	STATUS_TABLE(STATUS_ENUM)
#undef STATUS_ENUM
};

/* Never returns NULL; unknown values map to a generic message. */
const char *status_str(enum status st);

/* The detail behind a failing status: which file, which line, what is
 * wrong. Filled by the layer that fails, shown by the front end. */
struct diag {
	char msg[768];
};

/* Formats the detail into d (if d is not NULL) and returns st, so a
 * failure path reads `return diag_set(d, STATUS_ERR_IO, "%s: ...", p);`. */
/* The symbolic name of an errno value ("EPERM"); "errno" if unlisted. */
const char *status_errno_name(int err);

enum status diag_set(struct diag *d, enum status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "prefix" followed by the formatted detail, for readers whose messages
 * all start the same way ("file: malformed ELF file: "). Returns st. */
enum status diag_setv_prefixed(struct diag *d, enum status st, const char *prefix,
			       const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

#endif
