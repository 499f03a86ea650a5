/*
 * The example kext's catalog and its synchronous commands. Payloads are
 * protobuf (proto/example/v1/example.proto), read and written with the
 * engine's bounds-checked helpers so the daemon can serve a typed API.
 */
#include "example_internal.h"

struct kb_example kb_ex;

/* Echo answers synchronously from the input path, which is serialized. */
static uint8_t echo_reply[65536 + 16];

static void echo(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	struct kb_pb_writer w;
	const uint8_t *data = 0;
	size_t data_len = 0, len;
	int err;

	(void)arg;
	kb_pb_reader_init(&r, call->req, call->req_len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		if (f.number == 1 && f.wire == KB_PB_LEN) {
			data = f.data;
			data_len = f.len;
		}
	}
	if (err != KB_PB_END) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT,
				 "EchoRequest is not a valid protobuf message");
		return;
	}
	kb_pb_writer_init(&w, echo_reply, sizeof(echo_reply));
	if (data_len)
		kb_pb_put_bytes(&w, 1, data, data_len);
	if (kb_pb_finish(&w, &len) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_RESOURCE_EXHAUSTED, "echo data too large");
		return;
	}
	kb_respond(e, call->token, KB_OK, echo_reply, len);
}

static void stats(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	struct kb_engine_stats s;
	struct kb_pb_writer w;
	uint8_t buf[512];
	size_t len;
	const uint64_t *v = &s.datagrams_in;
	uint32_t i, n = (uint32_t)(sizeof(s) / sizeof(uint64_t));

	/* A new counter must be added to StatsReply too, at the same position. */
	_Static_assert(sizeof(struct kb_engine_stats) == 34 * sizeof(uint64_t),
		       "StatsReply mirrors struct kb_engine_stats field by field");
	(void)arg;
	kb_engine_get_stats(e, &s);
	kb_pb_writer_init(&w, buf, sizeof(buf));
	/* StatsReply lists the counters in struct order, from field 1. */
	for (i = 0; i < n; i++)
		if (v[i])
			kb_pb_put_varint(&w, i + 1, v[i]);
	if (kb_pb_finish(&w, &len) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INTERNAL, "stats buffer too small");
		return;
	}
	kb_respond(e, call->token, KB_OK, buf, len);
}

static const struct kb_command_desc commands[] = {
	{ KB_EX_CMD_ECHO, "echo", 0, echo, 0 },
	{ KB_EX_CMD_STATS, "stats", 0, stats, 0 },
	{ KB_EX_CMD_EMIT, "emit", KB_ENTRY_PRIVILEGED, kb_ex_emit, kb_ex_cancel },
	{ KB_EX_CMD_SIMULATE_EXEC, "simulate_exec", KB_ENTRY_PRIVILEGED, kb_ex_simulate_exec,
	  kb_ex_cancel },
};

static const struct kb_topic_desc topics[] = {
	{ KB_EX_TOPIC_EXEC, "exec", KB_ENTRY_PRIVILEGED },
	{ KB_EX_TOPIC_HEARTBEAT, "heartbeat", 0 },
};

static const struct kb_option_desc options[] = {
	{ KB_EX_OPT_LOG_LEVEL, "log_level", KB_ENTRY_PRIVILEGED, KB_VALUE_INT64, 0, 4,
	  &kb_ex.log_level, 0, 0, 0 },
	{ KB_EX_OPT_MAX_EVENT_RATE, "max_event_rate", KB_ENTRY_PRIVILEGED, KB_VALUE_INT64, 0,
	  10000000, &kb_ex.max_event_rate, 0, 0, 0 },
};

static struct kb_upcall_desc upcalls[] = {
	{ KB_EX_UPCALL_AUTHORIZE_EXEC, "authorize_exec", KB_ENTRY_PRIVILEGED,
	  KB_EXAMPLE_UPCALL_TIMEOUT_MS, KB_EX_VERDICT_ALLOW },
};

static const struct kb_catalog catalog = {
	KB_EXAMPLE_IDENTITY, KB_EXAMPLE_VERSION,
	commands, sizeof(commands) / sizeof(commands[0]),
	topics, sizeof(topics) / sizeof(topics[0]),
	options, sizeof(options) / sizeof(options[0]),
	upcalls, sizeof(upcalls) / sizeof(upcalls[0]),
	&kb_ex,
};

void kb_example_configure(uint32_t upcall_timeout_ms)
{
	upcalls[0].timeout_ms = upcall_timeout_ms;
}

const struct kb_catalog *kb_example_catalog(void)
{
	return &catalog;
}

int kb_example_init(struct kb_engine *e, const struct kb_kext_env *env)
{
	if (!e || !env || !env->spawn || !env->sleep_ns || !env->now_ns)
		return KB_R_INVAL;
	kb_ex.engine = e;
	kb_ex.env = *env;
	kb_ex.log_level = 2;
	kb_ex.max_event_rate = 0;
	kb_ex.heartbeats = 0;
	__atomic_store_n(&kb_ex.stopping, 0, __ATOMIC_RELEASE);
	kb_ex.started_ns = env->now_ns();
	return KB_R_OK;
}

void kb_example_shutdown(void)
{
	__atomic_store_n(&kb_ex.stopping, 1, __ATOMIC_RELEASE);
	kb_ex_jobs_shutdown();
}

void kb_example_exec_observed(uint32_t pid, uint32_t ppid, uint32_t uid, const char *path)
{
	uint8_t buf[1100];
	size_t len, path_len = 0;

	if (!kb_ex.engine || !kb_topic_wanted(kb_ex.engine, KB_EX_TOPIC_EXEC))
		return;
	while (path && path[path_len] && path_len < 1024)
		path_len++;
	len = kb_ex_encode_exec(buf, sizeof(buf), pid, ppid, uid, path, path_len, 0);
	if (len)
		kb_publish(kb_ex.engine, KB_EX_TOPIC_EXEC, buf, len);
}

void kb_example_heartbeat(void)
{
	struct kb_pb_writer w;
	uint8_t buf[32];
	size_t len;

	if (!kb_ex.engine || !kb_topic_wanted(kb_ex.engine, KB_EX_TOPIC_HEARTBEAT))
		return;
	kb_pb_writer_init(&w, buf, sizeof(buf));
	kb_pb_put_varint(&w, 1, ++kb_ex.heartbeats);
	kb_pb_put_varint(&w, 2, kb_ex.env.now_ns() - kb_ex.started_ns);
	if (kb_pb_finish(&w, &len) == KB_PB_OK)
		kb_publish(kb_ex.engine, KB_EX_TOPIC_HEARTBEAT, buf, len);
}
