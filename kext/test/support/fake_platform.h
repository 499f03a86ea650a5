/*
 * A platform for engine unit tests: real locks and condition variables
 * (upcall tests use threads), but sends are captured instead of written,
 * and each send's result can be scripted.
 */
#ifndef KB_FAKE_PLATFORM_H
#define KB_FAKE_PLATFORM_H

#include <kextbridge/engine.h>
#include <kextbridge/frame.h>

#include "platform_posix.h"

#define FAKE_MAX_DGRAMS 4096
#define FAKE_MAX_BYTES  (8u << 20)

struct fake {
	struct kb_posix posix;      /* lock, conditions, clock */
	struct kb_engine *e;
	void *mem;
	int send_result;            /* what the next sends return */
	/* The next fail_sends sends fail as the XNU glue reports ENOMEM from
	 * ctl_enqueuedata (KB_SEND_FULL: transient); counts down. */
	int fail_sends;
	int topics_calls;           /* platform->topics_changed calls (atomic) */
	uint32_t timer_ms;          /* last arm_timer */
	/* Captured datagrams, back to back. */
	uint8_t *bytes;
	size_t used;
	size_t off[FAKE_MAX_DGRAMS + 1];
	int n;
	char log[256];
};

/* Engine with cat and cfg (NULL: defaults); connected as unit 1 when connect. */
int fake_start(struct fake *f, const struct kb_catalog *cat, const struct kb_engine_config *cfg,
	       int connect);
void fake_stop(struct fake *f);
void fake_clear(struct fake *f);

/* Sends one frame (or raw bytes) from the "daemon". */
void fake_in(struct fake *f, uint8_t type, uint8_t flags, uint32_t id, uint32_t code,
	     const void *payload, uint32_t len);
void fake_in_raw(struct fake *f, const void *data, size_t len);
/* HELLO with versions 1..1, max datagram and message as given (0: 65536, 1 MiB). */
void fake_hello(struct fake *f, uint32_t max_datagram, uint32_t max_message);

/* Frame number i over all captured datagrams (parsed), or -1. */
int fake_frame(struct fake *f, int i, struct kb_frame *out);
int fake_frame_count(struct fake *f);
/* The last captured frame of a type, or -1. */
int fake_last(struct fake *f, uint8_t type, struct kb_frame *out);

#endif
