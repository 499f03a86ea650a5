/*
 * kextbridge/gate.h on its own, deterministically: the cases the unload
 * harness (xnu_unload.c) reaches only by chance, such as a callback that
 * the kernel has dequeued but not yet started when stop cancels, and a
 * thread_call_free that refuses an armed call.
 */
#include <pthread.h>
#include <unistd.h>

#include <kextbridge/gate.h>

#include "check.h"

struct fake_call {
	int pending;            /* atomic: queued in the "kernel" */
	int cancels, frees, free_refusals_left;
	int pauses;
	struct kb_timer *t;
	int fire_after_pauses;  /* the dequeued callback starts after this many pauses */
	int fired;
};

static int f_cancel(void *ctx)
{
	struct fake_call *c = ctx;

	c->cancels++;
	return __atomic_exchange_n(&c->pending, 0, __ATOMIC_SEQ_CST);
}

static int f_free(void *ctx)
{
	struct fake_call *c = ctx;

	if (__atomic_load_n(&c->pending, __ATOMIC_SEQ_CST) || c->free_refusals_left > 0) {
		if (c->free_refusals_left > 0)
			c->free_refusals_left--;
		return 0;
	}
	c->frees++;
	return 1;
}

static void f_pause(void *ctx)
{
	struct fake_call *c = ctx;

	c->pauses++;
	/* The callback the kernel already dequeued starts now, sees the gate closed. */
	if (c->fire_after_pauses && c->pauses == c->fire_after_pauses) {
		c->fired = kb_timer_fire_begin(c->t);
		if (c->fired)
			kb_timer_fire_end(c->t);
	}
}

static void test_gate(void)
{
	struct kb_gate g = { 0, 0 };

	kb_gate_open(&g);
	CHECK(kb_gate_enter(&g) == 1 && kb_gate_inflight(&g) == 1, "gate: open lets a caller in, counted");
	kb_gate_close(&g);
	CHECK(kb_gate_enter(&g) == 0 && kb_gate_inflight(&g) == 1,
	      "gate: closed refuses a new caller and does not count it");
	kb_gate_leave(&g);
	CHECK(kb_gate_inflight(&g) == 0, "gate: the one inside leaves");
	kb_gate_open(&g);
	CHECK(kb_gate_enter(&g) == 1, "gate: reopened");
	kb_gate_leave(&g);
}

static void test_timer_pending(void)
{
	struct kb_timer t = { { 0, 0 }, 0 }; /* static storage in the glue: zeroed */
	struct fake_call c = { 0 };
	struct kb_timer_ops ops = { &c, f_cancel, f_free, f_pause };

	kb_timer_init(&t);
	c.t = &t;
	CHECK(kb_timer_arm_begin(&t) == 1, "timer: arm allowed while open");
	c.pending = 1;
	kb_timer_arm_end(&t);
	kb_timer_shutdown(&t, &ops);
	CHECK(c.cancels >= 1 && c.frees == 1 && !c.pending, "timer: a pending call is cancelled, then freed");
	CHECK(kb_timer_arm_begin(&t) == 0, "timer: no arm after shutdown");
}

static void test_timer_dequeued(void)
{
	struct kb_timer t = { { 0, 0 }, 0 }; /* static storage in the glue: zeroed */
	struct fake_call c = { 0 };
	struct kb_timer_ops ops = { &c, f_cancel, f_free, f_pause };

	kb_timer_init(&t);
	c.t = &t;
	kb_timer_arm_begin(&t);
	kb_timer_arm_end(&t);
	/* Armed, but the kernel already dequeued it: cancel finds nothing pending. */
	c.pending = 0;
	c.fire_after_pauses = 3;
	kb_timer_shutdown(&t, &ops);
	CHECK(c.pauses >= 3 && c.fire_after_pauses && c.fired == 0,
	      "timer: shutdown waits for a dequeued callback, which then finds the gate closed");
	CHECK(c.frees == 1, "timer: freed only after that callback came and went");
}

static void test_timer_free_refused(void)
{
	struct kb_timer t = { { 0, 0 }, 0 }; /* static storage in the glue: zeroed */
	struct fake_call c = { 0 };
	struct kb_timer_ops ops = { &c, f_cancel, f_free, f_pause };

	kb_timer_init(&t);
	c.t = &t;
	c.free_refusals_left = 2; /* thread_call_free says FALSE: still armed */
	kb_timer_shutdown(&t, &ops);
	CHECK(c.frees == 1 && c.free_refusals_left == 0 && c.cancels >= 3,
	      "timer: a refused free is cancelled and tried again, never given up");
}

struct runner {
	struct kb_timer *t;
	int stop;       /* atomic */
	int ran;        /* callbacks that ran (not refused) */
};

static void *rearming_callback(void *p)
{
	struct runner *r = p;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		if (kb_timer_fire_begin(r->t)) {
			r->ran++;
			usleep(100);
			kb_timer_rearm_inside(r->t);
			kb_timer_fire_end(r->t);
		}
		usleep(50);
	}
	return 0;
}

static int busy_pauses;

static void busy_pause(void *ctx)
{
	(void)ctx;
	busy_pauses++;
	usleep(100);
}

static int never_pending(void *ctx)
{
	(void)ctx;
	return 0;
}

static int freed;

static int free_ok(void *ctx)
{
	(void)ctx;
	freed++;
	return 1;
}

static void test_timer_running(void)
{
	struct kb_timer t = { { 0, 0 }, 0 }; /* static storage in the glue: zeroed */
	struct runner r = { &t, 0, 0 };
	struct kb_timer_ops ops = { 0, never_pending, free_ok, busy_pause };
	pthread_t th;
	int ran;

	kb_timer_init(&t);
	pthread_create(&th, 0, rearming_callback, &r);
	usleep(5000);
	kb_timer_shutdown(&t, &ops);
	ran = r.ran;
	CHECK(kb_gate_inflight(&t.gate) == 0 && freed == 1,
	      "timer: shutdown returns with no callback inside, freed once");
	usleep(2000);
	CHECK(r.ran == ran, "timer: no callback runs after shutdown returned");
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, 0);
}

int main(void)
{
	test_gate();
	test_timer_pending();
	test_timer_dequeued();
	test_timer_free_refused();
	test_timer_running();
	return kb_checks_done();
}
