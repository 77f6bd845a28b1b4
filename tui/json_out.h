/* json_out.h - writing JSON documents to a stream, escaped correctly. */
#ifndef QUIRK_JSON_OUT_H
#define QUIRK_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes s as a JSON string literal ("null" for NULL). Bytes that are not
 * valid UTF-8 become U+FFFD, so the output is always valid JSON. */
void json_str(FILE *out, const char *s);

/* The same for len bytes that may include NUL (shown as \u0000). */
void json_strn(FILE *out, const char *s, size_t len);

/* "key": with the comma that separates it from a previous member when
 * *first is false; sets *first to false. */
void json_key(FILE *out, bool *first, const char *key);

#endif
