#include "fake_platform.h"

#include <stdlib.h>
#include <string.h>

static int fake_send(void *ctx, uint32_t unit, const void *buf, size_t len)
{
	struct fake *f = ctx;

	(void)unit;
	if (f->fail_sends > 0) {
		f->fail_sends--;
		return KB_SEND_FULL;
	}
	if (f->send_result != KB_SEND_OK)
		return f->send_result;
	if (f->n >= FAKE_MAX_DGRAMS || len > FAKE_MAX_BYTES - f->used)
		return KB_SEND_FULL;
	memcpy(f->bytes + f->used, buf, len);
	f->off[f->n] = f->used;
	f->used += len;
	f->n++;
	f->off[f->n] = f->used;
	return KB_SEND_OK;
}

static void fake_timer(void *ctx, uint32_t ms)
{
	((struct fake *)ctx)->timer_ms = ms;
}

static void fake_topics(void *ctx, struct kb_engine *e)
{
	(void)e;
	__atomic_add_fetch(&((struct fake *)ctx)->topics_calls, 1, __ATOMIC_RELAXED);
}

static void fake_log(void *ctx, const char *msg)
{
	struct fake *f = ctx;

	strncpy(f->log, msg, sizeof(f->log) - 1);
}

/* The fake's own mutex and conditions come from kb_posix, whose functions need it as ctx. */
static void fake_lock(void *ctx)
{
	pthread_mutex_lock(&((struct fake *)ctx)->posix.mu);
}

static void fake_unlock(void *ctx)
{
	pthread_mutex_unlock(&((struct fake *)ctx)->posix.mu);
}

static struct kb_platform posix_ops;

static int fake_sleep(void *ctx, const void *chan, uint64_t deadline)
{
	return posix_ops.sleep(&((struct fake *)ctx)->posix, chan, deadline);
}

static void fake_wakeup(void *ctx, const void *chan)
{
	posix_ops.wakeup(&((struct fake *)ctx)->posix, chan);
}

static uint64_t fake_now(void *ctx)
{
	(void)ctx;
	return kb_posix_now_ns();
}

int fake_start(struct fake *f, const struct kb_catalog *cat, const struct kb_engine_config *cfg,
	       int connect)
{
	struct kb_engine_config def;
	struct kb_platform p;
	size_t size;
	int r;

	memset(f, 0, sizeof(*f));
	if (kb_posix_init(&f->posix))
		return -1;
	kb_posix_platform(&f->posix, &posix_ops);
	f->bytes = malloc(FAKE_MAX_BYTES);
	if (!cfg) {
		kb_engine_default_config(&def);
		cfg = &def;
	}
	p.ctx = f;
	p.send = fake_send;
	p.now_ns = fake_now;
	p.lock = fake_lock;
	p.unlock = fake_unlock;
	p.sleep = fake_sleep;
	p.wakeup = fake_wakeup;
	p.arm_timer = fake_timer;
	p.log = fake_log;
	p.topics_changed = fake_topics;
	size = kb_engine_memory_size(cfg, cat);
	if (posix_memalign(&f->mem, 64, size))
		return -1;
	r = kb_engine_init(f->mem, size, cfg, cat, &p, &f->e);
	if (r != KB_R_OK)
		return r;
	if (connect)
		return kb_engine_connect(f->e, 1);
	return 0;
}

void fake_stop(struct fake *f)
{
	if (f->e)
		kb_engine_disconnect(f->e, 1);
	kb_posix_destroy(&f->posix);
	free(f->mem);
	free(f->bytes);
	f->mem = 0;
	f->bytes = 0;
}

void fake_clear(struct fake *f)
{
	pthread_mutex_lock(&f->posix.mu);
	f->used = 0;
	f->n = 0;
	f->off[0] = 0;
	pthread_mutex_unlock(&f->posix.mu);
}

void fake_in_raw(struct fake *f, const void *data, size_t len)
{
	kb_engine_input(f->e, 1, data, len);
}

void fake_in(struct fake *f, uint8_t type, uint8_t flags, uint32_t id, uint32_t code,
	     const void *payload, uint32_t len)
{
	static uint8_t buf[1 << 20];
	size_t n = kb_frame_put(buf, sizeof(buf), type, flags, id, code, payload, len);

	kb_engine_input(f->e, 1, buf, n);
}

void fake_hello(struct fake *f, uint32_t max_datagram, uint32_t max_message)
{
	uint8_t h[KB_HELLO_SIZE + 4];

	kb_put_u16(h, 1);
	kb_put_u16(h + 2, 1);
	kb_put_u32(h + 4, max_datagram ? max_datagram : 65536);
	kb_put_u32(h + 8, max_message ? max_message : (1u << 20));
	memcpy(h + KB_HELLO_SIZE, "test", 4);
	fake_in(f, KB_HELLO, 0, 0, 0, h, sizeof(h));
}

int fake_frame(struct fake *f, int i, struct kb_frame *out)
{
	int d;

	for (d = 0; d < f->n; d++) {
		size_t off = 0, len = f->off[d + 1] - f->off[d];
		const uint8_t *buf = f->bytes + f->off[d];

		while (kb_frame_next(buf, len, &off, out) == KB_FRAME_OK)
			if (i-- == 0)
				return 0;
	}
	return -1;
}

int fake_frame_count(struct fake *f)
{
	struct kb_frame fr;
	int i = 0;

	while (fake_frame(f, i, &fr) == 0)
		i++;
	return i;
}

int fake_last(struct fake *f, uint8_t type, struct kb_frame *out)
{
	struct kb_frame fr;
	int i, found = -1;

	for (i = 0; fake_frame(f, i, &fr) == 0; i++)
		if (fr.type == type) {
			*out = fr;
			found = i;
		}
	return found;
}
