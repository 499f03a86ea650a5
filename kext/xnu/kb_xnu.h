/* State of the XNU glue: one kernel control, one engine. */
#ifndef KB_XNU_H
#define KB_XNU_H

#include <kextbridge/engine.h>
#include <kextbridge/gate.h>
#include <kextbridge/kext.h>

#include "xnu_api.h"

/*
 * The kext this build serves: its descriptor's symbol (kextbridge/kext.h).
 * kext/Makefile sets it from KEXT=...; the glue names no kext itself.
 */
#ifndef KB_XNU_KEXT
#define KB_XNU_KEXT kb_example_kext
#endif
extern const struct kb_kext KB_XNU_KEXT;
#define KB_KEXT (&KB_XNU_KEXT)

/*
 * kmod_info needs constants; the kernel overwrites both from Info.plist
 * (CFBundleIdentifier, CFBundleVersion) when it loads the kext.
 */
#ifndef KB_XNU_BUNDLE_ID
#define KB_XNU_BUNDLE_ID "org.kextbridge.example"
#endif
#ifndef KB_XNU_BUNDLE_VERSION
#define KB_XNU_BUNDLE_VERSION "0.1.0"
#endif

/*
 * ctl_sendsize bounds what the daemon may send in one datagram; ctl_recvsize
 * is the daemon's receive buffer, which holds several of our datagrams.
 * 2 MiB rides out a 20 ms stall of the daemon (a GC pause) at a million
 * 64-byte events a second; it is memory only while the daemon lags, and
 * the kernel clamps it to kern.ipc.maxsockbuf (see docs/kext-authors.md).
 */
#define KB_XNU_SENDSIZE      (16u * 1024u)
#define KB_XNU_RECVSIZE      (2u * 1024u * 1024u)
#define KB_XNU_MAX_DATAGRAM  (16u * 1024u)

/* Heartbeat period; kb_xnu_interval_scale lets the user-space harness shorten it. */
#define KB_XNU_HEARTBEAT_MS  1000u

/*
 * What start allocates and stop frees. Cleared by release_all; nothing the
 * asynchronous callers test to decide whether they may run lives here.
 */
struct kb_xnu_res {
	OSMallocTag tag;
	lck_grp_t *grp;
	lck_mtx_t *mtx;         /* the engine lock */
	lck_mtx_t *rx_mtx;      /* the copy-out buffer below */
	lck_mtx_t *listen_mtx;  /* serializes listening and unlistening */
	void *engine_mem;
	uint32_t engine_mem_size;
	struct kb_engine *engine;
	uint8_t *rx;            /* KB_XNU_SENDSIZE + 1 bytes */
	kern_ctl_ref kctl;
	int registered;
	thread_call_t retry_call;
	thread_call_t heartbeat_call;
	kauth_listener_t listener; /* under listen_mtx */
};

/*
 * The gates outlive every start/stop cycle (static storage, never cleared
 * while a caller could read them): a callback that comes late finds its
 * gate closed and returns without touching anything in res.
 */
struct kb_xnu {
	struct kb_xnu_res r;
	struct kb_gate ctl_gate;        /* kernel control callbacks */
	struct kb_gate kauth_gate;      /* fileop callbacks */
	struct kb_gate worker_gate;     /* the kext's worker threads alive */
	struct kb_timer retry_timer;
	struct kb_timer heartbeat_timer;
};

extern struct kb_xnu kb_xnu;

/* platform_xnu.c */
void kb_xnu_platform(struct kb_platform *p);
int kb_xnu_send_result(errno_t err);
void kb_xnu_kext_env(struct kb_kext_env *env);
uint64_t kb_xnu_now_ns(void);
void kb_xnu_pause(void *ctx);
void kb_xnu_retry_fired(thread_call_param_t p0, thread_call_param_t p1);
void kb_xnu_heartbeat_fired(thread_call_param_t p0, thread_call_param_t p1);
void kb_xnu_arm_heartbeat(void);
/* Stop: no timer fires, no worker runs kext code once these return. */
void kb_xnu_timers_shutdown(void);
void kb_xnu_workers_shutdown(void);

/* kctl.c */
errno_t kb_xnu_register_control(void);
errno_t kb_xnu_deregister_control(void);

/* kauth_exec.c */
void kb_xnu_exec_wanted(struct kb_engine *e, void *arg);
void kb_xnu_unlisten_exec(void);

#endif
