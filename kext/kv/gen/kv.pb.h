/* Generated from proto/kv/v1/kv.proto by kextbridge's kext generator: do not edit.
 * `npm run gen:kext` (or the build) writes it again; docs/kext-authors.md. */
#ifndef KB_GEN_KV_PB_H
#define KB_GEN_KV_PB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kextbridge/engine.h>
#include <kextbridge/pb.h>

#define KV_IDENTITY "org.kextbridge.kv"
#define KV_VERSION  "0.1.0"

/* Catalog ids, as the .proto binds them. */
#define KV_CMD_PUT 1u
#define KV_CMD_GET 2u
#define KV_CMD_DELETE 3u
#define KV_TOPIC_CHANGES 1u
#define KV_UPCALL_APPROVE_DELETE 1u
#define KV_OPT_MAX_KEYS 1u

enum kv_ChangeKind {
	kv_ChangeKind_CHANGE_KIND_UNSPECIFIED = 0,
	kv_ChangeKind_CHANGE_KIND_PUT = 1,
	kv_ChangeKind_CHANGE_KIND_DELETE = 2,
};

/* PutRequest */
typedef struct kv_PutRequest {
	struct kb_pb_bytes key; /* at most 64 bytes */
	struct kb_pb_bytes value; /* at most 256 bytes */
} kv_PutRequest;
#define kv_PutRequest_MAX_SIZE 325u
#define kv_PutRequest_key_tag 1u
#define kv_PutRequest_key_MAX_LEN 64u
#define kv_PutRequest_value_tag 2u
#define kv_PutRequest_value_MAX_LEN 256u
int kv_PutRequest_decode(const void *buf, size_t len, kv_PutRequest *out, const char **why);
int kv_PutRequest_encode(const kv_PutRequest *m, void *buf, size_t cap, size_t *len);

/* PutReply */
typedef struct kv_PutReply {
	bool created;
	uint32_t keys;
} kv_PutReply;
#define kv_PutReply_MAX_SIZE 8u
#define kv_PutReply_created_tag 1u
#define kv_PutReply_keys_tag 2u
int kv_PutReply_decode(const void *buf, size_t len, kv_PutReply *out, const char **why);
int kv_PutReply_encode(const kv_PutReply *m, void *buf, size_t cap, size_t *len);

/* GetRequest */
typedef struct kv_GetRequest {
	struct kb_pb_bytes key; /* at most 64 bytes */
} kv_GetRequest;
#define kv_GetRequest_MAX_SIZE 66u
#define kv_GetRequest_key_tag 1u
#define kv_GetRequest_key_MAX_LEN 64u
int kv_GetRequest_decode(const void *buf, size_t len, kv_GetRequest *out, const char **why);
int kv_GetRequest_encode(const kv_GetRequest *m, void *buf, size_t cap, size_t *len);

/* GetReply */
typedef struct kv_GetReply {
	struct kb_pb_bytes value; /* at most 256 bytes */
} kv_GetReply;
#define kv_GetReply_MAX_SIZE 259u
#define kv_GetReply_value_tag 1u
#define kv_GetReply_value_MAX_LEN 256u
int kv_GetReply_decode(const void *buf, size_t len, kv_GetReply *out, const char **why);
int kv_GetReply_encode(const kv_GetReply *m, void *buf, size_t cap, size_t *len);

/* DeleteRequest */
typedef struct kv_DeleteRequest {
	struct kb_pb_bytes key; /* at most 64 bytes */
} kv_DeleteRequest;
#define kv_DeleteRequest_MAX_SIZE 66u
#define kv_DeleteRequest_key_tag 1u
#define kv_DeleteRequest_key_MAX_LEN 64u
int kv_DeleteRequest_decode(const void *buf, size_t len, kv_DeleteRequest *out, const char **why);
int kv_DeleteRequest_encode(const kv_DeleteRequest *m, void *buf, size_t cap, size_t *len);

/* DeleteReply */
typedef struct kv_DeleteReply {
	bool deleted;
} kv_DeleteReply;
#define kv_DeleteReply_MAX_SIZE 2u
#define kv_DeleteReply_deleted_tag 1u
int kv_DeleteReply_decode(const void *buf, size_t len, kv_DeleteReply *out, const char **why);
int kv_DeleteReply_encode(const kv_DeleteReply *m, void *buf, size_t cap, size_t *len);

/* Change */
typedef struct kv_Change {
	int32_t kind;
	struct kb_pb_bytes key; /* at most 64 bytes */
} kv_Change;
#define kv_Change_MAX_SIZE 77u
#define kv_Change_kind_tag 1u
#define kv_Change_key_tag 2u
#define kv_Change_key_MAX_LEN 64u
int kv_Change_decode(const void *buf, size_t len, kv_Change *out, const char **why);
int kv_Change_encode(const kv_Change *m, void *buf, size_t cap, size_t *len);

/* DeleteVerdict */
typedef struct kv_DeleteVerdict {
	bool allow;
} kv_DeleteVerdict;
#define kv_DeleteVerdict_MAX_SIZE 2u
#define kv_DeleteVerdict_allow_tag 1u
int kv_DeleteVerdict_decode(const void *buf, size_t len, kv_DeleteVerdict *out, const char **why);
int kv_DeleteVerdict_encode(const kv_DeleteVerdict *m, void *buf, size_t cap, size_t *len);

/* DeleteQuestion */
typedef struct kv_DeleteQuestion {
	struct kb_pb_bytes key; /* at most 64 bytes */
	uint32_t keys;
} kv_DeleteQuestion;
#define kv_DeleteQuestion_MAX_SIZE 72u
#define kv_DeleteQuestion_key_tag 1u
#define kv_DeleteQuestion_key_MAX_LEN 64u
#define kv_DeleteQuestion_keys_tag 2u
int kv_DeleteQuestion_decode(const void *buf, size_t len, kv_DeleteQuestion *out, const char **why);
int kv_DeleteQuestion_encode(const kv_DeleteQuestion *m, void *buf, size_t cap, size_t *len);

/* Option values: the engine writes them under its lock after checking
 * type and bounds; read integers with kb_option_int(). Set initial values
 * in start, before a daemon can connect. */
struct kv_options {
	int64_t max_keys;
};
extern struct kv_options kv_options;

/* The catalog, with arg handed to every handler and hook. */
const struct kb_catalog *kv_catalog(void *arg);
/* Before catalog(): every upcall's timeout (kextsim --upcall-timeout-ms). */
void kv_configure_upcall_timeout(uint32_t ms);

/* ---- What the kext defines: one handler per command (the request is
 * decoded and checked against its bounds before the handler runs; its
 * slices live while the handler runs) and a cancel hook per cancellable one ---- */
void kv_put(struct kb_engine *e, void *arg, const struct kb_call *call, const kv_PutRequest *req);
void kv_get(struct kb_engine *e, void *arg, const struct kb_call *call, const kv_GetRequest *req);
void kv_delete(struct kb_engine *e, void *arg, const struct kb_call *call, const kv_DeleteRequest *req);
void kv_delete_cancel(struct kb_engine *e, void *arg, uint64_t token);

/* ---- Helpers: encode and send. The ones without _buf encode on the stack. ---- */
int kv_put_reply_buf(struct kb_engine *e, uint64_t token, const kv_PutReply *reply, void *buf, size_t cap);
int kv_put_reply(struct kb_engine *e, uint64_t token, const kv_PutReply *reply);
int kv_get_reply_buf(struct kb_engine *e, uint64_t token, const kv_GetReply *reply, void *buf, size_t cap);
int kv_get_reply(struct kb_engine *e, uint64_t token, const kv_GetReply *reply);
int kv_delete_reply_buf(struct kb_engine *e, uint64_t token, const kv_DeleteReply *reply, void *buf, size_t cap);
int kv_delete_reply(struct kb_engine *e, uint64_t token, const kv_DeleteReply *reply);
int kv_changes_publish_buf(struct kb_engine *e, const kv_Change *event, void *buf, size_t cap);
int kv_changes_publish(struct kb_engine *e, const kv_Change *event);
/* Asks and waits; *answer is then the daemon's answer or, for every other outcome
 * (the return, enum kb_upcall_outcome, says which), the default: DeleteVerdict with
 * default_verdict 1 in field 1. Never with the engine lock held, never from a handler. */
int kv_approve_delete_ask(struct kb_engine *e, const kv_DeleteQuestion *question, kv_DeleteVerdict *answer);

/* Every message type, for code that handles any (fuzz targets); ends with a zero entry. */
extern const struct kb_pb_codec kv_codecs[];

#endif /* KB_GEN_KV_PB_H */
