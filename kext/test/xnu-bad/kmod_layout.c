/* expect: kmod_info.start at 180 */
/*
 * kmod_info is #pragma pack(4) in mach/kmod.h: start at 180, not at the
 * naturally aligned 184. Declared here without the pack, as the project's
 * declarations once did, the same assertion the declarations make fails.
 */
#ifdef KB_BAD_FIXED
#include "kb_xnu.h"
#else
#define KB_XNU_DECLS_H /* our own kmod_info below instead of the declarations' */
#include <stdint.h>
typedef int kern_return_t;
typedef uintptr_t vm_address_t;
typedef uintptr_t vm_size_t;
struct kmod_info;
typedef kern_return_t kmod_start_func_t(struct kmod_info *ki, void *data);
typedef struct kmod_info {
	struct kmod_info *next;
	int32_t info_version;
	uint32_t id;
	char name[64];
	char version[64];
	int32_t reference_count;
	void *reference_list;
	vm_address_t address;
	vm_size_t size;
	vm_size_t hdr_size;
	kmod_start_func_t *start;
	kmod_start_func_t *stop;
} kmod_info_t;
_Static_assert(__builtin_offsetof(kmod_info_t, start) == 180, "kmod_info.start at 180");
#endif

int kb_bad(void);
int kb_bad(void)
{
	return (int)sizeof(kmod_info_t);
}
