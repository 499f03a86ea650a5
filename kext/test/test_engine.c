/* Engine behaviour through its public API, with a fake platform. */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fake_platform.h"

/* ---- a test catalog ---- */

static uint64_t held_token, cancelled_token;
static int cancel_calls;
static uint8_t last_req[8192];
static size_t last_req_len;

static void cmd_echo(struct kb_engine *e, void *arg, const struct kb_call *c)
{
	(void)arg;
	memcpy(last_req, c->req, c->req_len < sizeof(last_req) ? c->req_len : sizeof(last_req));
	last_req_len = c->req_len;
	kb_respond(e, c->token, KB_OK, c->req, c->req_len);
}

static void cmd_hold(struct kb_engine *e, void *arg, const struct kb_call *c)
{
	(void)e;
	(void)arg;
	held_token = c->token;
}

static void cmd_cancel(struct kb_engine *e, void *arg, uint64_t token)
{
	(void)e;
	(void)arg;
	cancelled_token = token;
	cancel_calls++;
}

static uint32_t veto(void *arg, uint32_t id, const uint8_t *v, size_t len)
{
	(void)arg;
	(void)id;
	(void)len;
	return kb_get_u64(v) == 13 ? KB_FAILED_PRECONDITION : KB_OK;
}

static int64_t level = 2, flag, ro = 7, vetoed;
static uint8_t name_buf[8];
static uint32_t name_len;

static const struct kb_command_desc commands[] = {
	{ 1, "echo", 0, cmd_echo, 0 },
	{ 2, "hold", KB_ENTRY_PRIVILEGED, cmd_hold, cmd_cancel },
};
static const struct kb_topic_desc topics[] = { { 1, "a", 0 }, { 2, "b", 0 } };
static const struct kb_option_desc options[] = {
	{ 1, "level", 0, KB_VALUE_INT64, 0, 4, &level, 0, 0, 0 },
	{ 2, "flag", 0, KB_VALUE_BOOL, 0, 1, &flag, 0, 0, 0 },
	{ 3, "name", 0, KB_VALUE_STRING, 0, 8, 0, name_buf, &name_len, 0 },
	{ 4, "ro", KB_ENTRY_READONLY, KB_VALUE_INT64, -5, 5, &ro, 0, 0, 0 },
	{ 5, "vetoed", 0, KB_VALUE_INT64, -100, 100, &vetoed, 0, 0, veto },
};
static const struct kb_upcall_desc upcalls[] = { { 1, "ask", KB_ENTRY_PRIVILEGED, 200, 7 } };
static const struct kb_catalog cat = { "org.kextbridge.test", "1.2.3", commands, 2, topics, 2,
				       options, 5, upcalls, 1, 0 };

static struct kb_engine_stats stats(struct fake *f)
{
	struct kb_engine_stats s;

	kb_engine_get_stats(f->e, &s);
	return s;
}

static int started(struct fake *f, const struct kb_engine_config *cfg)
{
	if (fake_start(f, &cat, cfg, 1))
		return 0;
	fake_hello(f, 0, 0);
	fake_clear(f);
	return 1;
}

static int last_status(struct fake *f, uint32_t id, const char *msg)
{
	struct kb_frame fr;
	int i;

	for (i = fake_frame_count(f) - 1; i >= 0; i--) {
		fake_frame(f, i, &fr);
		if (fr.type == KB_RESPONSE && fr.id == id) {
			if (msg && (fr.length != strlen(msg) || memcmp(fr.payload, msg, fr.length)))
				printf("     message was \"%.*s\"\n", (int)fr.length, fr.payload);
			if (msg && (fr.length != strlen(msg) || memcmp(fr.payload, msg, fr.length)))
				return -2;
			return (int)fr.code;
		}
	}
	return -1;
}

/* ---- tests ---- */

static void test_init_validation(void)
{
	struct kb_command_desc dup[2] = { { 1, "x", 0, cmd_echo, 0 }, { 1, "y", 0, cmd_echo, 0 } };
	struct kb_catalog bad = cat;
	struct kb_engine_config cfg;
	struct fake f;

	bad.commands = dup;
	CHECK(fake_start(&f, &bad, 0, 0) == KB_R_INVAL, "init: duplicate command ids refused");
	CHECK(strstr(f.log, "command ids must be unique") != 0, "init: log names the problem");
	fake_stop(&f);
	dup[1].id = 2;
	dup[1].flags = KB_ENTRY_SET_PRIVILEGED;
	CHECK(fake_start(&f, &bad, 0, 0) == KB_R_INVAL && strstr(f.log, "command has flags it may not carry"),
	      "init: set-privileged is an option's flag, refused on a command");
	fake_stop(&f);
	kb_engine_default_config(&cfg);
	cfg.max_datagram_out = 100;
	CHECK(fake_start(&f, &cat, &cfg, 0) == KB_R_INVAL, "init: datagram below 1024 refused");
	fake_stop(&f);
}

static void test_handshake(void)
{
	struct fake f;
	struct kb_frame fr;
	const uint8_t *p;
	uint8_t h[KB_HELLO_SIZE];

	fake_start(&f, &cat, 0, 1);
	fake_hello(&f, 0, 0);
	CHECK(fake_last(&f, KB_WELCOME, &fr) >= 0, "handshake: WELCOME sent");
	p = fr.payload;
	CHECK(kb_get_u16(p) == 1, "handshake: version 1 chosen");
	CHECK(kb_get_u16(p + 2) == 10, "handshake: 10 catalog entries");
	CHECK(kb_get_u32(p + 4) == 2048 && kb_get_u32(p + 12) == 64,
	      "handshake: max datagram in and max inflight announced");
	CHECK(p[20] == 19 && memcmp(p + 21, "org.kextbridge.test", 19) == 0,
	      "handshake: identity");
	CHECK(p[40] == 5 && memcmp(p + 41, "1.2.3", 5) == 0, "handshake: version string");
	p += 46; /* first entry: command echo */
	CHECK(p[0] == KB_KIND_COMMAND && p[3] == 4 && kb_get_u32(p + 4) == 1 &&
	      memcmp(p + 32, "echo", 4) == 0, "handshake: first entry is command 1 echo");
	p += 36; /* hold */
	CHECK(p[1] == KB_ENTRY_PRIVILEGED, "handshake: privileged flag carried");
	fake_stop(&f);

	fake_start(&f, &cat, 0, 1);
	kb_put_u16(h, 2);
	kb_put_u16(h + 2, 3);
	kb_put_u32(h + 4, 4096);
	kb_put_u32(h + 8, 65536);
	fake_in(&f, KB_HELLO, 0, 0, 0, h, sizeof(h));
	CHECK(fake_last(&f, KB_GOODBYE, &fr) >= 0 && fr.code == KB_BYE_VERSION,
	      "handshake: no common version -> GOODBYE(VERSION)");
	CHECK(fr.length > 0 && memmem(fr.payload, fr.length, "daemon speaks 2..3", 18) != 0,
	      "handshake: GOODBYE message names the daemon's range");
	CHECK(fake_last(&f, KB_WELCOME, &fr) < 0, "handshake: no WELCOME after a mismatch");
	fake_in(&f, KB_REQUEST, 0, 5, 1, "x", 1);
	CHECK(last_status(&f, 5, "send HELLO first") == KB_FAILED_PRECONDITION,
	      "handshake: REQUEST before WELCOME -> FAILED_PRECONDITION");
	CHECK(stats(&f).out_of_order == 1, "handshake: out-of-order frame counted");
	fake_stop(&f);
}

static void test_welcome_split(void)
{
	static struct kb_topic_desc many[60];
	static char names[60][48];
	struct kb_catalog big = cat;
	struct kb_frame fr;
	uint32_t total = 0;
	struct fake f;
	int i, frames = 0, more_ok = 1;

	for (i = 0; i < 60; i++) {
		memset(names[i], 'a' + i % 26, 40);
		names[i][40] = (char)('A' + i / 26);
		names[i][41] = (char)('a' + i % 26);
		many[i].id = (uint32_t)i + 1;
		many[i].name = names[i];
	}
	big.topics = many;
	big.n_topics = 60;
	fake_start(&f, &big, 0, 1);
	fake_hello(&f, 1024, 0);
	for (i = 0; fake_frame(&f, i, &fr) == 0; i++) {
		if (fr.type != KB_WELCOME)
			continue;
		frames++;
		total += fr.length;
		if (i < fake_frame_count(&f) - 1 && !(fr.flags & KB_FLAG_MORE))
			more_ok = 0;
	}
	CHECK(frames >= 5 && more_ok, "welcome: large catalog split into MORE frames");
	CHECK(!(fr.flags & KB_FLAG_MORE), "welcome: last frame has no MORE");
	/* head 20, identity 1+19, version 1+5, entries 32 + name each:
	 * echo, hold; 60 topics of 42; level, flag, name, ro, vetoed; ask. */
	CHECK(total == 20 + 20 + 6 + (36 + 36) + 60 * 74 + (37 + 36 + 36 + 34 + 38) + 35,
	      "welcome: split payload adds up to the whole catalog");
	fake_stop(&f);
}

static void test_second_client(void)
{
	struct fake f;

	started(&f, 0);
	CHECK(kb_engine_connect(f.e, 2) == KB_R_BUSY, "owner: second unit refused with BUSY");
	kb_engine_disconnect(f.e, 2);
	fake_in(&f, KB_REQUEST, 0, 9, 1, "hi", 2);
	CHECK(last_status(&f, 9, 0) == KB_OK, "owner: refused unit's disconnect leaves owner working");
	CHECK(stats(&f).refused_connects == 1, "owner: refusal counted");
	fake_stop(&f);
}

static void test_requests(void)
{
	struct kb_engine_config cfg;
	struct kb_frame fr;
	struct fake f;
	uint64_t t;

	started(&f, 0);
	fake_in(&f, KB_REQUEST, 0, 1, 1, "ping", 4);
	CHECK(fake_last(&f, KB_RESPONSE, &fr) >= 0 && fr.id == 1 && fr.code == 0 &&
	      fr.length == 4 && memcmp(fr.payload, "ping", 4) == 0, "request: sync reply");
	fake_in(&f, KB_REQUEST, 0, 2, 77, 0, 0);
	CHECK(last_status(&f, 2, "unknown command 77") == KB_UNIMPLEMENTED,
	      "request: unknown command -> UNIMPLEMENTED with message");
	fake_in(&f, KB_REQUEST, 0, 3, 2, 0, 0);
	t = held_token;
	CHECK(last_status(&f, 3, 0) == -1, "request: async call pending, no reply yet");
	fake_in(&f, KB_REQUEST, 0, 3, 2, 0, 0);
	CHECK(last_status(&f, 3, "request id already pending: 3") == KB_INVALID_ARGUMENT,
	      "request: duplicate pending id refused");
	CHECK(kb_respond(f.e, t, KB_OK, "done", 4) == KB_R_OK, "request: async reply accepted");
	CHECK(kb_respond(f.e, t, KB_OK, "x", 1) == KB_R_STALE, "request: second reply is stale");
	fake_stop(&f);

	kb_engine_default_config(&cfg);
	cfg.max_inflight = 2;
	started(&f, &cfg);
	fake_in(&f, KB_REQUEST, 0, 10, 2, 0, 0);
	fake_in(&f, KB_REQUEST, 0, 11, 2, 0, 0);
	fake_in(&f, KB_REQUEST, 0, 12, 2, 0, 0);
	CHECK(last_status(&f, 12, "calls pending at the kext: 2") == KB_RESOURCE_EXHAUSTED,
	      "request: over max_inflight -> RESOURCE_EXHAUSTED");
	CHECK(stats(&f).inflight_rejected == 1, "request: inflight rejection counted");
	fake_stop(&f);
}

static void test_cancel(void)
{
	struct fake f;
	uint64_t t;

	started(&f, 0);
	cancel_calls = 0;
	fake_in(&f, KB_REQUEST, 0, 4, 2, 0, 0);
	t = held_token;
	fake_in(&f, KB_CANCEL, 0, 4, 0, 0, 0);
	CHECK(last_status(&f, 4, "cancelled by the daemon") == KB_CANCELLED,
	      "cancel: answered CANCELLED");
	CHECK(cancel_calls == 1 && cancelled_token == t, "cancel: hook called with the token");
	CHECK(kb_respond(f.e, t, KB_OK, 0, 0) == KB_R_STALE, "cancel: late reply is stale");
	fake_in(&f, KB_CANCEL, 0, 99, 0, 0, 0);
	CHECK(stats(&f).cancels_unknown == 1 && cancel_calls == 1,
	      "cancel: unknown id counted, no hook");
	fake_stop(&f);
}

static void opt_set_i64(struct fake *f, uint32_t id, uint32_t opt, int64_t v)
{
	uint8_t b[8];

	kb_put_u64(b, (uint64_t)v);
	fake_in(f, KB_OPT_SET, 0, id, opt, b, 8);
}

static void test_options(void)
{
	struct kb_frame fr;
	struct fake f;
	uint8_t two = 2;

	started(&f, 0);
	fake_in(&f, KB_OPT_GET, 0, 1, 1, 0, 0);
	CHECK(fake_last(&f, KB_RESPONSE, &fr) >= 0 && fr.length == 8 &&
	      kb_get_u64(fr.payload) == 2, "option: get returns the current value");
	opt_set_i64(&f, 2, 1, 4);
	CHECK(last_status(&f, 2, 0) == KB_OK && kb_option_int(f.e, 1) == 4,
	      "option: set within bounds stored");
	opt_set_i64(&f, 3, 1, 5);
	CHECK(last_status(&f, 3, "value outside 0..4") == KB_OUT_OF_RANGE && level == 4,
	      "option: out of range refused, value unchanged");
	fake_in(&f, KB_OPT_SET, 0, 4, 1, "abc", 3);
	CHECK(last_status(&f, 4, "int64 option takes 8 bytes") == KB_INVALID_ARGUMENT,
	      "option: wrong length refused");
	fake_in(&f, KB_OPT_SET, 0, 5, 2, &two, 1);
	CHECK(last_status(&f, 5, "bool option takes 1 byte, 0 or 1") == KB_INVALID_ARGUMENT,
	      "option: bool 2 refused");
	fake_in(&f, KB_OPT_SET, 0, 6, 3, "123456789", 9);
	CHECK(last_status(&f, 6, "value longer than 8 bytes") == KB_OUT_OF_RANGE,
	      "option: string too long refused");
	fake_in(&f, KB_OPT_SET, 0, 7, 3, "kb", 2);
	fake_in(&f, KB_OPT_GET, 0, 8, 3, 0, 0);
	CHECK(fake_last(&f, KB_RESPONSE, &fr) >= 0 && fr.length == 2 &&
	      memcmp(fr.payload, "kb", 2) == 0, "option: string set and read back");
	opt_set_i64(&f, 9, 4, 1);
	CHECK(last_status(&f, 9, "option is read-only") == KB_PERMISSION_DENIED && ro == 7,
	      "option: read-only refused");
	opt_set_i64(&f, 10, 5, 13);
	CHECK(last_status(&f, 10, "value refused by the kext") == KB_FAILED_PRECONDITION &&
	      vetoed == 0, "option: on_set veto passed through");
	opt_set_i64(&f, 11, 5, -100);
	CHECK(last_status(&f, 11, 0) == KB_OK && vetoed == -100, "option: negative bound accepted");
	fake_in(&f, KB_OPT_GET, 0, 12, 42, 0, 0);
	CHECK(last_status(&f, 12, "unknown option 42") == KB_NOT_FOUND, "option: unknown -> NOT_FOUND");
	CHECK(stats(&f).opt_rejected == 7, "option: rejections counted");
	fake_stop(&f);
}

static void subscribe(struct fake *f, const uint32_t *ids, int n)
{
	uint8_t b[64];
	int i;

	for (i = 0; i < n; i++)
		kb_put_u32(b + 4 * i, ids[i]);
	fake_in(f, KB_SUBSCRIBE, 0, 0, 0, b, (uint32_t)(4 * n));
}

static void test_subscribe_and_seq(void)
{
	static const uint32_t a[] = { 1 }, ab[] = { 1, 2, 9 };
	struct kb_frame fr;
	struct fake f;
	int i, ok = 1;
	uint64_t expect = 1;

	started(&f, 0);
	CHECK(kb_publish(f.e, 1, "x", 1) == KB_R_UNWANTED, "events: nothing wanted before SUBSCRIBE");
	subscribe(&f, a, 1);
	CHECK(kb_publish(f.e, 2, "x", 1) == KB_R_UNWANTED, "events: unsubscribed topic unwanted");
	CHECK(kb_publish(f.e, 1, "x", 1) == KB_R_OK, "events: subscribed topic published");
	subscribe(&f, ab, 3);
	CHECK(stats(&f).unknown_topics == 1, "events: unknown topic id counted");
	for (i = 0; i < 10; i++)
		kb_publish(f.e, (uint32_t)(1 + i % 2), "yy", 2);
	for (i = 0; fake_frame(&f, i, &fr) == 0; i++)
		if (fr.type == KB_EVENT && kb_get_u64(fr.payload) != expect++)
			ok = 0;
	CHECK(ok && expect == 12, "events: seq contiguous across topics, from 1");
	fake_in(&f, KB_SUBSCRIBE, 0, 0, 0, "abc", 3);
	CHECK(stats(&f).malformed == 1, "events: SUBSCRIBE of 3 bytes is malformed");
	CHECK(kb_publish(f.e, 7, "x", 1) == KB_R_INVAL, "events: unknown topic refused");
	fake_stop(&f);
}

static void test_backlog_and_loss(void)
{
	static const uint32_t a[] = { 1, 2 };
	struct kb_engine_config cfg;
	struct kb_frame fr;
	uint8_t payload[100] = { 0 };
	uint64_t first_lost = 0, last_lost = 0, lost = 0, max_seq = 0;
	int i, r, loss_at = -1, bad_order = 0, coalesced = 0, d;
	struct fake f;

	kb_engine_default_config(&cfg);
	cfg.max_datagram_out = 1024;
	cfg.backlog_bytes = 16384;
	cfg.max_inflight = 4;
	started(&f, &cfg);
	subscribe(&f, a, 2);
	fake_clear(&f);
	f.send_result = KB_SEND_FULL;
	for (i = 0; i < 400; i++) {
		r = kb_publish(f.e, 1 + (uint32_t)(i % 2 == 0 && i > 300), payload, sizeof(payload));
		if (r == KB_R_LOST) {
			if (!lost)
				first_lost = (uint64_t)i + 1;
			last_lost = (uint64_t)i + 1;
			lost++;
		}
	}
	CHECK(lost > 200 && first_lost > 100, "loss: events beyond the backlog lost");
	CHECK(f.timer_ms == cfg.retry_ms, "loss: retry timer armed on a full send");
	CHECK(stats(&f).backlog_high_water <= 16384 - 2048, "loss: events never use the reserve");
	/* A call still gets its answer although events filled their share. */
	fake_in(&f, KB_REQUEST, 0, 50, 1, "r", 1);
	f.send_result = KB_SEND_OK;
	for (i = 0; i < 100 && stats(&f).backlog_bytes; i++)
		kb_engine_writable(f.e, 1);
	CHECK(stats(&f).backlog_bytes == 0, "loss: backlog drains when writable");
	CHECK(last_status(&f, 50, 0) == KB_OK, "loss: response delivered despite the flood");
	for (d = 0; d < f.n; d++) {
		size_t off = 0;
		int frames = 0;

		while (kb_frame_next(f.bytes + f.off[d], f.off[d + 1] - f.off[d], &off, &fr) == 0)
			frames++;
		if (frames > 1)
			coalesced++;
	}
	CHECK(coalesced > 10, "loss: backlogged events coalesced into datagrams");
	{
		uint64_t told = 0, told_first = ~0ull, told_last = 0;

		for (i = 0; fake_frame(&f, i, &fr) == 0; i++) {
			if (fr.type == KB_LOSS) {
				told += kb_get_u64(fr.payload);
				if (kb_get_u64(fr.payload + 8) < told_first)
					told_first = kb_get_u64(fr.payload + 8);
				if (kb_get_u64(fr.payload + 16) > told_last)
					told_last = kb_get_u64(fr.payload + 16);
				if (loss_at < 0)
					loss_at = i;
			} else if (fr.type == KB_EVENT) {
				uint64_t seq = kb_get_u64(fr.payload);

				if (seq > max_seq)
					max_seq = seq;
				if (loss_at < 0 && seq > first_lost)
					bad_order = 1;
			}
		}
		if (told != lost || told_first != first_lost || told_last != last_lost)
			printf("     told %llu [%llu..%llu], lost %llu [%llu..%llu]\n",
			       (unsigned long long)told, (unsigned long long)told_first,
			       (unsigned long long)told_last, (unsigned long long)lost,
			       (unsigned long long)first_lost, (unsigned long long)last_lost);
		CHECK(told == lost, "loss: LOSS frames count every lost event");
		CHECK(told_first == first_lost && told_last == last_lost,
		      "loss: LOSS frames give the exact seq range");
		CHECK(loss_at >= 0 && !bad_order, "loss: LOSS precedes every later event");
	}
	kb_publish(f.e, 1, payload, 10);
	CHECK(fake_last(&f, KB_EVENT, &fr) >= 0 && kb_get_u64(fr.payload) == 401,
	      "loss: lost events consumed their seqs");
	CHECK(stats(&f).events_lost == lost, "loss: lost events counted");
	fake_stop(&f);
}

/*
 * ctl_enqueuedata fails with ENOMEM (no mbuf) for a while. The kernel has no
 * "writable" callback for a kernel control, so recovery comes only from the
 * retry timer and the daemon's next datagram: events resume, the gap is
 * told as LOSS with its exact seqs, and a call made meanwhile is answered.
 */
static void test_enomem_recovery(void)
{
	static const uint32_t a[] = { 1 };
	struct kb_engine_config cfg;
	struct kb_frame fr;
	uint8_t payload[200] = { 0 };
	uint64_t lost = 0, first_lost = 0, last_lost = 0, told = 0, tf = 0, tl = 0, last_seq = 0;
	int i, r, ticks = 0, after_loss = 0, loss_seen = 0, bad = 0;
	struct fake f;

	kb_engine_default_config(&cfg);
	cfg.max_datagram_out = 2048;
	cfg.backlog_bytes = 16384;
	started(&f, &cfg);
	subscribe(&f, a, 1);
	fake_clear(&f);
	f.fail_sends = 1000000; /* memory pressure: every send fails */
	for (i = 0; i < 300; i++) {
		r = kb_publish(f.e, 1, payload, sizeof(payload));
		if (r == KB_R_LOST) {
			if (!lost)
				first_lost = (uint64_t)i + 1;
			last_lost = (uint64_t)i + 1;
			lost++;
		}
		if (r != KB_R_OK && r != KB_R_LOST)
			bad++;
		if (i % 50 == 0)
			kb_engine_tick(f.e); /* the retry timer fires into ENOMEM */
	}
	fake_in(&f, KB_REQUEST, 0, 77, 1, "x", 1); /* a call during the outage */
	CHECK(bad == 0, "enomem: publish queues or counts a loss, never fails otherwise");
	CHECK(lost > 0 && f.n == 0, "enomem: nothing sent, events beyond the backlog lost");
	CHECK(f.timer_ms == cfg.retry_ms, "enomem: retry timer armed, not given up");
	f.fail_sends = 3; /* it clears: a few more failures, then sends go through */
	while (stats(&f).backlog_bytes && ticks < 100) {
		kb_engine_tick(f.e);
		ticks++;
	}
	CHECK(stats(&f).backlog_bytes == 0, "enomem: backlog drained by the retry timer alone");
	CHECK(kb_publish(f.e, 1, payload, 10) == KB_R_OK, "enomem: publishing works again");
	for (i = 0; fake_frame(&f, i, &fr) == 0; i++) {
		if (fr.type == KB_LOSS) {
			told += kb_get_u64(fr.payload);
			if (!tf || kb_get_u64(fr.payload + 8) < tf)
				tf = kb_get_u64(fr.payload + 8);
			if (kb_get_u64(fr.payload + 16) > tl)
				tl = kb_get_u64(fr.payload + 16);
			loss_seen = 1;
		} else if (fr.type == KB_EVENT) {
			last_seq = kb_get_u64(fr.payload);
			if (loss_seen)
				after_loss++;
		}
	}
	if (told != lost || tf != first_lost || tl != last_lost)
		printf("     told %llu [%llu..%llu], lost %llu [%llu..%llu]\n", (unsigned long long)told,
		       (unsigned long long)tf, (unsigned long long)tl, (unsigned long long)lost,
		       (unsigned long long)first_lost, (unsigned long long)last_lost);
	CHECK(told == lost && tf == first_lost && tl == last_lost,
	      "enomem: the gap is told as LOSS with its seq range");
	CHECK(after_loss > 0 && last_seq == 301, "enomem: events resume after the LOSS");
	CHECK(last_status(&f, 77, 0) == KB_OK, "enomem: the call made meanwhile is answered");
	CHECK(stats(&f).disconnects == 0, "enomem: never taken for a lost daemon");
	fake_stop(&f);
}

/* The glue hears when the wanted topics change, outside the engine lock. */
static void test_topics_changed(void)
{
	static const uint32_t a[] = { 1 };
	struct fake f;
	int before;

	started(&f, 0);
	before = f.topics_calls;
	subscribe(&f, a, 1);
	CHECK(f.topics_calls == before + 1 && kb_topic_wanted(f.e, 1),
	      "topics_changed: called on SUBSCRIBE, topic wanted");
	subscribe(&f, a, 0);
	CHECK(f.topics_calls == before + 2 && !kb_topic_wanted(f.e, 1),
	      "topics_changed: called when nobody wants it any more");
	subscribe(&f, a, 1);
	kb_engine_disconnect(f.e, 1);
	CHECK(f.topics_calls == before + 4 && !kb_topic_wanted(f.e, 1),
	      "topics_changed: called on disconnect");
	fake_stop(&f);
}

struct upcall_run {
	struct fake *f;
	int outcome;
	uint8_t answer[16];
	size_t len;
	uint64_t took_ms;
};

static void *upcall_thread(void *p)
{
	struct upcall_run *u = p;
	uint64_t t0 = kb_posix_now_ns();

	u->outcome = kb_upcall(u->f->e, 1, "q?", 2, u->answer, sizeof(u->answer), &u->len);
	u->took_ms = (kb_posix_now_ns() - t0) / 1000000;
	return 0;
}

/* Waits until n UPCALL frames were sent; returns the id of the last. */
static uint32_t wait_upcalls(struct fake *f, int n)
{
	struct kb_frame fr;
	int i, tries, seen;
	uint32_t id = 0;

	for (tries = 0; tries < 500; tries++) {
		pthread_mutex_lock(&f->posix.mu);
		for (seen = 0, i = 0; fake_frame(f, i, &fr) == 0; i++)
			if (fr.type == KB_UPCALL) {
				seen++;
				id = fr.id;
			}
		pthread_mutex_unlock(&f->posix.mu);
		if (seen >= n)
			return id;
		usleep(2000);
	}
	return 0;
}

static void test_upcalls(void)
{
	struct upcall_run u[3];
	pthread_t t[3];
	struct kb_engine_config cfg;
	struct kb_frame fr;
	struct fake f;
	uint32_t id;

	started(&f, 0);
	u[0].f = &f;
	pthread_create(&t[0], 0, upcall_thread, &u[0]);
	id = wait_upcalls(&f, 1);
	fake_last(&f, KB_UPCALL, &fr);
	CHECK(id && fr.code == 1 && kb_get_u32(fr.payload) == 200 && fr.length == 10 &&
	      memcmp(fr.payload + 8, "q?", 2) == 0, "upcall: UPCALL frame with timeout and question");
	fake_in(&f, KB_UPCALL_REPLY, 0, id, 0, "yes", 3);
	pthread_join(t[0], 0);
	CHECK(u[0].outcome == KB_UPCALL_ANSWERED && u[0].len == 3 &&
	      memcmp(u[0].answer, "yes", 3) == 0, "upcall: answered");

	fake_clear(&f);
	pthread_create(&t[0], 0, upcall_thread, &u[0]);
	id = wait_upcalls(&f, 1);
	fake_in(&f, KB_UPCALL_REPLY, 0, id, KB_UNAVAILABLE, 0, 0);
	pthread_join(t[0], 0);
	CHECK(u[0].outcome == KB_UPCALL_REFUSED, "upcall: status != OK -> refused (default)");
	CHECK(u[0].len == 2 && u[0].answer[0] == 0x08 && u[0].answer[1] == 7,
	      "upcall: refused -> the answer is the default, default_verdict 7 as field 1");

	pthread_create(&t[0], 0, upcall_thread, &u[0]);
	pthread_join(t[0], 0);
	CHECK(u[0].outcome == KB_UPCALL_TIMEOUT && u[0].took_ms >= 200 && u[0].took_ms < 1000,
	      "upcall: no answer -> timeout after the catalog's 200 ms");
	CHECK(u[0].len == 2 && u[0].answer[0] == 0x08 && u[0].answer[1] == 7,
	      "upcall: timeout -> the engine applies the default answer itself");
	{
		uint8_t tiny[1];
		size_t n = 9;

		CHECK(kb_upcall_default_answer(f.e, 1, tiny, sizeof(tiny), &n) == KB_R_OK && n == 0 &&
			      kb_upcall_default_answer(f.e, 99, tiny, sizeof(tiny), &n) == KB_R_INVAL,
		      "upcall: a default that does not fit is no answer; an unknown kind is refused");
	}
	fake_in(&f, KB_UPCALL_REPLY, 0, id + 1, 0, "late", 4);
	CHECK(stats(&f).upcall_replies_unknown == 1, "upcall: late reply counted and dropped");

	fake_clear(&f);
	pthread_create(&t[0], 0, upcall_thread, &u[0]);
	wait_upcalls(&f, 1);
	fake_in(&f, KB_GOODBYE, 0, 0, KB_BYE_SHUTDOWN, 0, 0);
	pthread_join(t[0], 0);
	CHECK(u[0].outcome == KB_UPCALL_DISCONNECTED && u[0].took_ms < 150,
	      "upcall: daemon GOODBYE wakes the waiter at once");
	CHECK(kb_upcall(f.e, 1, "q", 1, 0, 0, 0) == KB_UPCALL_NO_DAEMON,
	      "upcall: after GOODBYE -> no daemon");
	fake_stop(&f);

	kb_engine_default_config(&cfg);
	cfg.max_upcalls = 2;
	started(&f, &cfg);
	u[0].f = u[1].f = u[2].f = &f;
	pthread_create(&t[0], 0, upcall_thread, &u[0]);
	pthread_create(&t[1], 0, upcall_thread, &u[1]);
	wait_upcalls(&f, 2);
	pthread_create(&t[2], 0, upcall_thread, &u[2]);
	pthread_join(t[2], 0);
	CHECK(u[2].outcome == KB_UPCALL_BUSY && u[2].took_ms < 100,
	      "upcall: more waiters than max_upcalls -> busy at once");
	kb_engine_disconnect(f.e, 1);
	pthread_join(t[0], 0);
	pthread_join(t[1], 0);
	CHECK(u[0].outcome == KB_UPCALL_DISCONNECTED && u[1].outcome == KB_UPCALL_DISCONNECTED,
	      "upcall: disconnect wakes every waiter");
	fake_stop(&f);
}

static void test_more(void)
{
	static uint8_t big[3000];
	struct kb_engine_config cfg;
	struct kb_frame fr;
	struct fake f;
	uint8_t out[4000];
	uint32_t got = 0;
	int i, frames = 0, flags_ok = 1, n;

	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	kb_engine_default_config(&cfg);
	cfg.max_message = 2500;
	cfg.max_datagram_in = 2048;
	fake_start(&f, &cat, &cfg, 1);
	fake_hello(&f, 1024, 0);
	fake_clear(&f);
	fake_in(&f, KB_REQUEST, KB_FLAG_MORE, 1, 1, big, 1000);
	fake_in(&f, KB_PING, 0, 77, 0, 0, 0);
	fake_in(&f, KB_REQUEST, KB_FLAG_MORE, 1, 1, big + 1000, 1000);
	fake_in(&f, KB_REQUEST, 0, 1, 1, big + 2000, 400);
	CHECK(last_req_len == 2400 && memcmp(last_req, big, 2400) == 0,
	      "more: request reassembled from 3 frames");
	CHECK(fake_last(&f, KB_PONG, &fr) >= 0 && fr.id == 77, "more: PING interleaved is answered");
	n = fake_frame_count(&f);
	for (i = 0; i < n; i++) {
		fake_frame(&f, i, &fr);
		if (fr.type != KB_RESPONSE || fr.id != 1)
			continue;
		memcpy(out + got, fr.payload, fr.length);
		got += fr.length;
		frames++;
		if ((fr.flags & KB_FLAG_MORE) != (got < 2400 ? KB_FLAG_MORE : 0))
			flags_ok = 0;
	}
	CHECK(frames == 3 && flags_ok && got == 2400 && memcmp(out, big, 2400) == 0,
	      "more: 2400-byte reply split into MORE frames of a 1024-byte datagram");
	fake_in(&f, KB_REQUEST, KB_FLAG_MORE, 2, 1, big, 2000);
	fake_in(&f, KB_REQUEST, 0, 2, 1, big, 1000);
	CHECK(last_status(&f, 2, "message larger than the kext's limit of 2500") ==
		      KB_RESOURCE_EXHAUSTED, "more: over max_message refused, not truncated");
	fake_in(&f, KB_REQUEST, KB_FLAG_MORE, 3, 1, big, 10);
	fake_in(&f, KB_REQUEST, KB_FLAG_MORE, 4, 1, big, 10);
	fake_in(&f, KB_REQUEST, 0, 4, 1, big, 10);
	CHECK(stats(&f).reassembly_refused == 2 && last_status(&f, 4, 0) == KB_OK,
	      "more: abandoned message counted, the new one served");
	fake_stop(&f);
}

static void test_malformed(void)
{
	uint8_t d[64];
	struct fake f;
	size_t n;

	started(&f, 0);
	n = kb_frame_put(d, sizeof(d), KB_PING, 0, 1, 0, 0, 0);
	memcpy(d + n, "\x4b\x42\x0d", 3);
	fake_in_raw(&f, d, n + 3);
	CHECK(stats(&f).malformed == 1 && stats(&f).pings == 1,
	      "malformed: truncated header counted, earlier frame served");
	n = kb_frame_put(d, sizeof(d), KB_PING, 0, 2, 0, 0, 0);
	d[0] = 0;
	fake_in_raw(&f, d, n);
	CHECK(stats(&f).malformed == 2 && stats(&f).pings == 1, "malformed: bad magic");
	n = kb_frame_put(d, sizeof(d), KB_PING, 0, 2, 0, 0, 0);
	d[2] = 99;
	fake_in_raw(&f, d, n);
	CHECK(stats(&f).malformed == 3, "malformed: unknown type");
	n = kb_frame_put(d, sizeof(d), KB_PING, 0, 2, 0, 0, 0);
	d[3] = 0x80;
	fake_in_raw(&f, d, n);
	CHECK(stats(&f).malformed == 4, "malformed: unknown flag");
	n = kb_frame_put(d, sizeof(d), KB_REQUEST, 0, 2, 1, "abc", 3);
	kb_put_u32(d + 12, 1000);
	fake_in_raw(&f, d, n);
	CHECK(stats(&f).malformed == 5 && stats(&f).requests == 0, "malformed: length past the datagram");
	fake_in(&f, KB_EVENT, 0, 0, 1, 0, 0);
	CHECK(stats(&f).malformed == 6, "malformed: kext-to-daemon type from the daemon");
	fake_in(&f, KB_HELLO, 0, 0, 0, "short", 5);
	CHECK(stats(&f).malformed == 7, "malformed: short HELLO");
	{
		static uint8_t huge[4096];

		kb_frame_put(huge, sizeof(huge), KB_PING, 0, 3, 0, 0, 0);
		fake_in_raw(&f, huge, sizeof(huge));
		CHECK(stats(&f).malformed == 8 && stats(&f).pings == 1,
		      "malformed: datagram over max_datagram_in refused");
	}
	fake_in(&f, KB_PING, 0, 5, 0, 0, 0);
	CHECK(stats(&f).pings == 2, "malformed: engine keeps working");
	fake_stop(&f);
}

static void test_stop_and_disconnect(void)
{
	static const uint32_t a[] = { 1 };
	struct kb_frame fr;
	struct fake f;
	uint64_t t;

	started(&f, 0);
	fake_in(&f, KB_PING, 0, 0xabcdef, 0, 0, 0);
	CHECK(fake_last(&f, KB_PONG, &fr) >= 0 && fr.id == 0xabcdef, "ping: PONG echoes the nonce");
	CHECK(kb_engine_stop(f.e) == KB_R_BUSY, "stop: refused while connected");
	CHECK(fake_last(&f, KB_GOODBYE, &fr) >= 0 && fr.code == KB_BYE_UNLOAD,
	      "stop: GOODBYE(UNLOAD) sent");
	subscribe(&f, a, 1);
	fake_in(&f, KB_REQUEST, 0, 8, 2, 0, 0);
	t = held_token;
	kb_engine_disconnect(f.e, 1);
	CHECK(kb_respond(f.e, t, KB_OK, 0, 0) == KB_R_STALE, "disconnect: pending calls retired");
	CHECK(kb_publish(f.e, 1, "x", 1) == KB_R_NOCONN, "disconnect: no events without a daemon");
	CHECK(kb_engine_stop(f.e) == KB_R_OK, "stop: allowed once nobody is connected");
	CHECK(kb_engine_connect(f.e, 1) == KB_R_OK, "disconnect: a new client may connect");
	fake_hello(&f, 0, 0);
	CHECK(kb_publish(f.e, 1, "x", 1) == KB_R_UNWANTED, "disconnect: subscriptions forgotten");
	fake_stop(&f);
}

static void test_second_hello(void)
{
	struct kb_frame fr;
	struct fake f;
	uint64_t t;

	started(&f, 0);
	fake_in(&f, KB_REQUEST, 0, 8, 2, 0, 0);
	t = held_token;
	fake_hello(&f, 0, 0);
	CHECK(fake_last(&f, KB_WELCOME, &fr) >= 0, "rehello: a second HELLO is welcomed again");
	CHECK(kb_respond(f.e, t, KB_OK, 0, 0) == KB_R_STALE, "rehello: old session's calls retired");
	fake_stop(&f);
}

/* Events a topic would have had while no daemon was connected are told to
 * the next daemon that wants the topic, as a LOSS of the first seqs of its
 * session; a topic it no longer wants has its count forgotten. */
static void test_missed_while_disconnected(void)
{
	static const uint32_t a[] = { 1 }, b[] = { 2 };
	struct kb_frame fr;
	struct fake f;
	int i, loss_at = -1, event_at = -1;
	uint64_t count = 0, first = 0, last = 0, event_seq = 0;

	started(&f, 0);
	subscribe(&f, a, 1);
	CHECK(kb_publish(f.e, 1, "x", 1) == KB_R_OK, "missed: published while connected");
	kb_engine_disconnect(f.e, 1);
	for (i = 0; i < 3; i++)
		CHECK(kb_publish(f.e, 1, "x", 1) == KB_R_NOCONN, "missed: no daemon");
	CHECK(kb_publish(f.e, 2, "x", 1) == KB_R_NOCONN, "missed: a topic nobody wanted");
	CHECK(kb_engine_connect(f.e, 1) == KB_R_OK, "missed: the daemon is back");
	fake_clear(&f);
	fake_hello(&f, 0, 0);
	CHECK(kb_publish(f.e, 1, "x", 1) == KB_R_UNWANTED, "missed: nothing wanted before SUBSCRIBE");
	subscribe(&f, a, 1);
	CHECK(kb_publish(f.e, 1, "y", 1) == KB_R_OK, "missed: published after SUBSCRIBE");
	for (i = 0; fake_frame(&f, i, &fr) == 0; i++) {
		if (fr.type == KB_LOSS && fr.code == 1 && loss_at < 0) {
			loss_at = i;
			count = kb_get_u64(fr.payload);
			first = kb_get_u64(fr.payload + 8);
			last = kb_get_u64(fr.payload + 16);
		}
		if (fr.type == KB_EVENT && event_at < 0) {
			event_at = i;
			event_seq = kb_get_u64(fr.payload);
		}
	}
	CHECK(loss_at >= 0 && count == 3 && first == 1 && last == 3,
	      "missed: told as a LOSS of 3, seqs 1..3 of the new session");
	CHECK(event_at > loss_at && event_seq == 4, "missed: the next event follows the LOSS with seq 4");
	CHECK(stats(&f).events_lost == 3, "missed: counted as lost");

	kb_engine_disconnect(f.e, 1);
	kb_publish(f.e, 1, "x", 1);
	CHECK(kb_engine_connect(f.e, 1) == KB_R_OK, "missed: back again");
	fake_clear(&f);
	fake_hello(&f, 0, 0);
	subscribe(&f, b, 1);
	CHECK(kb_publish(f.e, 2, "z", 1) == KB_R_OK, "missed: another topic wanted now");
	CHECK(fake_last(&f, KB_LOSS, &fr) < 0, "missed: not told to a daemon that does not want the topic");
	CHECK(fake_last(&f, KB_EVENT, &fr) >= 0 && kb_get_u64(fr.payload) == 1, "missed: its seqs start at 1");
	fake_stop(&f);
}

int main(void)
{
	test_init_validation();
	test_handshake();
	test_welcome_split();
	test_second_client();
	test_requests();
	test_cancel();
	test_options();
	test_subscribe_and_seq();
	test_backlog_and_loss();
	test_enomem_recovery();
	test_topics_changed();
	test_upcalls();
	test_more();
	test_malformed();
	test_stop_and_disconnect();
	test_second_hello();
	test_missed_while_disconnected();
	return kb_checks_done();
}
