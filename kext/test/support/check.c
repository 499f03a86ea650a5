#include "check.h"

int kb_checks_passed, kb_checks_failed;

int kb_checks_done(void)
{
	printf("%d passed, %d failed\n", kb_checks_passed, kb_checks_failed);
	return kb_checks_failed ? 1 : 0;
}
