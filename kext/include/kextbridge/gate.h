/*
 * Unload safety for kernel glue: counts the callers that are inside kext
 * code the kernel calls asynchronously (kauth callbacks, thread_call
 * timers, worker threads) so that stop frees nothing while one runs.
 *
 * xnu gives a kext no way to wait for these itself: kauth_unlisten_scope
 * does not wait for callbacks in flight, thread_call_cancel does not wait
 * for a running callback (thread_call_cancel_wait is private), and a
 * thread started with kernel_thread_start runs until it terminates itself.
 * The decisions live here, in portable C with only atomics, so that the
 * same code is exercised in user space (kext/test/test_xnu_unload.c).
 *
 * A gate lives in storage that outlives stop (a static, never in memory
 * stop frees): a late caller that finds it closed still reads it. It
 * starts zeroed (open, nobody inside); open and init never reset the
 * count, which only callers change.
 */
#ifndef KEXTBRIDGE_GATE_H
#define KEXTBRIDGE_GATE_H

#include <stdint.h>

struct kb_gate {
	int closed;     /* atomic: no new entries */
	int inflight;   /* atomic: callers between enter and leave */
};

/* Before the first enter (start); also reopens a drained gate. */
void kb_gate_open(struct kb_gate *g);
/*
 * 1: entered, the caller must kb_gate_leave when done; 0: closed, the
 * caller touches nothing else of the kext's state and returns.
 */
int kb_gate_enter(struct kb_gate *g);
void kb_gate_leave(struct kb_gate *g);
/* No new entries from now on; those inside still finish. */
void kb_gate_close(struct kb_gate *g);
/* Callers inside now (0: drained). */
int kb_gate_inflight(const struct kb_gate *g);
/*
 * Wait until nobody is inside: pause(ctx) between looks, which sleeps a
 * short while (the kernel has no condition to wait on here without a lock
 * the callers would have to take).
 */
void kb_gate_drain(const struct kb_gate *g, void (*pause)(void *ctx), void *ctx);

/*
 * A self-rearming timer (thread_call): armed is set before the platform's
 * arm and cleared by the callback as it starts, so stop knows whether a
 * callback may still come, and the gate counts the ones running.
 */
struct kb_timer {
	struct kb_gate gate;
	int armed;      /* atomic */
};

struct kb_timer_ops {
	void *ctx;
	/* thread_call_cancel: nonzero if a pending call was removed. */
	int (*cancel)(void *ctx);
	/* thread_call_free: nonzero if freed, 0 if still armed (try again). */
	int (*free)(void *ctx);
	void (*pause)(void *ctx);
};

void kb_timer_init(struct kb_timer *t);
/*
 * Before the platform's arm (thread_call_enter_delayed). 1: go ahead and
 * then call kb_timer_arm_end; 0: stopping, do not arm.
 */
int kb_timer_arm_begin(struct kb_timer *t);
void kb_timer_arm_end(struct kb_timer *t);
/*
 * The platform's cancel removed a pending call (the caller is inside the
 * gate, between kb_gate_enter and kb_gate_leave on t->gate): no callback
 * comes for it, so it no longer counts as armed.
 */
void kb_timer_disarmed(struct kb_timer *t);
/* Re-arming from inside the callback (already counted): marks it armed. */
void kb_timer_rearm_inside(struct kb_timer *t);
/* First thing in the callback. 1: run, then kb_timer_fire_end; 0: return now. */
int kb_timer_fire_begin(struct kb_timer *t);
void kb_timer_fire_end(struct kb_timer *t);
/*
 * Stop for good: no arm succeeds from now on, then waits until the call is
 * neither pending nor running and frees it through ops (never while armed).
 */
void kb_timer_shutdown(struct kb_timer *t, const struct kb_timer_ops *ops);

#endif
