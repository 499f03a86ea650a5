/* Generated from proto/example/v1/example.proto by kextbridge's kext generator: do not edit. */
#include "example.pb.h"

#define kb_memset(d, c, n) __builtin_memset((d), (c), (n))

static int fail(const char **why, const char *msg, int err)
{
	if (why)
		*why = msg;
	return err;
}

static void example_EchoRequest_write(struct kb_pb_writer *w, const example_EchoRequest *m);
static void example_EchoReply_write(struct kb_pb_writer *w, const example_EchoReply *m);
static void example_StatsRequest_write(struct kb_pb_writer *w, const example_StatsRequest *m);
static void example_StatsReply_write(struct kb_pb_writer *w, const example_StatsReply *m);
static void example_EmitRequest_write(struct kb_pb_writer *w, const example_EmitRequest *m);
static void example_EmitReply_write(struct kb_pb_writer *w, const example_EmitReply *m);
static void example_SimulateExecRequest_write(struct kb_pb_writer *w, const example_SimulateExecRequest *m);
static void example_SimulateExecReply_write(struct kb_pb_writer *w, const example_SimulateExecReply *m);
static void example_ExecEvent_write(struct kb_pb_writer *w, const example_ExecEvent *m);
static void example_Heartbeat_write(struct kb_pb_writer *w, const example_Heartbeat *m);
static void example_ExecVerdict_write(struct kb_pb_writer *w, const example_ExecVerdict *m);
static void example_ExecAuthorization_write(struct kb_pb_writer *w, const example_ExecAuthorization *m);

static void example_EchoRequest_write(struct kb_pb_writer *w, const example_EchoRequest *m)
{
	if (m->data.len > 65536u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->data.len)
		kb_pb_put_bytes(w, 1, m->data.data, m->data.len);
}

int example_EchoRequest_encode(const example_EchoRequest *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_EchoRequest_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_EchoRequest_decode(const void *buf, size_t len, example_EchoRequest *out, const char **why)
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
				return fail(why, "EchoRequest.data has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 65536u)
				return fail(why, "EchoRequest.data is longer than 65536 bytes", KB_PB_OVERFLOW);
			out->data.data = f.data;
			out->data.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "EchoRequest is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_EchoReply_write(struct kb_pb_writer *w, const example_EchoReply *m)
{
	if (m->data.len > 65536u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->data.len)
		kb_pb_put_bytes(w, 1, m->data.data, m->data.len);
}

int example_EchoReply_encode(const example_EchoReply *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_EchoReply_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_EchoReply_decode(const void *buf, size_t len, example_EchoReply *out, const char **why)
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
				return fail(why, "EchoReply.data has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 65536u)
				return fail(why, "EchoReply.data is longer than 65536 bytes", KB_PB_OVERFLOW);
			out->data.data = f.data;
			out->data.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "EchoReply is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_StatsRequest_write(struct kb_pb_writer *w, const example_StatsRequest *m)
{
	(void)w;
	(void)m;
}

int example_StatsRequest_encode(const example_StatsRequest *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_StatsRequest_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_StatsRequest_decode(const void *buf, size_t len, example_StatsRequest *out, const char **why)
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
		return fail(why, "StatsRequest is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_StatsReply_write(struct kb_pb_writer *w, const example_StatsReply *m)
{
	if (m->datagrams_in)
		kb_pb_put_varint(w, 1, m->datagrams_in);
	if (m->datagrams_out)
		kb_pb_put_varint(w, 2, m->datagrams_out);
	if (m->frames_in)
		kb_pb_put_varint(w, 3, m->frames_in);
	if (m->frames_out)
		kb_pb_put_varint(w, 4, m->frames_out);
	if (m->bytes_in)
		kb_pb_put_varint(w, 5, m->bytes_in);
	if (m->bytes_out)
		kb_pb_put_varint(w, 6, m->bytes_out);
	if (m->malformed)
		kb_pb_put_varint(w, 7, m->malformed);
	if (m->connects)
		kb_pb_put_varint(w, 8, m->connects);
	if (m->refused_connects)
		kb_pb_put_varint(w, 9, m->refused_connects);
	if (m->disconnects)
		kb_pb_put_varint(w, 10, m->disconnects);
	if (m->requests)
		kb_pb_put_varint(w, 11, m->requests);
	if (m->responses)
		kb_pb_put_varint(w, 12, m->responses);
	if (m->cancels)
		kb_pb_put_varint(w, 13, m->cancels);
	if (m->cancels_unknown)
		kb_pb_put_varint(w, 14, m->cancels_unknown);
	if (m->unknown_commands)
		kb_pb_put_varint(w, 15, m->unknown_commands);
	if (m->inflight_rejected)
		kb_pb_put_varint(w, 16, m->inflight_rejected);
	if (m->events_published)
		kb_pb_put_varint(w, 17, m->events_published);
	if (m->events_unwanted)
		kb_pb_put_varint(w, 18, m->events_unwanted);
	if (m->events_lost)
		kb_pb_put_varint(w, 19, m->events_lost);
	if (m->loss_frames)
		kb_pb_put_varint(w, 20, m->loss_frames);
	if (m->send_full)
		kb_pb_put_varint(w, 21, m->send_full);
	if (m->backlog_bytes)
		kb_pb_put_varint(w, 22, m->backlog_bytes);
	if (m->backlog_high_water)
		kb_pb_put_varint(w, 23, m->backlog_high_water);
	if (m->upcalls)
		kb_pb_put_varint(w, 24, m->upcalls);
	if (m->upcalls_answered)
		kb_pb_put_varint(w, 25, m->upcalls_answered);
	if (m->upcalls_defaulted)
		kb_pb_put_varint(w, 26, m->upcalls_defaulted);
	if (m->upcall_replies_unknown)
		kb_pb_put_varint(w, 27, m->upcall_replies_unknown);
	if (m->opt_gets)
		kb_pb_put_varint(w, 28, m->opt_gets);
	if (m->opt_sets)
		kb_pb_put_varint(w, 29, m->opt_sets);
	if (m->opt_rejected)
		kb_pb_put_varint(w, 30, m->opt_rejected);
	if (m->reassembly_refused)
		kb_pb_put_varint(w, 31, m->reassembly_refused);
	if (m->unknown_topics)
		kb_pb_put_varint(w, 32, m->unknown_topics);
	if (m->out_of_order)
		kb_pb_put_varint(w, 33, m->out_of_order);
	if (m->pings)
		kb_pb_put_varint(w, 34, m->pings);
}

int example_StatsReply_encode(const example_StatsReply *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_StatsReply_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_StatsReply_decode(const void *buf, size_t len, example_StatsReply *out, const char **why)
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
				return fail(why, "StatsReply.datagrams_in has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->datagrams_in = f.value;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.datagrams_out has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->datagrams_out = f.value;
			break;
		case 3:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.frames_in has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->frames_in = f.value;
			break;
		case 4:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.frames_out has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->frames_out = f.value;
			break;
		case 5:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.bytes_in has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->bytes_in = f.value;
			break;
		case 6:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.bytes_out has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->bytes_out = f.value;
			break;
		case 7:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.malformed has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->malformed = f.value;
			break;
		case 8:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.connects has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->connects = f.value;
			break;
		case 9:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.refused_connects has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->refused_connects = f.value;
			break;
		case 10:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.disconnects has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->disconnects = f.value;
			break;
		case 11:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.requests has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->requests = f.value;
			break;
		case 12:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.responses has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->responses = f.value;
			break;
		case 13:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.cancels has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->cancels = f.value;
			break;
		case 14:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.cancels_unknown has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->cancels_unknown = f.value;
			break;
		case 15:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.unknown_commands has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->unknown_commands = f.value;
			break;
		case 16:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.inflight_rejected has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->inflight_rejected = f.value;
			break;
		case 17:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.events_published has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->events_published = f.value;
			break;
		case 18:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.events_unwanted has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->events_unwanted = f.value;
			break;
		case 19:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.events_lost has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->events_lost = f.value;
			break;
		case 20:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.loss_frames has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->loss_frames = f.value;
			break;
		case 21:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.send_full has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->send_full = f.value;
			break;
		case 22:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.backlog_bytes has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->backlog_bytes = f.value;
			break;
		case 23:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.backlog_high_water has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->backlog_high_water = f.value;
			break;
		case 24:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.upcalls has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->upcalls = f.value;
			break;
		case 25:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.upcalls_answered has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->upcalls_answered = f.value;
			break;
		case 26:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.upcalls_defaulted has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->upcalls_defaulted = f.value;
			break;
		case 27:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.upcall_replies_unknown has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->upcall_replies_unknown = f.value;
			break;
		case 28:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.opt_gets has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->opt_gets = f.value;
			break;
		case 29:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.opt_sets has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->opt_sets = f.value;
			break;
		case 30:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.opt_rejected has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->opt_rejected = f.value;
			break;
		case 31:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.reassembly_refused has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->reassembly_refused = f.value;
			break;
		case 32:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.unknown_topics has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->unknown_topics = f.value;
			break;
		case 33:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.out_of_order has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->out_of_order = f.value;
			break;
		case 34:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "StatsReply.pings has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->pings = f.value;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "StatsReply is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_EmitRequest_write(struct kb_pb_writer *w, const example_EmitRequest *m)
{
	if (m->topic)
		kb_pb_put_varint(w, 1, m->topic);
	if (m->count)
		kb_pb_put_varint(w, 2, m->count);
	if (m->size)
		kb_pb_put_varint(w, 3, m->size);
	if (m->rate_per_sec)
		kb_pb_put_varint(w, 4, m->rate_per_sec);
}

int example_EmitRequest_encode(const example_EmitRequest *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_EmitRequest_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_EmitRequest_decode(const void *buf, size_t len, example_EmitRequest *out, const char **why)
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
				return fail(why, "EmitRequest.topic has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->topic = (uint32_t)f.value;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "EmitRequest.count has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->count = (uint32_t)f.value;
			break;
		case 3:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "EmitRequest.size has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->size = (uint32_t)f.value;
			break;
		case 4:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "EmitRequest.rate_per_sec has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->rate_per_sec = (uint32_t)f.value;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "EmitRequest is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_EmitReply_write(struct kb_pb_writer *w, const example_EmitReply *m)
{
	if (m->emitted)
		kb_pb_put_varint(w, 1, m->emitted);
	if (m->lost)
		kb_pb_put_varint(w, 2, m->lost);
	if (m->unwanted)
		kb_pb_put_varint(w, 3, m->unwanted);
	if (m->cancelled)
		kb_pb_put_bool(w, 4, m->cancelled);
}

int example_EmitReply_encode(const example_EmitReply *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_EmitReply_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_EmitReply_decode(const void *buf, size_t len, example_EmitReply *out, const char **why)
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
				return fail(why, "EmitReply.emitted has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->emitted = f.value;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "EmitReply.lost has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->lost = f.value;
			break;
		case 3:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "EmitReply.unwanted has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->unwanted = f.value;
			break;
		case 4:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "EmitReply.cancelled has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->cancelled = f.value != 0;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "EmitReply is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_SimulateExecRequest_write(struct kb_pb_writer *w, const example_SimulateExecRequest *m)
{
	if (m->pid)
		kb_pb_put_varint(w, 1, m->pid);
	if (m->ppid)
		kb_pb_put_varint(w, 2, m->ppid);
	if (m->uid)
		kb_pb_put_varint(w, 3, m->uid);
	if (m->path.len > 1023u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->path.len)
		kb_pb_put_bytes(w, 4, m->path.data, m->path.len);
}

int example_SimulateExecRequest_encode(const example_SimulateExecRequest *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_SimulateExecRequest_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_SimulateExecRequest_decode(const void *buf, size_t len, example_SimulateExecRequest *out, const char **why)
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
				return fail(why, "SimulateExecRequest.pid has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->pid = (uint32_t)f.value;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "SimulateExecRequest.ppid has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->ppid = (uint32_t)f.value;
			break;
		case 3:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "SimulateExecRequest.uid has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->uid = (uint32_t)f.value;
			break;
		case 4:
			if (f.wire != KB_PB_LEN)
				return fail(why, "SimulateExecRequest.path has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 1023u)
				return fail(why, "SimulateExecRequest.path is longer than 1023 bytes", KB_PB_OVERFLOW);
			out->path.data = f.data;
			out->path.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "SimulateExecRequest is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_SimulateExecReply_write(struct kb_pb_writer *w, const example_SimulateExecReply *m)
{
	if (m->allowed)
		kb_pb_put_bool(w, 1, m->allowed);
	if (m->decided_by)
		kb_pb_put_varint(w, 2, (uint64_t)(int64_t)m->decided_by);
}

int example_SimulateExecReply_encode(const example_SimulateExecReply *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_SimulateExecReply_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_SimulateExecReply_decode(const void *buf, size_t len, example_SimulateExecReply *out, const char **why)
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
				return fail(why, "SimulateExecReply.allowed has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->allowed = f.value != 0;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "SimulateExecReply.decided_by has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->decided_by = (int32_t)(uint32_t)f.value;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "SimulateExecReply is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_ExecEvent_write(struct kb_pb_writer *w, const example_ExecEvent *m)
{
	if (m->pid)
		kb_pb_put_varint(w, 1, m->pid);
	if (m->ppid)
		kb_pb_put_varint(w, 2, m->ppid);
	if (m->uid)
		kb_pb_put_varint(w, 3, m->uid);
	if (m->path.len > 1024u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->path.len)
		kb_pb_put_bytes(w, 4, m->path.data, m->path.len);
	if (m->padding.len > 65536u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->padding.len)
		kb_pb_put_bytes(w, 15, m->padding.data, m->padding.len);
}

int example_ExecEvent_encode(const example_ExecEvent *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_ExecEvent_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_ExecEvent_decode(const void *buf, size_t len, example_ExecEvent *out, const char **why)
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
				return fail(why, "ExecEvent.pid has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->pid = (uint32_t)f.value;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "ExecEvent.ppid has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->ppid = (uint32_t)f.value;
			break;
		case 3:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "ExecEvent.uid has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->uid = (uint32_t)f.value;
			break;
		case 4:
			if (f.wire != KB_PB_LEN)
				return fail(why, "ExecEvent.path has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 1024u)
				return fail(why, "ExecEvent.path is longer than 1024 bytes", KB_PB_OVERFLOW);
			out->path.data = f.data;
			out->path.len = f.len;
			break;
		case 15:
			if (f.wire != KB_PB_LEN)
				return fail(why, "ExecEvent.padding has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 65536u)
				return fail(why, "ExecEvent.padding is longer than 65536 bytes", KB_PB_OVERFLOW);
			out->padding.data = f.data;
			out->padding.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "ExecEvent is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_Heartbeat_write(struct kb_pb_writer *w, const example_Heartbeat *m)
{
	if (m->count)
		kb_pb_put_varint(w, 1, m->count);
	if (m->uptime_ns)
		kb_pb_put_varint(w, 2, m->uptime_ns);
	if (m->padding.len > 65536u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->padding.len)
		kb_pb_put_bytes(w, 15, m->padding.data, m->padding.len);
}

int example_Heartbeat_encode(const example_Heartbeat *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_Heartbeat_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_Heartbeat_decode(const void *buf, size_t len, example_Heartbeat *out, const char **why)
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
				return fail(why, "Heartbeat.count has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->count = f.value;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "Heartbeat.uptime_ns has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->uptime_ns = f.value;
			break;
		case 15:
			if (f.wire != KB_PB_LEN)
				return fail(why, "Heartbeat.padding has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 65536u)
				return fail(why, "Heartbeat.padding is longer than 65536 bytes", KB_PB_OVERFLOW);
			out->padding.data = f.data;
			out->padding.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "Heartbeat is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_ExecVerdict_write(struct kb_pb_writer *w, const example_ExecVerdict *m)
{
	if (m->allow)
		kb_pb_put_bool(w, 1, m->allow);
}

int example_ExecVerdict_encode(const example_ExecVerdict *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_ExecVerdict_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_ExecVerdict_decode(const void *buf, size_t len, example_ExecVerdict *out, const char **why)
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
				return fail(why, "ExecVerdict.allow has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->allow = f.value != 0;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "ExecVerdict is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_ExecAuthorization_write(struct kb_pb_writer *w, const example_ExecAuthorization *m)
{
	if (m->pid)
		kb_pb_put_varint(w, 1, m->pid);
	if (m->uid)
		kb_pb_put_varint(w, 2, m->uid);
	if (m->path.len > 1024u)
		kb_pb_fail(w, KB_PB_OVERFLOW);
	else if (m->path.len)
		kb_pb_put_bytes(w, 3, m->path.data, m->path.len);
}

int example_ExecAuthorization_encode(const example_ExecAuthorization *m, void *buf, size_t cap, size_t *len)
{
	struct kb_pb_writer w;

	kb_pb_writer_init(&w, buf, cap);
	example_ExecAuthorization_write(&w, m);
	return kb_pb_finish(&w, len);
}

int example_ExecAuthorization_decode(const void *buf, size_t len, example_ExecAuthorization *out, const char **why)
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
				return fail(why, "ExecAuthorization.pid has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->pid = (uint32_t)f.value;
			break;
		case 2:
			if (f.wire != KB_PB_VARINT)
				return fail(why, "ExecAuthorization.uid has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			out->uid = (uint32_t)f.value;
			break;
		case 3:
			if (f.wire != KB_PB_LEN)
				return fail(why, "ExecAuthorization.path has the wrong wire type (is the kext built from this .proto?)", KB_PB_MALFORMED);
			if (f.len > 1024u)
				return fail(why, "ExecAuthorization.path is longer than 1024 bytes", KB_PB_OVERFLOW);
			out->path.data = f.data;
			out->path.len = f.len;
			break;
		default:
			break; /* unknown: a newer sender's field */
		}
	}
	if (err != KB_PB_END)
		return fail(why, "ExecAuthorization is not a valid protobuf message", err);
	return KB_PB_OK;
}

static void example_echo_dispatch(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	example_EchoRequest req;
	const char *why = 0;

	if (example_EchoRequest_decode(call->req, call->req_len, &req, &why) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT, why);
		return;
	}
	example_echo(e, arg, call, &req);
}

int example_echo_reply_buf(struct kb_engine *e, uint64_t token, const example_EchoReply *reply, void *buf, size_t cap)
{
	size_t len;

	if (example_EchoReply_encode(reply, buf, cap, &len) != KB_PB_OK)
		return kb_respond_error(e, token, KB_INTERNAL, "EchoReply does not fit its bounds or the buffer");
	return kb_respond(e, token, KB_OK, buf, len);
}

static void example_stats_dispatch(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	example_StatsRequest req;
	const char *why = 0;

	if (example_StatsRequest_decode(call->req, call->req_len, &req, &why) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT, why);
		return;
	}
	example_stats(e, arg, call, &req);
}

int example_stats_reply_buf(struct kb_engine *e, uint64_t token, const example_StatsReply *reply, void *buf, size_t cap)
{
	size_t len;

	if (example_StatsReply_encode(reply, buf, cap, &len) != KB_PB_OK)
		return kb_respond_error(e, token, KB_INTERNAL, "StatsReply does not fit its bounds or the buffer");
	return kb_respond(e, token, KB_OK, buf, len);
}

int example_stats_reply(struct kb_engine *e, uint64_t token, const example_StatsReply *reply)
{
	uint8_t buf[example_StatsReply_MAX_SIZE + 1];

	return example_stats_reply_buf(e, token, reply, buf, sizeof(buf));
}

static void example_emit_dispatch(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	example_EmitRequest req;
	const char *why = 0;

	if (example_EmitRequest_decode(call->req, call->req_len, &req, &why) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT, why);
		return;
	}
	example_emit(e, arg, call, &req);
}

int example_emit_reply_buf(struct kb_engine *e, uint64_t token, const example_EmitReply *reply, void *buf, size_t cap)
{
	size_t len;

	if (example_EmitReply_encode(reply, buf, cap, &len) != KB_PB_OK)
		return kb_respond_error(e, token, KB_INTERNAL, "EmitReply does not fit its bounds or the buffer");
	return kb_respond(e, token, KB_OK, buf, len);
}

int example_emit_reply(struct kb_engine *e, uint64_t token, const example_EmitReply *reply)
{
	uint8_t buf[example_EmitReply_MAX_SIZE + 1];

	return example_emit_reply_buf(e, token, reply, buf, sizeof(buf));
}

static void example_simulate_exec_dispatch(struct kb_engine *e, void *arg, const struct kb_call *call)
{
	example_SimulateExecRequest req;
	const char *why = 0;

	if (example_SimulateExecRequest_decode(call->req, call->req_len, &req, &why) != KB_PB_OK) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT, why);
		return;
	}
	example_simulate_exec(e, arg, call, &req);
}

int example_simulate_exec_reply_buf(struct kb_engine *e, uint64_t token, const example_SimulateExecReply *reply, void *buf, size_t cap)
{
	size_t len;

	if (example_SimulateExecReply_encode(reply, buf, cap, &len) != KB_PB_OK)
		return kb_respond_error(e, token, KB_INTERNAL, "SimulateExecReply does not fit its bounds or the buffer");
	return kb_respond(e, token, KB_OK, buf, len);
}

int example_simulate_exec_reply(struct kb_engine *e, uint64_t token, const example_SimulateExecReply *reply)
{
	uint8_t buf[example_SimulateExecReply_MAX_SIZE + 1];

	return example_simulate_exec_reply_buf(e, token, reply, buf, sizeof(buf));
}

int example_exec_publish_buf(struct kb_engine *e, const example_ExecEvent *event, void *buf, size_t cap)
{
	size_t len;

	if (example_ExecEvent_encode(event, buf, cap, &len) != KB_PB_OK)
		return KB_R_TOOBIG;
	return kb_publish(e, EXAMPLE_TOPIC_EXEC, buf, len);
}

int example_heartbeat_publish_buf(struct kb_engine *e, const example_Heartbeat *event, void *buf, size_t cap)
{
	size_t len;

	if (example_Heartbeat_encode(event, buf, cap, &len) != KB_PB_OK)
		return KB_R_TOOBIG;
	return kb_publish(e, EXAMPLE_TOPIC_HEARTBEAT, buf, len);
}

int example_authorize_exec_ask(struct kb_engine *e, const example_ExecAuthorization *question, example_ExecVerdict *answer)
{
	uint8_t qbuf[example_ExecAuthorization_MAX_SIZE + 1], abuf[example_ExecVerdict_MAX_SIZE + 16];
	size_t qlen, alen = 0;
	int outcome = KB_UPCALL_INVALID;

	if (example_ExecAuthorization_encode(question, qbuf, sizeof(qbuf), &qlen) == KB_PB_OK) {
		outcome = kb_upcall(e, EXAMPLE_UPCALL_AUTHORIZE_EXEC, qbuf, qlen, abuf, sizeof(abuf), &alen);
		if (example_ExecVerdict_decode(abuf, alen, answer, 0) == KB_PB_OK)
			return outcome;
		outcome = KB_UPCALL_INVALID;
	}
	/* A question over its bounds, or an answer that does not decode: the default. */
	kb_upcall_default_answer(e, EXAMPLE_UPCALL_AUTHORIZE_EXEC, abuf, sizeof(abuf), &alen);
	if (example_ExecVerdict_decode(abuf, alen, answer, 0) != KB_PB_OK)
		kb_memset(answer, 0, sizeof(*answer));
	return outcome;
}

static const struct kb_command_desc commands[] = {
	{ EXAMPLE_CMD_ECHO, "echo", 0, example_echo_dispatch, 0 },
	{ EXAMPLE_CMD_STATS, "stats", 0, example_stats_dispatch, 0 },
	{ EXAMPLE_CMD_EMIT, "emit", KB_ENTRY_PRIVILEGED, example_emit_dispatch, example_emit_cancel },
	{ EXAMPLE_CMD_SIMULATE_EXEC, "simulate_exec", KB_ENTRY_PRIVILEGED, example_simulate_exec_dispatch, example_simulate_exec_cancel },
};

static const struct kb_topic_desc topics[] = {
	{ EXAMPLE_TOPIC_EXEC, "exec", KB_ENTRY_PRIVILEGED },
	{ EXAMPLE_TOPIC_HEARTBEAT, "heartbeat", 0 },
};

struct example_options example_options;

static const struct kb_option_desc options[] = {
	{ EXAMPLE_OPT_LOG_LEVEL, "log_level", KB_ENTRY_PRIVILEGED, KB_VALUE_INT64, INT64_C(0), INT64_C(4), &example_options.log_level, 0, 0, 0 },
	{ EXAMPLE_OPT_MAX_EVENT_RATE, "max_event_rate", KB_ENTRY_PRIVILEGED, KB_VALUE_INT64, INT64_C(0), INT64_C(10000000), &example_options.max_event_rate, 0, 0, 0 },
};

static struct kb_upcall_desc upcalls[] = {
	{ EXAMPLE_UPCALL_AUTHORIZE_EXEC, "authorize_exec", KB_ENTRY_PRIVILEGED, 2000u, 1u },
};

static struct kb_catalog catalog = {
	EXAMPLE_IDENTITY, EXAMPLE_VERSION,
	commands, 4,
	topics, 2,
	options, 2,
	upcalls, 1,
	0,
};

const struct kb_catalog *example_catalog(void *arg)
{
	catalog.arg = arg;
	return &catalog;
}

void example_configure_upcall_timeout(uint32_t ms)
{
	size_t i;

	for (i = 0; i < sizeof(upcalls) / sizeof(upcalls[0]); i++)
		upcalls[i].timeout_ms = ms;
}

static int example_EchoRequest_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_EchoRequest_decode(buf, len, out, why);
}

static int example_EchoRequest_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_EchoRequest_encode(m, buf, cap, len);
}

static int example_EchoReply_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_EchoReply_decode(buf, len, out, why);
}

static int example_EchoReply_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_EchoReply_encode(m, buf, cap, len);
}

static int example_StatsRequest_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_StatsRequest_decode(buf, len, out, why);
}

static int example_StatsRequest_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_StatsRequest_encode(m, buf, cap, len);
}

static int example_StatsReply_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_StatsReply_decode(buf, len, out, why);
}

static int example_StatsReply_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_StatsReply_encode(m, buf, cap, len);
}

static int example_EmitRequest_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_EmitRequest_decode(buf, len, out, why);
}

static int example_EmitRequest_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_EmitRequest_encode(m, buf, cap, len);
}

static int example_EmitReply_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_EmitReply_decode(buf, len, out, why);
}

static int example_EmitReply_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_EmitReply_encode(m, buf, cap, len);
}

static int example_SimulateExecRequest_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_SimulateExecRequest_decode(buf, len, out, why);
}

static int example_SimulateExecRequest_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_SimulateExecRequest_encode(m, buf, cap, len);
}

static int example_SimulateExecReply_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_SimulateExecReply_decode(buf, len, out, why);
}

static int example_SimulateExecReply_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_SimulateExecReply_encode(m, buf, cap, len);
}

static int example_ExecEvent_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_ExecEvent_decode(buf, len, out, why);
}

static int example_ExecEvent_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_ExecEvent_encode(m, buf, cap, len);
}

static int example_Heartbeat_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_Heartbeat_decode(buf, len, out, why);
}

static int example_Heartbeat_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_Heartbeat_encode(m, buf, cap, len);
}

static int example_ExecVerdict_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_ExecVerdict_decode(buf, len, out, why);
}

static int example_ExecVerdict_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_ExecVerdict_encode(m, buf, cap, len);
}

static int example_ExecAuthorization_decode_any(const void *buf, size_t len, void *out, const char **why)
{
	return example_ExecAuthorization_decode(buf, len, out, why);
}

static int example_ExecAuthorization_encode_any(const void *m, void *buf, size_t cap, size_t *len)
{
	return example_ExecAuthorization_encode(m, buf, cap, len);
}

const struct kb_pb_codec example_codecs[] = {
	{ "EchoRequest", sizeof(example_EchoRequest), example_EchoRequest_MAX_SIZE, example_EchoRequest_decode_any, example_EchoRequest_encode_any },
	{ "EchoReply", sizeof(example_EchoReply), example_EchoReply_MAX_SIZE, example_EchoReply_decode_any, example_EchoReply_encode_any },
	{ "StatsRequest", sizeof(example_StatsRequest), example_StatsRequest_MAX_SIZE, example_StatsRequest_decode_any, example_StatsRequest_encode_any },
	{ "StatsReply", sizeof(example_StatsReply), example_StatsReply_MAX_SIZE, example_StatsReply_decode_any, example_StatsReply_encode_any },
	{ "EmitRequest", sizeof(example_EmitRequest), example_EmitRequest_MAX_SIZE, example_EmitRequest_decode_any, example_EmitRequest_encode_any },
	{ "EmitReply", sizeof(example_EmitReply), example_EmitReply_MAX_SIZE, example_EmitReply_decode_any, example_EmitReply_encode_any },
	{ "SimulateExecRequest", sizeof(example_SimulateExecRequest), example_SimulateExecRequest_MAX_SIZE, example_SimulateExecRequest_decode_any, example_SimulateExecRequest_encode_any },
	{ "SimulateExecReply", sizeof(example_SimulateExecReply), example_SimulateExecReply_MAX_SIZE, example_SimulateExecReply_decode_any, example_SimulateExecReply_encode_any },
	{ "ExecEvent", sizeof(example_ExecEvent), example_ExecEvent_MAX_SIZE, example_ExecEvent_decode_any, example_ExecEvent_encode_any },
	{ "Heartbeat", sizeof(example_Heartbeat), example_Heartbeat_MAX_SIZE, example_Heartbeat_decode_any, example_Heartbeat_encode_any },
	{ "ExecVerdict", sizeof(example_ExecVerdict), example_ExecVerdict_MAX_SIZE, example_ExecVerdict_decode_any, example_ExecVerdict_encode_any },
	{ "ExecAuthorization", sizeof(example_ExecAuthorization), example_ExecAuthorization_MAX_SIZE, example_ExecAuthorization_decode_any, example_ExecAuthorization_encode_any },
	{ 0, 0, 0, 0, 0 },
};
