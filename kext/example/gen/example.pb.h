/* Generated from proto/example/v1/example.proto by kextbridge's kext generator: do not edit.
 * `npm run gen:kext` (or the build) writes it again; docs/kext-authors.md. */
#ifndef KB_GEN_EXAMPLE_PB_H
#define KB_GEN_EXAMPLE_PB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kextbridge/engine.h>
#include <kextbridge/pb.h>

#define EXAMPLE_IDENTITY "org.kextbridge.example"
#define EXAMPLE_VERSION  "0.1.0"

/* Catalog ids, as the .proto binds them. */
#define EXAMPLE_CMD_ECHO 1u
#define EXAMPLE_CMD_STATS 2u
#define EXAMPLE_CMD_EMIT 3u
#define EXAMPLE_CMD_SIMULATE_EXEC 4u
#define EXAMPLE_TOPIC_EXEC 1u
#define EXAMPLE_TOPIC_HEARTBEAT 2u
#define EXAMPLE_UPCALL_AUTHORIZE_EXEC 1u
#define EXAMPLE_OPT_LOG_LEVEL 1u
#define EXAMPLE_OPT_MAX_EVENT_RATE 2u

enum example_Decider {
	example_Decider_DECIDER_UNSPECIFIED = 0,
	example_Decider_DECIDER_HANDLER = 1,
	example_Decider_DECIDER_DEFAULT_TIMEOUT = 2,
	example_Decider_DECIDER_DEFAULT_NO_DAEMON = 3,
	example_Decider_DECIDER_DEFAULT_REFUSED = 4,
	example_Decider_DECIDER_DEFAULT_BUSY = 5,
	example_Decider_DECIDER_DEFAULT_INVALID = 6,
	example_Decider_DECIDER_DEFAULT_DISCONNECTED = 7,
};

/* EchoRequest */
typedef struct example_EchoRequest {
	struct kb_pb_bytes data; /* at most 65536 bytes */
} example_EchoRequest;
#define example_EchoRequest_MAX_SIZE 65540u
#define example_EchoRequest_data_tag 1u
#define example_EchoRequest_data_MAX_LEN 65536u
int example_EchoRequest_decode(const void *buf, size_t len, example_EchoRequest *out, const char **why);
int example_EchoRequest_encode(const example_EchoRequest *m, void *buf, size_t cap, size_t *len);

/* EchoReply */
typedef struct example_EchoReply {
	struct kb_pb_bytes data; /* at most 65536 bytes */
} example_EchoReply;
#define example_EchoReply_MAX_SIZE 65540u
#define example_EchoReply_data_tag 1u
#define example_EchoReply_data_MAX_LEN 65536u
int example_EchoReply_decode(const void *buf, size_t len, example_EchoReply *out, const char **why);
int example_EchoReply_encode(const example_EchoReply *m, void *buf, size_t cap, size_t *len);

/* StatsRequest */
typedef struct example_StatsRequest {
	uint8_t unused_; /* C has no empty structs */
} example_StatsRequest;
#define example_StatsRequest_MAX_SIZE 0u
int example_StatsRequest_decode(const void *buf, size_t len, example_StatsRequest *out, const char **why);
int example_StatsRequest_encode(const example_StatsRequest *m, void *buf, size_t cap, size_t *len);

/* StatsReply */
typedef struct example_StatsReply {
	uint64_t datagrams_in;
	uint64_t datagrams_out;
	uint64_t frames_in;
	uint64_t frames_out;
	uint64_t bytes_in;
	uint64_t bytes_out;
	uint64_t malformed;
	uint64_t connects;
	uint64_t refused_connects;
	uint64_t disconnects;
	uint64_t requests;
	uint64_t responses;
	uint64_t cancels;
	uint64_t cancels_unknown;
	uint64_t unknown_commands;
	uint64_t inflight_rejected;
	uint64_t events_published;
	uint64_t events_unwanted;
	uint64_t events_lost;
	uint64_t loss_frames;
	uint64_t send_full;
	uint64_t backlog_bytes;
	uint64_t backlog_high_water;
	uint64_t upcalls;
	uint64_t upcalls_answered;
	uint64_t upcalls_defaulted;
	uint64_t upcall_replies_unknown;
	uint64_t opt_gets;
	uint64_t opt_sets;
	uint64_t opt_rejected;
	uint64_t reassembly_refused;
	uint64_t unknown_topics;
	uint64_t out_of_order;
	uint64_t pings;
} example_StatsReply;
#define example_StatsReply_MAX_SIZE 393u
#define example_StatsReply_datagrams_in_tag 1u
#define example_StatsReply_datagrams_out_tag 2u
#define example_StatsReply_frames_in_tag 3u
#define example_StatsReply_frames_out_tag 4u
#define example_StatsReply_bytes_in_tag 5u
#define example_StatsReply_bytes_out_tag 6u
#define example_StatsReply_malformed_tag 7u
#define example_StatsReply_connects_tag 8u
#define example_StatsReply_refused_connects_tag 9u
#define example_StatsReply_disconnects_tag 10u
#define example_StatsReply_requests_tag 11u
#define example_StatsReply_responses_tag 12u
#define example_StatsReply_cancels_tag 13u
#define example_StatsReply_cancels_unknown_tag 14u
#define example_StatsReply_unknown_commands_tag 15u
#define example_StatsReply_inflight_rejected_tag 16u
#define example_StatsReply_events_published_tag 17u
#define example_StatsReply_events_unwanted_tag 18u
#define example_StatsReply_events_lost_tag 19u
#define example_StatsReply_loss_frames_tag 20u
#define example_StatsReply_send_full_tag 21u
#define example_StatsReply_backlog_bytes_tag 22u
#define example_StatsReply_backlog_high_water_tag 23u
#define example_StatsReply_upcalls_tag 24u
#define example_StatsReply_upcalls_answered_tag 25u
#define example_StatsReply_upcalls_defaulted_tag 26u
#define example_StatsReply_upcall_replies_unknown_tag 27u
#define example_StatsReply_opt_gets_tag 28u
#define example_StatsReply_opt_sets_tag 29u
#define example_StatsReply_opt_rejected_tag 30u
#define example_StatsReply_reassembly_refused_tag 31u
#define example_StatsReply_unknown_topics_tag 32u
#define example_StatsReply_out_of_order_tag 33u
#define example_StatsReply_pings_tag 34u
int example_StatsReply_decode(const void *buf, size_t len, example_StatsReply *out, const char **why);
int example_StatsReply_encode(const example_StatsReply *m, void *buf, size_t cap, size_t *len);

/* EmitRequest */
typedef struct example_EmitRequest {
	uint32_t topic;
	uint32_t count;
	uint32_t size;
	uint32_t rate_per_sec;
} example_EmitRequest;
#define example_EmitRequest_MAX_SIZE 24u
#define example_EmitRequest_topic_tag 1u
#define example_EmitRequest_count_tag 2u
#define example_EmitRequest_size_tag 3u
#define example_EmitRequest_rate_per_sec_tag 4u
int example_EmitRequest_decode(const void *buf, size_t len, example_EmitRequest *out, const char **why);
int example_EmitRequest_encode(const example_EmitRequest *m, void *buf, size_t cap, size_t *len);

/* EmitReply */
typedef struct example_EmitReply {
	uint64_t emitted;
	uint64_t lost;
	uint64_t unwanted;
	bool cancelled;
} example_EmitReply;
#define example_EmitReply_MAX_SIZE 35u
#define example_EmitReply_emitted_tag 1u
#define example_EmitReply_lost_tag 2u
#define example_EmitReply_unwanted_tag 3u
#define example_EmitReply_cancelled_tag 4u
int example_EmitReply_decode(const void *buf, size_t len, example_EmitReply *out, const char **why);
int example_EmitReply_encode(const example_EmitReply *m, void *buf, size_t cap, size_t *len);

/* SimulateExecRequest */
typedef struct example_SimulateExecRequest {
	uint32_t pid;
	uint32_t ppid;
	uint32_t uid;
	struct kb_pb_bytes path; /* at most 1023 bytes */
} example_SimulateExecRequest;
#define example_SimulateExecRequest_MAX_SIZE 1044u
#define example_SimulateExecRequest_pid_tag 1u
#define example_SimulateExecRequest_ppid_tag 2u
#define example_SimulateExecRequest_uid_tag 3u
#define example_SimulateExecRequest_path_tag 4u
#define example_SimulateExecRequest_path_MAX_LEN 1023u
int example_SimulateExecRequest_decode(const void *buf, size_t len, example_SimulateExecRequest *out, const char **why);
int example_SimulateExecRequest_encode(const example_SimulateExecRequest *m, void *buf, size_t cap, size_t *len);

/* SimulateExecReply */
typedef struct example_SimulateExecReply {
	bool allowed;
	int32_t decided_by;
} example_SimulateExecReply;
#define example_SimulateExecReply_MAX_SIZE 13u
#define example_SimulateExecReply_allowed_tag 1u
#define example_SimulateExecReply_decided_by_tag 2u
int example_SimulateExecReply_decode(const void *buf, size_t len, example_SimulateExecReply *out, const char **why);
int example_SimulateExecReply_encode(const example_SimulateExecReply *m, void *buf, size_t cap, size_t *len);

/* ExecEvent */
typedef struct example_ExecEvent {
	uint32_t pid;
	uint32_t ppid;
	uint32_t uid;
	struct kb_pb_bytes path; /* at most 1024 bytes */
	struct kb_pb_bytes padding; /* at most 65536 bytes */
} example_ExecEvent;
#define example_ExecEvent_MAX_SIZE 66585u
#define example_ExecEvent_pid_tag 1u
#define example_ExecEvent_ppid_tag 2u
#define example_ExecEvent_uid_tag 3u
#define example_ExecEvent_path_tag 4u
#define example_ExecEvent_path_MAX_LEN 1024u
#define example_ExecEvent_padding_tag 15u
#define example_ExecEvent_padding_MAX_LEN 65536u
int example_ExecEvent_decode(const void *buf, size_t len, example_ExecEvent *out, const char **why);
int example_ExecEvent_encode(const example_ExecEvent *m, void *buf, size_t cap, size_t *len);

/* Heartbeat */
typedef struct example_Heartbeat {
	uint64_t count;
	uint64_t uptime_ns;
	struct kb_pb_bytes padding; /* at most 65536 bytes */
} example_Heartbeat;
#define example_Heartbeat_MAX_SIZE 65562u
#define example_Heartbeat_count_tag 1u
#define example_Heartbeat_uptime_ns_tag 2u
#define example_Heartbeat_padding_tag 15u
#define example_Heartbeat_padding_MAX_LEN 65536u
int example_Heartbeat_decode(const void *buf, size_t len, example_Heartbeat *out, const char **why);
int example_Heartbeat_encode(const example_Heartbeat *m, void *buf, size_t cap, size_t *len);

/* ExecVerdict */
typedef struct example_ExecVerdict {
	bool allow;
} example_ExecVerdict;
#define example_ExecVerdict_MAX_SIZE 2u
#define example_ExecVerdict_allow_tag 1u
int example_ExecVerdict_decode(const void *buf, size_t len, example_ExecVerdict *out, const char **why);
int example_ExecVerdict_encode(const example_ExecVerdict *m, void *buf, size_t cap, size_t *len);

/* ExecAuthorization */
typedef struct example_ExecAuthorization {
	uint32_t pid;
	uint32_t uid;
	struct kb_pb_bytes path; /* at most 1024 bytes */
} example_ExecAuthorization;
#define example_ExecAuthorization_MAX_SIZE 1039u
#define example_ExecAuthorization_pid_tag 1u
#define example_ExecAuthorization_uid_tag 2u
#define example_ExecAuthorization_path_tag 3u
#define example_ExecAuthorization_path_MAX_LEN 1024u
int example_ExecAuthorization_decode(const void *buf, size_t len, example_ExecAuthorization *out, const char **why);
int example_ExecAuthorization_encode(const example_ExecAuthorization *m, void *buf, size_t cap, size_t *len);

/* Option values: the engine writes them under its lock after checking
 * type and bounds; read integers with kb_option_int(). Set initial values
 * in start, before a daemon can connect. */
struct example_options {
	int64_t log_level;
	int64_t max_event_rate;
};
extern struct example_options example_options;

/* The catalog, with arg handed to every handler and hook. */
const struct kb_catalog *example_catalog(void *arg);
/* Before catalog(): every upcall's timeout (kextsim --upcall-timeout-ms). */
void example_configure_upcall_timeout(uint32_t ms);

/* ---- What the kext defines: one handler per command (the request is
 * decoded and checked against its bounds before the handler runs; its
 * slices live while the handler runs) and a cancel hook per cancellable one ---- */
void example_echo(struct kb_engine *e, void *arg, const struct kb_call *call, const example_EchoRequest *req);
void example_stats(struct kb_engine *e, void *arg, const struct kb_call *call, const example_StatsRequest *req);
void example_emit(struct kb_engine *e, void *arg, const struct kb_call *call, const example_EmitRequest *req);
void example_emit_cancel(struct kb_engine *e, void *arg, uint64_t token);
void example_simulate_exec(struct kb_engine *e, void *arg, const struct kb_call *call, const example_SimulateExecRequest *req);
void example_simulate_exec_cancel(struct kb_engine *e, void *arg, uint64_t token);

/* ---- Helpers: encode and send. The ones without _buf encode on the stack. ---- */
int example_echo_reply_buf(struct kb_engine *e, uint64_t token, const example_EchoReply *reply, void *buf, size_t cap);
int example_stats_reply_buf(struct kb_engine *e, uint64_t token, const example_StatsReply *reply, void *buf, size_t cap);
int example_stats_reply(struct kb_engine *e, uint64_t token, const example_StatsReply *reply);
int example_emit_reply_buf(struct kb_engine *e, uint64_t token, const example_EmitReply *reply, void *buf, size_t cap);
int example_emit_reply(struct kb_engine *e, uint64_t token, const example_EmitReply *reply);
int example_simulate_exec_reply_buf(struct kb_engine *e, uint64_t token, const example_SimulateExecReply *reply, void *buf, size_t cap);
int example_simulate_exec_reply(struct kb_engine *e, uint64_t token, const example_SimulateExecReply *reply);
int example_exec_publish_buf(struct kb_engine *e, const example_ExecEvent *event, void *buf, size_t cap);
int example_heartbeat_publish_buf(struct kb_engine *e, const example_Heartbeat *event, void *buf, size_t cap);
/* Asks and waits; *answer is then the daemon's answer or, for every other outcome
 * (the return, enum kb_upcall_outcome, says which), the default: ExecVerdict with
 * default_verdict 1 in field 1. Never with the engine lock held, never from a handler. */
int example_authorize_exec_ask(struct kb_engine *e, const example_ExecAuthorization *question, example_ExecVerdict *answer);

/* Every message type, for code that handles any (fuzz targets); ends with a zero entry. */
extern const struct kb_pb_codec example_codecs[];

#endif /* KB_GEN_EXAMPLE_PB_H */
