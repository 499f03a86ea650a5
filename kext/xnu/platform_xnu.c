/*
 * struct kb_platform in the kernel: lck_mtx for the engine lock,
 * msleep/wakeup for upcall waits, a thread_call for the retry timer, and
 * ctl_enqueuedata with CTL_DATA_EOR so every datagram stays a record.
 *
 * There is no "the client read data" callback in the public KPI (ctl_rcvd
 * is KERNEL_PRIVATE), so a full queue is retried from the timer and on the
 * next datagram from the daemon.
 */
#include "kb_xnu.h"

uint64_t kb_xnu_now_ns(void)
{
	uint64_t ns;

	absolutetime_to_nanoseconds(mach_absolute_time(), &ns);
	return ns;
}

static int x_send(void *ctx, uint32_t unit, const void *buf, size_t len)
{
	errno_t err;

	(void)ctx;
	/* The KPI takes a non-const pointer but only copies from it. */
	err = ctl_enqueuedata(kb_xnu.kctl, unit, (void *)(uintptr_t)buf, len, CTL_DATA_EOR);
	if (err == 0)
		return KB_SEND_OK;
	if (err == ENOBUFS)
		return KB_SEND_FULL;
	return KB_SEND_GONE;
}

static uint64_t x_now(void *ctx)
{
	(void)ctx;
	return kb_xnu_now_ns();
}

static void x_lock(void *ctx)
{
	(void)ctx;
	lck_mtx_lock(kb_xnu.mtx);
}

static void x_unlock(void *ctx)
{
	(void)ctx;
	lck_mtx_unlock(kb_xnu.mtx);
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
	/* msleep drops and retakes the engine lock, as the contract asks. */
	return msleep((void *)(uintptr_t)chan, kb_xnu.mtx, 0, "kbupcall", &ts) == EWOULDBLOCK;
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
	if (ms == 0 || kb_xnu.stopping) {
		thread_call_cancel(kb_xnu.retry_call);
		return;
	}
	clock_interval_to_deadline(ms, (uint32_t)NSEC_PER_MSEC, &deadline);
	thread_call_enter_delayed(kb_xnu.retry_call, deadline);
}

static void x_log(void *ctx, const char *msg)
{
	(void)ctx;
	printf("%s\n", msg);
}

void kb_xnu_retry_fired(thread_call_param_t p0, thread_call_param_t p1)
{
	(void)p0;
	(void)p1;
	if (!kb_xnu.stopping)
		kb_engine_tick(kb_xnu.engine);
}

void kb_xnu_arm_heartbeat(void)
{
	uint64_t deadline;

	clock_interval_to_deadline(1000, (uint32_t)NSEC_PER_MSEC, &deadline);
	thread_call_enter_delayed(kb_xnu.heartbeat_call, deadline);
}

void kb_xnu_heartbeat_fired(thread_call_param_t p0, thread_call_param_t p1)
{
	(void)p0;
	(void)p1;
	if (kb_xnu.stopping)
		return;
	kb_example_heartbeat();
	kb_xnu_arm_heartbeat();
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
}

/*
 * Worker threads for the example: kernel_thread_start passes one pointer,
 * so (fn, arg) pairs wait in a small table until the new thread takes
 * them. The example never runs more than its 16 jobs at once.
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
	void (*fn)(void *) = s->fn;
	void *arg = s->arg;

	(void)wresult;
	__atomic_store_n(&s->used, 0, __ATOMIC_RELEASE);
	fn(arg);
	thread_terminate(current_thread());
}

static int x_spawn(void (*fn)(void *), void *arg)
{
	thread_t thread;
	int i;

	for (i = 0; i < KB_XNU_SPAWN_SLOTS; i++) {
		int expected = 0;

		if (!__atomic_compare_exchange_n(&spawn_slots[i].used, &expected, 1, 0,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		spawn_slots[i].fn = fn;
		spawn_slots[i].arg = arg;
		if (kernel_thread_start(spawn_trampoline, &spawn_slots[i], &thread) != KERN_SUCCESS) {
			__atomic_store_n(&spawn_slots[i].used, 0, __ATOMIC_RELEASE);
			return -1;
		}
		thread_deallocate(thread);
		return 0;
	}
	return -1;
}

static int sleep_chan;

static void x_sleep_ns(uint64_t ns)
{
	struct timespec ts;

	ts.tv_sec = (long)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	/* Nobody wakes this channel: it is a plain timed sleep. */
	msleep(&sleep_chan, 0, 0, "kbsleep", &ts);
}

void kb_xnu_example_env(struct kb_example_env *env)
{
	env->spawn = x_spawn;
	env->sleep_ns = x_sleep_ns;
	env->now_ns = kb_xnu_now_ns;
}
