/*
 * What a kext author fills in: one descriptor per kext, consumed alike by
 * the XNU glue (kext/xnu, one kext per build: KB_XNU_KEXT names it) and by
 * kextsim (kext/sim, any linked kext: --kext NAME). The engine, the
 * kernel control, the timers, worker threads and unload safety are the
 * glue's; the kext brings its catalog and its handlers.
 *
 * docs/kext-authors.md: what each hook may do, and what must never block.
 */
#ifndef KEXTBRIDGE_KEXT_H
#define KEXTBRIDGE_KEXT_H

#include <stdint.h>

#include "engine.h"

/* A mutex of the platform's (pthread on POSIX, lck_mtx in the kernel). */
struct kb_mutex;

/* What the glue offers a kext beyond the engine. */
struct kb_kext_env {
	/* Run fn(arg) on a new thread; 0 on success. Stop waits for it. */
	int (*spawn)(void (*fn)(void *), void *arg);
	void (*sleep_ns)(uint64_t ns);
	uint64_t (*now_ns)(void);
	/*
	 * A lock for the kext's own state, which handlers (the input thread),
	 * workers and tick share. Made in start (NULL: out of memory, fail
	 * start), freed in stop. Hold it briefly: never across kb_upcall,
	 * sleep_ns or anything else that waits; kb_respond, kb_publish and
	 * kb_option_int are fine under it (they take only the engine's lock).
	 */
	struct kb_mutex *(*mutex_new)(void);
	void (*mutex_free)(struct kb_mutex *m);
	void (*lock)(struct kb_mutex *m);
	void (*unlock)(struct kb_mutex *m);
};

struct kb_kext {
	/* Short name: kextsim --kext NAME. */
	const char *name;
	/* Identity (reverse DNS, also the kernel control's name), version,
	 * commands, topics, options, upcalls. Stable for the kext's life. */
	const struct kb_catalog *(*catalog)(void);
	/* Optional, before catalog(): the upcall timeout to announce (kextsim
	 * --upcall-timeout-ms; tests shorten it). */
	void (*configure_upcall_timeout)(uint32_t ms);
	/* After kb_engine_init, before any client can connect. KB_R_OK or start fails. */
	int (*start)(struct kb_engine *e, const struct kb_kext_env *env);
	/* Before the engine is freed: stop what start began and wait for it
	 * (jobs answer or are cancelled). No daemon is connected any more. */
	void (*stop)(void);
	/* Optional: once a second from the glue's timer (never blocks). */
	void (*tick)(void);
	/*
	 * Optional event source the glue provides: process executions (a
	 * kauth file-op listener on macOS, which costs every file operation on
	 * the system, so it exists only while exec_topic is wanted; synthetic
	 * in kextsim). 0 / NULL: the kext has none.
	 */
	uint32_t exec_topic;
	void (*exec_observed)(uint32_t pid, uint32_t ppid, uint32_t uid, const char *path);
};

#endif
