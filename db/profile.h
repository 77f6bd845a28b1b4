/* profile.h - team profiles: what must hold on a developer's machine (KB
 * entries not affected, probes passing, fact constraints), read from JSON
 * into the scan's database as checklist items for checklist.c to judge. */
#ifndef QUIRK_PROFILE_H
#define QUIRK_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "kb.h"

/* The profile a project commits, looked for in the project directory. */
#define PROFILE_DEFAULT_FILE ".quirk.json"

struct profile_meta {
	char name[128];  /* the profile's "name", "" if none */
	bool run_probes; /* "run_probes": true */
	size_t nitems;
};

/* Reads the profile at path, validates it (each rule an SQL query that
 * returns the reason) and makes its "require" list the checklist items
 * (temp.profile_item) of kb. STATUS_ERR_IO or STATUS_ERR_TOO_LARGE if it
 * cannot be read, STATUS_ERR_PROFILE_INVALID if it is malformed (d holds
 * "PATH: require[2]: unknown op \">>\" ..."), STATUS_ERR_DB; on any
 * failure the checklist is left empty. */
enum status profile_load(struct kb *kb, const char *path, struct profile_meta *meta,
			 struct diag *d);

/* The same for the len bytes of text (NUL-terminated; a NUL among them
 * is refused), named name in messages. */
enum status profile_parse(struct kb *kb, const char *name, const char *text, size_t len,
			  struct profile_meta *meta, struct diag *d);

/* The checklist without a profile, after match_run(): one required item
 * per KB entry that can concern this host and project (not ruled out by
 * os.*, cpu.* or hw.* facts; project package entries only when the
 * project has that package), each to be not affected. STATUS_ERR_DB. */
enum status profile_default(struct kb *kb, struct profile_meta *meta, struct diag *d);

/* After match_run(): the probes the checklist asks for, each once: those
 * of probe items, and those of entry items judged unknown. *names is
 * malloc'd, each name too (free with profile_names_free()).
 * STATUS_ERR_DB or STATUS_ERR_NOMEM, with nothing allocated. */
enum status profile_probes(struct kb *kb, char ***names, size_t *n, struct diag *d);
void profile_names_free(char **names, size_t n);

#endif
