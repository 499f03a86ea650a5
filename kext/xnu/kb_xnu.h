/* State of the XNU glue: one kernel control, one engine. */
#ifndef KB_XNU_H
#define KB_XNU_H

#include <kextbridge/engine.h>

#include "example.h"
#include "xnu_api.h"

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

struct kb_xnu {
	OSMallocTag tag;
	lck_grp_t *grp;
	lck_mtx_t *mtx;         /* the engine lock */
	lck_mtx_t *rx_mtx;      /* the copy-out buffer below */
	void *engine_mem;
	uint32_t engine_mem_size;
	struct kb_engine *engine;
	uint8_t *rx;            /* KB_XNU_SENDSIZE + 1 bytes */
	kern_ctl_ref kctl;
	int registered;
	thread_call_t retry_call;
	thread_call_t heartbeat_call;
	kauth_listener_t listener;
	volatile int stopping;
};

extern struct kb_xnu kb_xnu;

/* platform_xnu.c */
void kb_xnu_platform(struct kb_platform *p);
void kb_xnu_example_env(struct kb_example_env *env);
uint64_t kb_xnu_now_ns(void);
void kb_xnu_retry_fired(thread_call_param_t p0, thread_call_param_t p1);
void kb_xnu_heartbeat_fired(thread_call_param_t p0, thread_call_param_t p1);
void kb_xnu_arm_heartbeat(void);

/* kctl.c */
errno_t kb_xnu_register_control(void);
errno_t kb_xnu_deregister_control(void);

/* kauth_exec.c */
int kb_xnu_listen_exec(void);
void kb_xnu_unlisten_exec(void);

#endif
