/* Generated from proto/kv/v1/kv.proto by kextbridge's kext generator: do not edit. */
#include "kv.pb.h"

#define kb_memset(d, c, n) __builtin_memset((d), (c), (n))

static int fail(const char **why, const char *msg, int err)
{
	if (why)
		*why = msg;
	return err;
}

static void kv_PutRequest_write(struct kb_pb_writer *w, const kv_PutRequest *m);
static void kv_PutReply_write(struct kb_pb_writer *w, const kv_PutReply *m);
static void kv_GetRequest_write(struct kb_pb_writer *w, const kv_GetRequest *m);
static void kv_GetReply_write(struct kb_pb_writer *w, const kv_GetReply *m);
static void kv_DeleteRequest_write(struct kb_pb_writer *w, const kv_DeleteRequest *m);
static void kv_DeleteReply_write(struct kb_pb_writer *w, const kv_DeleteReply *m);
static void kv_Change_write(struct kb_pb_writer *w, const kv_Change *m);
static void kv_DeleteVerdict_write(struct kb_pb_writer *w, const kv_DeleteVerdict *m);
static void kv_DeleteQuestion_write(struct kb_pb_writer *w, const kv_DeleteQuestion *m);

static void kv_PutRequest_write(struct kb_pb_writer *w, const kv_PutRequest *m)
{
	if (m->key.len > 64u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->key.len)
		kb_pb_put_bytes(w, 1, m->key.data, m->key.len);
	if (m->value.len > 256u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->value.len)
		kb_pb_put_bytes(w, 2, m->value.data, m->value.len);
}

int kv_PutRequest_encode(const kv_PutRequest *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	kv_PutRequest_write(&w, m);
	return kb_pb_finish(&w, len);
}

int kv_PutRequest_decode(const void *buf, size_t len, kv_PutRequest *out, const char **why)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	kb_memset(out, 0, sizeof(*out));
	kb_pb_reader_init(&r, buf, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		switch (f.number) {
		case 1:
			if (f.wire != KB_PB_LEN)
				return fail(why, "PutRequest.key has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 64u)
				return fail(why, "PutRequest.key is longer than 64 bytes", KB_PB_OVERFLOW);
			out->key.data = f.data;
			out->key.len = f.len;
			break;
		case 2:
			if (f.wire != KB_PB_LEN)
				return fail(why, "PutRequest.value has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 256u)
				return fail(why, "PutRequest.value is longer than 256 bytes", KB_PB_OVERFLOW);
			out->value.data = f.data;
			out->value.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "PutRequest is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void kv_PutReply_write(struct kb_pb_writer *w, const kv_PutReply *m)
{
	if (m->created)
		kb_pb_put_bool(w, 1, m->created);
	if (m->keys)
		kb_pb_put_varint(w, 2, m->keys);
}

int kv_PutReply_encode(const kv_PutReply *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	kv_PutReply_write(&w, m);
	return kb_pb_finish(&w, len);
}

int kv_PutReply_decode(const void *buf, size_t len, kv_PutReply *out, const char **why)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	kb_memset(out, 0, sizeof(*out));
	kb_pb_reader_init(&r, buf, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		switch (f.number) {
		case 1:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "PutReply.created has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->created = f.value != 0;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "PutReply.keys has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->keys = (uint32_t)f.value;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "PutReply is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void kv_GetRequest_write(struct kb_pb_writer *w, const kv_GetRequest *m)
{
	if (m->key.len > 64u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->key.len)
		kb_pb_put_bytes(w, 1, m->key.data, m->key.len);
}

int kv_GetRequest_encode(const kv_GetRequest *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	kv_GetRequest_write(&w, m);
	return kb_pb_finish(&w, len);
}

int kv_GetRequest_decode(const void *buf, size_t len, kv_GetRequest *out, const char **why)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	kb_memset(out, 0, sizeof(*out));
	kb_pb_reader_init(&r, buf, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		switch (f.number) {
		case 1:
			if (f.wire != KB_PB_LEN)
				return fail(why, "GetRequest.key has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 64u)
				return fail(why, "GetRequest.key is longer than 64 bytes", KB_PB_OVERFLOW);
			out->key.data = f.data;
			out->key.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "GetRequest is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void kv_GetReply_write(struct kb_pb_writer *w, const kv_GetReply *m)
{
	if (m->value.len > 256u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->value.len)
		kb_pb_put_bytes(w, 1, m->value.data, m->value.len);
}

int kv_GetReply_encode(const kv_GetReply *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	kv_GetReply_write(&w, m);
	return kb_pb_finish(&w, len);
}

int kv_GetReply_decode(const void *buf, size_t len, kv_GetReply *out, const char **why)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	kb_memset(out, 0, sizeof(*out));
	kb_pb_reader_init(&r, buf, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		switch (f.number) {
		case 1:
			if (f.wire != KB_PB_LEN)
				return fail(why, "GetReply.value has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 256u)
				return fail(why, "GetReply.value is longer than 256 bytes", KB_PB_OVERFLOW);
			out->value.data = f.data;
			out->value.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "GetReply is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void kv_DeleteRequest_write(struct kb_pb_writer *w, const kv_DeleteRequest *m)
{
	if (m->key.len > 64u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->key.len)
		kb_pb_put_bytes(w, 1, m->key.data, m->key.len);
}

int kv_DeleteRequest_encode(const kv_DeleteRequest *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	kv_DeleteRequest_write(&w, m);
	return kb_pb_finish(&w, len);
}

int kv_DeleteRequest_decode(const void *buf, size_t len, kv_DeleteRequest *out, const char **why)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	kb_memset(out, 0, sizeof(*out));
	kb_pb_reader_init(&r, buf, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		switch (f.number) {
		case 1:
			if (f.wire != KB_PB_LEN)
				return fail(why, "DeleteRequest.key has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 64u)
				return fail(why, "DeleteRequest.key is longer than 64 bytes", KB_PB_OVERFLOW);
			out->key.data = f.data;
			out->key.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "DeleteRequest is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void kv_DeleteReply_write(struct kb_pb_writer *w, const kv_DeleteReply *m)
{
	if (m->deleted)
		kb_pb_put_bool(w, 1, m->deleted);
}

int kv_DeleteReply_encode(const kv_DeleteReply *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	kv_DeleteReply_write(&w, m);
	return kb_pb_finish(&w, len);
}

int kv_DeleteReply_decode(const void *buf, size_t len, kv_DeleteReply *out, const char **why)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	kb_memset(out, 0, sizeof(*out));
	kb_pb_reader_init(&r, buf, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		switch (f.number) {
		case 1:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "DeleteReply.deleted has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->deleted = f.value != 0;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "DeleteReply is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void kv_Change_write(struct kb_pb_writer *w, const kv_Change *m)
{
	if (m->kind)
		kb_pb_put_varint(w, 1, (uint64_t)(int64_t)m->kind);
	if (m->key.len > 64u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->key.len)
		kb_pb_put_bytes(w, 2, m->key.data, m->key.len);
}

int kv_Change_encode(const kv_Change *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	kv_Change_write(&w, m);
	return kb_pb_finish(&w, len);
}

int kv_Change_decode(const void *buf, size_t len, kv_Change *out, const char **why)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	kb_memset(out, 0, sizeof(*out));
	kb_pb_reader_init(&r, buf, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		switch (f.number) {
		case 1:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "Change.kind has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->kind = (int32_t)(uint32_t)f.value;
			break;
		case 2:
			if (f.wire != KB_PB_LEN)
				return fail(why, "Change.key has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 64u)
				return fail(why, "Change.key is longer than 64 bytes", KB_PB_OVERFLOW);
			out->key.data = f.data;
			out->key.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "Change is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void kv_DeleteVerdict_write(struct kb_pb_writer *w, const kv_DeleteVerdict *m)
{
	if (m->allow)
		kb_pb_put_bool(w, 1, m->allow);
}

int kv_DeleteVerdict_encode(const kv_DeleteVerdict *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	kv_DeleteVerdict_write(&w, m);
	return kb_pb_finish(&w, len);
}

int kv_DeleteVerdict_decode(const void *buf, size_t len, kv_DeleteVerdict *out, const char **why)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	kb_memset(out, 0, sizeof(*out));
	kb_pb_reader_init(&r, buf, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		switch (f.number) {
		case 1:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "DeleteVerdict.allow has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->allow = f.value != 0;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "DeleteVerdict is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void kv_DeleteQuestion_write(struct kb_pb_writer *w, const kv_DeleteQuestion *m)
{
	if (m->key.len > 64u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->key.len)
		kb_pb_put_bytes(w, 1, m->key.data, m->key.len);
	if (m->keys)
		kb_pb_put_varint(w, 2, m->keys);
}

int kv_DeleteQuestion_encode(const kv_DeleteQuestion *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	kv_DeleteQuestion_write(&w, m);
	return kb_pb_finish(&w, len);
}

int kv_DeleteQuestion_decode(const void *buf, size_t len, kv_DeleteQuestion *out, const char **why)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	kb_memset(out, 0, sizeof(*out));
	kb_pb_reader_init(&r, buf, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		switch (f.number) {
		case 1:
			if (f.wire != KB_PB_LEN)
				return fail(why, "DeleteQuestion.key has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 64u)
				return fail(why, "DeleteQuestion.key is longer than 64 bytes", KB_PB_OVERFLOW);
			out->key.data = f.data;
			out->key.len = f.len;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "DeleteQuestion.keys has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->keys = (uint32_t)f.value;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "DeleteQuestion is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void kv_put_dispatch(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	kv_PutRequest req;
	const char *why = 0;

	if (kv_PutRequest_decode(call->req, call->req_len, &req, &why) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT, why);
		return;
	}
	kv_put(e, arg, call, &req);
}

int kv_put_reply_buf(struct kb_engine *e, uint64_t token, const kv_PutReply *reply, void *buf, size_t cap)
{
	size_t len;

	if (kv_PutReply_encode(reply, buf, cap, &len) != KB_PB_OK)
		return kb_respond_error(e, token, KB_INTERNAL, "PutReply does not fit its bounds or the buffer");
	return kb_respond(e, token, KB_OK, buf, len);
}

int kv_put_reply(struct kb_engine *e, uint64_t token, const kv_PutReply *reply)
{
	uint8_t buf[kv_PutReply_MAX_SIZE + 1];

	return kv_put_reply_buf(e, token, reply, buf, sizeof(buf));
}

static void kv_get_dispatch(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	kv_GetRequest req;
	const char *why = 0;

	if (kv_GetRequest_decode(call->req, call->req_len, &req, &why) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT, why);
		return;
	}
	kv_get(e, arg, call, &req);
}

int kv_get_reply_buf(struct kb_engine *e, uint64_t token, const kv_GetReply *reply, void *buf, size_t cap)
{
	size_t len;

	if (kv_GetReply_encode(reply, buf, cap, &len) != KB_PB_OK)
		return kb_respond_error(e, token, KB_INTERNAL, "GetReply does not fit its bounds or the buffer");
	return kb_respond(e, token, KB_OK, buf, len);
}

int kv_get_reply(struct kb_engine *e, uint64_t token, const kv_GetReply *reply)
{
	uint8_t buf[kv_GetReply_MAX_SIZE + 1];

	return kv_get_reply_buf(e, token, reply, buf, sizeof(buf));
}

static void kv_delete_dispatch(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	kv_DeleteRequest req;
	const char *why = 0;

	if (kv_DeleteRequest_decode(call->req, call->req_len, &req, &why) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT, why);
		return;
	}
	kv_delete(e, arg, call, &req);
}

int kv_delete_reply_buf(struct kb_engine *e, uint64_t token, const kv_DeleteReply *reply, void *buf, size_t cap)
{
	size_t len;

	if (kv_DeleteReply_encode(reply, buf, cap, &len) != KB_PB_OK)
		return kb_respond_error(e, token, KB_INTERNAL, "DeleteReply does not fit its bounds or the buffer");
	return kb_respond(e, token, KB_OK, buf, len);
}

int kv_delete_reply(struct kb_engine *e, uint64_t token, const kv_DeleteReply *reply)
{
	uint8_t buf[kv_DeleteReply_MAX_SIZE + 1];

	return kv_delete_reply_buf(e, token, reply, buf, sizeof(buf));
}

int kv_changes_publish_buf(struct kb_engine *e, const kv_Change *event, void *buf, size_t cap)
{
	size_t len;

	if (kv_Change_encode(event, buf, cap, &len) != KB_PB_OK)
		return KB_R_TOOBIG;
	return kb_publish(e, KV_TOPIC_CHANGES, buf, len);
}

int kv_changes_publish(struct kb_engine *e, const kv_Change *event)
{
	uint8_t buf[kv_Change_MAX_SIZE + 1];

	return kv_changes_publish_buf(e, event, buf, sizeof(buf));
}

int kv_approve_delete_ask(struct kb_engine *e, const kv_DeleteQuestion *question, kv_DeleteVerdict *answer)
{
	uint8_t qbuf[kv_DeleteQuestion_MAX_SIZE + 1], abuf[kv_DeleteVerdict_MAX_SIZE + 16];
	size_t qlen, alen = 0;
	int outcome = KB_UPCALL_INVALID;

	if (kv_DeleteQuestion_encode(question, qbuf, sizeof(qbuf), &qlen) == KB_PB_OK) {
		outcome = kb_upcall(e, KV_UPCALL_APPROVE_DELETE, qbuf, qlen, abuf, sizeof(abuf), &alen);
		if (kv_DeleteVerdict_decode(abuf, alen, answer, 0) == KB_PB_OK)
			return outcome;
		outcome = KB_UPCALL_INVALID;
	}
	/* A question over its bounds, or an answer that does not decode: the default. */
	kb_upcall_default_answer(e, KV_UPCALL_APPROVE_DELETE, abuf, sizeof(abuf), &alen);
	if (kv_DeleteVerdict_decode(abuf, alen, answer, 0) != KB_PB_OK)
		kb_memset(answer, 0, sizeof(*answer));
	return outcome;
}

static const struct kb_command_desc commands[] = {
	{ KV_CMD_PUT, "put", 0, kv_put_dispatch, 0 },
	{ KV_CMD_GET, "get", 0, kv_get_dispatch, 0 },
	{ KV_CMD_DELETE, "delete", 0, kv_delete_dispatch, kv_delete_cancel },
};

static const struct kb_topic_desc topics[] = {
	{ KV_TOPIC_CHANGES, "changes", 0 },
};

struct kv_options kv_options;

static const struct kb_option_desc options[] = {
	{ KV_OPT_MAX_KEYS, "max_keys", KB_ENTRY_SET_PRIVILEGED, KB_VALUE_INT64, INT64_C(1), INT64_C(64), &kv_options.max_keys, 0, 0, 0 },
};

static struct kb_upcall_desc upcalls[] = {
	{ KV_UPCALL_APPROVE_DELETE, "approve_delete", KB_ENTRY_PRIVILEGED, 1000u, 1u },
};

static struct kb_catalog catalog = {
	KV_IDENTITY, KV_VERSION,
	commands, 3,
	topics, 1,
	options, 1,
	upcalls, 1,
	0,
};

const struct kb_catalog *kv_catalog(void *arg)
{
	catalog.arg = arg;
	return &catalog;
}

void kv_configure_upcall_timeout(uint32_t ms)
{
	size_t i;

	for (i = 0; i < sizeof(upcalls) / sizeof(upcalls[0]); i++)
		upcalls[i].timeout_ms = ms;
}

static int kv_PutRequest_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return kv_PutRequest_decode(buf, len, out, why);
}

static int kv_PutRequest_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return kv_PutRequest_encode(m, buf, cap, len);
}

static int kv_PutReply_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return kv_PutReply_decode(buf, len, out, why);
}

static int kv_PutReply_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return kv_PutReply_encode(m, buf, cap, len);
}

static int kv_GetRequest_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return kv_GetRequest_decode(buf, len, out, why);
}

static int kv_GetRequest_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return kv_GetRequest_encode(m, buf, cap, len);
}

static int kv_GetReply_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return kv_GetReply_decode(buf, len, out, why);
}

static int kv_GetReply_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return kv_GetReply_encode(m, buf, cap, len);
}

static int kv_DeleteRequest_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return kv_DeleteRequest_decode(buf, len, out, why);
}

static int kv_DeleteRequest_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return kv_DeleteRequest_encode(m, buf, cap, len);
}

static int kv_DeleteReply_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return kv_DeleteReply_decode(buf, len, out, why);
}

static int kv_DeleteReply_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return kv_DeleteReply_encode(m, buf, cap, len);
}

static int kv_Change_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return kv_Change_decode(buf, len, out, why);
}

static int kv_Change_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return kv_Change_encode(m, buf, cap, len);
}

static int kv_DeleteVerdict_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return kv_DeleteVerdict_decode(buf, len, out, why);
}

static int kv_DeleteVerdict_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return kv_DeleteVerdict_encode(m, buf, cap, len);
}

static int kv_DeleteQuestion_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return kv_DeleteQuestion_decode(buf, len, out, why);
}

static int kv_DeleteQuestion_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return kv_DeleteQuestion_encode(m, buf, cap, len);
}

const struct kb_pb_codec kv_codecs[] = {
	{ "PutRequest", sizeof(kv_PutRequest), kv_PutRequest_MAX_SIZE, kv_PutRequest_decode_any, kv_PutRequest_encode_any },
	{ "PutReply", sizeof(kv_PutReply), kv_PutReply_MAX_SIZE, kv_PutReply_decode_any, kv_PutReply_encode_any },
	{ "GetRequest", sizeof(kv_GetRequest), kv_GetRequest_MAX_SIZE, kv_GetRequest_decode_any, kv_GetRequest_encode_any },
	{ "GetReply", sizeof(kv_GetReply), kv_GetReply_MAX_SIZE, kv_GetReply_decode_any, kv_GetReply_encode_any },
	{ "DeleteRequest", sizeof(kv_DeleteRequest), kv_DeleteRequest_MAX_SIZE, kv_DeleteRequest_decode_any, kv_DeleteRequest_encode_any },
	{ "DeleteReply", sizeof(kv_DeleteReply), kv_DeleteReply_MAX_SIZE, kv_DeleteReply_decode_any, kv_DeleteReply_encode_any },
	{ "Change", sizeof(kv_Change), kv_Change_MAX_SIZE, kv_Change_decode_any, kv_Change_encode_any },
	{ "DeleteVerdict", sizeof(kv_DeleteVerdict), kv_DeleteVerdict_MAX_SIZE, kv_DeleteVerdict_decode_any, kv_DeleteVerdict_encode_any },
	{ "DeleteQuestion", sizeof(kv_DeleteQuestion), kv_DeleteQuestion_MAX_SIZE, kv_DeleteQuestion_decode_any, kv_DeleteQuestion_encode_any },
	{ 0, 0, 0, 0, 0 },
};
