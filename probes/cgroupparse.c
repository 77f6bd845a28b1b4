/* cgroupparse.c - cgroup mount, membership and limit parsers. */
#include "cgroupparse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One mountinfo line: "ID PARENT MAJ:MIN ROOT POINT OPTS [OPTIONAL...] -
 * FSTYPE SOURCE SUPEROPTS", see proc(5). */
struct mount {
	char root[1024], point[1024], fstype[32], super[1024];
};

/* Copies the next space-separated field of *p into out (cut to fit
 * size), decoding the kernel's octal escapes (\040 for a space); false at
 * end of line. Runs without a backslash are copied whole: mountinfo can
 * run to thousands of lines. */
static bool field(const char **p, char *out, size_t size)
{
	const char *s = *p + strspn(*p, " "), *end = s + strcspn(s, " \n");
	size_t n = 0;

	if (s == end)
		return false;
	while (s < end) {
		const char *bs = memchr(s, '\\', (size_t)(end - s));
		size_t run = (size_t)((bs ? bs : end) - s), room = size - 1 - n;
		char c = '\\';
		memcpy(out + n, s, run < room ? run : room);
		n += run < room ? run : room;
		s += run;
		if (!bs)
			break;
		/* Octal digits are neither blank nor newline: the escape lies
		 * inside the field. */
		if (s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			c = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		}
		s++;
		if (n + 1 < size)
			out[n++] = c;
	}
	out[n] = '\0';
	*p = end;
	return true;
}

static bool parse_mount(const char *line, struct mount *m)
{
	char skip[1024];
	const char *p = line;

	for (int i = 0; i < 3; i++)
		if (!field(&p, skip, sizeof(skip)))
			return false;
	if (!field(&p, m->root, sizeof(m->root)) || !field(&p, m->point, sizeof(m->point)))
		return false;
	/* Options, then optional fields up to the lone "-". */
	do {
		if (!field(&p, skip, sizeof(skip)))
			return false;
	} while (strcmp(skip, "-") != 0);
	if (!field(&p, m->fstype, sizeof(m->fstype)) || !field(&p, skip, sizeof(skip)))
		return false;
	if (!field(&p, m->super, sizeof(m->super)))
		m->super[0] = '\0';
	return true;
}

/* Whether the comma-separated list has item. */
static bool has_item(const char *list, const char *item, size_t n)
{
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, item, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* Calls fn for each parsable mountinfo line until it returns true. */
static bool each_mount(const char *mountinfo, bool (*fn)(const struct mount *, void *),
		       void *arg)
{
	struct mount *m = malloc(sizeof(*m));
	bool stop = false;

	if (!m)
		return false;
	for (const char *line = mountinfo; line && *line && !stop;) {
		if (parse_mount(line, m))
			stop = fn(m, arg);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	free(m);
	return stop;
}

static bool count_kinds(const struct mount *m, void *arg)
{
	bool *seen = arg;

	if (strcmp(m->fstype, "cgroup2") == 0)
		seen[1] = true;
	else if (strcmp(m->fstype, "cgroup") == 0)
		seen[0] = true;
	return false;
}

const char *cgroup_version(const char *mountinfo)
{
	bool seen[2] = {false, false};

	each_mount(mountinfo, count_kinds, seen);
	if (seen[0] && seen[1])
		return "hybrid";
	if (seen[1])
		return "v2";
	return seen[0] ? "v1" : NULL;
}

/* The path of /proc/PID/cgroup's line for the v1 hierarchy holding
 * memory (v1) or of its "0::" line (v2). */
static bool cgroup_path(const char *self_cgroup, bool v1, char *out, size_t size)
{
	for (const char *line = self_cgroup; line && *line;) {
		const char *c1 = strchr(line, ':'), *c2, *end = line + strcspn(line, "\n");
		size_t n;
		if (c1 && c1 < end && (c2 = strchr(c1 + 1, ':')) && c2 < end) {
			char ctrls[256];
			size_t cn = (size_t)(c2 - c1 - 1);
			bool match;
			if (cn >= sizeof(ctrls))
				cn = sizeof(ctrls) - 1;
			memcpy(ctrls, c1 + 1, cn);
			ctrls[cn] = '\0';
			match = v1 ? has_item(ctrls, "memory", 6)
				   : (cn == 0 && c1 - line == 1 && line[0] == '0');
			n = (size_t)(end - c2 - 1);
			if (match && n > 0 && n < size) {
				memcpy(out, c2 + 1, n);
				out[n] = '\0';
				return true;
			}
		}
		line = *end ? end + 1 : NULL;
	}
	return false;
}

struct memory_search {
	bool v1;
	const char *path;
	char *out;
	size_t size;
	bool found;
};

/* The cgroup path below the mount's root, or NULL if outside it. */
static const char *below_root(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return path;
	if (strncmp(path, root, n) != 0 || (path[n] != '/' && path[n] != '\0'))
		return NULL;
	return path + n;
}

static bool match_memory_mount(const struct mount *m, void *arg)
{
	struct memory_search *s = arg;
	const char *rel;
	int n;

	if (s->v1 ? (strcmp(m->fstype, "cgroup") != 0 || !has_item(m->super, "memory", 6))
		  : strcmp(m->fstype, "cgroup2") != 0)
		return false;
	if (!(rel = below_root(s->path, m->root)))
		return false;
	if (strcmp(rel, "/") == 0)
		rel = "";
	n = snprintf(s->out, s->size, "%s%s/%s", strcmp(m->point, "/") == 0 ? "" : m->point, rel,
		     s->v1 ? "memory.limit_in_bytes" : "memory.max");
	s->found = n > 0 && (size_t)n < s->size;
	return s->found;
}

bool cgroup_memory_file(const char *mountinfo, const char *self_cgroup,
			char *out, size_t size)
{
	char path[4096];
	struct memory_search s = {true, path, out, size, false};

	/* Where v1 has the memory controller, it is the one that limits. */
	if (cgroup_path(self_cgroup, true, path, sizeof(path)) &&
	    each_mount(mountinfo, match_memory_mount, &s))
		return true;
	s.v1 = false;
	return cgroup_path(self_cgroup, false, path, sizeof(path)) &&
	       each_mount(mountinfo, match_memory_mount, &s);
}

/* v1 prints "no limit" as PAGE_COUNTER_MAX pages, LONG_MAX rounded down
 * to the page size (9223372036854771712 with 4 KiB pages); kernels before
 * 3.19 printed ULLONG_MAX. Anything from LONG_MAX rounded down to 1 MiB
 * on covers every page size. */
#define V1_UNLIMITED 0x7FFFFFFFFFF00000ULL

bool cgroup_memory_value(const char *text, struct facts *f)
{
	char buf[32];
	size_t n = strcspn(text, "\n");
	unsigned long long v;
	char *end;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (strcmp(buf, "max") == 0)
		return facts_set_str(f, "os.cgroup.memory_max", "unlimited") == STATUS_OK;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)buf[i]))
			return false;
	v = strtoull(buf, &end, 10);
	if (v >= V1_UNLIMITED)
		return facts_set_str(f, "os.cgroup.memory_max", "unlimited") == STATUS_OK;
	return facts_set_num(f, "os.cgroup.memory_max", (double)v) == STATUS_OK;
}

enum status cgroup_proc_cgroups(const char *text, struct facts *f)
{
	enum status st = facts_set_list(f, "os.cgroup.proc_cgroups", NULL, 0);

	for (const char *line = text; line && *line && st == STATUS_OK;) {
		char name[64];
		int hier, num, enabled;
		if (*line != '#' &&
		    sscanf(line, "%63s %d %d %d", name, &hier, &num, &enabled) == 4 && enabled == 1)
			st = facts_list_add(f, "os.cgroup.proc_cgroups", name);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return st;
}
