/*
 * kextbridge engine: the portable core a kext links in. The same code runs
 * in the kernel (kext/xnu glue) and in user space (kext/sim, kextsim).
 *
 * Rules the engine keeps, so that glue and handlers can rely on them:
 * - No allocation after kb_engine_init(): the caller hands it one block of
 *   kb_engine_memory_size() bytes, carved into fixed tables and buffers.
 * - No libc beyond what a kernel offers (memcpy, memset, memcmp, strlen).
 * - Every length from the wire is checked before use; a malformed frame is
 *   rejected and counted, never read past its datagram.
 * - All state is behind the platform lock. Command handlers, cancel hooks
 *   and option hooks are called with that lock released, so they may call
 *   back into the engine (kb_respond, kb_publish, ...). platform->send is
 *   called with the lock held, which keeps the outgoing stream ordered.
 * - kb_publish and kb_upcall may be called from any number of threads.
 */
#ifndef KEXTBRIDGE_ENGINE_H
#define KEXTBRIDGE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

struct kb_engine;

/* Results of engine calls. Positive, distinct from kb_status. */
enum kb_result {
	KB_R_OK        = 0,
	KB_R_BUSY      = 1, /* another client owns the engine / no free slot */
	KB_R_STALE     = 2, /* token or connection no longer current */
	KB_R_TOOBIG    = 3, /* larger than the negotiated or configured limit */
	KB_R_NOCONN    = 4, /* no daemon connected (or not yet welcomed) */
	KB_R_INVAL     = 5, /* bad argument or catalog */
	KB_R_UNWANTED  = 6, /* kb_publish: nobody subscribed to the topic; no seq used */
	KB_R_LOST      = 7, /* kb_publish: could not be queued; counted, seq used, LOSS follows */
};

/* What platform->send reports. */
enum kb_send_result {
	KB_SEND_OK   = 0, /* the whole datagram was queued to the daemon */
	KB_SEND_FULL = 1, /* no room now (ENOBUFS / EAGAIN); retry later */
	KB_SEND_GONE = 2, /* the connection is broken; the glue will disconnect */
};

struct kb_platform {
	void *ctx;
	/* Queue one datagram for the daemon, whole or not at all (CTL_DATA_EOR). */
	int (*send)(void *ctx, uint32_t unit, const void *buf, size_t len);
	/* Monotonic nanoseconds. */
	uint64_t (*now_ns)(void *ctx);
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
	/*
	 * Called with the lock held: release it, sleep until wakeup(chan) or
	 * until now_ns() >= deadline_ns, take it again. Returns 0 when woken,
	 * nonzero on timeout. Spurious wakeups are allowed (the engine
	 * rechecks its condition), as with msleep() and pthread_cond_wait().
	 */
	int (*sleep)(void *ctx, const void *chan, uint64_t deadline_ns);
	void (*wakeup)(void *ctx, const void *chan);
	/*
	 * Call kb_engine_tick() in about ms milliseconds, from a context that
	 * may take the lock. A new call replaces the previous; 0 cancels.
	 * Called with the lock held.
	 */
	void (*arm_timer)(void *ctx, uint32_t ms);
	/* Optional: a human-readable line for the system log. May be NULL. */
	void (*log)(void *ctx, const char *msg);
	/*
	 * Optional (may be NULL): the set of wanted topics may have changed
	 * (SUBSCRIBE, GOODBYE, disconnect). Called without the lock, from the
	 * thread that delivered the change, after the engine is done with it:
	 * the glue may block here briefly, e.g. to start or stop an event
	 * source that costs the system something while nobody listens, and
	 * asks kb_topic_wanted() what is wanted now. Calls may overlap when
	 * input and disconnect race: the glue serializes its own work.
	 */
	void (*topics_changed)(void *ctx, struct kb_engine *e);
};

/* ---- Catalog: what the kext offers, announced in WELCOME ---- */

/*
 * A call in progress. req points into the engine's receive buffer and is
 * valid only while the handler runs; token stays valid until the call is
 * answered with kb_respond*(), cancelled, or the daemon disconnects.
 */
struct kb_call {
	uint32_t command;
	uint64_t token;
	const uint8_t *req;
	size_t req_len;
};

/*
 * Answer now (kb_respond before returning) or later from any thread.
 * Returning without answering leaves the call pending.
 */
typedef void (*kb_command_fn)(struct kb_engine *e, void *arg, const struct kb_call *call);
/*
 * The daemon cancelled a pending call. The engine has already answered it
 * with CANCELLED and retired the token; the hook only stops the work.
 */
typedef void (*kb_cancel_fn)(struct kb_engine *e, void *arg, uint64_t token);

struct kb_command_desc {
	uint32_t id;
	const char *name;
	uint8_t flags;          /* KB_ENTRY_* */
	kb_command_fn handler;
	kb_cancel_fn cancel;    /* optional */
};

struct kb_topic_desc {
	uint32_t id;
	const char *name;
	uint8_t flags;
};

/*
 * Options are stored by the engine in the kext's variables, written under
 * the lock after type and bounds checks. on_set, if present, may veto a
 * checked value by returning a kb_status other than KB_OK.
 */
struct kb_option_desc {
	uint32_t id;
	const char *name;
	uint8_t flags;          /* KB_ENTRY_* */
	uint8_t type;           /* enum kb_value_type */
	int64_t min, max;       /* INT64: bounds; STRING/BYTES: min 0, max capacity */
	int64_t *int_value;     /* BOOL, INT64 */
	uint8_t *buf;           /* STRING, BYTES: max bytes of storage */
	uint32_t *buf_len;
	uint32_t (*on_set)(void *arg, uint32_t id, const uint8_t *value, size_t len);
};

struct kb_upcall_desc {
	uint32_t id;
	const char *name;
	uint8_t flags;
	uint32_t timeout_ms;
	uint32_t default_verdict;
};

struct kb_catalog {
	const char *identity;   /* reverse DNS */
	const char *version;
	const struct kb_command_desc *commands;
	uint32_t n_commands;
	const struct kb_topic_desc *topics;
	uint32_t n_topics;
	const struct kb_option_desc *options;
	uint32_t n_options;
	const struct kb_upcall_desc *upcalls;
	uint32_t n_upcalls;
	void *arg;              /* passed to handlers and hooks */
};

struct kb_engine_config {
	uint32_t max_datagram_in;   /* largest datagram taken from the daemon (ctl_sendsize) */
	uint32_t max_datagram_out;  /* largest datagram sent (<= ctl_recvsize) */
	uint32_t max_message;       /* MORE reassembly limit, both directions */
	uint32_t max_inflight;      /* pending calls at once; more get RESOURCE_EXHAUSTED */
	uint32_t max_upcalls;       /* threads waiting in kb_upcall at once; more get the default */
	uint32_t backlog_bytes;     /* frames held while the daemon's buffer is full */
	uint32_t retry_ms;          /* timer for retrying a full send */
};

/* Sensible defaults for a kext; the glue may override any field. */
void kb_engine_default_config(struct kb_engine_config *cfg);

/* Bytes kb_engine_init needs for this configuration and catalog. */
size_t kb_engine_memory_size(const struct kb_engine_config *cfg, const struct kb_catalog *cat);

/* Validates cfg and cat (KB_R_INVAL with a log line naming the problem). */
int kb_engine_init(void *mem, size_t mem_size, const struct kb_engine_config *cfg,
		   const struct kb_catalog *cat, const struct kb_platform *platform,
		   struct kb_engine **out);

/* ---- Glue entry points ---- */

/*
 * A client connects on unit. KB_R_BUSY if another unit owns the engine
 * (the glue returns EBUSY from ctl_connect). State is keyed by unit, so a
 * refused unit's kb_engine_disconnect changes nothing.
 */
int kb_engine_connect(struct kb_engine *e, uint32_t unit);
/* Ends pending calls, wakes waiting upcalls (default applies), forgets subscriptions. */
void kb_engine_disconnect(struct kb_engine *e, uint32_t unit);
/* One datagram from the daemon. Malformed frames are counted and dropped. */
void kb_engine_input(struct kb_engine *e, uint32_t unit, const void *data, size_t len);
/* The daemon read data: room to send again (ctl_rcvd, POLLOUT). */
void kb_engine_writable(struct kb_engine *e, uint32_t unit);
/* The timer armed through platform->arm_timer fired. */
void kb_engine_tick(struct kb_engine *e);
/*
 * The kext wants to stop: sends GOODBYE(UNLOAD) if a daemon is connected
 * and returns KB_R_BUSY while one is (stop must fail; the daemon closes on
 * GOODBYE and a later stop succeeds). KB_R_OK when nobody is connected.
 */
int kb_engine_stop(struct kb_engine *e);

/* ---- Kext entry points ---- */

int kb_respond(struct kb_engine *e, uint64_t token, uint32_t status,
	       const void *data, size_t len);
/* status != KB_OK with a UTF-8 message for the person who made the call. */
int kb_respond_error(struct kb_engine *e, uint64_t token, uint32_t status, const char *msg);

/* One event; see enum kb_result for what the return means. */
int kb_publish(struct kb_engine *e, uint32_t topic, const void *data, size_t len);
/* Largest event kb_publish accepts now (0 before WELCOME): a datagram less headers. */
uint32_t kb_max_event_size(struct kb_engine *e);
/* Whether anyone is subscribed: lets a producer skip building an event. */
int kb_topic_wanted(struct kb_engine *e, uint32_t topic);
/*
 * While corked, published events fill whole datagrams before they are
 * sent; uncork sends what is left. Nests.
 */
void kb_cork(struct kb_engine *e);
void kb_uncork(struct kb_engine *e);

enum kb_upcall_outcome {
	KB_UPCALL_ANSWERED     = 0, /* answer holds the daemon's bytes */
	KB_UPCALL_REFUSED      = 1, /* the daemon answered with a status != OK */
	KB_UPCALL_TIMEOUT      = 2,
	KB_UPCALL_NO_DAEMON    = 3,
	KB_UPCALL_DISCONNECTED = 4, /* daemon left or said GOODBYE while we waited */
	KB_UPCALL_BUSY         = 5, /* max_upcalls threads already waiting, or no room to send */
	KB_UPCALL_INVALID      = 6, /* answer larger than answer_cap */
};

/*
 * Ask the daemon and wait up to the upcall's timeout. Whatever the outcome,
 * answer/answer_len then hold the answer to act on: the daemon's
 * (KB_UPCALL_ANSWERED), or the default the engine applies for every other
 * outcome: the catalog's default_verdict as the answer message's field 1,
 * a varint (0 leaves it out, as proto3 does). So an upcall's answer
 * message carries its verdict as field 1 (bool, enum or integer) and the
 * kext decodes it the same way every time; the outcome says who decided.
 * Blocks the calling thread; never call it with the engine lock held.
 */
int kb_upcall(struct kb_engine *e, uint32_t kind, const void *question, size_t question_len,
	      void *answer, size_t answer_cap, size_t *answer_len);
/* The default answer alone (an answer that did not decode): KB_R_INVAL for an unknown kind. */
int kb_upcall_default_answer(struct kb_engine *e, uint32_t kind, void *answer, size_t answer_cap,
			     size_t *answer_len);

/* Option value under the lock, for kext code that reads options. */
int64_t kb_option_int(struct kb_engine *e, uint32_t id);

/* Only uint64_t members: the example's StatsReply mirrors them in order. */
struct kb_engine_stats {
	uint64_t datagrams_in, datagrams_out, frames_in, frames_out;
	uint64_t bytes_in, bytes_out;
	uint64_t malformed;             /* frames rejected as malformed */
	uint64_t connects, refused_connects, disconnects;
	uint64_t requests, responses, cancels, cancels_unknown, unknown_commands;
	uint64_t inflight_rejected;     /* RESOURCE_EXHAUSTED for want of a slot */
	uint64_t events_published, events_unwanted, events_lost, loss_frames;
	uint64_t send_full, backlog_bytes, backlog_high_water;
	uint64_t upcalls, upcalls_answered, upcalls_defaulted, upcall_replies_unknown;
	uint64_t opt_gets, opt_sets, opt_rejected;
	uint64_t reassembly_refused;    /* MORE messages over max_message, or abandoned */
	uint64_t unknown_topics;        /* topic ids in SUBSCRIBE not in the catalog */
	uint64_t out_of_order;          /* frames not allowed in the session's state */
	uint64_t pings;
};

void kb_engine_get_stats(struct kb_engine *e, struct kb_engine_stats *out);

#endif /* KEXTBRIDGE_ENGINE_H */
