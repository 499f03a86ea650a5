/*
 * The libc/pthread side of the fake kernel (fake_xnu.c), behind plain C
 * types: fake_xnu.c sees only the project's declarations of Apple's KPI
 * (as the glue does), which clash with libc's headers, so the two halves
 * live in separate files.
 */
#ifndef KB_FAKE_OS_H
#define KB_FAKE_OS_H

#include <stddef.h>
#include <stdint.h>

struct fos_mutex;

struct fos_mutex *fos_mutex_new(void);
void fos_mutex_free(struct fos_mutex *m);
void fos_mutex_lock(struct fos_mutex *m);
void fos_mutex_unlock(struct fos_mutex *m);
/*
 * msleep: m held (or NULL for a plain sleep), released while waiting.
 * timeout_ns 0 waits with no timeout, as msleep does for a zero timespec.
 * 1 on timeout, 0 when woken (any wakeup wakes every sleeper: spurious
 * wake-ups are allowed by the glue's contract).
 */
int fos_sleep(struct fos_mutex *m, uint64_t timeout_ns);
void fos_wakeup_all(void);

uint64_t fos_now_ns(void);
void fos_usleep(uint32_t us);
int fos_thread_start(void (*fn)(void *), void *arg);
__attribute__((noreturn)) void fos_thread_exit(void);
void *fos_alloc(size_t n);
void fos_free(void *p);
int fos_getpid(void);
__attribute__((noreturn)) void fos_fail(const char *what);
/* Fails the run if not disarmed within seconds (a hang is a failure). */
void fos_watchdog(unsigned seconds, const char *what);
uint32_t fos_random(void);
/* Glue log lines (printf) go nowhere unless KB_TEST_VERBOSE is set; say() to stderr. */
void fos_quiet_stdout(void);
void fos_say(const char *a, long n, const char *b);

/* The global lock the fake kernel keeps its own state under. */
void fos_big_lock(void);
void fos_big_unlock(void);
/* Waits on / wakes the big lock's condition (thread_call dispatchers). */
void fos_big_wait(uint64_t until_ns);
void fos_big_broadcast(void);

#endif
