/*
 * struct kb_platform for user space: a pthread mutex as the engine lock,
 * condition variables for upcall waits, a non-blocking SEQPACKET socket as
 * the daemon connection. kextsim's event loop and the C tests share it.
 */
#ifndef KB_PLATFORM_POSIX_H
#define KB_PLATFORM_POSIX_H

#include <pthread.h>
#include <stdint.h>

#include <kextbridge/engine.h>
#include <kextbridge/kext.h>

#define KB_POSIX_CONDS 16

struct kb_posix {
	pthread_mutex_t mu;
	pthread_cond_t conds[KB_POSIX_CONDS];
	int fd;                 /* the connected daemon, -1 when none; under mu */
	uint32_t unit;
	int wake_fd;            /* eventfd: tells the loop to re-poll */
	int want_pollout;       /* under mu: a send reported FULL */
	uint64_t timer_due_ns;  /* under mu: 0 when no timer is armed */
	int quiet;              /* no log lines */
};

int kb_posix_init(struct kb_posix *s);
void kb_posix_destroy(struct kb_posix *s);
void kb_posix_platform(struct kb_posix *s, struct kb_platform *p);
uint64_t kb_posix_now_ns(void);

/* A kext's environment (struct kb_kext_env) in user space. */
void kb_posix_kext_env(struct kb_kext_env *env);
int kb_posix_spawn(void (*fn)(void *), void *arg);
void kb_posix_sleep_ns(uint64_t ns);

#endif
