/*
 * Commands that must not run on the engine's input path: emit publishes
 * for as long as it takes, simulate_exec blocks in an upcall whose answer
 * arrives through that very input path. Each runs on a worker thread from
 * a fixed pool of job slots (no allocation), and honours CANCEL.
 */
#include "example_internal.h"

#define KB_EX_MAX_JOBS   16
#define KB_EX_MAX_PATH   1024
#define KB_EX_MAX_EMIT   10000000u
#define KB_EX_CORK_BATCH 64u
/* Paced emits at or above this rate are batched too (64 events: at most
 * 6.4 ms held), and sleep only when at least KB_EX_MIN_SLEEP_NS ahead, so
 * a high offered rate costs a few wake-ups a millisecond, not one per event. */
#define KB_EX_BATCH_MIN_RATE 10000u
#define KB_EX_MIN_SLEEP_NS   1000000ull

enum { JOB_FREE = 0, JOB_CLAIMED = 1 };

struct job {
	int state;              /* atomic: JOB_FREE / JOB_CLAIMED */
	int cancelled;          /* atomic */
	uint32_t command;
	uint64_t token;
	/* emit */
	uint32_t topic, count, size, rate;
	/* simulate_exec */
	uint32_t pid, ppid, uid;
	uint32_t path_len;
	char path[KB_EX_MAX_PATH];
};

static struct job jobs[KB_EX_MAX_JOBS];
static int emit_running; /* atomic; owns emit_event */
/* Static, not on the stack: kernel stacks are 16 KiB. */
static uint8_t emit_event[65536];

static struct job *claim(void)
{
	int i;

	for (i = 0; i < KB_EX_MAX_JOBS; i++) {
		int expected = JOB_FREE;

		if (__atomic_compare_exchange_n(&jobs[i].state, &expected, JOB_CLAIMED, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&jobs[i].cancelled, 0, __ATOMIC_RELAXED);
			return &jobs[i];
		}
	}
	return 0;
}

/* A job slot for this call, or the caller is told all are busy. */
static struct job *claim_for(struct kb_engine *e, const struct kb_call *call)
{
	struct job *j = claim();

	if (!j) {
		kb_respond_error(e, call->token, KB_RESOURCE_EXHAUSTED, "all worker slots busy");
		return 0;
	}
	j->token = call->token;
	return j;
}

static void release(struct job *j)
{
	__atomic_store_n(&j->state, JOB_FREE, __ATOMIC_RELEASE);
}

static int cancelled(struct job *j)
{
	return __atomic_load_n(&j->cancelled, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&kb_ex.stopping, __ATOMIC_ACQUIRE);
}

void kb_ex_cancel(struct kb_engine *e, void *arg, uint64_t token)
{
	int i;

	(void)e;
	(void)arg;
	for (i = 0; i < KB_EX_MAX_JOBS; i++)
		if (__atomic_load_n(&jobs[i].state, __ATOMIC_ACQUIRE) == JOB_CLAIMED &&
		    jobs[i].token == token)
			__atomic_store_n(&jobs[i].cancelled, 1, __ATOMIC_RELEASE);
}

void kb_ex_jobs_shutdown(void)
{
	int i, busy;

	do {
		busy = 0;
		for (i = 0; i < KB_EX_MAX_JOBS; i++) {
			if (__atomic_load_n(&jobs[i].state, __ATOMIC_ACQUIRE) == JOB_CLAIMED) {
				__atomic_store_n(&jobs[i].cancelled, 1, __ATOMIC_RELEASE);
				busy = 1;
			}
		}
		if (busy)
			kb_ex.env.sleep_ns(1000000);
	} while (busy);
}

static void emit_worker(void *arg)
{
	struct job *j = arg;
	struct kb_engine *e = kb_ex.engine;
	static const char path[] = "/kextsim/emit";
	uint64_t emitted = 0, lost = 0, unwanted = 0, start, cap_rate;
	uint8_t reply[48];
	struct kb_pb_writer w;
	size_t len, reply_len;
	uint32_t i, rate = j->rate;
	int corked = 0, batched;

	/* Under the engine lock: OPT_SET writes it there. */
	cap_rate = (uint64_t)kb_option_int(e, KB_EX_OPT_MAX_EVENT_RATE);
	if (cap_rate && (rate == 0 || rate > cap_rate))
		rate = (uint32_t)cap_rate;
	len = kb_ex_encode_exec(emit_event, sizeof(emit_event), 1, 1, 0, path, sizeof(path) - 1, j->size);
	batched = !rate || rate >= KB_EX_BATCH_MIN_RATE;
	start = kb_ex.env.now_ns();
	for (i = 0; i < j->count && !cancelled(j); i++) {
		int r;

		if (batched && i % KB_EX_CORK_BATCH == 0) {
			if (corked)
				kb_uncork(e);
			kb_cork(e);
			corked = 1;
		}
		r = kb_publish(e, j->topic, emit_event, len);
		if (r == KB_R_OK)
			emitted++;
		else if (r == KB_R_LOST)
			lost++;
		else if (r == KB_R_UNWANTED)
			unwanted++;
		else
			break; /* the daemon left: nobody to tell */
		if (rate) {
			uint64_t due = start + (uint64_t)(i + 1) * 1000000000ull / rate;
			uint64_t now = kb_ex.env.now_ns();

			if (due > now + (batched ? KB_EX_MIN_SLEEP_NS : 0)) {
				/* What is published goes out before we sleep. */
				if (corked)
					kb_uncork(e);
				kb_ex.env.sleep_ns(due - now);
				if (corked)
					kb_cork(e);
			}
		}
	}
	if (corked)
		kb_uncork(e);
	kb_pb_writer_init(&w, reply, sizeof(reply));
	kb_pb_put_varint(&w, 1, emitted);
	kb_pb_put_varint(&w, 2, lost);
	kb_pb_put_varint(&w, 3, unwanted);
	if (i < j->count)
		kb_pb_put_bool(&w, 4, 1);
	kb_pb_finish(&w, &reply_len);
	/* A cancelled call was already answered: this finds a stale token. */
	kb_respond(e, j->token, KB_OK, reply, reply_len);
	__atomic_store_n(&emit_running, 0, __ATOMIC_RELEASE);
	release(j);
}

static int decode_emit(struct job *j, const struct kb_call *call)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	j->topic = j->count = j->size = j->rate = 0;
	kb_pb_reader_init(&r, call->req, call->req_len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		if (f.wire != KB_PB_VARINT)
			continue;
		if (f.value > 0xffffffffu)
			return KB_PB_MALFORMED;
		if (f.number == 1)
			j->topic = (uint32_t)f.value;
		else if (f.number == 2)
			j->count = (uint32_t)f.value;
		else if (f.number == 3)
			j->size = (uint32_t)f.value;
		else if (f.number == 4)
			j->rate = (uint32_t)f.value;
	}
	return err == KB_PB_END ? KB_PB_OK : err;
}

void kb_ex_emit(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	struct job *j;
	int expected = 0;
	uint32_t max_size;

	(void)arg;
	j = claim_for(e, call);
	if (!j)
		return;
	if (decode_emit(j, call) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT,
				 "EmitRequest is not a valid protobuf message");
		release(j);
		return;
	}
	max_size = kb_max_event_size(e);
	if (max_size > sizeof(emit_event))
		max_size = sizeof(emit_event);
	if (j->topic != KB_EX_TOPIC_EXEC && j->topic != KB_EX_TOPIC_HEARTBEAT) {
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
	} else if (kb_ex.env.spawn(emit_worker, j) != 0) {
		__atomic_store_n(&emit_running, 0, __ATOMIC_RELEASE);
		kb_respond_error(e, call->token, KB_RESOURCE_EXHAUSTED,
				 "could not start a worker thread");
	} else {
		return; /* the worker owns j now */
	}
	release(j);
}

static uint32_t decider(int outcome)
{
	switch (outcome) {
	case KB_UPCALL_ANSWERED:
		return 1;
	case KB_UPCALL_TIMEOUT:
		return 2;
	case KB_UPCALL_NO_DAEMON:
		return 3;
	case KB_UPCALL_REFUSED:
		return 4;
	case KB_UPCALL_BUSY:
		return 5;
	case KB_UPCALL_DISCONNECTED:
		return 7;
	default:
		return 6;
	}
}

/* ExecVerdict{allow}; -1 when it does not decode. */
static int decode_verdict(const uint8_t *p, size_t len)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int allow = 0, err;

	kb_pb_reader_init(&r, p, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK)
		if (f.number == 1 && f.wire == KB_PB_VARINT)
			allow = f.value != 0;
	return err == KB_PB_END ? allow : -1;
}

static void simulate_exec_worker(void *arg)
{
	struct job *j = arg;
	struct kb_engine *e = kb_ex.engine;
	uint8_t question[KB_EX_MAX_PATH + 32], answer[64], reply[16];
	size_t qlen = 0, alen = 0, rlen;
	struct kb_pb_writer w;
	int outcome, allowed;

	kb_example_exec_observed(j->pid, j->ppid, j->uid, j->path);
	kb_pb_writer_init(&w, question, sizeof(question));
	kb_pb_put_varint(&w, 1, j->pid);
	kb_pb_put_varint(&w, 2, j->uid);
	kb_pb_put_bytes(&w, 3, j->path, j->path_len);
	kb_pb_finish(&w, &qlen);
	outcome = kb_upcall(e, KB_EX_UPCALL_AUTHORIZE_EXEC, question, qlen, answer, sizeof(answer),
			    &alen);
	allowed = KB_EX_VERDICT_ALLOW == 0; /* the default: fail open */
	if (outcome == KB_UPCALL_ANSWERED) {
		int v = decode_verdict(answer, alen);

		if (v < 0)
			outcome = KB_UPCALL_INVALID;
		else
			allowed = v;
	}
	kb_pb_writer_init(&w, reply, sizeof(reply));
	if (allowed) /* proto3 leaves false out */
		kb_pb_put_bool(&w, 1, 1);
	kb_pb_put_varint(&w, 2, decider(outcome));
	kb_pb_finish(&w, &rlen);
	kb_respond(e, j->token, KB_OK, reply, rlen);
	release(j);
}

void kb_ex_simulate_exec(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	struct job *j;
	int err;

	(void)arg;
	j = claim_for(e, call);
	if (!j)
		return;
	j->pid = j->ppid = j->uid = 0;
	j->path_len = 0;
	kb_pb_reader_init(&r, call->req, call->req_len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		if (f.wire == KB_PB_VARINT && f.value <= 0xffffffffu) {
			if (f.number == 1)
				j->pid = (uint32_t)f.value;
			else if (f.number == 2)
				j->ppid = (uint32_t)f.value;
			else if (f.number == 3)
				j->uid = (uint32_t)f.value;
		} else if (f.number == 4 && f.wire == KB_PB_LEN) {
			if (f.len >= KB_EX_MAX_PATH) {
				err = KB_PB_OVERFLOW;
				break;
			}
			__builtin_memcpy(j->path, f.data, f.len);
			j->path_len = (uint32_t)f.len;
		}
	}
	j->path[j->path_len] = 0;
	if (err != KB_PB_END) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT,
				 err == KB_PB_OVERFLOW ? "path longer than 1023 bytes"
						       : "SimulateExecRequest is not a valid "
							 "protobuf message");
		release(j);
		return;
	}
	if (kb_ex.env.spawn(simulate_exec_worker, j) != 0) {
		kb_respond_error(e, call->token, KB_RESOURCE_EXHAUSTED,
				 "could not start a worker thread");
		release(j);
	}
}
