/* npmlock.h - package URLs from npm's package-lock.json / npm-shrinkwrap.json and from yarn.lock. */
#ifndef QUIRK_NPMLOCK_H
#define QUIRK_NPMLOCK_H

#include "facts.h"

/* Adds every installed package of an npm lockfile (lockfileVersion 1 and
 * the older unversioned shrinkwrap: nested "dependencies"; 2 and 3: the
 * "packages" map keyed "node_modules/...", every nested copy) to the
 * project.packages list as pkg:npm/NAME@VERSION, a scope's '@' written
 * %40 as the purl spec's npm type says. The root entry, links and
 * versions that are not registry versions (git, file:, URLs) are left
 * out. The JSON is read with SQLite's JSON1. STATUS_ERR_LOCKFILE if the
 * text is not JSON or not shaped like a lockfile (d names path and the
 * problem), STATUS_ERR_NOMEM; packages added before an error stay. */
enum status npmlock_parse_json(const char *path, const char *text, struct facts *f,
			       struct diag *d);

/* The same for yarn.lock: Yarn 1 ("name@range, ...:" headers with
 * `version "x"`) and Yarn 2+ (`resolution: "name@npm:x"`; workspace,
 * patch and other non-registry resolutions left out). STATUS_ERR_LOCKFILE
 * with d naming path and line for a line that is not yarn.lock syntax or
 * a Yarn 1 entry without a version. */
enum status npmlock_parse_yarn(const char *path, const char *text, struct facts *f,
			       struct diag *d);

#endif
