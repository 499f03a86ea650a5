/*
 * Upcalls: a kext thread asks the daemon and sleeps until the answer, its
 * timeout, or the daemon leaving. Many threads may wait at once; each has
 * its own slot, and the daemon's reply is copied straight into the waiting
 * thread's buffer.
 */
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
	if (!e->connected || !e->welcomed || e->gone) {
		e->st.upcalls_defaulted++;
		e->p.unlock(e->p.ctx);
		return KB_UPCALL_NO_DAEMON;
	}
	s = take_slot(e);
	if (!s) {
		e->st.upcalls_defaulted++;
		e->p.unlock(e->p.ctx);
		return KB_UPCALL_BUSY;
	}
	s->id = e->next_upcall_id++;
	if (e->next_upcall_id == 0)
		e->next_upcall_id = 1;
	kb_put_u32(head, u->timeout_ms);
	kb_put_u32(head + 4, u->default_verdict);
	if (question_len > 0xffffffffu ||
	    kb_tx_frame(e, KB_TIER_CONTROL, KB_UPCALL, s->id, kind, head, sizeof(head), question,
			(uint32_t)question_len) != KB_R_OK) {
		e->st.upcalls_defaulted++;
		e->p.unlock(e->p.ctx);
		return question_len > e->out_datagram ? KB_UPCALL_INVALID : KB_UPCALL_BUSY;
	}
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
	if (outcome == KB_UPCALL_ANSWERED && answer_len)
		*answer_len = s->answer_len;
	s->state = KB_UP_FREE;
	s->answer = 0;
	if (outcome == KB_UPCALL_ANSWERED)
		e->st.upcalls_answered++;
	else
		e->st.upcalls_defaulted++;
	e->p.unlock(e->p.ctx);
	return outcome;
}
