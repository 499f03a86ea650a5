// expect: 'XU_NGROUPS' was not declared
/* No xnu defines XU_NGROUPS: struct xucred has cr_groups[NGROUPS]. Stands
 * for native/src/peercred_darwin.cc; check-darwin.sh compiles that file. */
#include <sys/ucred.h>

int kb_bad();
int kb_bad()
{
#ifdef KB_BAD_FIXED
	return NGROUPS;
#else
	return XU_NGROUPS;
#endif
}
