/* Minimal test reporting: one line per check, a closing "N passed, M failed". */
#ifndef KB_CHECK_H
#define KB_CHECK_H

#include <stdio.h>

extern int kb_checks_passed, kb_checks_failed;

#define CHECK(cond, what)                                                               \
	do {                                                                            \
		if (cond) {                                                             \
			kb_checks_passed++;                                             \
			printf("ok   %s\n", what);                                     \
		} else {                                                                \
			kb_checks_failed++;                                             \
			printf("FAIL %s  (%s:%d: %s)\n", what, __FILE__, __LINE__, #cond); \
		}                                                                       \
	} while (0)

/* Prints the closing line; returns the process exit status. */
int kb_checks_done(void);

#endif
