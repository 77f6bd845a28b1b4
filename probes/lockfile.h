/* lockfile.h - package URLs (purls) from Cargo.lock, Gemfile.lock, mix.lock, go.mod and npm/Yarn lockfiles. */
#ifndef QUIRK_LOCKFILE_H
#define QUIRK_LOCKFILE_H

#include "facts.h"

/* Kinds of lockfile by file name; LOCK_NONE for any other name. */
enum lock_kind { LOCK_NONE, LOCK_CARGO, LOCK_GEMFILE, LOCK_MIX, LOCK_GOMOD, LOCK_NPM, LOCK_YARN };
enum lock_kind lockfile_kind(const char *filename);

/* Adds every package of the lockfile text to the project.packages list
 * fact as "pkg:TYPE/NAME@VERSION". STATUS_ERR_LOCKFILE if the text is not
 * a lockfile of that kind (d names path, line and problem). */
enum status lockfile_parse(enum lock_kind kind, const char *path,
			   const char *text, struct facts *f, struct diag *d);

/* Walks dir (a few levels, skipping dependency, build and test folders) and
 * parses every lockfile found. Sets project.packages to a list, empty if
 * there are none. STATUS_ERR_IO if dir cannot be read, STATUS_ERR_LOCKFILE
 * for a malformed lockfile. */
enum status lockfile_scan_dir(const char *dir, struct facts *f, struct diag *d);

#endif
