/* Generated from proto/counter/v1/counter.proto by kextbridge's kext generator: do not edit.
 * `npm run gen:kext` (or the build) writes it again; docs/kext-authors.md. */
#ifndef KB_GEN_COUNTER_PB_H
#define KB_GEN_COUNTER_PB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kextbridge/engine.h>
#include <kextbridge/pb.h>

#define COUNTER_IDENTITY "org.kextbridge.counter"
#define COUNTER_VERSION  "0.1.0"

/* Catalog ids, as the .proto binds them. */
#define COUNTER_CMD_ADD 1u
#define COUNTER_CMD_GET 2u
#define COUNTER_TOPIC_CHANGES 1u
#define COUNTER_OPT_STEP 1u

/* AddRequest */
typedef struct counter_AddRequest {
	int64_t delta;
} counter_AddRequest;
#define counter_AddRequest_MAX_SIZE 11u
#define counter_AddRequest_delta_tag 1u
int counter_AddRequest_decode(const void *buf, size_t len, counter_AddRequest *out, const char **why);
int counter_AddRequest_encode(const counter_AddRequest *m, void *buf, size_t cap, size_t *len);

/* CounterValue */
typedef struct counter_CounterValue {
	int64_t value;
} counter_CounterValue;
#define counter_CounterValue_MAX_SIZE 11u
#define counter_CounterValue_value_tag 1u
int counter_CounterValue_decode(const void *buf, size_t len, counter_CounterValue *out, const char **why);
int counter_CounterValue_encode(const counter_CounterValue *m, void *buf, size_t cap, size_t *len);

/* GetRequest */
typedef struct counter_GetRequest {
	uint8_t unused_; /* C has no empty structs */
} counter_GetRequest;
#define counter_GetRequest_MAX_SIZE 0u
int counter_GetRequest_decode(const void *buf, size_t len, counter_GetRequest *out, const char **why);
int counter_GetRequest_encode(const counter_GetRequest *m, void *buf, size_t cap, size_t *len);

/* CounterChange */
typedef struct counter_CounterChange {
	int64_t value;
	int64_t delta;
} counter_CounterChange;
#define counter_CounterChange_MAX_SIZE 22u
#define counter_CounterChange_value_tag 1u
#define counter_CounterChange_delta_tag 2u
int counter_CounterChange_decode(const void *buf, size_t len, counter_CounterChange *out, const char **why);
int counter_CounterChange_encode(const counter_CounterChange *m, void *buf, size_t cap, size_t *len);

/* Option values: the engine writes them under its lock after checking
 * type and bounds; read integers with kb_option_int(). Set initial values
 * in start, before a daemon can connect. */
struct counter_options {
	int64_t step;
};
extern struct counter_options counter_options;

/* The catalog, with arg handed to every handler and hook. */
const struct kb_catalog *counter_catalog(void *arg);
/* Before catalog(): every upcall's timeout (kextsim --upcall-timeout-ms). */
void counter_configure_upcall_timeout(uint32_t ms);

/* ---- What the kext defines: one handler per command (the request is
 * decoded and checked against its bounds before the handler runs; its
 * slices live while the handler runs) and a cancel hook per cancellable one ---- */
void counter_add(struct kb_engine *e, void *arg, const struct kb_call *call, const counter_AddRequest *req);
void counter_get(struct kb_engine *e, void *arg, const struct kb_call *call, const counter_GetRequest *req);

/* ---- Helpers: encode and send. The ones without _buf encode on the stack. ---- */
int counter_add_reply_buf(struct kb_engine *e, uint64_t token, const counter_CounterValue *reply, void *buf, size_t cap);
int counter_add_reply(struct kb_engine *e, uint64_t token, const counter_CounterValue *reply);
int counter_get_reply_buf(struct kb_engine *e, uint64_t token, const counter_CounterValue *reply, void *buf, size_t cap);
int counter_get_reply(struct kb_engine *e, uint64_t token, const counter_CounterValue *reply);
int counter_changes_publish_buf(struct kb_engine *e, const counter_CounterChange *event, void *buf, size_t cap);
int counter_changes_publish(struct kb_engine *e, const counter_CounterChange *event);

/* Every message type, for code that handles any (fuzz targets); ends with a zero entry. */
extern const struct kb_pb_codec counter_codecs[];

#endif /* KB_GEN_COUNTER_PB_H */
