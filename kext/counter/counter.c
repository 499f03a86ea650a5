/*
 * The counter kext. Its handlers answer at once and never block (they run
 * on the thread that delivered the daemon's datagram: in the kernel, the
 * daemon's send()), so it needs no worker threads; the tick adds the step
 * option once a second. All state is one int64, read and written with
 * atomics because add (input thread) and tick (timer) may run together.
 */
#include <kextbridge/pb.h>

#include "counter.h"

static struct {
	struct kb_engine *engine;
	int64_t value;          /* atomic */
	int64_t step;           /* written by the engine under its lock (option) */
} ctr;

static void publish_change(int64_t value, int64_t delta)
{
	struct kb_pb_writer w;
	uint8_t buf[32];
	size_t len;

	if (!kb_topic_wanted(ctr.engine, KB_CTR_TOPIC_CHANGES))
		return;
	kb_pb_writer_init(&w, buf, sizeof(buf));
	/* int64 fields are varints of the two's complement value. */
	if (value)
		kb_pb_put_varint(&w, 1, (uint64_t)value);
	if (delta)
		kb_pb_put_varint(&w, 2, (uint64_t)delta);
	if (kb_pb_finish(&w, &len) == KB_PB_OK)
		kb_publish(ctr.engine, KB_CTR_TOPIC_CHANGES, buf, len);
}

static void reply_value(struct kb_engine *e, uint64_t token, int64_t value)
{
	struct kb_pb_writer w;
	uint8_t buf[16];
	size_t len;

	kb_pb_writer_init(&w, buf, sizeof(buf));
	if (value)
		kb_pb_put_varint(&w, 1, (uint64_t)value);
	if (kb_pb_finish(&w, &len) != KB_PB_OK) {
		kb_respond_error(e, token, KB_INTERNAL, "reply buffer too small");
		return;
	}
	kb_respond(e, token, KB_OK, buf, len);
}

static void add(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int64_t delta = 0, value;
	int err;

	(void)arg;
	kb_pb_reader_init(&r, call->req, call->req_len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK)
		if (f.number == 1 && f.wire == KB_PB_VARINT)
			delta = (int64_t)f.value;
	if (err != KB_PB_END) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT,
				 "AddRequest is not a valid protobuf message");
		return;
	}
	if (delta > 1000000 || delta < -1000000) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT,
				 "delta must be -1000000..1000000");
		return;
	}
	value = __atomic_add_fetch(&ctr.value, delta, __ATOMIC_SEQ_CST);
	reply_value(e, call->token, value);
	publish_change(value, delta);
}

static void get(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	(void)arg;
	reply_value(e, call->token, __atomic_load_n(&ctr.value, __ATOMIC_SEQ_CST));
}

static const struct kb_command_desc commands[] = {
	{ KB_CTR_CMD_ADD, "add", 0, add, 0 },
	{ KB_CTR_CMD_GET, "get", 0, get, 0 },
};

static const struct kb_topic_desc topics[] = {
	{ KB_CTR_TOPIC_CHANGES, "changes", 0 },
};

static const struct kb_option_desc options[] = {
	{ KB_CTR_OPT_STEP, "step", KB_ENTRY_PRIVILEGED, KB_VALUE_INT64, 0, 1000, &ctr.step, 0, 0,
	  0 },
};

static const struct kb_catalog catalog = {
	KB_COUNTER_IDENTITY, KB_COUNTER_VERSION,
	commands, sizeof(commands) / sizeof(commands[0]),
	topics, sizeof(topics) / sizeof(topics[0]),
	options, sizeof(options) / sizeof(options[0]),
	0, 0,
	0,
};

static const struct kb_catalog *counter_catalog(void)
{
	return &catalog;
}

static int counter_start(struct kb_engine *e, const struct kb_kext_env *env)
{
	(void)env;
	if (!e)
		return KB_R_INVAL;
	ctr.engine = e;
	__atomic_store_n(&ctr.value, 0, __ATOMIC_SEQ_CST);
	ctr.step = 0;
	return KB_R_OK;
}

static void counter_stop(void)
{
	/* Nothing runs on its own: handlers return at once, no workers. */
}

static void counter_tick(void)
{
	int64_t step = kb_option_int(ctr.engine, KB_CTR_OPT_STEP), value;

	if (!step)
		return;
	value = __atomic_add_fetch(&ctr.value, step, __ATOMIC_SEQ_CST);
	publish_change(value, step);
}

const struct kb_kext kb_counter_kext = {
	"counter",
	counter_catalog,
	0,
	counter_start,
	counter_stop,
	counter_tick,
	0, /* no exec source: the glue never listens to kauth for it */
	0,
};
