/* Project declarations of <sys/ucred.h> (struct xucred): see ../README.md. */
#pragma once
#include <sys/types.h>
/*
 * macOS: NGROUPS comes from <sys/param.h> (NGROUPS_MAX, 16), which the
 * real sys/ucred.h includes. No xnu version defines XU_NGROUPS. Linux's own
 * sys/param.h says 65536, so the Darwin value is set here, not included.
 */
#undef NGROUPS
#define NGROUPS 16
#define XUCRED_VERSION 0
struct xucred {
	unsigned int cr_version;
	uid_t cr_uid;
	short cr_ngroups;
	gid_t cr_groups[NGROUPS];
};
static_assert(sizeof(struct xucred) == 76, "struct xucred is 76 bytes on macOS");
