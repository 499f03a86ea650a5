/*
 * See kextbridge/gate.h. Sequentially consistent atomics throughout: enter
 * increments then reads closed, close writes closed then drain reads
 * inflight, so either the caller sees the gate closed or the closer sees
 * the caller inside (never neither).
 */
#include <kextbridge/gate.h>

#define LOAD(p)     __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define ADD(p, v)   __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)

void kb_gate_open(struct kb_gate *g)
{
	STORE(&g->closed, 0);
}

int kb_gate_enter(struct kb_gate *g)
{
	ADD(&g->inflight, 1);
	if (LOAD(&g->closed)) {
		ADD(&g->inflight, -1);
		return 0;
	}
	return 1;
}

void kb_gate_leave(struct kb_gate *g)
{
	ADD(&g->inflight, -1);
}

void kb_gate_close(struct kb_gate *g)
{
	STORE(&g->closed, 1);
}

int kb_gate_inflight(const struct kb_gate *g)
{
	return LOAD(&g->inflight);
}

void kb_gate_drain(const struct kb_gate *g, void (*pause)(void *ctx), void *ctx)
{
	while (LOAD(&g->inflight) != 0)
		pause(ctx);
}

void kb_timer_init(struct kb_timer *t)
{
	STORE(&t->armed, 0);
	kb_gate_open(&t->gate);
}

int kb_timer_arm_begin(struct kb_timer *t)
{
	if (!kb_gate_enter(&t->gate))
		return 0;
	/* Set before the platform arms: a callback that fires at once clears it. */
	STORE(&t->armed, 1);
	return 1;
}

void kb_timer_arm_end(struct kb_timer *t)
{
	kb_gate_leave(&t->gate);
}

void kb_timer_disarmed(struct kb_timer *t)
{
	STORE(&t->armed, 0);
}

void kb_timer_rearm_inside(struct kb_timer *t)
{
	STORE(&t->armed, 1);
}

int kb_timer_fire_begin(struct kb_timer *t)
{
	/* Counted before armed is cleared: shutdown, seeing armed 0, then
	 * finds this callback in inflight until it has left. */
	ADD(&t->gate.inflight, 1);
	STORE(&t->armed, 0);
	if (LOAD(&t->gate.closed)) {
		ADD(&t->gate.inflight, -1);
		return 0;
	}
	return 1;
}

void kb_timer_fire_end(struct kb_timer *t)
{
	kb_gate_leave(&t->gate);
}

void kb_timer_shutdown(struct kb_timer *t, const struct kb_timer_ops *ops)
{
	kb_gate_close(&t->gate);
	for (;;) {
		/* Arms in progress and running callbacks finish (they may re-arm). */
		kb_gate_drain(&t->gate, ops->pause, ops->ctx);
		/* Nothing re-arms from here on: take a pending call off the queue. */
		if (ops->cancel(ops->ctx))
			STORE(&t->armed, 0);
		/* Not removed but armed: it is firing now; it clears armed as it
		 * starts and is counted until it returns. */
		if (LOAD(&t->armed) || kb_gate_inflight(&t->gate)) {
			ops->pause(ops->ctx);
			continue;
		}
		if (ops->free(ops->ctx))
			return;
		/* Still armed in the kernel's view: cancel again. */
		ops->pause(ops->ctx);
	}
}
