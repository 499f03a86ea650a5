/*
 * Input from the daemon: frame parsing, MORE reassembly and dispatch.
 * Every length is checked against the datagram before it is used; a bad
 * frame is counted and the rest of its datagram dropped.
 */
#include "engine_internal.h"

void kb_rx_reset(struct kb_engine *e)
{
	e->rx_active = 0;
	e->rx_refused = 0;
	e->rx_len = 0;
}

static void respond_error_u32(struct kb_engine *e, uint32_t id, uint32_t status, const char *what,
			      uint64_t n)
{
	char num[24];

	num[kb_fmt_u64(num, sizeof(num) - 1, n)] = 0;
	kb_tx_error_locked(e, id, status, what, num);
}

static void goodbye(struct kb_engine *e, uint32_t reason, const char *a, const char *b)
{
	char msg[96];
	size_t n = kb_fmt_str(msg, sizeof(msg), a);

	if (b)
		n += kb_fmt_str(msg + n, sizeof(msg) - n, b);
	kb_tx_frame(e, KB_TIER_LAST_RESORT, KB_GOODBYE, 0, reason, 0, 0, msg, (uint32_t)n);
}

static void handle_hello(struct kb_engine *e, const uint8_t *p, uint32_t len)
{
	uint16_t vmin, vmax, chosen;
	uint32_t max_dgram, max_msg;
	size_t wlen;

	if (len < KB_HELLO_SIZE) {
		e->st.malformed++;
		return;
	}
	vmin = kb_get_u16(p);
	vmax = kb_get_u16(p + 2);
	max_dgram = kb_get_u32(p + 4);
	max_msg = kb_get_u32(p + 8);
	if (max_dgram < KB_MIN_DATAGRAM) {
		goodbye(e, KB_BYE_PROTOCOL, "daemon max_datagram below 1024", 0);
		return;
	}
	chosen = vmax < KB_PROTOCOL_VERSION ? vmax : KB_PROTOCOL_VERSION;
	if (vmin > vmax || chosen < vmin || chosen < KB_PROTOCOL_VERSION_MIN) {
		char range[64];
		size_t n = kb_fmt_u64(range, 20, vmin);

		range[n++] = '.';
		range[n++] = '.';
		n += kb_fmt_u64(range + n, 20, vmax);
		n += kb_fmt_str(range + n, sizeof(range) - 1 - n, ", kext speaks 1..1");
		range[n] = 0;
		goodbye(e, KB_BYE_VERSION, "no common protocol version: daemon speaks ", range);
		return;
	}
	/* A second HELLO starts a new session on the same connection. */
	if (e->welcomed) {
		kb_session_reset(e);
		kb_tx_reset(e);
	}
	e->out_datagram = max_dgram < e->cfg.max_datagram_out ? max_dgram : e->cfg.max_datagram_out;
	e->out_message = max_msg < e->cfg.max_message ? max_msg : e->cfg.max_message;
	if (e->out_message < e->out_datagram - KB_FRAME_HEADER_SIZE)
		e->out_message = e->out_datagram - KB_FRAME_HEADER_SIZE;
	/* The HELLO fields are read; the reassembly buffer is free to reuse. */
	wlen = kb_welcome_build(e, e->rx);
	if (kb_tx_message(e, KB_TIER_CONTROL, KB_WELCOME, 0, 0, e->rx, (uint32_t)wlen) != KB_R_OK) {
		goodbye(e, KB_BYE_PROTOCOL, "catalog larger than the daemon's max_message", 0);
		return;
	}
	e->welcomed = 1;
}

static void handle_request(struct kb_engine *e, uint32_t id, uint32_t code, const uint8_t *p,
			   uint32_t len)
{
	const struct kb_command_desc *cmd;
	struct kb_call call;
	uint32_t i, free_slot = e->cfg.max_inflight;
	int ci;

	e->st.requests++;
	ci = kb_find_command(e, code);
	if (ci < 0) {
		e->st.unknown_commands++;
		respond_error_u32(e, id, KB_UNIMPLEMENTED, "unknown command ", code);
		return;
	}
	for (i = 0; i < e->cfg.max_inflight; i++) {
		if (e->pending[i].used && e->pending[i].request_id == id) {
			respond_error_u32(e, id, KB_INVALID_ARGUMENT, "request id already pending: ",
					  id);
			return;
		}
		if (!e->pending[i].used && free_slot == e->cfg.max_inflight)
			free_slot = i;
	}
	if (free_slot == e->cfg.max_inflight) {
		e->st.inflight_rejected++;
		respond_error_u32(e, id, KB_RESOURCE_EXHAUSTED, "calls pending at the kext: ",
				  e->cfg.max_inflight);
		return;
	}
	e->pending[free_slot].used = 1;
	e->pending[free_slot].request_id = id;
	e->pending[free_slot].command = (uint32_t)ci;
	cmd = &e->cat->commands[ci];
	call.command = code;
	call.token = ((uint64_t)e->pending[free_slot].gen << 32) | free_slot;
	call.req = p;
	call.req_len = len;
	e->p.unlock(e->p.ctx);
	cmd->handler(e, e->cat->arg, &call);
	e->p.lock(e->p.ctx);
}

static void handle_cancel(struct kb_engine *e, uint32_t id)
{
	const struct kb_command_desc *cmd;
	uint64_t token;
	uint32_t i;

	for (i = 0; i < e->cfg.max_inflight; i++) {
		struct kb_pending *pc = &e->pending[i];

		if (!pc->used || pc->request_id != id)
			continue;
		e->st.cancels++;
		token = ((uint64_t)pc->gen << 32) | i;
		cmd = &e->cat->commands[pc->command];
		pc->used = 0;
		pc->gen++;
		kb_tx_error_locked(e, id, KB_CANCELLED, "cancelled by the daemon", 0);
		if (cmd->cancel) {
			e->p.unlock(e->p.ctx);
			cmd->cancel(e, e->cat->arg, token);
			e->p.lock(e->p.ctx);
		}
		return;
	}
	e->st.cancels_unknown++;
}

static size_t fmt_i64(char *out, size_t cap, int64_t v)
{
	size_t n = 0;

	if (v < 0 && cap) {
		out[n++] = '-';
		return n + kb_fmt_u64(out + n, cap - n, (uint64_t)0 - (uint64_t)v);
	}
	return kb_fmt_u64(out, cap, (uint64_t)v);
}

static void option_get(struct kb_engine *e, uint32_t id, const struct kb_option_desc *o)
{
	uint8_t v[8];

	e->st.opt_gets++;
	switch (o->type) {
	case KB_VALUE_BOOL:
		v[0] = *o->int_value ? 1 : 0;
		kb_tx_response_locked(e, id, KB_OK, v, 1);
		break;
	case KB_VALUE_INT64:
		kb_put_u64(v, (uint64_t)*o->int_value);
		kb_tx_response_locked(e, id, KB_OK, v, 8);
		break;
	default:
		kb_tx_response_locked(e, id, KB_OK, o->buf, *o->buf_len);
		break;
	}
}

/* Type and bounds; returns the status and leaves a message in msg. */
static uint32_t option_check(const struct kb_option_desc *o, const uint8_t *p, uint32_t len,
			     char *msg, size_t cap)
{
	size_t n;
	int64_t v;

	if (o->flags & KB_ENTRY_READONLY) {
		msg[kb_fmt_str(msg, cap - 1, "option is read-only")] = 0;
		return KB_PERMISSION_DENIED;
	}
	switch (o->type) {
	case KB_VALUE_BOOL:
		if (len != 1 || p[0] > 1) {
			msg[kb_fmt_str(msg, cap - 1, "bool option takes 1 byte, 0 or 1")] = 0;
			return KB_INVALID_ARGUMENT;
		}
		return KB_OK;
	case KB_VALUE_INT64:
		if (len != 8) {
			msg[kb_fmt_str(msg, cap - 1, "int64 option takes 8 bytes")] = 0;
			return KB_INVALID_ARGUMENT;
		}
		v = (int64_t)kb_get_u64(p);
		if (v < o->min || v > o->max) {
			n = kb_fmt_str(msg, cap - 1, "value outside ");
			n += fmt_i64(msg + n, cap - 1 - n, o->min);
			n += kb_fmt_str(msg + n, cap - 1 - n, "..");
			n += fmt_i64(msg + n, cap - 1 - n, o->max);
			msg[n] = 0;
			return KB_OUT_OF_RANGE;
		}
		return KB_OK;
	default:
		if (len > (uint64_t)o->max) {
			n = kb_fmt_str(msg, cap - 1, "value longer than ");
			n += fmt_i64(msg + n, cap - 1 - n, o->max);
			n += kb_fmt_str(msg + n, cap - 1 - n, " bytes");
			msg[n] = 0;
			return KB_OUT_OF_RANGE;
		}
		return KB_OK;
	}
}

static void option_set(struct kb_engine *e, uint32_t id, const struct kb_option_desc *o,
		       const uint8_t *p, uint32_t len)
{
	char msg[48];
	uint32_t st;

	e->st.opt_sets++;
	st = option_check(o, p, len, msg, sizeof(msg));
	if (st == KB_OK && o->on_set) {
		e->p.unlock(e->p.ctx);
		st = o->on_set(e->cat->arg, o->id, p, len);
		e->p.lock(e->p.ctx);
		if (st != KB_OK)
			msg[kb_fmt_str(msg, sizeof(msg) - 1, "value refused by the kext")] = 0;
	}
	if (st != KB_OK) {
		e->st.opt_rejected++;
		kb_tx_error_locked(e, id, st, msg, 0);
		return;
	}
	switch (o->type) {
	case KB_VALUE_BOOL:
		*o->int_value = p[0];
		break;
	case KB_VALUE_INT64:
		*o->int_value = (int64_t)kb_get_u64(p);
		break;
	default:
		if (len)
			kb_memcpy(o->buf, p, len);
		*o->buf_len = len;
		break;
	}
	kb_tx_response_locked(e, id, KB_OK, 0, 0);
}

static void handle_option(struct kb_engine *e, uint8_t type, uint32_t id, uint32_t code,
			  const uint8_t *p, uint32_t len)
{
	int i = kb_find_option(e, code);

	if (i < 0) {
		e->st.opt_rejected++;
		respond_error_u32(e, id, KB_NOT_FOUND, "unknown option ", code);
		return;
	}
	if (type == KB_OPT_GET)
		option_get(e, id, &e->cat->options[i]);
	else
		option_set(e, id, &e->cat->options[i], p, len);
}

static void handle_subscribe(struct kb_engine *e, const uint8_t *p, uint32_t len)
{
	uint32_t i;

	if (len % 4) {
		e->st.malformed++;
		return;
	}
	for (i = 0; i < e->cat->n_topics; i++)
		e->topics[i].wanted = 0;
	for (i = 0; i < len; i += 4) {
		int t = kb_find_topic(e, kb_get_u32(p + i));

		if (t < 0)
			e->st.unknown_topics++;
		else
			e->topics[t].wanted = 1;
	}
	/* What the last session wanted and missed while no daemon was here:
	 * told as lost with the next seqs, if this daemon still wants it. */
	for (i = 0; i < e->cat->n_topics; i++) {
		struct kb_topic_state *t = &e->topics[i];

		if (t->missed && t->wanted && !t->lost) {
			t->first_lost = e->seq + 1;
			e->seq += t->missed;
			t->last_lost = e->seq;
			t->lost = t->missed;
			e->loss_pending++;
			e->st.events_lost += t->missed;
		}
		t->missed = 0;
		t->wanted_when_left = 0;
	}
	e->topics_dirty = 1;
}

static void dispatch(struct kb_engine *e, uint8_t type, uint32_t id, uint32_t code,
		     const uint8_t *p, uint32_t len)
{
	if (!e->welcomed && type != KB_HELLO && type != KB_PING && type != KB_GOODBYE) {
		e->st.out_of_order++;
		if (type == KB_REQUEST || type == KB_OPT_GET || type == KB_OPT_SET)
			kb_tx_error_locked(e, id, KB_FAILED_PRECONDITION, "send HELLO first", 0);
		return;
	}
	switch (type) {
	case KB_HELLO:
		handle_hello(e, p, len);
		break;
	case KB_REQUEST:
		handle_request(e, id, code, p, len);
		break;
	case KB_CANCEL:
		handle_cancel(e, id);
		break;
	case KB_OPT_GET:
	case KB_OPT_SET:
		handle_option(e, type, id, code, p, len);
		break;
	case KB_SUBSCRIBE:
		handle_subscribe(e, p, len);
		break;
	case KB_UPCALL_REPLY:
		kb_upcall_reply_locked(e, id, code, p, len);
		break;
	case KB_PING:
		e->st.pings++;
		kb_tx_frame(e, KB_TIER_CONTROL, KB_PONG, id, 0, 0, 0, 0, 0);
		break;
	case KB_PONG:
		break;
	case KB_GOODBYE:
		/* The daemon is leaving: no more events, waiters get their default. */
		kb_session_reset(e);
		break;
	default:
		/* WELCOME, RESPONSE, EVENT, LOSS, UPCALL only travel to the daemon. */
		e->st.malformed++;
		break;
	}
}

/* MORE continuation: one message at a time, refused past max_message. */
static void reassemble(struct kb_engine *e, const struct kb_frame *f)
{
	if (!e->rx_active || f->type != e->rx_type || f->id != e->rx_id) {
		if (e->rx_active)
			e->st.reassembly_refused++; /* abandoned for a new message */
		e->rx_active = 1;
		e->rx_refused = 0;
		e->rx_type = f->type;
		e->rx_id = f->id;
		e->rx_code = f->code;
		e->rx_len = 0;
	}
	if (!e->rx_refused) {
		if (f->length > e->cfg.max_message - e->rx_len) {
			e->rx_refused = 1;
		} else {
			kb_memcpy(e->rx + e->rx_len, f->payload, f->length);
			e->rx_len += f->length;
		}
	}
	if (f->flags & KB_FLAG_MORE)
		return;
	e->rx_active = 0;
	if (e->rx_refused) {
		e->st.reassembly_refused++;
		if (e->rx_type == KB_REQUEST || e->rx_type == KB_OPT_SET)
			respond_error_u32(e, e->rx_id, KB_RESOURCE_EXHAUSTED,
					  "message larger than the kext's limit of ",
					  e->cfg.max_message);
		return;
	}
	dispatch(e, e->rx_type, e->rx_id, e->rx_code, e->rx, e->rx_len);
}

void kb_engine_input(struct kb_engine *e, uint32_t unit, const void *data, size_t len)
{
	const uint8_t *buf = data;
	struct kb_frame f;
	size_t off = 0;
	int r;

	e->p.lock(e->p.ctx);
	while (e->in_input && e->connected && e->owner == unit)
		e->p.sleep(e->p.ctx, &e->in_input, e->p.now_ns(e->p.ctx) + 1000000000ull);
	if (!e->connected || e->owner != unit) {
		e->p.unlock(e->p.ctx);
		return;
	}
	e->in_input = 1;
	e->st.datagrams_in++;
	e->st.bytes_in += len;
	/* The daemon just read or wrote: worth trying what was blocked. */
	e->blocked = 0;
	if (len > e->cfg.max_datagram_in) {
		e->st.malformed++;
		len = 0;
	}
	while ((r = kb_frame_next(buf, len, &off, &f)) == KB_FRAME_OK) {
		e->st.frames_in++;
		if ((f.flags & KB_FLAG_MORE) || (e->rx_active && f.type == e->rx_type &&
						 f.id == e->rx_id))
			reassemble(e, &f);
		else
			dispatch(e, f.type, f.id, f.code, f.payload, f.length);
		if (!e->connected || e->owner != unit)
			break;
	}
	if (r != KB_FRAME_OK && r != KB_FRAME_END)
		e->st.malformed++;
	kb_pump(e);
	e->in_input = 0;
	e->p.wakeup(e->p.ctx, &e->in_input);
	kb_unlock_and_notify(e);
}
