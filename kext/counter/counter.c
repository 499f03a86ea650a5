/*
 * The counter kext: a second, small user of the framework beside the
 * example. Its catalog, message structs and codecs are generated from
 * proto/counter/v1/counter.proto (gen/counter.pb.h); this file is the
 * behaviour. Its handlers answer at once and never block (they run on the
 * thread that delivered the daemon's datagram: in the kernel, the daemon's
 * send()), so it needs no worker threads; the tick adds the step option
 * once a second. The value is read and written with atomics because add
 * (input thread) and tick (timer) may run together.
 */
#include <kextbridge/kext.h>

#include "gen/counter.pb.h"

#define COUNTER_MAX_DELTA 1000000

struct counter {
	struct kb_engine *engine;
	int64_t value;          /* atomic */
};

static struct counter ctr;

static void publish_change(struct counter *c, int64_t value, int64_t delta)
{
	counter_CounterChange change = { value, delta };

	if (kb_topic_wanted(c->engine, COUNTER_TOPIC_CHANGES))
		counter_changes_publish(c->engine, &change);
}

void counter_add(struct kb_engine *e, void *arg, const struct kb_call *call,
		 const counter_AddRequest *req)
{
	struct counter *c = arg;
	counter_CounterValue reply;

	if (req->delta > COUNTER_MAX_DELTA || req->delta < -COUNTER_MAX_DELTA) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT,
				 "delta must be -1000000..1000000");
		return;
	}
	reply.value = __atomic_add_fetch(&c->value, req->delta, __ATOMIC_SEQ_CST);
	counter_add_reply(e, call->token, &reply);
	publish_change(c, reply.value, req->delta);
}

void counter_get(struct kb_engine *e, void *arg, const struct kb_call *call,
		 const counter_GetRequest *req)
{
	struct counter *c = arg;
	counter_CounterValue reply = { __atomic_load_n(&c->value, __ATOMIC_SEQ_CST) };

	(void)req;
	counter_get_reply(e, call->token, &reply);
}

static const struct kb_catalog *catalog(void)
{
	return counter_catalog(&ctr);
}

static int start(struct kb_engine *e, const struct kb_kext_env *env)
{
	(void)env;
	if (!e)
		return KB_R_INVAL;
	ctr.engine = e;
	__atomic_store_n(&ctr.value, 0, __ATOMIC_SEQ_CST);
	counter_options.step = 0;
	return KB_R_OK;
}

static void stop(void)
{
	/* Nothing runs on its own: handlers return at once, no workers. */
}

static void tick(void)
{
	int64_t step = kb_option_int(ctr.engine, COUNTER_OPT_STEP), value;

	if (!step)
		return;
	value = __atomic_add_fetch(&ctr.value, step, __ATOMIC_SEQ_CST);
	publish_change(&ctr, value, step);
}

const struct kb_kext kb_counter_kext = {
	"counter",
	catalog,
	counter_configure_upcall_timeout,
	start,
	stop,
	tick,
	0, /* no exec source: the glue never listens to kauth for it */
	0,
};
