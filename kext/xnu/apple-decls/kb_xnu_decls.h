/*
 * The project's own declarations of the parts of Apple's documented kernel
 * KPI that kext/xnu uses, written from the xnu headers' documentation so
 * the glue can be compile-checked on Linux (make -f linux.mk xnu-check).
 * Prototypes, struct member order and constant values match the KPI; no
 * Apple source is copied. On macOS the glue includes the SDK's headers and
 * never sees this file (see xnu_api.h).
 *
 * Corresponding SDK headers: sys/kern_control.h, sys/kpi_mbuf.h,
 * kern/locks.h, sys/proc.h (msleep, wakeup, proc_selfpid), kern/thread_call.h,
 * kern/clock.h, kern/thread.h, sys/kauth.h, libkern/OSMalloc.h, mach/kmod.h.
 * thread_terminate is not here: for a kext only the MIG-generated
 * <mach/thread_act.h> declares it, so it has its own stand-in
 * (mach/thread_act.h next to this file) and the glue must include it.
 *
 * Where the outcome of a build depends on it, these carry what the SDK's
 * headers carry as a third-party kext sees Kernel.framework (xnu-7195 to
 * xnu-11417): the deprecation attributes (an error under -Werror), the
 * struct tag names (so a stray `struct mbuf *` does not convert silently),
 * and kmod_info's packed layout (asserted below).
 */
#ifndef KB_XNU_DECLS_H
#define KB_XNU_DECLS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The SDK marks these with __API_DEPRECATED / __kpi_deprecated, which expand
 * to the deprecated attribute for a kext: a use is -Wdeprecated-declarations.
 */
#define KB_DECL_NKE_DEPRECATED \
	__attribute__((deprecated("Network Kernel Extension KPI is deprecated")))
#define KB_DECL_KPI_DEPRECATED(msg) __attribute__((deprecated(msg)))

typedef int errno_t;
typedef int kern_return_t;
typedef int boolean_t;
typedef unsigned int u_int32_t;
typedef unsigned short u_int16_t;
typedef unsigned char u_char;
typedef uint32_t uid_t;
typedef uintptr_t vm_address_t;
typedef uintptr_t vm_size_t;

#define KERN_SUCCESS 0
#define KERN_FAILURE 5

/* errno values the glue returns (macOS numbering). */
#define EINVAL      22
#define ENOBUFS     55
#define ENOMEM      12
#define EBUSY       16
#define ENOTSUP     45
#define EWOULDBLOCK 35
#define EMSGSIZE    40

struct timespec;
#ifndef KB_XNU_HAVE_TIMESPEC
struct timespec {
	long tv_sec;
	long tv_nsec;
};
#endif

/* ---- sys/kern_control.h ---- */
#define MAX_KCTL_NAME       96
#define CTL_FLAG_PRIVILEGED 0x1
#define CTL_DATA_NOWAKEUP   0x1
#define CTL_DATA_EOR        0x2

typedef void *kern_ctl_ref;
/* sys/kernel_types.h: opaque to kexts under this tag, not struct mbuf. */
typedef struct __mbuf *mbuf_t;

struct sockaddr_ctl {
	u_char sc_len;
	u_char sc_family;
	u_int16_t ss_sysaddr;
	u_int32_t sc_id;
	u_int32_t sc_unit;
	u_int32_t sc_reserved[5];
};

typedef errno_t (*ctl_connect_func)(kern_ctl_ref kctlref, struct sockaddr_ctl *sac, void **unitinfo);
typedef errno_t (*ctl_disconnect_func)(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo);
typedef errno_t (*ctl_send_func)(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo, mbuf_t m,
				 int flags);
typedef errno_t (*ctl_setopt_func)(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo, int opt,
				   void *data, size_t len);
typedef errno_t (*ctl_getopt_func)(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo, int opt,
				   void *data, size_t *len);

struct kern_ctl_reg {
	char ctl_name[MAX_KCTL_NAME];
	u_int32_t ctl_id;
	u_int32_t ctl_unit;
	u_int32_t ctl_flags;
	u_int32_t ctl_sendsize;
	u_int32_t ctl_recvsize;
	ctl_connect_func ctl_connect;
	ctl_disconnect_func ctl_disconnect;
	ctl_send_func ctl_send;
	ctl_setopt_func ctl_setopt;
	ctl_getopt_func ctl_getopt;
};

errno_t ctl_register(struct kern_ctl_reg *userkctl, kern_ctl_ref *kctlref);
errno_t ctl_deregister(kern_ctl_ref kctlref);
errno_t ctl_enqueuedata(kern_ctl_ref kctlref, u_int32_t unit, void *data, size_t len,
			u_int32_t flags);

/* ---- sys/kpi_mbuf.h: every call deprecated for third-party kexts ---- */
KB_DECL_NKE_DEPRECATED size_t mbuf_len(const mbuf_t mbuf);
KB_DECL_NKE_DEPRECATED mbuf_t mbuf_next(const mbuf_t mbuf);
KB_DECL_NKE_DEPRECATED void *mbuf_data(mbuf_t mbuf);
KB_DECL_NKE_DEPRECATED size_t mbuf_pkthdr_len(const mbuf_t mbuf);
KB_DECL_NKE_DEPRECATED errno_t mbuf_copydata(const mbuf_t mbuf, size_t offset, size_t length,
					     void *out_data);
KB_DECL_NKE_DEPRECATED void mbuf_freem(mbuf_t mbuf);

/* ---- kern/locks.h: the tags a non-KERNEL_PRIVATE build sees ---- */
typedef struct __lck_grp__ lck_grp_t;
typedef struct __lck_grp_attr__ lck_grp_attr_t;
typedef struct __lck_attr__ lck_attr_t;
typedef struct __lck_mtx_t__ lck_mtx_t;

#define LCK_GRP_ATTR_NULL (lck_grp_attr_t *)0
#define LCK_ATTR_NULL     (lck_attr_t *)0

lck_grp_t *lck_grp_alloc_init(const char *grp_name, lck_grp_attr_t *attr);
void lck_grp_free(lck_grp_t *grp);
lck_mtx_t *lck_mtx_alloc_init(lck_grp_t *grp, lck_attr_t *attr);
void lck_mtx_free(lck_mtx_t *lck, lck_grp_t *grp);
void lck_mtx_lock(lck_mtx_t *lck);
void lck_mtx_unlock(lck_mtx_t *lck);

/* ---- sys/proc.h ---- */
#define PCATCH 0x100
int msleep(void *chan, lck_mtx_t *mtx, int pri, const char *wmesg, struct timespec *ts);
void wakeup(void *chan);
int proc_selfpid(void);
int proc_selfppid(void);

/* ---- kern/thread_call.h ---- */
typedef struct thread_call *thread_call_t;
typedef void *thread_call_param_t;
typedef void (*thread_call_func_t)(thread_call_param_t param0, thread_call_param_t param1);

thread_call_t thread_call_allocate(thread_call_func_t func, thread_call_param_t param0);
boolean_t thread_call_enter_delayed(thread_call_t call, uint64_t deadline);
boolean_t thread_call_cancel(thread_call_t call);
boolean_t thread_call_free(thread_call_t call);

/* ---- kern/clock.h ---- */
#define NSEC_PER_MSEC 1000000ull
uint64_t mach_absolute_time(void);
void absolutetime_to_nanoseconds(uint64_t abstime, uint64_t *result);
void nanoseconds_to_absolutetime(uint64_t nanoseconds, uint64_t *result);
void clock_interval_to_deadline(uint32_t interval, uint32_t scale_factor, uint64_t *result);

/* ---- kern/thread.h ---- */
typedef struct thread *thread_t;
typedef int wait_result_t;
typedef void (*thread_continue_t)(void *parameter, wait_result_t wresult);
kern_return_t kernel_thread_start(thread_continue_t continuation, void *parameter,
				  thread_t *new_thread);
void thread_deallocate(thread_t thread);
thread_t current_thread(void);
/* thread_terminate: see mach/thread_act.h. */

/* ---- sys/systm.h ---- */
int printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* ---- sys/kauth.h ---- */
typedef struct ucred *kauth_cred_t;
typedef int kauth_action_t;
typedef struct kauth_listener *kauth_listener_t;
typedef int (*kauth_scope_callback_t)(kauth_cred_t credential, void *idata, kauth_action_t action,
				      uintptr_t arg0, uintptr_t arg1, uintptr_t arg2,
				      uintptr_t arg3);
#define KAUTH_SCOPE_FILEOP  "com.apple.kauth.fileop"
#define KAUTH_FILEOP_EXEC   6
#define KAUTH_RESULT_DEFER  3
KB_DECL_KPI_DEPRECATED("Use EndpointSecurity instead")
kauth_listener_t kauth_listen_scope(const char *identifier, kauth_scope_callback_t callback,
				    void *idata);
KB_DECL_KPI_DEPRECATED("Use EndpointSecurity instead")
void kauth_unlisten_scope(kauth_listener_t listener);
uid_t kauth_cred_getuid(kauth_cred_t cred);

/* ---- libkern/OSMalloc.h: deprecated only for Apple-private builds ---- */
typedef struct __OSMallocTag__ *OSMallocTag;
#define OSMT_DEFAULT 0x00
OSMallocTag OSMalloc_Tagalloc(const char *name, uint32_t flags);
void OSMalloc_Tagfree(OSMallocTag tag);
void *OSMalloc(uint32_t size, OSMallocTag tag);
void OSFree(void *addr, uint32_t size, OSMallocTag tag);

/* ---- mach/kmod.h: packed to 4 bytes, as the kernel reads it ---- */
#define KMOD_MAX_NAME 64
#define KMOD_INFO_VERSION 1
#pragma pack(push, 4)
struct kmod_info;
typedef kern_return_t kmod_start_func_t(struct kmod_info *ki, void *data);
typedef kern_return_t kmod_stop_func_t(struct kmod_info *ki, void *data);
typedef struct kmod_reference kmod_reference_t;
typedef struct kmod_info {
	struct kmod_info *next;
	int32_t info_version;
	uint32_t id;
	char name[KMOD_MAX_NAME];
	char version[KMOD_MAX_NAME];
	int32_t reference_count;
	kmod_reference_t *reference_list;
	vm_address_t address;
	vm_size_t size;
	vm_size_t hdr_size;
	kmod_start_func_t *start;
	kmod_stop_func_t *stop;
} kmod_info_t;
#pragma pack(pop)

/* LP64 (x86_64, arm64e): the kernel finds start and stop at these offsets. */
_Static_assert(sizeof(kmod_info_t) == 196, "kmod_info is 196 bytes (pack 4)");
_Static_assert(__builtin_offsetof(kmod_info_t, start) == 180, "kmod_info.start at 180");
_Static_assert(__builtin_offsetof(kmod_info_t, stop) == 188, "kmod_info.stop at 188");

#endif /* KB_XNU_DECLS_H */
