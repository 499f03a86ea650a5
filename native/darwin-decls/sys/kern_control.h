/* Project declarations of <sys/kern_control.h> (user side): see ../README.md. */
#pragma once
#include <stdint.h>
#define MAX_KCTL_NAME 96
struct ctl_info {
	uint32_t ctl_id;
	char ctl_name[MAX_KCTL_NAME];
};
struct sockaddr_ctl {
	unsigned char sc_len;
	unsigned char sc_family;
	uint16_t ss_sysaddr;
	uint32_t sc_id;
	uint32_t sc_unit;
	uint32_t sc_reserved[5];
};
/* The layouts the kernel copies in and out (the addon is C++). */
static_assert(sizeof(struct ctl_info) == 100, "struct ctl_info is 100 bytes");
static_assert(sizeof(struct sockaddr_ctl) == 32, "struct sockaddr_ctl is 32 bytes");
/* _IOWR('N', 3, struct ctl_info): sizeof(struct ctl_info) is 100. */
#define CTLIOCGINFO 0xc0644e03UL
/* Kernel events about controls (class KEV_SYSTEM_CLASS). */
#define KEV_CTL_SUBCLASS 2
#define KEV_CTL_REGISTERED 1
#define KEV_CTL_DEREGISTERED 2
