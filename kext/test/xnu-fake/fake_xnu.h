/*
 * A fake of the parts of xnu the glue uses, in user space over pthreads,
 * with the kernel's semantics where the glue's unload safety depends on
 * them: kauth_unlisten_scope does not wait for running callbacks,
 * thread_call_cancel does not wait for a running callback and
 * thread_call_free refuses an armed call (FALSE), ctl_deregister fails
 * with EBUSY while a client is connected, msleep with a zero timespec
 * sleeps with no timeout. The harness (test/xnu_unload.c) drives it.
 */
#ifndef KB_FAKE_XNU_H
#define KB_FAKE_XNU_H

#include "kb_xnu_decls.h"

struct fake_xnu {
	/* Scripted faults (set by the harness). */
	errno_t ctl_register_err;
	int kauth_listen_fail;
	int osmalloc_fail_after;        /* >0: that many succeed, then NULL */
	errno_t enqueue_err;            /* ctl_enqueuedata's result while set */
	uint32_t time_div;              /* thread_call delays divided by this */
	/* What the fake saw (read under the fake's lock via fake_xnu_get). */
	int registered, connected;
	int listeners;                  /* live kauth listeners */
	int calls_live;                 /* thread_calls allocated and not yet destroyed */
	int calls_refused_free;         /* thread_call_free that returned FALSE */
	int threads_live;               /* kernel threads not yet terminated */
	int osmalloc_live, mutexes_live;
	uint64_t enqueued, enqueue_failed, fileop_calls;
	uint64_t timer_fires, threads_started, listens, unlistens;
	struct kern_ctl_reg reg;
};

/* Copy of the fake's state, taken under its lock. */
void fake_xnu_get(struct fake_xnu *out);
/* Set the scripted faults (fields above "What the fake saw"). */
void fake_xnu_script(errno_t ctl_register_err, int kauth_listen_fail, int osmalloc_fail_after,
		     uint32_t time_div);
void fake_xnu_enqueue_err(errno_t err);

/* The daemon side of the kernel control. */
errno_t fake_ctl_connect(u_int32_t unit);
void fake_ctl_disconnect(u_int32_t unit);
/* One datagram as a two-mbuf chain (the glue must walk it). */
void fake_ctl_send(u_int32_t unit, const void *data, size_t len);

/* A thread that plays the kernel calling every fileop listener with execs. */
void fake_kauth_generator_start(void);
void fake_kauth_generator_stop(void);

#endif
