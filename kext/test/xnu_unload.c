/*
 * The XNU glue's start/stop logic, run in user space: the files of kext/xnu compiled
 * unchanged against the project's KPI declarations and linked with a fake
 * kernel over pthreads (test/xnu-fake). Each cycle loads the "kext" through
 * kmod_info.start as the kernel does, connects a daemon, subscribes (the
 * exec listener comes and goes with it), starts workers (an emit that runs
 * until cancelled, an upcall that waits), lets the heartbeat and retry
 * thread_calls fire and a kernel thread call the fileop listener, then
 * stops while all of that is in flight; some cycles fail start instead.
 * Built twice: under ThreadSanitizer and under ASan+UBSan (linux.mk), so a
 * callback that outlives stop is a use-after-free or a race report.
 *
 *   xnu_unload [CYCLES]
 *
 * Built for the example (workers, upcalls, the exec listener) and, as
 * xnu_unload-counter, for the counter kext (no workers, never listens).
 */
#include "fake_xnu.h"
#include "fake_os.h"
#include "kb_xnu.h"

#include <kextbridge/frame.h>
#include <kextbridge/pb.h>

extern kmod_info_t kmod_info;

#define TIME_DIV 200u /* heartbeat 1 s -> 5 ms */

static int failures;

static void check(int ok, const char *what, int cycle)
{
	if (!ok) {
		fos_say("FAIL cycle ", cycle, ": "), fos_say(what, 0, "");
		failures++;
		if (failures > 10)
			fos_fail("too many failures");
	}
}

static void send_frame(uint32_t unit, uint8_t type, uint32_t id, uint32_t code, const void *p,
		       uint32_t len)
{
	uint8_t buf[512];
	size_t n = kb_frame_put(buf, sizeof(buf), type, 0, id, code, p, len);

	if (!n)
		fos_fail("frame does not fit");
	fake_ctl_send(unit, buf, n);
}

static void hello(uint32_t unit)
{
	uint8_t h[KB_HELLO_SIZE + 4];

	kb_put_u16(h, 1);
	kb_put_u16(h + 2, 1);
	kb_put_u32(h + 4, 16384);
	kb_put_u32(h + 8, 65536);
	__builtin_memcpy(h + KB_HELLO_SIZE, "harn", 4);
	send_frame(unit, KB_HELLO, 0, 0, h, sizeof(h));
}

static void subscribe(uint32_t unit, int exec, int heartbeat)
{
	uint8_t t[8];
	uint32_t n = 0;

	if (exec)
		kb_put_u32(t + 4 * n++, 1);
	if (heartbeat)
		kb_put_u32(t + 4 * n++, 2);
	send_frame(unit, KB_SUBSCRIBE, 0, 0, t, 4 * n);
}

static void request_emit(uint32_t unit, uint32_t id)
{
	struct kb_pb_writer w;
	uint8_t b[32];
	size_t len;

	kb_pb_writer_init(&w, b, sizeof(b));
	kb_pb_put_varint(&w, 1, 2);             /* heartbeat topic */
	kb_pb_put_varint(&w, 2, 10000000);      /* runs until cancelled or stopped */
	kb_pb_put_varint(&w, 3, 64);
	kb_pb_finish(&w, &len);
	send_frame(unit, KB_REQUEST, id, 3, b, (uint32_t)len);
}

static void request_simulate_exec(uint32_t unit, uint32_t id)
{
	struct kb_pb_writer w;
	uint8_t b[64];
	size_t len;

	kb_pb_writer_init(&w, b, sizeof(b));
	kb_pb_put_varint(&w, 1, 42);
	kb_pb_put_bytes(&w, 4, "/bin/harness", 12);
	kb_pb_finish(&w, &len);
	send_frame(unit, KB_REQUEST, id, 4, b, (uint32_t)len);
}

/* Everything start allocated is gone and no kernel thread of ours is left. */
static void check_released(int cycle)
{
	struct fake_xnu s;
	uint64_t until = fos_now_ns() + 3000000000ull;

	/* Dispatcher and worker threads exit right after stop returns. */
	do {
		fake_xnu_get(&s);
		if (s.calls_live == 0 && s.threads_live == 0)
			break;
		fos_usleep(200);
	} while (fos_now_ns() < until);
	check(s.calls_live == 0, "every thread_call freed", cycle);
	check(s.threads_live == 0, "every worker thread terminated", cycle);
	check(s.osmalloc_live == 0, "every OSMalloc freed", cycle);
	check(s.mutexes_live == 0, "every lck_mtx freed", cycle);
	check(s.listeners == 0, "no kauth listener left", cycle);
	check(!s.registered, "control deregistered", cycle);
}

struct disconnector {
	uint32_t unit;
	uint32_t delay_us;
	int done; /* atomic */
};

static void disconnect_later(void *arg)
{
	struct disconnector *d = arg;

	fos_usleep(d->delay_us);
	fake_ctl_disconnect(d->unit);
	__atomic_store_n(&d->done, 1, __ATOMIC_RELEASE);
}

static void failed_start(int cycle, int how)
{
	fake_xnu_script(how == 0 ? 17 /* EEXIST */ : 0, 0, how == 0 ? 0 : 1 + (int)(fos_random() % 5) /* of 3 lck_mtx, 2 OSMalloc */,
			TIME_DIV);
	check(kmod_info.start(&kmod_info, 0) == KERN_FAILURE, "start fails when it must", cycle);
	fake_xnu_script(0, 0, 0, TIME_DIV);
	check_released(cycle);
}

static void cycle_once(int cycle)
{
	uint32_t r = fos_random(), unit = (uint32_t)cycle + 1;
	struct disconnector d = { unit, 0, 0 };
	struct fake_xnu s;
	int listen_fail = (r & 15) == 0, stops = 0;

	if ((r & 31) == 1) {
		failed_start(cycle, (int)((r >> 5) & 1));
		return;
	}
	fake_xnu_script(0, listen_fail, 0, TIME_DIV);
	check(kmod_info.start(&kmod_info, 0) == KERN_SUCCESS, "start", cycle);
	fake_xnu_get(&s);
	check(s.registered && s.listeners == 0, "registered, no listener before a subscriber",
	      cycle);
	check(fake_ctl_connect(unit) == 0, "connect", cycle);
	hello(unit);
	subscribe(unit, 1, (r >> 6) & 1);
	fake_xnu_get(&s);
	/* Topic 1 is the example's exec; the counter kext has no exec source. */
	check(s.listeners == (listen_fail || KB_KEXT->exec_topic != 1 ? 0 : 1),
	      "listening while exec is wanted (and only for a kext with an exec source)", cycle);
	if ((r >> 7) & 1)
		request_emit(unit, 1);
	if ((r >> 8) & 1)
		request_simulate_exec(unit, 2);
	if ((r >> 9) & 1)
		fake_xnu_enqueue_err(((r >> 10) & 1) ? 12 /* ENOMEM */ : 55 /* ENOBUFS */);
	fos_usleep(fos_random() % 3000);
	/* Connected: stop fails (GOODBYE sent) and changes nothing. */
	check(kmod_info.stop(&kmod_info, 0) == KERN_FAILURE, "stop fails while connected", cycle);
	fake_xnu_get(&s);
	check(s.registered, "still registered after a refused stop", cycle);
	if ((r >> 11) & 1) {
		subscribe(unit, 0, 1);
		fake_xnu_get(&s);
		check(s.listeners == 0, "listener gone once exec is not wanted", cycle);
	}
	fake_xnu_enqueue_err(0);
	/* The daemon closes while stop is being retried (as kextunload would). */
	d.delay_us = fos_random() % 500;
	if (fos_thread_start(disconnect_later, &d) != 0)
		fos_fail("thread");
	while (kmod_info.stop(&kmod_info, 0) != KERN_SUCCESS) {
		stops++;
		fos_usleep(50);
		if (stops > 100000)
			fos_fail("stop never succeeded after the daemon left");
	}
	while (!__atomic_load_n(&d.done, __ATOMIC_ACQUIRE))
		fos_usleep(50);
	check_released(cycle);
}

/* ENOMEM from ctl_enqueuedata is transient: events flow again once it clears. */
static void enomem_resumes(void)
{
	struct fake_xnu a, b;
	struct kb_engine_stats st;

	fake_xnu_script(0, 0, 0, TIME_DIV);
	check(kmod_info.start(&kmod_info, 0) == KERN_SUCCESS, "start (enomem)", -1);
	check(fake_ctl_connect(900) == 0, "connect (enomem)", -1);
	hello(900);
	subscribe(900, 0, 1);
	fake_xnu_enqueue_err(12);
	/* Command 1 (the example's echo, the counter's add) answers at once:
	 * its responses, and heartbeats for the example, meet ENOMEM. */
	for (int i = 0; i < 10; i++)
		send_frame(900, KB_REQUEST, 100 + (uint32_t)i, 1, 0, 0);
	fos_usleep(50000);
	fake_xnu_get(&a);
	kb_engine_get_stats(kb_xnu.r.engine, &st);
	check(a.enqueue_failed > 0 && st.send_full > 0, "ENOMEM seen and treated as full", -1);
	fake_xnu_enqueue_err(0);
	fos_usleep(50000);
	fake_xnu_get(&b);
	check(b.enqueued > a.enqueued, "events delivered again after ENOMEM cleared", -1);
	fake_ctl_disconnect(900);
	check(kmod_info.stop(&kmod_info, 0) == KERN_SUCCESS, "stop (enomem)", -1);
	check_released(-1);
}

int main(int argc, char **argv)
{
	struct kb_kext_env env;
	int cycles = 2000, i;

	if (argc > 1) {
		cycles = 0;
		for (i = 0; argv[1][i] >= '0' && argv[1][i] <= '9'; i++)
			cycles = cycles * 10 + (argv[1][i] - '0');
	}
	fos_quiet_stdout();
	/* msleep with a zero timespec never times out: sleep_ns(0) must not call it so. */
	kb_xnu_kext_env(&env);
	fos_watchdog(5, "sleep_ns(0)");
	env.sleep_ns(0);
	fos_watchdog(0, 0);
	fos_say("ok   sleep_ns(0) returns (", 0, " ns)");

	fos_watchdog(120, "the unload cycles");
	enomem_resumes();
	fake_kauth_generator_start();
	for (i = 0; i < cycles; i++)
		cycle_once(i);
	fake_kauth_generator_stop();
	fos_watchdog(0, 0);
	{
		struct fake_xnu s;

		fake_xnu_get(&s);
		/* The cycles really had all of it in flight (else this proves little). */
		if (KB_KEXT->exec_topic)
			check(s.timer_fires > (uint64_t)cycles &&
				      s.threads_started > (uint64_t)cycles / 4 &&
				      s.fileop_calls > (uint64_t)cycles &&
				      s.listens > (uint64_t)cycles / 2 && s.unlistens == s.listens &&
				      s.enqueue_failed > 0,
			      "timers fired, workers ran, fileop callbacks came, listeners came and went",
			      -1);
		else
			check(s.timer_fires > (uint64_t)cycles / 10 && s.listens == 0 && s.fileop_calls == 0,
			      "timers fired; a kext without an exec source never listened", -1);
		fos_say("     thread_call fires ", (long)s.timer_fires, "");
		fos_say("     worker threads ", (long)s.threads_started, "");
		fos_say("     fileop callbacks ", (long)s.fileop_calls, "");
		fos_say("     listens ", (long)s.listens, " (each unlistened)");
		fos_say("     sends refused (ENOBUFS/ENOMEM) ", (long)s.enqueue_failed, "");
		fos_say("     thread_call_free refused (armed) ", (long)s.calls_refused_free, "");
	}
	fos_say(failures ? "FAIL " : "ok   ", cycles,
		" start/stop cycles with callbacks, timers and workers in flight");
	return failures ? 1 : 0;
}
