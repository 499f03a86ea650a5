/* Project declarations of <sys/sys_domain.h>: see ../README.md. */
#pragma once
#define PF_SYSTEM 32
#define AF_SYSTEM 32
#define SYSPROTO_EVENT 1
#define SYSPROTO_CONTROL 2
#define AF_SYS_CONTROL 2
