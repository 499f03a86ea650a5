/* State shared by the engine's files; not part of the kext author's API. */
#ifndef KB_ENGINE_INTERNAL_H
#define KB_ENGINE_INTERNAL_H

#include <kextbridge/engine.h>
#include <kextbridge/frame.h>

#include "kb_string.h"

struct kb_pending {
	uint32_t gen;           /* bumps on every reuse: stale tokens never match */
	uint32_t request_id;
	uint32_t command;       /* index into the catalog's commands */
	uint8_t used;
};

enum { KB_UP_FREE = 0, KB_UP_WAITING = 1, KB_UP_DONE = 2 };

struct kb_upslot {
	uint32_t id;
	uint8_t state;
	int outcome;
	uint8_t *answer;
	size_t answer_cap, answer_len;
};

struct kb_topic_state {
	uint8_t wanted;
	/* Wanted when the last session ended: what is published to it until the
	 * next daemon SUBSCRIBEs is counted in missed, and told to that daemon
	 * as a LOSS (seqs 1..missed of its session), so a link that drops and
	 * comes back shows the gap instead of hiding it. */
	uint8_t wanted_when_left;
	uint64_t lost, first_lost, last_lost, missed;
};

/* Which share of the backlog a frame may use; see engine_tx.c. */
enum kb_tier { KB_TIER_EVENT = 0, KB_TIER_CONTROL = 1, KB_TIER_LAST_RESORT = 2 };

struct kb_engine {
	struct kb_platform p;
	struct kb_engine_config cfg;
	const struct kb_catalog *cat;

	/* Connection. */
	uint8_t connected, welcomed, gone;
	uint32_t owner;
	uint32_t out_datagram;  /* negotiated: min(config, daemon's max) */
	uint32_t out_message;
	uint64_t seq;

	/* One reader at a time: handlers run unlocked, so the flag keeps a
	 * second input thread off the reassembly buffer meanwhile. */
	uint8_t in_input;

	/* Reassembly of MORE-continued messages from the daemon. */
	uint8_t *rx;
	uint32_t rx_len;
	uint8_t rx_active, rx_refused, rx_type;
	uint32_t rx_id, rx_code;

	/* Outgoing: frames wait in a byte ring; tx packs them into datagrams. */
	uint8_t *tx;
	uint8_t *ring;
	uint32_t ring_cap, ring_head, ring_len;
	uint32_t tier_limit[3];
	uint32_t cork;
	uint8_t blocked, timer_armed;

	struct kb_pending *pending;
	struct kb_upslot *up;
	uint32_t next_upcall_id;
	struct kb_topic_state *topics;
	uint32_t loss_pending;  /* topics with a loss not yet told */
	uint8_t topics_dirty;   /* platform->topics_changed is due */

	struct kb_engine_stats st;
};

/* engine.c */
void kb_log(struct kb_engine *e, const char *a, const char *b);
int kb_find_command(const struct kb_engine *e, uint32_t id);
int kb_find_topic(const struct kb_engine *e, uint32_t id);
int kb_find_option(const struct kb_engine *e, uint32_t id);
int kb_find_upcall(const struct kb_engine *e, uint32_t id);
void kb_session_reset(struct kb_engine *e);
/* Called with the lock held; releases it and tells the platform of topic changes. */
void kb_unlock_and_notify(struct kb_engine *e);
size_t kb_welcome_size(const struct kb_catalog *cat);
size_t kb_welcome_build(const struct kb_engine *e, uint8_t *out);

/* engine_tx.c */
int kb_tx_frame(struct kb_engine *e, enum kb_tier tier, uint8_t type, uint32_t id, uint32_t code,
		const void *head, uint32_t head_len, const void *body, uint32_t body_len);
int kb_tx_message(struct kb_engine *e, enum kb_tier tier, uint8_t type, uint32_t id, uint32_t code,
		  const void *body, uint32_t len);
void kb_tx_response_locked(struct kb_engine *e, uint32_t request_id, uint32_t status,
			   const void *data, size_t len);
void kb_tx_error_locked(struct kb_engine *e, uint32_t request_id, uint32_t status,
			const char *a, const char *b);
void kb_pump(struct kb_engine *e);
void kb_tx_reset(struct kb_engine *e);

/* engine_upcall.c */
void kb_upcall_reply_locked(struct kb_engine *e, uint32_t id, uint32_t status,
			    const uint8_t *answer, size_t len);
void kb_upcall_abort_all(struct kb_engine *e, int outcome);

/* engine_rx.c */
void kb_rx_reset(struct kb_engine *e);

/* Small formatting without libc: appends a decimal number. */
size_t kb_fmt_u64(char *out, size_t cap, uint64_t v);
size_t kb_fmt_str(char *out, size_t cap, const char *s);

#endif
