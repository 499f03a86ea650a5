/* expect: initialization of 'long unsigned int' from 'kern_return_t \(\*\)|incompatible pointer to integer conversion */
/* A kmod_info initializer that skips hdr_size puts start where the kernel reads hdr_size. */
#include "kb_xnu.h"

static kern_return_t s(kmod_info_t *ki, void *d)
{
	(void)ki;
	(void)d;
	return KERN_SUCCESS;
}

kmod_info_t kb_bad_info;
kmod_info_t kb_bad_info = {
#ifdef KB_BAD_FIXED
	0, KMOD_INFO_VERSION, (uint32_t)-1, "x", "1", -1, 0, 0, 0, 0, s, s,
#else
	0, KMOD_INFO_VERSION, (uint32_t)-1, "x", "1", -1, 0, 0, 0, s, s,
#endif
};
