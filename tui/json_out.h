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

/* Length of the valid UTF-8 sequence at s (1 to 4, within avail bytes),
 * or 0 if it is not one (overlong forms and surrogates included). */
int json_utf8_len(const unsigned char *s, size_t avail);

/* "key": with the comma that separates it from a previous member when
 * *first is false; sets *first to false. */
void json_key(FILE *out, bool *first, const char *key);

#endif
