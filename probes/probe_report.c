/* probe_report.c - the child-to-runner report stream and result helpers.
 *
 * One record per line, written with a single write() of at most PIPE_BUF
 * bytes so records from several processes never interleave:
 *   p FRACTION MESSAGE   progress
 *   c NAME VALUE         a counter's current value
 *   d TEXT               a line of details
 *   r STATUS SUMMARY     the result
 */
#include "probe_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const status_names[] = {
#define PROBE_STATUS_NAME(name, str) str,
	PROBE_STATUS_TABLE(PROBE_STATUS_NAME)
#undef PROBE_STATUS_NAME
};
#define NSTATUS (sizeof(status_names) / sizeof(status_names[0]))

const char *probe_status_name(enum probe_status st)
{
	return (size_t)st < NSTATUS ? status_names[st] : NULL;
}

bool probe_status_parse(const char *name, enum probe_status *out)
{
	for (size_t i = 0; i < NSTATUS; i++) {
		if (!strcmp(name, status_names[i])) {
			*out = (enum probe_status)i;
			return true;
		}
	}
	return false;
}

const char *probe_risk_name(enum probe_risk risk)
{
	return risk == PROBE_RISK_SAFE ? "safe" : "may crash the machine on affected hosts";
}

/* Writes "TAG text\n" with newlines in text turned into spaces. */
static void emit(int fd, char tag, const char *fmt, va_list ap)
{
	char buf[PIPE_BUF < 1024 ? PIPE_BUF : 1024];
	int n;

	buf[0] = tag;
	buf[1] = ' ';
	n = vsnprintf(buf + 2, sizeof(buf) - 3, fmt, ap);
	if (n < 0)
		return;
	n = (size_t)n + 2 < sizeof(buf) - 1 ? n + 2 : (int)sizeof(buf) - 2;
	for (int i = 2; i < n; i++)
		if (buf[i] == '\n' || buf[i] == '\r')
			buf[i] = ' ';
	buf[n++] = '\n';
	while (write(fd, buf, (size_t)n) < 0 && errno == EINTR)
		;
}

static void emitf(int fd, char tag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(fd, tag, fmt, ap);
	va_end(ap);
}

void probe_progress(struct probe_ctx *c, double fraction, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emitf(c->fd, 'p', "%.4f %s", fraction < 0 ? 0 : fraction > 1 ? 1 : fraction, msg);
}

void probe_count(struct probe_ctx *c, const char *name, uint64_t value)
{
	emitf(c->fd, 'c', "%s %llu", name, (unsigned long long)value);
}

void probe_detail(struct probe_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(c->fd, 'd', fmt, ap);
	va_end(ap);
}

enum probe_status probe_finish(struct probe_ctx *c, enum probe_status st, const char *fmt, ...)
{
	char msg[PROBE_SUMMARY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emitf(c->fd, 'r', "%s %s", probe_status_name(st), msg);
	return st;
}

uint64_t probe_counter_get(const struct probe_result *r, const char *name)
{
	for (size_t i = 0; i < r->ncounters; i++)
		if (!strcmp(r->counters[i].name, name))
			return r->counters[i].value;
	return 0;
}

char *probe_detects_join(const struct probe_def *def, char *buf, size_t n)
{
	size_t used = 0;

	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < PROBE_MAX_DETECTS && def->detects[i] && used < n; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", def->detects[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

static void set_counter(struct probe_result *r, const char *name, uint64_t value)
{
	size_t i;

	for (i = 0; i < r->ncounters; i++)
		if (!strcmp(r->counters[i].name, name))
			break;
	if (i == r->ncounters) {
		if (r->ncounters == PROBE_MAX_COUNTERS || strlen(name) >= sizeof(r->counters[0].name))
			return;
		snprintf(r->counters[r->ncounters++].name, sizeof(r->counters[0].name), "%s", name);
	}
	r->counters[i].value = value;
}

static void append_detail(struct probe_result *r, const char *text)
{
	size_t used = strlen(r->details), room = sizeof(r->details) - used;

	/* Keep the first details: they say what went wrong first. */
	if (room > 1)
		snprintf(r->details + used, room, "%s\n", text);
}

/* Malformed records are dropped: the probe's own code wrote them, and a
 * result still comes from the way the child ended. */
const char *probe_record_apply(struct probe_result *r, char *line, bool *have_result)
{
	char *rest, *end;

	if (line[0] == '\0' || line[1] != ' ')
		return NULL;
	rest = line + 2;
	switch (line[0]) {
	case 'p': {
		double f = strtod(rest, &end);
		if (end == rest || (*end && *end != ' '))
			return NULL;
		if (f >= 0 && f <= 1)
			r->fraction = f;
		return *end ? end + 1 : end;
	}
	case 'c': {
		char *sp = strchr(rest, ' ');
		unsigned long long v;
		if (!sp)
			return NULL;
		*sp = '\0';
		errno = 0;
		v = strtoull(sp + 1, &end, 10);
		if (!errno && end != sp + 1 && !*end)
			set_counter(r, rest, v);
		return NULL;
	}
	case 'd':
		append_detail(r, rest);
		return NULL;
	case 'r': {
		char *sp = strchr(rest, ' ');
		enum probe_status st;
		if (sp)
			*sp = '\0';
		if (!probe_status_parse(rest, &st))
			return NULL;
		r->status = st;
		snprintf(r->summary, sizeof(r->summary), "%s", sp ? sp + 1 : "");
		*have_result = true;
		return NULL;
	}
	default:
		return NULL;
	}
}
