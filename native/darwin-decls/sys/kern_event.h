/* Project declarations of <sys/kern_event.h> (user side): see ../README.md. */
#pragma once
#include <stdint.h>
#define KEV_VENDOR_APPLE 1
#define KEV_SYSTEM_CLASS 3
struct kev_request {
	uint32_t vendor_code;
	uint32_t kev_class;
	uint32_t kev_subclass;
};
static_assert(sizeof(struct kev_request) == 12, "struct kev_request is 12 bytes");
/* _IOW('e', 2, struct kev_request): sizeof(struct kev_request) is 12. */
#define SIOCSKEVFILT 0x800c6502UL
