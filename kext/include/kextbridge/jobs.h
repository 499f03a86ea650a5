/*
 * Commands that must not run on the engine's input path (they publish for
 * long, or wait in kb_upcall, whose answer arrives through that very path)
 * run as jobs: a fixed pool of slots the kext declares (no allocation),
 * each run on a worker thread from env->spawn, cancelled by the daemon's
 * CANCEL or by stop, and waited for in stop.
 *
 *   struct emit_job { struct kb_job job; uint32_t count; };   job first
 *   static struct emit_job slots[8];
 *   static struct kb_jobs pool;
 *   start:   KB_JOBS_INIT(&pool, env, slots);
 *   handler: struct emit_job *j = (struct emit_job *)kb_job_claim(&pool, e, arg, call);
 *            if (!j) return;                   answered RESOURCE_EXHAUSTED
 *            j->count = req->count;
 *            kb_job_start(&j->job, run);       run(&j->job) answers call
 *   cancel:  kb_jobs_cancel(&pool, token);
 *   stop:    kb_jobs_stop(&pool);
 */
#ifndef KEXTBRIDGE_JOBS_H
#define KEXTBRIDGE_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "kext.h"

struct kb_jobs;

struct kb_job {
	struct kb_jobs *pool;
	struct kb_engine *engine;
	void *arg;              /* the handler's arg */
	uint64_t token;         /* the call this job answers */
	void (*run)(struct kb_job *job);
	int state;              /* atomic: free, claimed */
	int cancelled;          /* atomic */
};

struct kb_jobs {
	struct kb_kext_env env; /* a copy: the one start gets lives only during start */
	unsigned char *slots;
	size_t stride;
	uint32_t n;
	int stopping;           /* atomic */
};

/* slots: n structs of stride bytes, each beginning with its struct kb_job. */
void kb_jobs_init(struct kb_jobs *pool, const struct kb_kext_env *env, void *slots, size_t stride,
		  uint32_t n);
#define KB_JOBS_INIT(pool, env, array) \
	kb_jobs_init((pool), (env), (array), sizeof((array)[0]), (uint32_t)(sizeof(array) / sizeof((array)[0])))

/* A free slot for this call, or NULL once the call is answered RESOURCE_EXHAUSTED
 * (all busy) or UNAVAILABLE (stopping). */
struct kb_job *kb_job_claim(struct kb_jobs *pool, struct kb_engine *e, void *arg,
			    const struct kb_call *call);
/* Runs run(job) on a worker thread; the slot is free again when run returns.
 * KB_R_OK, or the call is answered RESOURCE_EXHAUSTED and the slot freed. */
int kb_job_start(struct kb_job *job, void (*run)(struct kb_job *job));
/* Gives a claimed slot back without running it (the handler answered). */
void kb_job_release(struct kb_job *job);
/* The daemon cancelled the call, or the kext is stopping: finish soon. */
int kb_job_cancelled(const struct kb_job *job);
/* From the command's cancel hook. */
void kb_jobs_cancel(struct kb_jobs *pool, uint64_t token);
/* From the kext's stop: cancels every job and waits until all have returned. */
void kb_jobs_stop(struct kb_jobs *pool);

#endif
