/*
 * Job slots for commands that run on worker threads (kextbridge/jobs.h).
 * A slot is claimed with a compare-and-swap and freed when its run
 * returns; cancel and stop only raise flags the job reads.
 */
#include <kextbridge/jobs.h>

enum { JOB_FREE = 0, JOB_CLAIMED = 1 };

static struct kb_job *slot(struct kb_jobs *pool, uint32_t i)
{
	return (struct kb_job *)(void *)(pool->slots + (size_t)i * pool->stride);
}

void kb_jobs_init(struct kb_jobs *pool, const struct kb_kext_env *env, void *slots, size_t stride,
		  uint32_t n)
{
	uint32_t i;

	pool->env = *env;
	pool->slots = slots;
	pool->stride = stride;
	pool->n = n;
	__atomic_store_n(&pool->stopping, 0, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++) {
		slot(pool, i)->pool = pool;
		__atomic_store_n(&slot(pool, i)->state, JOB_FREE, __ATOMIC_RELEASE);
	}
}

struct kb_job *kb_job_claim(struct kb_jobs *pool, struct kb_engine *e, void *arg,
			    const struct kb_call *call)
{
	uint32_t i;

	if (__atomic_load_n(&pool->stopping, __ATOMIC_ACQUIRE)) {
		kb_respond_error(e, call->token, KB_UNAVAILABLE, "the kext is stopping");
		return 0;
	}
	for (i = 0; i < pool->n; i++) {
		struct kb_job *j = slot(pool, i);
		int expected = JOB_FREE;

		if (__atomic_compare_exchange_n(&j->state, &expected, JOB_CLAIMED, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&j->cancelled, 0, __ATOMIC_RELAXED);
			j->engine = e;
			j->arg = arg;
			j->token = call->token;
			j->run = 0;
			return j;
		}
	}
	kb_respond_error(e, call->token, KB_RESOURCE_EXHAUSTED, "all worker slots busy");
	return 0;
}

void kb_job_release(struct kb_job *job)
{
	__atomic_store_n(&job->state, JOB_FREE, __ATOMIC_RELEASE);
}

static void trampoline(void *p)
{
	struct kb_job *job = p;

	job->run(job);
	kb_job_release(job);
}

int kb_job_start(struct kb_job *job, void (*run)(struct kb_job *job))
{
	job->run = run;
	if (job->pool->env.spawn(trampoline, job) == 0)
		return KB_R_OK;
	kb_respond_error(job->engine, job->token, KB_RESOURCE_EXHAUSTED,
			 "could not start a worker thread");
	kb_job_release(job);
	return KB_R_BUSY;
}

int kb_job_cancelled(const struct kb_job *job)
{
	return __atomic_load_n(&job->cancelled, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&job->pool->stopping, __ATOMIC_ACQUIRE);
}

void kb_jobs_cancel(struct kb_jobs *pool, uint64_t token)
{
	uint32_t i;

	for (i = 0; i < pool->n; i++) {
		struct kb_job *j = slot(pool, i);

		if (__atomic_load_n(&j->state, __ATOMIC_ACQUIRE) == JOB_CLAIMED && j->token == token)
			__atomic_store_n(&j->cancelled, 1, __ATOMIC_RELEASE);
	}
}

void kb_jobs_stop(struct kb_jobs *pool)
{
	uint32_t i;
	int busy;

	__atomic_store_n(&pool->stopping, 1, __ATOMIC_RELEASE);
	do {
		busy = 0;
		for (i = 0; i < pool->n; i++)
			if (__atomic_load_n(&slot(pool, i)->state, __ATOMIC_ACQUIRE) == JOB_CLAIMED)
				busy = 1;
		if (busy)
			pool->env.sleep_ns(1000000);
	} while (busy);
}
