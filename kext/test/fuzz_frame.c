/*
 * libFuzzer target: arbitrary datagrams from a "daemon" into a connected,
 * welcomed engine. The input is split into datagrams by 2-byte length
 * prefixes. Sanitizers catch any read outside a datagram; the engine must
 * also keep its invariants (checked after every run).
 */
#include <stdlib.h>
#include <string.h>

#include <kextbridge/engine.h>
#include <kextbridge/frame.h>

static uint64_t fake_ns;
static int lock_depth;

static int f_send(void *ctx, uint32_t unit, const void *buf, size_t len)
{
	(void)ctx;
	(void)unit;
	(void)buf;
	/* Sometimes full, so the backlog and retry paths run too. */
	return (len + fake_ns) % 7 == 0 ? KB_SEND_FULL : KB_SEND_OK;
}

static uint64_t f_now(void *ctx)
{
	(void)ctx;
	return fake_ns += 1000;
}

static void f_lock(void *ctx)
{
	(void)ctx;
	if (lock_depth++)
		abort(); /* the engine never takes its lock twice */
}

static void f_unlock(void *ctx)
{
	(void)ctx;
	if (--lock_depth)
		abort();
}

static int f_sleep(void *ctx, const void *chan, uint64_t deadline)
{
	(void)ctx;
	(void)chan;
	fake_ns = deadline; /* time passes; nothing wakes us */
	return 1;
}

static void f_wakeup(void *ctx, const void *chan)
{
	(void)ctx;
	(void)chan;
}

static void f_timer(void *ctx, uint32_t ms)
{
	(void)ctx;
	(void)ms;
}

static uint64_t held;

static void cmd_reply(struct kb_engine *e, void *arg, const struct kb_call *c)
{
	(void)arg;
	kb_respond(e, c->token, KB_OK, c->req, c->req_len);
	kb_publish(e, 1, c->req, c->req_len < 64 ? c->req_len : 64);
}

static void cmd_hold(struct kb_engine *e, void *arg, const struct kb_call *c)
{
	(void)e;
	(void)arg;
	held = c->token;
}

static void cmd_cancel(struct kb_engine *e, void *arg, uint64_t token)
{
	(void)e;
	(void)arg;
	(void)token;
}

static int64_t i64 = 0, b = 0;
static uint8_t sbuf[16];
static uint32_t slen;

static const struct kb_command_desc commands[] = {
	{ 1, "reply", 0, cmd_reply, 0 },
	{ 2, "hold", 0, cmd_hold, cmd_cancel },
};
static const struct kb_topic_desc topics[] = { { 1, "t1", 0 }, { 2, "t2", 0 } };
static const struct kb_option_desc options[] = {
	{ 1, "i", 0, KB_VALUE_INT64, -10, 10, &i64, 0, 0, 0 },
	{ 2, "b", 0, KB_VALUE_BOOL, 0, 1, &b, 0, 0, 0 },
	{ 3, "s", 0, KB_VALUE_STRING, 0, 16, 0, sbuf, &slen, 0 },
};
static const struct kb_upcall_desc upcalls[] = { { 1, "u", 0, 10, 0 } };
static const struct kb_catalog cat = { "org.kextbridge.fuzz", "1", commands, 2, topics, 2,
				       options, 3, upcalls, 1, 0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void *mem;
	static size_t mem_size;
	struct kb_platform p = { 0, f_send, f_now, f_lock, f_unlock, f_sleep, f_wakeup, f_timer, 0, 0 };
	struct kb_engine_config cfg;
	struct kb_engine *e;
	struct kb_engine_stats st;
	uint8_t hello[16 + KB_HELLO_SIZE];

	kb_engine_default_config(&cfg);
	cfg.max_message = 4096;
	cfg.backlog_bytes = 32768;
	cfg.max_inflight = 8;
	if (!mem) {
		mem_size = kb_engine_memory_size(&cfg, &cat);
		if (posix_memalign(&mem, 64, mem_size))
			abort();
	}
	if (kb_engine_init(mem, mem_size, &cfg, &cat, &p, &e) || kb_engine_connect(e, 1))
		abort();
	kb_put_u16(hello + 16, 1);
	kb_put_u16(hello + 18, 1);
	kb_put_u32(hello + 20, 1024);
	kb_put_u32(hello + 24, 65536);
	kb_frame_put_header(hello, KB_HELLO, 0, 0, 0, KB_HELLO_SIZE);
	kb_engine_input(e, 1, hello, sizeof(hello));

	while (size >= 2) {
		size_t n = (size_t)data[0] | ((size_t)data[1] << 8);

		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		kb_engine_input(e, 1, data, n);
		kb_engine_tick(e);
		data += n;
		size -= n;
	}
	kb_upcall(e, 1, "q", 1, 0, 0, 0);
	kb_respond(e, held, KB_OK, "late", 4);
	kb_engine_get_stats(e, &st);
	if (st.backlog_bytes > cfg.backlog_bytes || lock_depth)
		abort();
	kb_engine_disconnect(e, 1);
	return 0;
}
