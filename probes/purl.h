/* purl.h - what may stand in the package URLs the lockfile and package readers write. */
#ifndef QUIRK_PURL_H
#define QUIRK_PURL_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the n bytes at s can be a purl's NAME (name true) or VERSION:
 * not empty, valid UTF-8 without control characters (which a damaged or
 * hostile file could carry into the facts and onto a terminal; the facts
 * would also turn invalid bytes into U+FFFD, making distinct purls one),
 * and in a NAME no '@', which would move the NAME@VERSION split the
 * matcher reads. Never fails. */
bool purl_part(const char *s, size_t n, bool name);

#endif
