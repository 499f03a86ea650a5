/*
 * The example kext: the four patterns (commands, options, events, an
 * upcall). This file is its lifecycle and its descriptor, and the two
 * commands that answer at once on the input path (echo, stats);
 * example_jobs.c has the two that run on worker threads. Catalog, ids,
 * message structs and codecs: gen/example.pb.h, from its .proto.
 */
#include "example_internal.h"

static struct example ex;

/* Echo answers synchronously from the input path, which is serialized. */
static uint8_t echo_reply[example_EchoReply_MAX_SIZE];

void example_echo(struct kb_engine *e, void *arg, const struct kb_call *call,
		  const example_EchoRequest *req)
{
	example_EchoReply reply = { .data = req->data };

	(void)arg;
	example_echo_reply_buf(e, call->token, &reply, echo_reply, sizeof(echo_reply));
}

void example_stats(struct kb_engine *e, void *arg, const struct kb_call *call,
		   const example_StatsRequest *req)
{
	struct kb_engine_stats s;
	example_StatsReply r;

	/* A new engine counter must be added to StatsReply too. */
	_Static_assert(sizeof(struct kb_engine_stats) == 34 * sizeof(uint64_t),
		       "StatsReply names every member of struct kb_engine_stats");
	(void)arg;
	(void)req;
	kb_engine_get_stats(e, &s);
#define S(f) r.f = s.f
	S(datagrams_in); S(datagrams_out); S(frames_in); S(frames_out); S(bytes_in); S(bytes_out);
	S(malformed); S(connects); S(refused_connects); S(disconnects); S(requests);
	S(responses); S(cancels); S(cancels_unknown); S(unknown_commands); S(inflight_rejected);
	S(events_published); S(events_unwanted); S(events_lost); S(loss_frames); S(send_full);
	S(backlog_bytes); S(backlog_high_water); S(upcalls); S(upcalls_answered);
	S(upcalls_defaulted); S(upcall_replies_unknown); S(opt_gets); S(opt_sets);
	S(opt_rejected); S(reassembly_refused); S(unknown_topics); S(out_of_order); S(pings);
#undef S
	example_stats_reply(e, call->token, &r);
}

static const struct kb_catalog *catalog(void)
{
	return example_catalog(&ex);
}

static int start(struct kb_engine *e, const struct kb_kext_env *env)
{
	if (!e || !env || !env->spawn || !env->sleep_ns || !env->now_ns)
		return KB_R_INVAL;
	ex.engine = e;
	ex.env = *env;
	example_options.log_level = 2;
	example_options.max_event_rate = 0;
	ex.heartbeats = 0;
	ex.started_ns = env->now_ns();
	example_jobs_start(&ex);
	return KB_R_OK;
}

static void stop(void)
{
	example_jobs_stop(&ex);
}

/* A process was executed (kauth listener on macOS): publish it. */
static void exec_observed(uint32_t pid, uint32_t ppid, uint32_t uid, const char *path)
{
	example_publish_exec(&ex, pid, ppid, uid, path);
}

/* Once a second from the glue's timer. */
static void heartbeat(void)
{
	example_Heartbeat hb;
	uint8_t buf[32];

	if (!ex.engine || !kb_topic_wanted(ex.engine, EXAMPLE_TOPIC_HEARTBEAT))
		return;
	hb = (example_Heartbeat){ .count = ++ex.heartbeats,
				  .uptime_ns = ex.env.now_ns() - ex.started_ns };
	example_heartbeat_publish_buf(ex.engine, &hb, buf, sizeof(buf));
}

/* What the glue (kext/xnu, kextsim) knows of the example: nothing else. */
const struct kb_kext kb_example_kext = {
	"example",
	catalog,
	example_configure_upcall_timeout,
	start,
	stop,
	heartbeat,
	EXAMPLE_TOPIC_EXEC,
	exec_observed,
};
