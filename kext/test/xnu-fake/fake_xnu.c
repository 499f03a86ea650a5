/*
 * The fake kernel (see fake_xnu.h). This file sees only the project's
 * declarations of the KPI, exactly as the glue does; libc and pthreads are
 * reached through fake_os.h.
 */
#include "fake_xnu.h"
#include "fake_os.h"

#include <mach/thread_act.h>

static struct fake_xnu fx = { .time_div = 1 };

#define LOCK()   fos_big_lock()
#define UNLOCK() fos_big_unlock()

void fake_xnu_get(struct fake_xnu *out)
{
	LOCK();
	*out = fx;
	UNLOCK();
}

void fake_xnu_script(errno_t ctl_register_err, int kauth_listen_fail, int osmalloc_fail_after,
		     uint32_t time_div)
{
	LOCK();
	fx.ctl_register_err = ctl_register_err;
	fx.kauth_listen_fail = kauth_listen_fail;
	fx.osmalloc_fail_after = osmalloc_fail_after;
	fx.time_div = time_div ? time_div : 1;
	UNLOCK();
}

void fake_xnu_enqueue_err(errno_t err)
{
	LOCK();
	fx.enqueue_err = err;
	UNLOCK();
}

/* ---- kern_control ---- */

static int kctl_token;

errno_t ctl_register(struct kern_ctl_reg *userkctl, kern_ctl_ref *kctlref)
{
	errno_t err;

	LOCK();
	err = fx.ctl_register_err;
	if (!err && fx.registered)
		err = 17; /* EEXIST */
	if (!err) {
		fx.registered = 1;
		fx.reg = *userkctl;
		*kctlref = &kctl_token;
	}
	UNLOCK();
	return err;
}

errno_t ctl_deregister(kern_ctl_ref kctlref)
{
	errno_t err = 0;

	LOCK();
	if (kctlref != &kctl_token || !fx.registered)
		err = EINVAL;
	else if (fx.connected)
		err = EBUSY; /* as xnu: while any client is connected */
	else
		fx.registered = 0;
	UNLOCK();
	return err;
}

errno_t ctl_enqueuedata(kern_ctl_ref kctlref, u_int32_t unit, void *data, size_t len,
			u_int32_t flags)
{
	errno_t err;

	(void)unit;
	(void)data;
	LOCK();
	if (kctlref != &kctl_token || !fx.registered)
		fos_fail("ctl_enqueuedata on a control that is not registered");
	if (!(flags & CTL_DATA_EOR) || len == 0)
		fos_fail("ctl_enqueuedata without CTL_DATA_EOR or empty");
	err = fx.connected ? fx.enqueue_err : EINVAL;
	if (err)
		fx.enqueue_failed++;
	else
		fx.enqueued++;
	UNLOCK();
	return err;
}

struct __mbuf {
	struct __mbuf *next;
	size_t len;
	uint8_t data[];
};

size_t mbuf_len(const mbuf_t mbuf)
{
	return mbuf->len;
}

mbuf_t mbuf_next(const mbuf_t mbuf)
{
	return mbuf->next;
}

void *mbuf_data(mbuf_t mbuf)
{
	return mbuf->data;
}

size_t mbuf_pkthdr_len(const mbuf_t mbuf)
{
	size_t n = 0;
	mbuf_t m;

	for (m = mbuf; m; m = m->next)
		n += m->len;
	return n;
}

errno_t mbuf_copydata(const mbuf_t mbuf, size_t offset, size_t length, void *out_data)
{
	uint8_t *out = out_data;
	mbuf_t m = mbuf;

	while (m && offset >= m->len) {
		offset -= m->len;
		m = m->next;
	}
	while (length) {
		size_t n;

		if (!m)
			return EINVAL;
		n = m->len - offset < length ? m->len - offset : length;
		__builtin_memcpy(out, m->data + offset, n);
		out += n;
		length -= n;
		offset = 0;
		m = m->next;
	}
	return 0;
}

void mbuf_freem(mbuf_t mbuf)
{
	while (mbuf) {
		mbuf_t next = mbuf->next;

		fos_free(mbuf);
		mbuf = next;
	}
}

static mbuf_t mbuf_new(const void *data, size_t len)
{
	mbuf_t m = fos_alloc(sizeof(*m) + len + 1);

	if (!m)
		fos_fail("out of memory");
	m->next = 0;
	m->len = len;
	if (len)
		__builtin_memcpy(m->data, data, len);
	return m;
}

errno_t fake_ctl_connect(u_int32_t unit)
{
	struct sockaddr_ctl sac;
	struct kern_ctl_reg reg;
	void *unitinfo = 0;
	errno_t err;

	LOCK();
	if (!fx.registered || fx.connected) {
		UNLOCK();
		return EBUSY;
	}
	/* Counted before the callback: deregister is refused from here on. */
	fx.connected = 1;
	reg = fx.reg;
	UNLOCK();
	__builtin_memset(&sac, 0, sizeof(sac));
	sac.sc_unit = unit;
	err = reg.ctl_connect(&kctl_token, &sac, &unitinfo);
	if (err) {
		/* xnu calls ctl_disconnect for a refused unit too. */
		reg.ctl_disconnect(&kctl_token, unit, unitinfo);
		LOCK();
		fx.connected = 0;
		UNLOCK();
	}
	return err;
}

void fake_ctl_disconnect(u_int32_t unit)
{
	struct kern_ctl_reg reg;

	LOCK();
	reg = fx.reg;
	UNLOCK();
	reg.ctl_disconnect(&kctl_token, unit, 0);
	LOCK();
	fx.connected = 0;
	UNLOCK();
}

void fake_ctl_send(u_int32_t unit, const void *data, size_t len)
{
	struct kern_ctl_reg reg;
	size_t half = len / 2;
	mbuf_t m;

	LOCK();
	reg = fx.reg;
	UNLOCK();
	m = mbuf_new(data, half);
	m->next = mbuf_new((const uint8_t *)data + half, len - half);
	reg.ctl_send(&kctl_token, unit, 0, m, 0);
}

/* The scripted allocation failure: 0 when this allocation must fail. */
static int alloc_allowed(int *live)
{
	int ok = 1;

	LOCK();
	if (fx.osmalloc_fail_after > 0 && --fx.osmalloc_fail_after == 0)
		ok = 0;
	else
		(*live)++;
	UNLOCK();
	return ok;
}

/* ---- locks, sleep ---- */

struct __lck_grp__ {
	int dummy;
};

lck_grp_t *lck_grp_alloc_init(const char *grp_name, lck_grp_attr_t *attr)
{
	(void)grp_name;
	(void)attr;
	return fos_alloc(sizeof(lck_grp_t));
}

void lck_grp_free(lck_grp_t *grp)
{
	fos_free(grp);
}

lck_mtx_t *lck_mtx_alloc_init(lck_grp_t *grp, lck_attr_t *attr)
{
	struct fos_mutex *m;

	(void)grp;
	(void)attr;
	if (!alloc_allowed(&fx.mutexes_live))
		return 0;
	m = fos_mutex_new();
	return (lck_mtx_t *)(void *)m;
}

void lck_mtx_free(lck_mtx_t *lck, lck_grp_t *grp)
{
	(void)grp;
	fos_mutex_free((struct fos_mutex *)(void *)lck);
	LOCK();
	fx.mutexes_live--;
	UNLOCK();
}

void lck_mtx_lock(lck_mtx_t *lck)
{
	fos_mutex_lock((struct fos_mutex *)(void *)lck);
}

void lck_mtx_unlock(lck_mtx_t *lck)
{
	fos_mutex_unlock((struct fos_mutex *)(void *)lck);
}

int msleep(void *chan, lck_mtx_t *mtx, int pri, const char *wmesg, struct timespec *ts)
{
	uint64_t ns = 0;

	(void)chan;
	(void)pri;
	(void)wmesg;
	/* A NULL or zero timespec: no timeout, as in xnu. */
	if (ts)
		ns = (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
	return fos_sleep((struct fos_mutex *)(void *)mtx, ns) ? EWOULDBLOCK : 0;
}

void wakeup(void *chan)
{
	(void)chan;
	fos_wakeup_all();
}

int proc_selfpid(void)
{
	return fos_getpid();
}

int proc_selfppid(void)
{
	return 1;
}

/* ---- clock ---- */

uint64_t mach_absolute_time(void)
{
	return fos_now_ns();
}

void absolutetime_to_nanoseconds(uint64_t abstime, uint64_t *result)
{
	*result = abstime;
}

void nanoseconds_to_absolutetime(uint64_t nanoseconds, uint64_t *result)
{
	*result = nanoseconds;
}

void clock_interval_to_deadline(uint32_t interval, uint32_t scale_factor, uint64_t *result)
{
	uint32_t div;

	LOCK();
	div = fx.time_div;
	UNLOCK();
	*result = fos_now_ns() + (uint64_t)interval * scale_factor / div;
}

/* ---- thread_call: one dispatcher thread per call ---- */

struct thread_call {
	thread_call_func_t func;
	thread_call_param_t param0;
	int pending, running, freed;
	uint64_t deadline;
};

static void dispatcher(void *arg)
{
	struct thread_call *c = arg;

	LOCK();
	for (;;) {
		if (c->freed && !c->pending)
			break;
		if (c->pending && fos_now_ns() >= c->deadline) {
			thread_call_func_t f = c->func;
			thread_call_param_t p = c->param0;

			c->pending = 0;
			c->running = 1;
			fx.timer_fires++;
			UNLOCK();
			f(p, 0);
			LOCK();
			c->running = 0;
			continue;
		}
		fos_big_wait(c->pending ? c->deadline : 0);
	}
	fx.calls_live--;
	UNLOCK();
	/* Like xnu, a call freed while running is destroyed when it returns. */
	fos_free(c);
}

thread_call_t thread_call_allocate(thread_call_func_t func, thread_call_param_t param0)
{
	struct thread_call *c = fos_alloc(sizeof(*c));

	if (!c)
		return 0;
	c->func = func;
	c->param0 = param0;
	c->pending = c->running = c->freed = 0;
	c->deadline = 0;
	LOCK();
	fx.calls_live++;
	UNLOCK();
	if (fos_thread_start(dispatcher, c) != 0)
		fos_fail("cannot start a thread_call dispatcher");
	return c;
}

boolean_t thread_call_enter_delayed(thread_call_t call, uint64_t deadline)
{
	boolean_t was;

	LOCK();
	if (call->freed)
		fos_fail("thread_call_enter_delayed on a freed call");
	was = call->pending;
	call->pending = 1;
	call->deadline = deadline;
	fos_big_broadcast();
	UNLOCK();
	return was;
}

boolean_t thread_call_cancel(thread_call_t call)
{
	boolean_t was;

	LOCK();
	if (call->freed)
		fos_fail("thread_call_cancel on a freed call");
	/* Does not wait for a running callback, as in xnu. */
	was = call->pending;
	call->pending = 0;
	UNLOCK();
	return was;
}

boolean_t thread_call_free(thread_call_t call)
{
	LOCK();
	if (call->freed)
		fos_fail("thread_call_free twice");
	if (call->pending) {
		fx.calls_refused_free++;
		UNLOCK();
		return 0; /* armed: not freed */
	}
	call->freed = 1;
	fos_big_broadcast();
	UNLOCK();
	return 1;
}

/* ---- threads ---- */

struct kthread_start {
	thread_continue_t cont;
	void *param;
};

static void kthread_main(void *arg)
{
	struct kthread_start s = *(struct kthread_start *)arg;

	fos_free(arg);
	s.cont(s.param, 0);
	/* A kernel thread's continuation must not return. */
	fos_fail("kernel thread returned without thread_terminate");
}

kern_return_t kernel_thread_start(thread_continue_t continuation, void *parameter,
				  thread_t *new_thread)
{
	struct kthread_start *s = fos_alloc(sizeof(*s));

	if (!s)
		return KERN_FAILURE;
	s->cont = continuation;
	s->param = parameter;
	LOCK();
	fx.threads_live++;
	fx.threads_started++;
	UNLOCK();
	if (fos_thread_start(kthread_main, s) != 0) {
		fos_free(s);
		LOCK();
		fx.threads_live--;
		UNLOCK();
		return KERN_FAILURE;
	}
	*new_thread = (thread_t)(void *)s; /* an opaque non-NULL reference */
	return KERN_SUCCESS;
}

void thread_deallocate(thread_t thread)
{
	(void)thread;
}

static int self_token;

thread_t current_thread(void)
{
	return (thread_t)(void *)&self_token;
}

kern_return_t thread_terminate(thread_t target_act)
{
	if (target_act != current_thread())
		fos_fail("thread_terminate of another thread");
	LOCK();
	fx.threads_live--;
	UNLOCK();
	fos_thread_exit();
}

/* ---- kauth ---- */

struct kauth_listener {
	kauth_scope_callback_t cb;
	void *idata;
};

#define MAX_LISTENERS 4
static struct kauth_listener *listeners[MAX_LISTENERS];

kauth_listener_t kauth_listen_scope(const char *identifier, kauth_scope_callback_t callback,
				    void *idata)
{
	struct kauth_listener *l;
	int i;

	(void)identifier;
	LOCK();
	if (fx.kauth_listen_fail) {
		UNLOCK();
		return 0;
	}
	UNLOCK();
	l = fos_alloc(sizeof(*l));
	if (!l)
		return 0;
	l->cb = callback;
	l->idata = idata;
	LOCK();
	for (i = 0; i < MAX_LISTENERS; i++)
		if (!listeners[i]) {
			listeners[i] = l;
			fx.listeners++;
			fx.listens++;
			UNLOCK();
			return l;
		}
	UNLOCK();
	fos_free(l);
	return 0;
}

void kauth_unlisten_scope(kauth_listener_t listener)
{
	int i;

	LOCK();
	for (i = 0; i < MAX_LISTENERS; i++)
		if (listeners[i] == listener) {
			listeners[i] = 0;
			fx.listeners--;
			fx.unlistens++;
		}
	UNLOCK();
	/* Does not wait for callbacks in flight: the caller must. The record
	 * itself is kept by the generator until its call returns. */
	fos_free(listener);
}

uid_t kauth_cred_getuid(kauth_cred_t cred)
{
	(void)cred;
	return 501;
}

static int gen_run, gen_done;

static void generator(void *arg)
{
	static const char path[] = "/bin/fake-exec";
	uint32_t n = 0;

	(void)arg;
	for (;;) {
		kauth_scope_callback_t cb = 0;
		void *idata = 0;
		int i;

		LOCK();
		if (!gen_run)
			break;
		for (i = 0; i < MAX_LISTENERS; i++)
			if (listeners[i]) {
				/* Copied under the lock, called without it: as xnu
				 * does, a callback may run after unlisten returned. */
				cb = listeners[i]->cb;
				idata = listeners[i]->idata;
				break;
			}
		if (cb)
			fx.fileop_calls++;
		UNLOCK();
		if (cb) {
			if ((fos_random() & 7) == 0)
				fos_usleep(fos_random() % 200);
			cb(0, idata, KAUTH_FILEOP_EXEC, 0, (uintptr_t)path, 0, 0);
		} else {
			fos_usleep(50);
		}
		if (++n % 64 == 0)
			fos_usleep(10);
	}
	gen_done = 1;
	fos_big_broadcast();
	UNLOCK();
}

void fake_kauth_generator_start(void)
{
	LOCK();
	gen_run = 1;
	gen_done = 0;
	UNLOCK();
	if (fos_thread_start(generator, 0) != 0)
		fos_fail("cannot start the kauth generator");
}

void fake_kauth_generator_stop(void)
{
	LOCK();
	gen_run = 0;
	while (!gen_done)
		fos_big_wait(fos_now_ns() + 1000000);
	UNLOCK();
}

/* ---- OSMalloc ---- */

struct __OSMallocTag__ {
	int dummy;
};

OSMallocTag OSMalloc_Tagalloc(const char *name, uint32_t flags)
{
	(void)name;
	(void)flags;
	return fos_alloc(sizeof(struct __OSMallocTag__));
}

void OSMalloc_Tagfree(OSMallocTag tag)
{
	fos_free(tag);
}

void *OSMalloc(uint32_t size, OSMallocTag tag)
{
	void *p;

	(void)tag;
	if (!alloc_allowed(&fx.osmalloc_live))
		return 0;
	p = fos_alloc(size);
	return p;
}

void OSFree(void *addr, uint32_t size, OSMallocTag tag)
{
	(void)size;
	(void)tag;
	fos_free(addr);
	LOCK();
	fx.osmalloc_live--;
	UNLOCK();
}
