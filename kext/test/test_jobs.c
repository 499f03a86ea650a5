/*
 * kextbridge/jobs.h against the engine (fake platform, real pthreads): a
 * pool of two slots; a third call is refused with RESOURCE_EXHAUSTED, a
 * CANCEL reaches the job that runs the call, a freed slot takes the next
 * call, stop cancels what runs and returns only when every job has, and
 * after stop a call is refused with UNAVAILABLE.
 */
#include <string.h>

#include <kextbridge/jobs.h>
#include <kextbridge/wire.h>

#include "check.h"
#include "fake_platform.h"
#include "platform_posix.h"

struct work_job {
	struct kb_job job;
	uint32_t n;
};

static struct work_job slots[2];
static struct kb_jobs pool;
static int running;  /* atomic: jobs inside run */
static int finished; /* atomic: jobs that saw their cancel */

static void work(struct kb_job *job)
{
	__atomic_add_fetch(&running, 1, __ATOMIC_SEQ_CST);
	while (!kb_job_cancelled(job))
		kb_posix_sleep_ns(1000000);
	__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
	__atomic_sub_fetch(&running, 1, __ATOMIC_SEQ_CST);
}

static void cmd_work(struct kb_engine *e, void *arg, const struct kb_call *c)
{
	struct work_job *j = (struct work_job *)kb_job_claim(&pool, e, arg, c);

	if (!j)
		return;
	j->n = (uint32_t)c->req_len;
	kb_job_start(&j->job, work);
}

static void cmd_cancel(struct kb_engine *e, void *arg, uint64_t token)
{
	(void)e;
	(void)arg;
	kb_jobs_cancel(&pool, token);
}

static const struct kb_command_desc commands[] = { { 1, "work", 0, cmd_work, cmd_cancel } };
static const struct kb_catalog cat = { "org.kextbridge.jobs", "1", commands, 1, 0, 0, 0, 0, 0, 0, 0 };

/* The status of the response to request id, -1 if none yet. */
static int status_of(struct fake *f, uint32_t id)
{
	struct kb_frame fr;
	int i;

	for (i = fake_frame_count(f) - 1; i >= 0; i--)
		if (fake_frame(f, i, &fr) == 0 && fr.type == KB_RESPONSE && fr.id == id)
			return (int)fr.code;
	return -1;
}

static int wait_for(int *counter, int want)
{
	int i;

	for (i = 0; i < 2000 && __atomic_load_n(counter, __ATOMIC_SEQ_CST) != want; i++)
		kb_posix_sleep_ns(1000000);
	return __atomic_load_n(counter, __ATOMIC_SEQ_CST) == want;
}

int main(void)
{
	struct kb_kext_env env;
	struct fake f;

	kb_posix_kext_env(&env);
	if (fake_start(&f, &cat, 0, 1))
		return 1;
	fake_hello(&f, 0, 0);
	fake_clear(&f);
	KB_JOBS_INIT(&pool, &env, slots);

	fake_in(&f, KB_REQUEST, 0, 1, 1, 0, 0);
	fake_in(&f, KB_REQUEST, 0, 2, 1, 0, 0);
	CHECK(wait_for(&running, 2), "jobs: two calls run on two workers");
	fake_in(&f, KB_REQUEST, 0, 3, 1, 0, 0);
	CHECK(status_of(&f, 3) == KB_RESOURCE_EXHAUSTED, "jobs: a third call finds no slot: RESOURCE_EXHAUSTED");

	fake_in(&f, KB_CANCEL, 0, 1, 0, 0, 0);
	CHECK(status_of(&f, 1) == KB_CANCELLED && wait_for(&finished, 1) && wait_for(&running, 1),
	      "jobs: CANCEL reaches the job running that call, and only it");
	fake_in(&f, KB_REQUEST, 0, 4, 1, 0, 0);
	CHECK(wait_for(&running, 2), "jobs: the freed slot takes the next call");

	kb_jobs_stop(&pool);
	CHECK(__atomic_load_n(&running, __ATOMIC_SEQ_CST) == 0 &&
		      __atomic_load_n(&finished, __ATOMIC_SEQ_CST) == 3,
	      "jobs: stop cancels every job and returns once all have");
	fake_in(&f, KB_REQUEST, 0, 5, 1, 0, 0);
	CHECK(status_of(&f, 5) == KB_UNAVAILABLE, "jobs: after stop a call is refused: UNAVAILABLE");
	fake_stop(&f);
	return kb_checks_done();
}
