/* text.h - checks on text read from files (UTF-8, NUL bytes, JSON nesting)
 * and repair of host strings, so what quirk holds and writes is UTF-8. */
#ifndef QUIRK_TEXT_H
#define QUIRK_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

/* Length of the valid UTF-8 sequence at s (1 to 4, within avail bytes),
 * or 0 if it is not one (overlong forms and surrogates included). */
int text_utf8_len(const unsigned char *s, size_t avail);

/* Offset of the first byte of s (len bytes) that does not begin a valid
 * UTF-8 sequence; len if there is none. */
size_t text_utf8_invalid_at(const char *s, size_t len);

/* A copy of s in which each byte that does not begin a valid UTF-8
 * sequence is U+FFFD. NULL when out of memory. */
char *text_utf8_repair(const char *s);

/* Whether text (len bytes, read from path) is text: no NUL byte and valid
 * UTF-8. STATUS_ERR_PARSE with d naming path and the problem ("PATH:
 * binary data (NUL byte); not KIND", "PATH:LINE: not valid UTF-8 (byte
 * 0xNN in column C); KIND is UTF-8 text"). */
enum status text_check(const char *path, const char *text, size_t len, const char *kind, struct diag *d);

/* Why SQLite's json_valid() refused doc, into why: its depth when arrays
 * and objects nest more than 1000 deep (SQLite's parser stops at a depth
 * of that order), else "not valid JSON". */
void text_json_invalid(const char *doc, char *why, size_t n);
/* Whether doc (len bytes) is JSON by RFC 8259's grammar. SQLite 3.40's
 * json_valid() takes some malformed text ("{{...}") and its json_each()
 * then crashes on it (found by fuzzing), so JSON from outside is checked
 * here first. */
bool text_json_strict(const char *doc, size_t len);

#endif
