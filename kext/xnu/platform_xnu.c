/*
 * struct kb_platform in the kernel: lck_mtx for the engine lock,
 * msleep/wakeup for upcall waits, a thread_call for the retry timer, and
 * ctl_enqueuedata with CTL_DATA_EOR so every datagram stays a record.
 *
 * There is no "the client read data" callback in the public KPI (ctl_rcvd
 * is KERNEL_PRIVATE), so a full queue is retried from the timer and on the
 * next datagram from the daemon.
 *
 * Everything the kernel calls asynchronously (the two thread_calls, worker
 * threads) is counted through kextbridge/gate.h so stop can wait for it.
 */
#include "kb_xnu.h"

/* thread_terminate: for a kext, only this MIG-generated header declares it. */
#include <mach/thread_act.h>

uint64_t kb_xnu_now_ns(void)
{
	uint64_t ns;

	absolutetime_to_nanoseconds(mach_absolute_time(), &ns);
	return ns;
}

/*
 * What ctl_enqueuedata's errors mean for the engine. ENOBUFS: the daemon's
 * receive buffer is full. ENOMEM: the non-blocking mbuf allocation failed
 * under memory pressure. Both pass; the engine keeps the datagram in its
 * backlog and retries. A client that is really gone is told by
 * ctl_disconnect, never guessed from an enqueue error: calling it gone here
 * would stop the engine sending for good while the daemon stays connected.
 */
int kb_xnu_send_result(errno_t err)
{
	/* Any other error (EINVAL for a unit being torn down) is no different:
	 * ctl_disconnect follows if the client is gone. */
	return err == 0 ? KB_SEND_OK : KB_SEND_FULL;
}

static int x_send(void *ctx, uint32_t unit, const void *buf, size_t len)
{
	(void)ctx;
	/* The KPI takes a non-const pointer but only copies from it. */
	return kb_xnu_send_result(ctl_enqueuedata(kb_xnu.r.kctl, unit, (void *)(uintptr_t)buf, len,
						  CTL_DATA_EOR));
}

static uint64_t x_now(void *ctx)
{
	(void)ctx;
	return kb_xnu_now_ns();
}

static void x_lock(void *ctx)
{
	(void)ctx;
	lck_mtx_lock(kb_xnu.r.mtx);
}

static void x_unlock(void *ctx)
{
	(void)ctx;
	lck_mtx_unlock(kb_xnu.r.mtx);
}

static int x_sleep(void *ctx, const void *chan, uint64_t deadline_ns)
{
	uint64_t now = kb_xnu_now_ns(), left;
	struct timespec ts;

	(void)ctx;
	if (deadline_ns <= now)
		return 1;
	left = deadline_ns - now;
	ts.tv_sec = (long)(left / 1000000000ull);
	ts.tv_nsec = (long)(left % 1000000000ull);
	/* A zero timespec means "no timeout" to msleep: never pass one. */
	if (ts.tv_sec == 0 && ts.tv_nsec == 0)
		return 1;
	/* msleep drops and retakes the engine lock, as the contract asks. */
	return msleep((void *)(uintptr_t)chan, kb_xnu.r.mtx, 0, "kbupcall", &ts) == EWOULDBLOCK;
}

static void x_wakeup(void *ctx, const void *chan)
{
	(void)ctx;
	wakeup((void *)(uintptr_t)chan);
}

static void x_arm_timer(void *ctx, uint32_t ms)
{
	uint64_t deadline;

	(void)ctx;
	/* Called with the engine lock held; never touches the call once stop
	 * has closed the timer (it may be freed by then). */
	if (ms == 0) {
		if (!kb_gate_enter(&kb_xnu.retry_timer.gate))
			return;
		/* armed must say whether a callback may still come: stop waits on it. */
		if (thread_call_cancel(kb_xnu.r.retry_call))
			kb_timer_disarmed(&kb_xnu.retry_timer);
		kb_gate_leave(&kb_xnu.retry_timer.gate);
		return;
	}
	if (!kb_timer_arm_begin(&kb_xnu.retry_timer))
		return;
	clock_interval_to_deadline(ms, (uint32_t)NSEC_PER_MSEC, &deadline);
	thread_call_enter_delayed(kb_xnu.r.retry_call, deadline);
	kb_timer_arm_end(&kb_xnu.retry_timer);
}

static void x_log(void *ctx, const char *msg)
{
	(void)ctx;
	printf("%s\n", msg);
}

static void x_topics_changed(void *ctx, struct kb_engine *e)
{
	(void)ctx;
	kb_xnu_exec_wanted(e, 0);
}

void kb_xnu_retry_fired(thread_call_param_t p0, thread_call_param_t p1)
{
	(void)p0;
	(void)p1;
	if (!kb_timer_fire_begin(&kb_xnu.retry_timer))
		return;
	kb_engine_tick(kb_xnu.r.engine);
	kb_timer_fire_end(&kb_xnu.retry_timer);
}

void kb_xnu_arm_heartbeat(void)
{
	uint64_t deadline;

	if (!kb_timer_arm_begin(&kb_xnu.heartbeat_timer))
		return;
	clock_interval_to_deadline(KB_XNU_HEARTBEAT_MS, (uint32_t)NSEC_PER_MSEC, &deadline);
	thread_call_enter_delayed(kb_xnu.r.heartbeat_call, deadline);
	kb_timer_arm_end(&kb_xnu.heartbeat_timer);
}

void kb_xnu_heartbeat_fired(thread_call_param_t p0, thread_call_param_t p1)
{
	uint64_t deadline;

	(void)p0;
	(void)p1;
	if (!kb_timer_fire_begin(&kb_xnu.heartbeat_timer))
		return;
	if (KB_KEXT->tick)
		KB_KEXT->tick();
	/* Re-armed while still counted: stop drains, then cancels what this armed. */
	kb_timer_rearm_inside(&kb_xnu.heartbeat_timer);
	clock_interval_to_deadline(KB_XNU_HEARTBEAT_MS, (uint32_t)NSEC_PER_MSEC, &deadline);
	thread_call_enter_delayed(kb_xnu.r.heartbeat_call, deadline);
	kb_timer_fire_end(&kb_xnu.heartbeat_timer);
}

static int sleep_chan;

/* A short plain sleep for stop's waits (nobody wakes this channel). */
void kb_xnu_pause(void *ctx)
{
	struct timespec ts = { 0, 1000000 };

	(void)ctx;
	msleep(&sleep_chan, 0, 0, "kbpause", &ts);
}

static int cancel_call(void *ctx)
{
	return thread_call_cancel(*(thread_call_t *)ctx) != 0;
}

static int free_call(void *ctx)
{
	/* FALSE while the call is armed: then it is not freed, try again. */
	return thread_call_free(*(thread_call_t *)ctx) != 0;
}

static void shutdown_call(struct kb_timer *t, thread_call_t *call)
{
	struct kb_timer_ops ops = { call, cancel_call, free_call, kb_xnu_pause };

	if (!*call) {
		kb_gate_close(&t->gate);
		return;
	}
	kb_timer_shutdown(t, &ops);
	*call = 0;
}

void kb_xnu_timers_shutdown(void)
{
	shutdown_call(&kb_xnu.heartbeat_timer, &kb_xnu.r.heartbeat_call);
	shutdown_call(&kb_xnu.retry_timer, &kb_xnu.r.retry_call);
}

void kb_xnu_platform(struct kb_platform *p)
{
	p->ctx = &kb_xnu;
	p->send = x_send;
	p->now_ns = x_now;
	p->lock = x_lock;
	p->unlock = x_unlock;
	p->sleep = x_sleep;
	p->wakeup = x_wakeup;
	p->arm_timer = x_arm_timer;
	p->log = x_log;
	p->topics_changed = x_topics_changed;
}

/*
 * Worker threads for the kext (env->spawn): kernel_thread_start passes one
 * pointer, so (fn, arg) pairs wait in a small table until the new thread
 * takes them; more than KB_XNU_SPAWN_SLOTS at once are refused.
 *
 * A worker is counted in worker_gate from before the thread starts until
 * its last use of kext state; what is left after that is the call into
 * thread_terminate, which does not return.
 */
#define KB_XNU_SPAWN_SLOTS 32

struct spawn_slot {
	int used; /* atomic */
	void (*fn)(void *);
	void *arg;
};

static struct spawn_slot spawn_slots[KB_XNU_SPAWN_SLOTS];

static void spawn_trampoline(void *parameter, wait_result_t wresult)
{
	struct spawn_slot *s = parameter;

	(void)wresult;
	s->fn(s->arg);
	/* Only now: the job has returned and no more of its code runs. */
	__atomic_store_n(&s->used, 0, __ATOMIC_RELEASE);
	kb_gate_leave(&kb_xnu.worker_gate);
	thread_terminate(current_thread());
}

static int x_spawn(void (*fn)(void *), void *arg)
{
	thread_t thread;
	int i;

	if (!kb_gate_enter(&kb_xnu.worker_gate))
		return -1; /* stopping */
	for (i = 0; i < KB_XNU_SPAWN_SLOTS; i++) {
		int expected = 0;

		if (!__atomic_compare_exchange_n(&spawn_slots[i].used, &expected, 1, 0,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		spawn_slots[i].fn = fn;
		spawn_slots[i].arg = arg;
		if (kernel_thread_start(spawn_trampoline, &spawn_slots[i], &thread) != KERN_SUCCESS) {
			__atomic_store_n(&spawn_slots[i].used, 0, __ATOMIC_RELEASE);
			break;
		}
		thread_deallocate(thread);
		return 0;
	}
	kb_gate_leave(&kb_xnu.worker_gate);
	return -1;
}

void kb_xnu_workers_shutdown(void)
{
	kb_gate_close(&kb_xnu.worker_gate);
	kb_gate_drain(&kb_xnu.worker_gate, kb_xnu_pause, 0);
}

static void x_sleep_ns(uint64_t ns)
{
	struct timespec ts;

	/* msleep treats a zero timespec as "no timeout": that would never return. */
	if (ns == 0)
		return;
	ts.tv_sec = (long)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	/* Nobody wakes this channel: it is a plain timed sleep. */
	msleep(&sleep_chan, 0, 0, "kbsleep", &ts);
}

/*
 * env->mutex_*: an lck_mtx in the glue's lock group, which exists from
 * before the kext's start until after its stop (release_all). A kb_mutex
 * is never dereferenced: it only carries the lck_mtx_t pointer.
 */
static struct kb_mutex *x_mutex_new(void)
{
	return (struct kb_mutex *)(void *)lck_mtx_alloc_init(kb_xnu.r.grp, LCK_ATTR_NULL);
}

static void x_mutex_free(struct kb_mutex *m)
{
	if (m)
		lck_mtx_free((lck_mtx_t *)(void *)m, kb_xnu.r.grp);
}

static void x_mutex_lock(struct kb_mutex *m)
{
	lck_mtx_lock((lck_mtx_t *)(void *)m);
}

static void x_mutex_unlock(struct kb_mutex *m)
{
	lck_mtx_unlock((lck_mtx_t *)(void *)m);
}

void kb_xnu_kext_env(struct kb_kext_env *env)
{
	env->spawn = x_spawn;
	env->sleep_ns = x_sleep_ns;
	env->now_ns = kb_xnu_now_ns;
	env->mutex_new = x_mutex_new;
	env->mutex_free = x_mutex_free;
	env->lock = x_mutex_lock;
	env->unlock = x_mutex_unlock;
}
