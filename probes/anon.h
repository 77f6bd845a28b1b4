/* anon.h - host-derived text without what identifies the host or its
 * user: host and user names, home directories, serial-like values. */
#ifndef QUIRK_ANON_H
#define QUIRK_ANON_H

#include <stddef.h>

#include "facts.h"
#include "probe.h"
#include "status.h"

#define ANON_MAX 8

/* What to look for besides the patterns every text is checked for. */
struct anon {
	size_t nhomes, nnames;
	char homes[ANON_MAX][512];
	struct {
		char text[256];
		const char *mark; /* "<user>" or "<host>" */
	} names[ANON_MAX];
};

void anon_init(struct anon *a);
/* A home directory, written as "~" (ignored: "/", relative, too long or
 * past ANON_MAX). */
void anon_add_home(struct anon *a, const char *dir);
/* A user name ("<user>") or host name ("<host>"; its first label too);
 * ignored if shorter than 2 characters, too long or past ANON_MAX. */
void anon_add_user(struct anon *a, const char *name);
void anon_add_host(struct anon *a, const char *name);
/* Learns the names and home a facts file may carry (host.name, hostname,
 * user.name, user, user.home, home, and keys ending in .hostname,
 * .nodename or .username). */
void anon_learn_facts(struct anon *a, const struct facts *f);
/* Learns the running user's name and home (password database and $HOME)
 * and the host name; what cannot be read is skipped. */
void anon_learn_system(struct anon *a);

/* s rewritten as the value of fact key (NULL for free text: a path, a
 * probe's summary or details). Everywhere: a home directory, /home/NAME,
 * /Users/NAME and /root as the start of a path become "~" (NAME becomes
 * "<user>" deeper in a path), MAC addresses and UUIDs "<redacted>". In
 * free text and facts outside the contract (fact_keys.def) also the names
 * learned become "<user>"/"<host>", and serial-like tokens (8 or more
 * capitals and digits with at least two of each; 12 or 32 hex digits)
 * "<redacted>"; contract facts are versions and build strings that a
 * word replacement could break. Facts that name the host, user or home
 * become "<host>", "<user>", "~"; keys ending in serial, uuid, mac,
 * hwaddr, machine_id or hostid "<redacted>". The kernel command line
 * keeps its switches and the values of parameters that only tune the
 * kernel (vsyscall=, mitigations=, ...); other values become
 * "<redacted>" and what follows "--" goes. NULL when out of memory. */
char *anon_text(const struct anon *a, const char *key, const char *s);

/* Rewrites every string value and list item of f with anon_text().
 * STATUS_ERR_NOMEM (f partly rewritten). */
enum status anon_facts(const struct anon *a, struct facts *f);
/* Rewrites a probe's summary and details as free text (cut to their
 * buffers). STATUS_ERR_NOMEM (r partly rewritten). */
enum status anon_probe_result(const struct anon *a, struct probe_result *r);

#endif
