#include "platform_posix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

uint64_t kb_posix_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void wake_loop(struct kb_posix *s)
{
	uint64_t one = 1;

	if (s->wake_fd >= 0 && write(s->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		perror("kextsim: eventfd");
}

static int p_send(void *ctx, uint32_t unit, const void *buf, size_t len)
{
	struct kb_posix *s = ctx;
	ssize_t n;

	if (s->fd < 0 || s->unit != unit)
		return KB_SEND_GONE;
	n = send(s->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n == (ssize_t)len)
		return KB_SEND_OK;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
		if (!s->want_pollout) {
			s->want_pollout = 1;
			wake_loop(s);
		}
		return KB_SEND_FULL;
	}
	return KB_SEND_GONE;
}

static uint64_t p_now(void *ctx)
{
	(void)ctx;
	return kb_posix_now_ns();
}

static void p_lock(void *ctx)
{
	pthread_mutex_lock(&((struct kb_posix *)ctx)->mu);
}

static void p_unlock(void *ctx)
{
	pthread_mutex_unlock(&((struct kb_posix *)ctx)->mu);
}

static pthread_cond_t *cond_for(struct kb_posix *s, const void *chan)
{
	uintptr_t h = (uintptr_t)chan;

	return &s->conds[(h >> 4) % KB_POSIX_CONDS];
}

static int p_sleep(void *ctx, const void *chan, uint64_t deadline_ns)
{
	struct kb_posix *s = ctx;
	struct timespec ts;

	ts.tv_sec = (time_t)(deadline_ns / 1000000000ull);
	ts.tv_nsec = (long)(deadline_ns % 1000000000ull);
	return pthread_cond_timedwait(cond_for(s, chan), &s->mu, &ts) == ETIMEDOUT;
}

static void p_wakeup(void *ctx, const void *chan)
{
	/* Channels share conditions, so wake them all; waiters recheck. */
	pthread_cond_broadcast(cond_for(ctx, chan));
}

static void p_arm_timer(void *ctx, uint32_t ms)
{
	struct kb_posix *s = ctx;

	s->timer_due_ns = ms ? kb_posix_now_ns() + (uint64_t)ms * 1000000ull : 0;
	wake_loop(s);
}

static void p_log(void *ctx, const char *msg)
{
	struct kb_posix *s = ctx;

	if (!s->quiet)
		fprintf(stderr, "%s\n", msg);
}

int kb_posix_init(struct kb_posix *s)
{
	pthread_condattr_t attr;
	int i;

	s->fd = -1;
	s->unit = 0;
	s->want_pollout = 0;
	s->timer_due_ns = 0;
	s->quiet = 0;
	s->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->wake_fd < 0)
		return -1;
	pthread_mutex_init(&s->mu, 0);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	for (i = 0; i < KB_POSIX_CONDS; i++)
		pthread_cond_init(&s->conds[i], &attr);
	pthread_condattr_destroy(&attr);
	return 0;
}

void kb_posix_destroy(struct kb_posix *s)
{
	int i;

	for (i = 0; i < KB_POSIX_CONDS; i++)
		pthread_cond_destroy(&s->conds[i]);
	pthread_mutex_destroy(&s->mu);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	s->wake_fd = -1;
}

void kb_posix_platform(struct kb_posix *s, struct kb_platform *p)
{
	p->ctx = s;
	p->send = p_send;
	p->now_ns = p_now;
	p->lock = p_lock;
	p->unlock = p_unlock;
	p->sleep = p_sleep;
	p->wakeup = p_wakeup;
	p->arm_timer = p_arm_timer;
	p->log = p_log;
	p->topics_changed = 0;
}

struct spawn_arg {
	void (*fn)(void *);
	void *arg;
};

static void *trampoline(void *p)
{
	struct spawn_arg a = *(struct spawn_arg *)p;

	free(p);
	a.fn(a.arg);
	return 0;
}

int kb_posix_spawn(void (*fn)(void *), void *arg)
{
	struct spawn_arg *a = malloc(sizeof(*a));
	pthread_attr_t attr;
	pthread_t t;
	int r;

	if (!a)
		return -1;
	a->fn = fn;
	a->arg = arg;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = pthread_create(&t, &attr, trampoline, a);
	pthread_attr_destroy(&attr);
	if (r)
		free(a);
	return r ? -1 : 0;
}

void kb_posix_sleep_ns(uint64_t ns)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* env->mutex_*: a kext's own lock, made in its start (not on a hot path). */
struct kb_mutex {
	pthread_mutex_t mu;
};

static struct kb_mutex *p_mutex_new(void)
{
	struct kb_mutex *m = malloc(sizeof(*m));

	if (m && pthread_mutex_init(&m->mu, 0)) {
		free(m);
		m = 0;
	}
	return m;
}

static void p_mutex_free(struct kb_mutex *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->mu);
	free(m);
}

static void p_mutex_lock(struct kb_mutex *m)
{
	pthread_mutex_lock(&m->mu);
}

static void p_mutex_unlock(struct kb_mutex *m)
{
	pthread_mutex_unlock(&m->mu);
}

void kb_posix_kext_env(struct kb_kext_env *env)
{
	env->spawn = kb_posix_spawn;
	env->sleep_ns = kb_posix_sleep_ns;
	env->now_ns = kb_posix_now_ns;
	env->mutex_new = p_mutex_new;
	env->mutex_free = p_mutex_free;
	env->lock = p_mutex_lock;
	env->unlock = p_mutex_unlock;
}
