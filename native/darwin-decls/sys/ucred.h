/* Project declarations of <sys/ucred.h> (struct xucred): see ../README.md. */
#pragma once
#include <sys/types.h>
#define XU_NGROUPS 16
#define XUCRED_VERSION 0
struct xucred {
	unsigned int cr_version;
	uid_t cr_uid;
	short cr_ngroups;
	gid_t cr_groups[XU_NGROUPS];
};
