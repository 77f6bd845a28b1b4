/* purl.c - the bytes a package URL's name and version may hold. */
#include "purl.h"

#include <string.h>

#include "text.h"

bool purl_part(const char *s, size_t n, bool name)
{
	if (!n || (name && memchr(s, '@', n)))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return text_utf8_invalid_at(s, n) == n;
}
