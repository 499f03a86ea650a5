/* See fake_os.h. */
#define _GNU_SOURCE
#include "fake_os.h"
#include "platform_posix.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct fos_mutex {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	struct fos_mutex *next;
};

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct fos_mutex *registry;
static struct fos_mutex plain_sleep;
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

static void init_cond(pthread_cond_t *c)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(c, &a);
	pthread_condattr_destroy(&a);
}

static void add(struct fos_mutex *m)
{
	pthread_mutex_lock(&registry_mu);
	m->next = registry;
	registry = m;
	pthread_mutex_unlock(&registry_mu);
}

static void plain_init(void)
{
	pthread_mutex_init(&plain_sleep.mu, 0);
	init_cond(&plain_sleep.cond);
	add(&plain_sleep);
}

struct fos_mutex *fos_mutex_new(void)
{
	struct fos_mutex *m = calloc(1, sizeof(*m));

	if (!m)
		return 0;
	pthread_mutex_init(&m->mu, 0);
	init_cond(&m->cond);
	add(m);
	return m;
}

void fos_mutex_free(struct fos_mutex *m)
{
	struct fos_mutex **pp;

	pthread_mutex_lock(&registry_mu);
	for (pp = &registry; *pp; pp = &(*pp)->next)
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	pthread_mutex_unlock(&registry_mu);
	if (pthread_mutex_destroy(&m->mu) == EBUSY)
		fos_fail("lck_mtx_free of a held mutex");
	pthread_cond_destroy(&m->cond);
	free(m);
}

void fos_mutex_lock(struct fos_mutex *m)
{
	pthread_mutex_lock(&m->mu);
}

void fos_mutex_unlock(struct fos_mutex *m)
{
	pthread_mutex_unlock(&m->mu);
}

static struct timespec abs_after(uint64_t ns)
{
	struct timespec ts;
	uint64_t t;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec + ns;
	ts.tv_sec = (time_t)(t / 1000000000ull);
	ts.tv_nsec = (long)(t % 1000000000ull);
	return ts;
}

int fos_sleep(struct fos_mutex *m, uint64_t timeout_ns)
{
	int plain = !m, r;

	if (plain) {
		pthread_once(&plain_once, plain_init);
		m = &plain_sleep;
		pthread_mutex_lock(&m->mu);
	}
	if (timeout_ns == 0) {
		r = pthread_cond_wait(&m->cond, &m->mu);
	} else {
		struct timespec ts = abs_after(timeout_ns);

		r = pthread_cond_timedwait(&m->cond, &m->mu, &ts);
	}
	if (plain)
		pthread_mutex_unlock(&m->mu);
	return r == ETIMEDOUT;
}

void fos_wakeup_all(void)
{
	struct fos_mutex *m;

	pthread_mutex_lock(&registry_mu);
	for (m = registry; m; m = m->next)
		pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&registry_mu);
}

uint64_t fos_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void fos_usleep(uint32_t us)
{
	usleep(us);
}

/* Detached threads: kextsim's own spawn, the same as workers get there. */
int fos_thread_start(void (*fn)(void *), void *arg)
{
	return kb_posix_spawn(fn, arg);
}

void fos_thread_exit(void)
{
	pthread_exit(0);
}

void *fos_alloc(size_t n)
{
	return malloc(n);
}

void fos_free(void *p)
{
	free(p);
}

int fos_getpid(void)
{
	return (int)getpid();
}

void fos_fail(const char *what)
{
	fprintf(stderr, "FAIL (fake kernel): %s\n", what);
	fflush(stderr);
	abort();
}

static const char *watch_what;

static void on_alarm(int sig)
{
	static const char msg[] = "FAIL: watchdog: hung in ";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0 ||
	    (watch_what && write(2, watch_what, strlen(watch_what)) < 0) || write(2, "\n", 1) < 0)
		_exit(2);
	_exit(1);
}

void fos_watchdog(unsigned seconds, const char *what)
{
	watch_what = what;
	signal(SIGALRM, on_alarm);
	alarm(seconds);
}

uint32_t fos_random(void)
{
	static __thread uint32_t x;

	if (!x)
		x = (uint32_t)(uintptr_t)&x ^ (uint32_t)fos_now_ns() ^ 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

void fos_quiet_stdout(void)
{
	if (!getenv("KB_TEST_VERBOSE") && !freopen("/dev/null", "w", stdout))
		fos_fail("freopen");
}

void fos_say(const char *a, long n, const char *b)
{
	fprintf(stderr, "%s%ld%s\n", a, n, b);
}

static pthread_mutex_t big_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t big_cond;
static pthread_once_t big_once = PTHREAD_ONCE_INIT;

static void big_init(void)
{
	init_cond(&big_cond);
}

void fos_big_lock(void)
{
	pthread_once(&big_once, big_init);
	pthread_mutex_lock(&big_mu);
}

void fos_big_unlock(void)
{
	pthread_mutex_unlock(&big_mu);
}

void fos_big_wait(uint64_t until_ns)
{
	uint64_t now = fos_now_ns();

	if (!until_ns) {
		pthread_cond_wait(&big_cond, &big_mu);
	} else if (until_ns > now) {
		struct timespec ts = abs_after(until_ns - now);

		pthread_cond_timedwait(&big_cond, &big_mu, &ts);
	}
}

void fos_big_broadcast(void)
{
	pthread_cond_broadcast(&big_cond);
}
