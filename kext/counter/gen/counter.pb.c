/* Generated from proto/counter/v1/counter.proto by kextbridge's kext generator: do not edit. */
#include "counter.pb.h"

#define kb_memset(d, c, n) __builtin_memset((d), (c), (n))

static int fail(const char **why, const char *msg, int err)
{
	if (why)
		*why = msg;
	return err;
}

static void counter_AddRequest_write(struct kb_pb_writer *w, const counter_AddRequest *m);
static void counter_CounterValue_write(struct kb_pb_writer *w, const counter_CounterValue *m);
static void counter_GetRequest_write(struct kb_pb_writer *w, const counter_GetRequest *m);
static void counter_CounterChange_write(struct kb_pb_writer *w, const counter_CounterChange *m);

static void counter_AddRequest_write(struct kb_pb_writer *w, const counter_AddRequest *m)
{
	if (m->delta)
		kb_pb_put_varint(w, 1, (uint64_t)m->delta);
}

int counter_AddRequest_encode(const counter_AddRequest *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	counter_AddRequest_write(&w, m);
	return kb_pb_finish(&w, len);
}

int counter_AddRequest_decode(const void *buf, size_t len, counter_AddRequest *out, const char **why)
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
				return fail(why, "AddRequest.delta has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->delta = (int64_t)f.value;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "AddRequest is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void counter_CounterValue_write(struct kb_pb_writer *w, const counter_CounterValue *m)
{
	if (m->value)
		kb_pb_put_varint(w, 1, (uint64_t)m->value);
}

int counter_CounterValue_encode(const counter_CounterValue *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	counter_CounterValue_write(&w, m);
	return kb_pb_finish(&w, len);
}

int counter_CounterValue_decode(const void *buf, size_t len, counter_CounterValue *out, const char **why)
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
				return fail(why, "CounterValue.value has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->value = (int64_t)f.value;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "CounterValue is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void counter_GetRequest_write(struct kb_pb_writer *w, const counter_GetRequest *m)
{
	(void)w;
	(void)m;
}

int counter_GetRequest_encode(const counter_GetRequest *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	counter_GetRequest_write(&w, m);
	return kb_pb_finish(&w, len);
}

int counter_GetRequest_decode(const void *buf, size_t len, counter_GetRequest *out, const char **why)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;
	int err;

	kb_memset(out, 0, sizeof(*out));
	kb_pb_reader_init(&r, buf, len);
	while ((err = kb_pb_next(&r, &f)) == KB_PB_OK) {
		(void)f; /* every field is unknown: skipped */
	}
	if (err != KB_PB_END)
		return fail(why, "GetRequest is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void counter_CounterChange_write(struct kb_pb_writer *w, const counter_CounterChange *m)
{
	if (m->value)
		kb_pb_put_varint(w, 1, (uint64_t)m->value);
	if (m->delta)
		kb_pb_put_varint(w, 2, (uint64_t)m->delta);
}

int counter_CounterChange_encode(const counter_CounterChange *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	counter_CounterChange_write(&w, m);
	return kb_pb_finish(&w, len);
}

int counter_CounterChange_decode(const void *buf, size_t len, counter_CounterChange *out, const char **why)
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
				return fail(why, "CounterChange.value has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->value = (int64_t)f.value;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "CounterChange.delta has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->delta = (int64_t)f.value;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "CounterChange is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void counter_add_dispatch(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	counter_AddRequest req;
	const char *why = 0;

	if (counter_AddRequest_decode(call->req, call->req_len, &req, &why) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT, why);
		return;
	}
	counter_add(e, arg, call, &req);
}

int counter_add_reply_buf(struct kb_engine *e, uint64_t token, const counter_CounterValue *reply, void *buf, size_t cap)
{
	size_t len;

	if (counter_CounterValue_encode(reply, buf, cap, &len) != KB_PB_OK)
		return kb_respond_error(e, token, KB_INTERNAL, "CounterValue does not fit its bounds or the buffer");
	return kb_respond(e, token, KB_OK, buf, len);
}

int counter_add_reply(struct kb_engine *e, uint64_t token, const counter_CounterValue *reply)
{
	uint8_t buf[counter_CounterValue_MAX_SIZE + 1];

	return counter_add_reply_buf(e, token, reply, buf, sizeof(buf));
}

static void counter_get_dispatch(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	counter_GetRequest req;
	const char *why = 0;

	if (counter_GetRequest_decode(call->req, call->req_len, &req, &why) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT, why);
		return;
	}
	counter_get(e, arg, call, &req);
}

int counter_get_reply_buf(struct kb_engine *e, uint64_t token, const counter_CounterValue *reply, void *buf, size_t cap)
{
	size_t len;

	if (counter_CounterValue_encode(reply, buf, cap, &len) != KB_PB_OK)
		return kb_respond_error(e, token, KB_INTERNAL, "CounterValue does not fit its bounds or the buffer");
	return kb_respond(e, token, KB_OK, buf, len);
}

int counter_get_reply(struct kb_engine *e, uint64_t token, const counter_CounterValue *reply)
{
	uint8_t buf[counter_CounterValue_MAX_SIZE + 1];

	return counter_get_reply_buf(e, token, reply, buf, sizeof(buf));
}

int counter_changes_publish_buf(struct kb_engine *e, const counter_CounterChange *event, void *buf, size_t cap)
{
	size_t len;

	if (counter_CounterChange_encode(event, buf, cap, &len) != KB_PB_OK)
		return KB_R_TOOBIG;
	return kb_publish(e, COUNTER_TOPIC_CHANGES, buf, len);
}

int counter_changes_publish(struct kb_engine *e, const counter_CounterChange *event)
{
	uint8_t buf[counter_CounterChange_MAX_SIZE + 1];

	return counter_changes_publish_buf(e, event, buf, sizeof(buf));
}

static const struct kb_command_desc commands[] = {
	{ COUNTER_CMD_ADD, "add", 0, counter_add_dispatch, 0 },
	{ COUNTER_CMD_GET, "get", 0, counter_get_dispatch, 0 },
};

static const struct kb_topic_desc topics[] = {
	{ COUNTER_TOPIC_CHANGES, "changes", 0 },
};

struct counter_options counter_options;

static const struct kb_option_desc options[] = {
	{ COUNTER_OPT_STEP, "step", KB_ENTRY_SET_PRIVILEGED, KB_VALUE_INT64, INT64_C(0), INT64_C(1000), &counter_options.step, 0, 0, 0 },
};

static struct kb_catalog catalog = {
	COUNTER_IDENTITY, COUNTER_VERSION,
	commands, 2,
	topics, 1,
	options, 1,
	0, 0,
	0,
};

const struct kb_catalog *counter_catalog(void *arg)
{
	catalog.arg = arg;
	return &catalog;
}

void counter_configure_upcall_timeout(uint32_t ms)
{
	(void)ms; /* no upcalls */
}

static int counter_AddRequest_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return counter_AddRequest_decode(buf, len, out, why);
}

static int counter_AddRequest_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return counter_AddRequest_encode(m, buf, cap, len);
}

static int counter_CounterValue_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return counter_CounterValue_decode(buf, len, out, why);
}

static int counter_CounterValue_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return counter_CounterValue_encode(m, buf, cap, len);
}

static int counter_GetRequest_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return counter_GetRequest_decode(buf, len, out, why);
}

static int counter_GetRequest_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return counter_GetRequest_encode(m, buf, cap, len);
}

static int counter_CounterChange_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return counter_CounterChange_decode(buf, len, out, why);
}

static int counter_CounterChange_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return counter_CounterChange_encode(m, buf, cap, len);
}

const struct kb_pb_codec counter_codecs[] = {
	{ "AddRequest", sizeof(counter_AddRequest), counter_AddRequest_MAX_SIZE, counter_AddRequest_decode_any, counter_AddRequest_encode_any },
	{ "CounterValue", sizeof(counter_CounterValue), counter_CounterValue_MAX_SIZE, counter_CounterValue_decode_any, counter_CounterValue_encode_any },
	{ "GetRequest", sizeof(counter_GetRequest), counter_GetRequest_MAX_SIZE, counter_GetRequest_decode_any, counter_GetRequest_encode_any },
	{ "CounterChange", sizeof(counter_CounterChange), counter_CounterChange_MAX_SIZE, counter_CounterChange_decode_any, counter_CounterChange_encode_any },
	{ 0, 0, 0, 0, 0 },
};
