/*
 * Everything the engine sends goes through one queue of whole frames (a
 * byte ring), so the stream keeps its order: a response never overtakes an
 * earlier event and LOSS always precedes the events after a loss. kb_pump
 * packs as many whole frames as fit into each datagram: coalescing comes
 * for free whenever the daemon falls behind or the producer corks.
 */
#include "engine_internal.h"

#define KB_SHORT_MESSAGE 48u

static void ring_put(struct kb_engine *e, const void *src, uint32_t n)
{
	uint32_t tail = (e->ring_head + e->ring_len) % e->ring_cap;
	uint32_t first = e->ring_cap - tail;

	if (first > n)
		first = n;
	kb_memcpy(e->ring + tail, src, first);
	if (n > first)
		kb_memcpy(e->ring, (const uint8_t *)src + first, n - first);
	e->ring_len += n;
}

static void ring_peek(const struct kb_engine *e, uint32_t off, void *dst, uint32_t n)
{
	uint32_t at = (e->ring_head + off) % e->ring_cap;
	uint32_t first = e->ring_cap - at;

	if (first > n)
		first = n;
	kb_memcpy(dst, e->ring + at, first);
	if (n > first)
		kb_memcpy((uint8_t *)dst + first, e->ring, n - first);
}

void kb_tx_reset(struct kb_engine *e)
{
	e->ring_head = 0;
	e->ring_len = 0;
	e->blocked = 0;
	e->cork = 0;
	if (e->timer_armed) {
		e->timer_armed = 0;
		e->p.arm_timer(e->p.ctx, 0);
	}
}

static int room(const struct kb_engine *e, enum kb_tier tier, uint32_t n)
{
	return e->ring_len <= e->tier_limit[tier] && n <= e->tier_limit[tier] - e->ring_len;
}

static void note_backlog(struct kb_engine *e)
{
	if (e->ring_len > e->st.backlog_high_water)
		e->st.backlog_high_water = e->ring_len;
}

int kb_tx_frame(struct kb_engine *e, enum kb_tier tier, uint8_t type, uint32_t id, uint32_t code,
		const void *head, uint32_t head_len, const void *body, uint32_t body_len)
{
	uint8_t hdr[KB_FRAME_HEADER_SIZE];
	uint32_t payload = head_len + body_len;

	if (payload > e->out_datagram - KB_FRAME_HEADER_SIZE)
		return KB_R_TOOBIG;
	if (!room(e, tier, KB_FRAME_HEADER_SIZE + payload))
		return KB_R_BUSY;
	kb_frame_put_header(hdr, type, 0, id, code, payload);
	ring_put(e, hdr, sizeof(hdr));
	if (head_len)
		ring_put(e, head, head_len);
	if (body_len)
		ring_put(e, body, body_len);
	note_backlog(e);
	return KB_R_OK;
}

int kb_tx_message(struct kb_engine *e, enum kb_tier tier, uint8_t type, uint32_t id, uint32_t code,
		  const void *body, uint32_t len)
{
	uint32_t chunk = e->out_datagram - KB_FRAME_HEADER_SIZE;
	uint32_t frames = len == 0 ? 1 : (len + chunk - 1) / chunk;
	const uint8_t *p = body;
	uint8_t hdr[KB_FRAME_HEADER_SIZE];

	if (len > e->out_message)
		return KB_R_TOOBIG;
	if (!room(e, tier, frames * KB_FRAME_HEADER_SIZE + len))
		return KB_R_BUSY;
	do {
		uint32_t n = len < chunk ? len : chunk;

		kb_frame_put_header(hdr, type, len > n ? KB_FLAG_MORE : 0, id, code, n);
		ring_put(e, hdr, sizeof(hdr));
		if (n) {
			ring_put(e, p, n);
			p += n;
			len -= n;
		}
	} while (len);
	note_backlog(e);
	return KB_R_OK;
}

void kb_tx_error_locked(struct kb_engine *e, uint32_t request_id, uint32_t status,
			const char *a, const char *b)
{
	char msg[KB_SHORT_MESSAGE];
	size_t n = kb_fmt_str(msg, sizeof(msg), a);

	if (b)
		n += kb_fmt_str(msg + n, sizeof(msg) - n, b);
	e->st.responses++;
	if (kb_tx_frame(e, KB_TIER_CONTROL, KB_RESPONSE, request_id, status, 0, 0, msg,
			(uint32_t)n) != KB_R_OK)
		kb_tx_frame(e, KB_TIER_LAST_RESORT, KB_RESPONSE, request_id, status, 0, 0, msg,
			    (uint32_t)n);
}

void kb_tx_response_locked(struct kb_engine *e, uint32_t request_id, uint32_t status,
			   const void *data, size_t len)
{
	char num[24];
	int r;

	if (len > e->out_message) {
		num[kb_fmt_u64(num, sizeof(num) - 1, len)] = 0;
		kb_tx_error_locked(e, request_id, KB_RESOURCE_EXHAUSTED, "reply too large: ", num);
		return;
	}
	r = kb_tx_message(e, KB_TIER_CONTROL, KB_RESPONSE, request_id, status, data,
			  (uint32_t)len);
	if (r == KB_R_OK) {
		e->st.responses++;
		return;
	}
	/* The daemon is not reading; this call must still end. */
	kb_tx_error_locked(e, request_id, KB_RESOURCE_EXHAUSTED, "kext backlog full; reply dropped",
			   0);
}

/* Queue LOSS frames for every topic with an untold loss, all or none. */
static int tell_losses(struct kb_engine *e)
{
	uint32_t i, need = e->loss_pending * (KB_FRAME_HEADER_SIZE + KB_LOSS_SIZE);
	uint8_t body[KB_LOSS_SIZE];

	if (!room(e, KB_TIER_EVENT, need))
		return 0;
	for (i = 0; i < e->cat->n_topics; i++) {
		struct kb_topic_state *t = &e->topics[i];

		if (!t->lost)
			continue;
		kb_put_u64(body, t->lost);
		kb_put_u64(body + 8, t->first_lost);
		kb_put_u64(body + 16, t->last_lost);
		kb_tx_frame(e, KB_TIER_EVENT, KB_LOSS, 0, e->cat->topics[i].id, 0, 0, body,
			    sizeof(body));
		t->lost = 0;
		e->st.loss_frames++;
	}
	e->loss_pending = 0;
	return 1;
}

void kb_pump(struct kb_engine *e)
{
	for (;;) {
		uint32_t packed = 0, frames = 0;
		int r;

		/* A loss is told as soon as there is room, not only before the next event. */
		if (e->loss_pending && e->welcomed)
			tell_losses(e);
		if (!e->connected || e->gone || e->blocked || !e->ring_len)
			return;
		if (e->cork && e->ring_len < e->out_datagram)
			return;
		while (packed < e->ring_len) {
			uint8_t hdr[KB_FRAME_HEADER_SIZE];
			uint32_t flen;

			ring_peek(e, packed, hdr, sizeof(hdr));
			flen = KB_FRAME_HEADER_SIZE + kb_get_u32(hdr + KB_HDR_LENGTH);
			if (flen > e->out_datagram - packed)
				break;
			ring_peek(e, packed, e->tx + packed, flen);
			packed += flen;
			frames++;
		}
		if (packed == 0) {
			/* Cannot happen: frames are sized to out_datagram when queued
			 * and the ring is emptied when it is renegotiated. */
			e->gone = 1;
			return;
		}
		r = e->p.send(e->p.ctx, e->owner, e->tx, packed);
		if (r == KB_SEND_OK) {
			e->ring_head = (e->ring_head + packed) % e->ring_cap;
			e->ring_len -= packed;
			e->st.datagrams_out++;
			e->st.frames_out += frames;
			e->st.bytes_out += packed;
		} else if (r == KB_SEND_FULL) {
			e->blocked = 1;
			e->st.send_full++;
			if (!e->timer_armed) {
				e->timer_armed = 1;
				e->p.arm_timer(e->p.ctx, e->cfg.retry_ms);
			}
		} else {
			e->gone = 1;
		}
	}
}

void kb_engine_writable(struct kb_engine *e, uint32_t unit)
{
	e->p.lock(e->p.ctx);
	if (e->connected && e->owner == unit) {
		e->blocked = 0;
		kb_pump(e);
	}
	e->p.unlock(e->p.ctx);
}

void kb_engine_tick(struct kb_engine *e)
{
	e->p.lock(e->p.ctx);
	e->timer_armed = 0;
	e->blocked = 0;
	kb_pump(e);
	e->p.unlock(e->p.ctx);
}

void kb_cork(struct kb_engine *e)
{
	e->p.lock(e->p.ctx);
	e->cork++;
	e->p.unlock(e->p.ctx);
}

void kb_uncork(struct kb_engine *e)
{
	e->p.lock(e->p.ctx);
	if (e->cork)
		e->cork--;
	kb_pump(e);
	e->p.unlock(e->p.ctx);
}

int kb_respond(struct kb_engine *e, uint64_t token, uint32_t status, const void *data, size_t len)
{
	uint32_t idx = (uint32_t)token, gen = (uint32_t)(token >> 32);
	struct kb_pending *pc;

	e->p.lock(e->p.ctx);
	if (idx >= e->cfg.max_inflight || !e->pending[idx].used || e->pending[idx].gen != gen) {
		e->p.unlock(e->p.ctx);
		return KB_R_STALE;
	}
	pc = &e->pending[idx];
	pc->used = 0;
	pc->gen++;
	kb_tx_response_locked(e, pc->request_id, status, data, len);
	kb_pump(e);
	e->p.unlock(e->p.ctx);
	return KB_R_OK;
}

int kb_respond_error(struct kb_engine *e, uint64_t token, uint32_t status, const char *msg)
{
	return kb_respond(e, token, status == KB_OK ? KB_UNKNOWN : status, msg,
			  msg ? kb_strnlen(msg, 1024) : 0);
}

static void lose(struct kb_engine *e, struct kb_topic_state *t, uint64_t seq)
{
	if (!t->lost) {
		t->first_lost = seq;
		e->loss_pending++;
	}
	t->lost++;
	t->last_lost = seq;
	e->st.events_lost++;
}

uint32_t kb_max_event_size(struct kb_engine *e)
{
	uint32_t n = 0;

	e->p.lock(e->p.ctx);
	if (e->connected && e->welcomed)
		n = e->out_datagram - KB_FRAME_HEADER_SIZE - KB_EVENT_HEAD_SIZE;
	e->p.unlock(e->p.ctx);
	return n;
}

int kb_topic_wanted(struct kb_engine *e, uint32_t topic)
{
	int i, wanted;

	e->p.lock(e->p.ctx);
	i = kb_find_topic(e, topic);
	wanted = e->welcomed && i >= 0 && e->topics[i].wanted;
	e->p.unlock(e->p.ctx);
	return wanted;
}

int kb_publish(struct kb_engine *e, uint32_t topic, const void *data, size_t len)
{
	uint8_t head[KB_EVENT_HEAD_SIZE];
	struct kb_topic_state *t;
	int i, r;

	e->p.lock(e->p.ctx);
	if (!e->connected || !e->welcomed) {
		i = kb_find_topic(e, topic);
		if (i >= 0 && e->topics[i].wanted_when_left)
			e->topics[i].missed++;
		e->p.unlock(e->p.ctx);
		return KB_R_NOCONN;
	}
	i = kb_find_topic(e, topic);
	if (i < 0) {
		e->p.unlock(e->p.ctx);
		return KB_R_INVAL;
	}
	t = &e->topics[i];
	if (!t->wanted) {
		e->st.events_unwanted++;
		e->p.unlock(e->p.ctx);
		return KB_R_UNWANTED;
	}
	if (len > e->out_datagram - KB_FRAME_HEADER_SIZE - KB_EVENT_HEAD_SIZE) {
		e->p.unlock(e->p.ctx);
		return KB_R_TOOBIG;
	}
	e->seq++;
	kb_put_u64(head, e->seq);
	kb_put_u64(head + 8, e->p.now_ns(e->p.ctx));
	if (e->loss_pending && !tell_losses(e)) {
		lose(e, t, e->seq);
		r = KB_R_LOST;
	} else if (kb_tx_frame(e, KB_TIER_EVENT, KB_EVENT, 0, topic, head, sizeof(head), data,
			       (uint32_t)len) != KB_R_OK) {
		lose(e, t, e->seq);
		r = KB_R_LOST;
	} else {
		e->st.events_published++;
		r = KB_R_OK;
	}
	kb_pump(e);
	e->p.unlock(e->p.ctx);
	return r;
}
