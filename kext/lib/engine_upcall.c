/*
 * Upcalls: a kext thread asks the daemon and sleeps until the answer, its
 * timeout, or the daemon leaving. Many threads may wait at once; each has
 * its own slot, and the daemon's reply is copied straight into the waiting
 * thread's buffer.
 */
#include <kextbridge/pb.h>

#include "engine_internal.h"

void kb_upcall_reply_locked(struct kb_engine *e, uint32_t id, uint32_t status,
			    const uint8_t *answer, size_t len)
{
	uint32_t i;

	for (i = 0; i < e->cfg.max_upcalls; i++) {
		struct kb_upslot *s = &e->up[i];

		if (s->state != KB_UP_WAITING || s->id != id)
			continue;
		if (status != KB_OK) {
			s->outcome = KB_UPCALL_REFUSED;
		} else if (len > s->answer_cap) {
			s->outcome = KB_UPCALL_INVALID;
		} else {
			if (len)
				kb_memcpy(s->answer, answer, len);
			s->answer_len = len;
			s->outcome = KB_UPCALL_ANSWERED;
		}
		s->state = KB_UP_DONE;
		e->p.wakeup(e->p.ctx, s);
		return;
	}
	e->st.upcall_replies_unknown++;
}

void kb_upcall_abort_all(struct kb_engine *e, int outcome)
{
	uint32_t i;

	for (i = 0; i < e->cfg.max_upcalls; i++) {
		struct kb_upslot *s = &e->up[i];

		if (s->state != KB_UP_WAITING)
			continue;
		s->outcome = outcome;
		s->state = KB_UP_DONE;
		e->p.wakeup(e->p.ctx, s);
	}
}

static struct kb_upslot *take_slot(struct kb_engine *e)
{
	uint32_t i;

	for (i = 0; i < e->cfg.max_upcalls; i++)
		if (e->up[i].state == KB_UP_FREE)
			return &e->up[i];
	return 0;
}

/* The default answer: field 1 = verdict, a varint (proto3 leaves 0 out). */
static size_t encode_default(uint32_t verdict, void *answer, size_t cap)
{
	struct kb_pb_writer w;
	size_t len;

	if (!answer)
		return 0;
	kb_pb_writer_init(&w, answer, cap);
	if (verdict)
		kb_pb_put_varint(&w, 1, verdict);
	return kb_pb_finish(&w, &len) == KB_PB_OK ? len : 0;
}

int kb_upcall_default_answer(struct kb_engine *e, uint32_t kind, void *answer, size_t answer_cap,
			     size_t *answer_len)
{
	uint32_t verdict;
	int i;

	if (answer_len)
		*answer_len = 0;
	e->p.lock(e->p.ctx);
	i = kb_find_upcall(e, kind);
	verdict = i < 0 ? 0 : e->cat->upcalls[i].default_verdict;
	e->p.unlock(e->p.ctx);
	if (i < 0)
		return KB_R_INVAL;
	if (answer_len)
		*answer_len = encode_default(verdict, answer, answer_cap);
	return KB_R_OK;
}

/* Every outcome but ANSWERED (and an unknown kind) ends here: the default answer. */
static int defaulted(struct kb_engine *e, const struct kb_upcall_desc *u, int outcome,
		     void *answer, size_t answer_cap, size_t *answer_len)
{
	e->st.upcalls_defaulted++;
	if (answer_len)
		*answer_len = encode_default(u->default_verdict, answer, answer_cap);
	e->p.unlock(e->p.ctx);
	return outcome;
}

int kb_upcall(struct kb_engine *e, uint32_t kind, const void *question, size_t question_len,
	      void *answer, size_t answer_cap, size_t *answer_len)
{
	const struct kb_upcall_desc *u;
	struct kb_upslot *s;
	uint8_t head[KB_UPCALL_HEAD_SIZE];
	uint64_t deadline;
	int i, outcome;

	if (answer_len)
		*answer_len = 0;
	e->p.lock(e->p.ctx);
	i = kb_find_upcall(e, kind);
	if (i < 0) {
		e->p.unlock(e->p.ctx);
		return KB_UPCALL_INVALID;
	}
	u = &e->cat->upcalls[i];
	e->st.upcalls++;
	if (!e->connected || !e->welcomed || e->gone)
		return defaulted(e, u, KB_UPCALL_NO_DAEMON, answer, answer_cap, answer_len);
	s = take_slot(e);
	if (!s)
		return defaulted(e, u, KB_UPCALL_BUSY, answer, answer_cap, answer_len);
	s->id = e->next_upcall_id++;
	if (e->next_upcall_id == 0)
		e->next_upcall_id = 1;
	kb_put_u32(head, u->timeout_ms);
	kb_put_u32(head + 4, u->default_verdict);
	if (question_len > 0xffffffffu ||
	    kb_tx_frame(e, KB_TIER_CONTROL, KB_UPCALL, s->id, kind, head, sizeof(head), question,
			(uint32_t)question_len) != KB_R_OK)
		return defaulted(e, u, question_len > e->out_datagram ? KB_UPCALL_INVALID : KB_UPCALL_BUSY,
				 answer, answer_cap, answer_len);
	s->state = KB_UP_WAITING;
	s->answer = answer;
	s->answer_cap = answer ? answer_cap : 0;
	s->answer_len = 0;
	kb_pump(e);

	deadline = e->p.now_ns(e->p.ctx) + (uint64_t)u->timeout_ms * 1000000ull;
	while (s->state == KB_UP_WAITING) {
		if (e->p.now_ns(e->p.ctx) >= deadline) {
			s->outcome = KB_UPCALL_TIMEOUT;
			break;
		}
		e->p.sleep(e->p.ctx, s, deadline);
	}
	outcome = s->outcome;
	s->state = KB_UP_FREE;
	s->answer = 0;
	if (outcome != KB_UPCALL_ANSWERED)
		return defaulted(e, u, outcome, answer, answer_cap, answer_len);
	if (answer_len)
		*answer_len = s->answer_len;
	e->st.upcalls_answered++;
	e->p.unlock(e->p.ctx);
	return outcome;
}
