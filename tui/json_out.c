/* json_out.c - JSON string escaping for the report writers. */
#include "json_out.h"

#include <string.h>

#include "../probes/text.h"

void json_str(FILE *out, const char *s)
{
	if (!s)
		fputs("null", out);
	else
		json_strn(out, s, strlen(s));
}

void json_strn(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	putc('"', out);
	while (p < end) {
		int n = text_utf8_len(p, (size_t)(end - p));
		if (n == 0) {
			fputs("\\ufffd", out);
			p++;
		} else if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p++);
		} else if (*p == '\n') {
			fputs("\\n", out), p++;
		} else if (*p == '\t') {
			fputs("\\t", out), p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(out, "\\u%04x", *p++);
		} else {
			fwrite(p, 1, (size_t)n, out);
			p += n;
		}
	}
	putc('"', out);
}

void json_key(FILE *out, bool *first, const char *key)
{
	if (!*first)
		putc(',', out);
	*first = false;
	json_str(out, key);
	putc(':', out);
}
