/* text.c - UTF-8 and the other checks on text from files. */
#include "text.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than this, a document SQLite refuses is refused for its depth. */
#define JSON_DEPTH_SUSPECT 1000
/* As deep as SQLite's JSON parser goes. */
#define TEXT_JSON_DEPTH 2000

int text_utf8_len(const unsigned char *s, size_t avail)
{
	if (!avail)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return avail >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		unsigned lo = s[0] == 0xe0 ? 0xa0 : 0x80, hi = s[0] == 0xed ? 0x9f : 0xbf;
		return avail >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		unsigned lo = s[0] == 0xf0 ? 0x90 : 0x80, hi = s[0] == 0xf4 ? 0x8f : 0xbf;
		if (avail < 4)
			return 0;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

size_t text_utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		int n = p[i] < 0x80 ? 1 : text_utf8_len(p + i, len - i);
		if (!n)
			return i;
		i += (size_t)n;
	}
	return len;
}

char *text_utf8_repair(const char *s)
{
	size_t len = strlen(s), k = 0;
	/* Each invalid byte grows by 2 at most. */
	char *out = malloc(3 * len + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		int n = text_utf8_len((const unsigned char *)s + i, len - i);
		if (n) {
			memcpy(out + k, s + i, (size_t)n);
			k += (size_t)n;
			i += (size_t)n;
		} else {
			memcpy(out + k, "\xef\xbf\xbd", 3);
			k += 3;
			i++;
		}
	}
	out[k] = '\0';
	return out;
}

enum status text_check(const char *path, const char *text, size_t len, const char *kind, struct diag *d)
{
	size_t at, line = 1, col = 1;

	if (memchr(text, '\0', len))
		return diag_set(d, STATUS_ERR_PARSE, "%s: binary data (NUL byte); not %s", path, kind);
	if ((at = text_utf8_invalid_at(text, len)) == len)
		return STATUS_OK;
	for (size_t i = 0; i < at; i++) {
		if (text[i] == '\n')
			line++, col = 1;
		else if (((unsigned char)text[i] & 0xc0) != 0x80)
			col++;
	}
	return diag_set(d, STATUS_ERR_PARSE, "%s:%zu: not valid UTF-8 (byte 0x%02x in column %zu); %s is UTF-8 text",
			path, line, (unsigned char)text[at], col, kind);
}

void text_json_invalid(const char *doc, char *why, size_t n)
{
	size_t depth = 0, deepest = 0;
	bool in_string = false;

	for (const char *p = doc; *p; p++) {
		if (in_string) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_string = false;
		} else if (*p == '"') {
			in_string = true;
		} else if (*p == '[' || *p == '{') {
			if (++depth > deepest)
				deepest = depth;
		} else if ((*p == ']' || *p == '}') && depth) {
			depth--;
		}
	}
	if (deepest > JSON_DEPTH_SUSPECT)
		snprintf(why, n, "arrays and objects nested %zu deep, deeper than SQLite's JSON parser reads", deepest);
	else
		snprintf(why, n, "not valid JSON");
}

/* A strict RFC 8259 reader that only says whether doc is JSON. */
struct jscan {
	const char *p, *end;
	int depth;
};

static void jspace(struct jscan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static bool jlit(struct jscan *s, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n))
		return false;
	s->p += n;
	return true;
}

static bool jstring(struct jscan *s)
{
	if (s->p >= s->end || *s->p++ != '"')
		return false;
	while (s->p < s->end && *s->p != '"') {
		unsigned char c = (unsigned char)*s->p++;
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (s->p >= s->end)
				return false;
			c = (unsigned char)*s->p++;
			if (c == 'u') {
				for (int i = 0; i < 4; i++, s->p++)
					if (s->p >= s->end || !isxdigit((unsigned char)*s->p))
						return false;
			} else if (!strchr("\"\\/bfnrt", c) || !c) {
				return false;
			}
		}
	}
	return s->p++ < s->end;
}

static bool jdigits(struct jscan *s)
{
	const char *at = s->p;

	while (s->p < s->end && isdigit((unsigned char)*s->p))
		s->p++;
	return s->p > at;
}

static bool jnumber(struct jscan *s)
{
	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (!jdigits(s))
		return false;
	if (s->p < s->end && *s->p == '.' && (s->p++, !jdigits(s)))
		return false;
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!jdigits(s))
			return false;
	}
	return true;
}

static bool jvalue(struct jscan *s)
{
	char open;

	jspace(s);
	if (s->p >= s->end)
		return false;
	open = *s->p;
	if (open == '"')
		return jstring(s);
	if (open != '{' && open != '[')
		return jlit(s, "true") || jlit(s, "false") || jlit(s, "null") || jnumber(s);
	if (++s->depth > TEXT_JSON_DEPTH)
		return false;
	s->p++;
	jspace(s);
	if (s->p < s->end && *s->p == (open == '{' ? '}' : ']')) {
		s->p++;
		s->depth--;
		return true;
	}
	for (;;) {
		if (open == '{') {
			jspace(s);
			if (!jstring(s))
				return false;
			jspace(s);
			if (s->p >= s->end || *s->p++ != ':')
				return false;
		}
		if (!jvalue(s))
			return false;
		jspace(s);
		if (s->p >= s->end)
			return false;
		if (*s->p == ',') {
			s->p++;
			continue;
		}
		if (*s->p++ != (open == '{' ? '}' : ']'))
			return false;
		s->depth--;
		return true;
	}
}

bool text_json_strict(const char *doc, size_t len)
{
	struct jscan s = {doc, doc + len, 0};

	if (!jvalue(&s))
		return false;
	jspace(&s);
	return s.p == s.end;
}
