/*
 * The few memory and string routines the engine uses. The kernel has
 * memcpy/memset/memcmp/strlen; so does user space. Wrapped so the engine
 * names exactly what it depends on and nothing more creeps in.
 */
#ifndef KB_STRING_H
#define KB_STRING_H

#include <stddef.h>

#define kb_memcpy(d, s, n)  __builtin_memcpy((d), (s), (n))
#define kb_memmove(d, s, n) __builtin_memmove((d), (s), (n))
#define kb_memset(d, c, n)  __builtin_memset((d), (c), (n))
#define kb_memcmp(a, b, n)  __builtin_memcmp((a), (b), (n))

static inline size_t kb_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

#endif
