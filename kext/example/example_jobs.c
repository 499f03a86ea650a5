/*
 * Commands that must not run on the engine's input path: emit publishes
 * for as long as it takes, simulate_exec blocks in an upcall whose answer
 * arrives through that very input path. Each runs on a worker thread from
 * a fixed pool of job slots (no allocation), and honours CANCEL.
 */
#include <kextbridge/jobs.h>

#include "example_internal.h"

#define KB_EX_MAX_JOBS   16
#define KB_EX_MAX_PATH   1024 /* with the NUL: SimulateExecRequest.path's bound + 1 */
#define KB_EX_MAX_EMIT   10000000u
#define KB_EX_CORK_BATCH 64u
/* Paced emits at or above this rate are batched too (64 events: at most
 * 6.4 ms held), and sleep only when at least KB_EX_MIN_SLEEP_NS ahead, so
 * a high offered rate costs a few wake-ups a millisecond, not one per event. */
#define KB_EX_BATCH_MIN_RATE 10000u
#define KB_EX_MIN_SLEEP_NS   1000000ull

_Static_assert(KB_EX_MAX_PATH > example_SimulateExecRequest_path_MAX_LEN,
	       "a job holds the longest path SimulateExecRequest admits, and its NUL");

struct job {
	struct kb_job job;      /* first: the pool's slot */
	/* emit */
	uint32_t topic, count, size, rate;
	/* simulate_exec */
	uint32_t pid, ppid, uid;
	uint32_t path_len;
	char path[KB_EX_MAX_PATH];
};

static struct job jobs[KB_EX_MAX_JOBS];
static struct kb_jobs pool;
static int emit_running; /* atomic; owns emit_event */
/* Static, not on the stack: kernel stacks are 16 KiB. */
static uint8_t emit_event[65536];

void example_jobs_start(struct example *ex)
{
	KB_JOBS_INIT(&pool, &ex->env, jobs);
}

void example_emit_cancel(struct kb_engine *e, void *arg, uint64_t token)
{
	(void)e;
	(void)arg;
	kb_jobs_cancel(&pool, token);
}

void example_simulate_exec_cancel(struct kb_engine *e, void *arg, uint64_t token)
{
	(void)e;
	(void)arg;
	kb_jobs_cancel(&pool, token);
}

void example_jobs_stop(struct example *ex)
{
	(void)ex;
	kb_jobs_stop(&pool);
}

static void emit_worker(struct kb_job *job)
{
	struct job *j = (struct job *)job;
	struct example *ex = job->arg;
	struct kb_engine *e = job->engine;
	static const char path[] = "/kextsim/emit";
	const example_ExecEvent ev = { .pid = 1, .ppid = 1,
				       .path = { (const uint8_t *)path, sizeof(path) - 1 } };
	example_EmitReply reply = { 0 };
	uint64_t start, cap_rate;
	size_t len;
	uint32_t i, rate = j->rate;
	int corked = 0, batched;

	/* Under the engine lock: OPT_SET writes it there. */
	cap_rate = (uint64_t)kb_option_int(e, EXAMPLE_OPT_MAX_EVENT_RATE);
	if (cap_rate && (rate == 0 || rate > cap_rate))
		rate = (uint32_t)cap_rate;
	len = example_encode_exec(emit_event, sizeof(emit_event), &ev, j->size);
	batched = !rate || rate >= KB_EX_BATCH_MIN_RATE;
	start = ex->env.now_ns();
	for (i = 0; i < j->count && !kb_job_cancelled(job); i++) {
		int r;

		if (batched && i % KB_EX_CORK_BATCH == 0) {
			if (corked)
				kb_uncork(e);
			kb_cork(e);
			corked = 1;
		}
		r = kb_publish(e, j->topic, emit_event, len);
		if (r == KB_R_OK)
			reply.emitted++;
		else if (r == KB_R_LOST)
			reply.lost++;
		else if (r == KB_R_UNWANTED)
			reply.unwanted++;
		else
			break; /* the daemon left: nobody to tell */
		if (rate) {
			uint64_t due = start + (uint64_t)(i + 1) * 1000000000ull / rate;
			uint64_t now = ex->env.now_ns();

			if (due > now + (batched ? KB_EX_MIN_SLEEP_NS : 0)) {
				/* What is published goes out before we sleep. */
				if (corked)
					kb_uncork(e);
				ex->env.sleep_ns(due - now);
				if (corked)
					kb_cork(e);
			}
		}
	}
	if (corked)
		kb_uncork(e);
	reply.cancelled = i < j->count;
	/* A cancelled call was already answered: this finds a stale token. */
	example_emit_reply(e, job->token, &reply);
	__atomic_store_n(&emit_running, 0, __ATOMIC_RELEASE);
}

void example_emit(struct kb_engine *e, void *arg, const struct kb_call *call,
		  const example_EmitRequest *req)
{
	struct job *j = (struct job *)kb_job_claim(&pool, e, arg, call);
	int expected = 0;
	uint32_t max_size;

	if (!j)
		return;
	j->topic = req->topic;
	j->count = req->count;
	j->size = req->size;
	j->rate = req->rate_per_sec;
	max_size = kb_max_event_size(e);
	if (max_size > sizeof(emit_event))
		max_size = sizeof(emit_event);
	if (j->topic != EXAMPLE_TOPIC_EXEC && j->topic != EXAMPLE_TOPIC_HEARTBEAT) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT,
				 "topic must be 1 (exec) or 2 (heartbeat)");
	} else if (j->count == 0 || j->count > KB_EX_MAX_EMIT) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT,
				 "count must be 1..10000000");
	} else if (j->size > max_size) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT,
				 "size exceeds the largest event one datagram holds "
				 "(see max datagram in Describe, less 32 bytes)");
	} else if (!__atomic_compare_exchange_n(&emit_running, &expected, 1, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
		kb_respond_error(e, call->token, KB_FAILED_PRECONDITION,
				 "an emit is already running; cancel it or wait");
	} else {
		if (kb_job_start(&j->job, emit_worker) != KB_R_OK)
			__atomic_store_n(&emit_running, 0, __ATOMIC_RELEASE);
		return; /* the worker owns j now, or it was answered and freed */
	}
	kb_job_release(&j->job);
}

static int32_t decider(int outcome)
{
	switch (outcome) {
	case KB_UPCALL_ANSWERED:
		return example_Decider_DECIDER_HANDLER;
	case KB_UPCALL_TIMEOUT:
		return example_Decider_DECIDER_DEFAULT_TIMEOUT;
	case KB_UPCALL_NO_DAEMON:
		return example_Decider_DECIDER_DEFAULT_NO_DAEMON;
	case KB_UPCALL_REFUSED:
		return example_Decider_DECIDER_DEFAULT_REFUSED;
	case KB_UPCALL_BUSY:
		return example_Decider_DECIDER_DEFAULT_BUSY;
	case KB_UPCALL_DISCONNECTED:
		return example_Decider_DECIDER_DEFAULT_DISCONNECTED;
	default:
		return example_Decider_DECIDER_DEFAULT_INVALID;
	}
}

static void simulate_exec_worker(struct kb_job *job)
{
	struct job *j = (struct job *)job;
	struct example *ex = job->arg;
	const example_ExecAuthorization q = {
		.pid = j->pid, .uid = j->uid, .path = { (const uint8_t *)j->path, j->path_len } };
	example_SimulateExecReply reply = { 0 };
	example_ExecVerdict verdict;
	int outcome;

	example_publish_exec(ex, j->pid, j->ppid, j->uid, j->path);
	/* The daemon's verdict, or the catalog's default (fail-open) that the engine applied. */
	outcome = example_authorize_exec_ask(ex->engine, &q, &verdict);
	reply.allowed = verdict.allow;
	reply.decided_by = decider(outcome);
	example_simulate_exec_reply(ex->engine, job->token, &reply);
}

void example_simulate_exec(struct kb_engine *e, void *arg, const struct kb_call *call,
			   const example_SimulateExecRequest *req)
{
	struct job *j = (struct job *)kb_job_claim(&pool, e, arg, call);

	if (!j)
		return;
	j->pid = req->pid;
	j->ppid = req->ppid;
	j->uid = req->uid;
	/* The request's bytes live only while this handler runs: the worker gets a copy. */
	__builtin_memcpy(j->path, req->path.data, req->path.len);
	j->path_len = (uint32_t)req->path.len;
	j->path[j->path_len] = 0;
	kb_job_start(&j->job, simulate_exec_worker);
}
