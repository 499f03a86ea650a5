/*
 * Engine set-up, the catalog, the connection's lifecycle and counters.
 * Input lives in engine_rx.c, output in engine_tx.c, upcalls in
 * engine_upcall.c.
 */
#include "engine_internal.h"

#define KB_ALIGN8(n) (((n) + 7u) & ~(size_t)7u)

/* Short error responses always fit: header plus a message of this size. */
#define KB_SHORT_RESPONSE (KB_FRAME_HEADER_SIZE + 64u)

size_t kb_fmt_u64(char *out, size_t cap, uint64_t v)
{
	char digits[20];
	size_t n = 0, i;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n && i < cap; i++)
		out[i] = digits[n - 1 - i];
	return i;
}

size_t kb_fmt_str(char *out, size_t cap, const char *s)
{
	size_t i;

	for (i = 0; i < cap && s[i]; i++)
		out[i] = s[i];
	return i;
}

void kb_log(struct kb_engine *e, const char *a, const char *b)
{
	char line[160];
	size_t n = 0;

	if (!e->p.log)
		return;
	n += kb_fmt_str(line + n, sizeof(line) - 1 - n, "kextbridge: ");
	n += kb_fmt_str(line + n, sizeof(line) - 1 - n, a);
	if (b)
		n += kb_fmt_str(line + n, sizeof(line) - 1 - n, b);
	line[n] = 0;
	e->p.log(e->p.ctx, line);
}

void kb_engine_default_config(struct kb_engine_config *cfg)
{
	cfg->max_datagram_in = 2048;
	cfg->max_datagram_out = 8192;
	cfg->max_message = 65536;
	cfg->max_inflight = 64;
	cfg->max_upcalls = 32;
	cfg->backlog_bytes = 262144;
	cfg->retry_ms = 10;
}

static size_t name_len(const char *s)
{
	return s ? kb_strnlen(s, KB_MAX_NAME + 1) : 0;
}

size_t kb_welcome_size(const struct kb_catalog *cat)
{
	size_t n = KB_WELCOME_SIZE + 2 + name_len(cat->identity) + name_len(cat->version);
	uint32_t i;

	for (i = 0; i < cat->n_commands; i++)
		n += KB_ENTRY_SIZE + name_len(cat->commands[i].name);
	for (i = 0; i < cat->n_topics; i++)
		n += KB_ENTRY_SIZE + name_len(cat->topics[i].name);
	for (i = 0; i < cat->n_options; i++)
		n += KB_ENTRY_SIZE + name_len(cat->options[i].name);
	for (i = 0; i < cat->n_upcalls; i++)
		n += KB_ENTRY_SIZE + name_len(cat->upcalls[i].name);
	return n;
}

static uint8_t *put_entry(uint8_t *p, uint8_t kind, uint8_t flags, uint8_t type, uint32_t id,
			  uint32_t timeout_ms, uint32_t verdict, int64_t min, int64_t max,
			  const char *name)
{
	size_t n = name_len(name);

	p[0] = kind;
	p[1] = flags;
	p[2] = type;
	p[3] = (uint8_t)n;
	kb_put_u32(p + 4, id);
	kb_put_u32(p + 8, timeout_ms);
	kb_put_u32(p + 12, verdict);
	kb_put_u64(p + 16, (uint64_t)min);
	kb_put_u64(p + 24, (uint64_t)max);
	kb_memcpy(p + KB_ENTRY_SIZE, name, n);
	return p + KB_ENTRY_SIZE + n;
}

static uint8_t *put_str8(uint8_t *p, const char *s)
{
	size_t n = name_len(s);

	*p++ = (uint8_t)n;
	if (n)
		kb_memcpy(p, s, n);
	return p + n;
}

size_t kb_welcome_build(const struct kb_engine *e, uint8_t *out)
{
	const struct kb_catalog *c = e->cat;
	uint8_t *p = out;
	uint32_t i, entries = c->n_commands + c->n_topics + c->n_options + c->n_upcalls;

	kb_put_u16(p + 0, KB_PROTOCOL_VERSION);
	kb_put_u16(p + 2, (uint16_t)entries);
	kb_put_u32(p + 4, e->cfg.max_datagram_in);
	kb_put_u32(p + 8, e->cfg.max_message);
	kb_put_u32(p + 12, e->cfg.max_inflight);
	kb_put_u32(p + 16, 0);
	p += KB_WELCOME_SIZE;
	p = put_str8(p, c->identity);
	p = put_str8(p, c->version);
	for (i = 0; i < c->n_commands; i++)
		p = put_entry(p, KB_KIND_COMMAND, c->commands[i].flags, 0, c->commands[i].id, 0, 0,
			      0, 0, c->commands[i].name);
	for (i = 0; i < c->n_topics; i++)
		p = put_entry(p, KB_KIND_TOPIC, c->topics[i].flags, 0, c->topics[i].id, 0, 0, 0, 0,
			      c->topics[i].name);
	for (i = 0; i < c->n_options; i++) {
		const struct kb_option_desc *o = &c->options[i];

		p = put_entry(p, KB_KIND_OPTION, o->flags, o->type, o->id, 0, 0, o->min, o->max,
			      o->name);
	}
	for (i = 0; i < c->n_upcalls; i++) {
		const struct kb_upcall_desc *u = &c->upcalls[i];

		p = put_entry(p, KB_KIND_UPCALL, u->flags, 0, u->id, u->timeout_ms,
			      u->default_verdict, 0, 0, u->name);
	}
	return (size_t)(p - out);
}

int kb_find_command(const struct kb_engine *e, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < e->cat->n_commands; i++)
		if (e->cat->commands[i].id == id)
			return (int)i;
	return -1;
}

int kb_find_topic(const struct kb_engine *e, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < e->cat->n_topics; i++)
		if (e->cat->topics[i].id == id)
			return (int)i;
	return -1;
}

int kb_find_option(const struct kb_engine *e, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < e->cat->n_options; i++)
		if (e->cat->options[i].id == id)
			return (int)i;
	return -1;
}

int kb_find_upcall(const struct kb_engine *e, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < e->cat->n_upcalls; i++)
		if (e->cat->upcalls[i].id == id)
			return (int)i;
	return -1;
}

/* Name rules and id uniqueness, per kind. */
#define CHECK_KIND(arr, n, what, flags_allowed)                                                         \
	do {                                                                             \
		uint32_t i_, j_;                                                         \
		for (i_ = 0; i_ < (n); i_++) {                                           \
			size_t l_ = name_len((arr)[i_].name);                            \
			if (l_ == 0 || l_ > KB_MAX_NAME)                                 \
				return what " name must be 1..63 bytes";                 \
			for (j_ = 0; j_ < i_; j_++)                                      \
				if ((arr)[j_].id == (arr)[i_].id)                        \
					return what " ids must be unique";               \
			if ((arr)[i_].flags & ~(flags_allowed))                          \
				return what " has flags it may not carry";               \
		}                                                                        \
	} while (0)

static const char *catalog_problem(const struct kb_catalog *c)
{
	uint32_t i;

	if (name_len(c->identity) == 0 || name_len(c->identity) > KB_MAX_NAME)
		return "identity must be 1..63 bytes";
	if (name_len(c->version) > KB_MAX_NAME)
		return "version must be at most 63 bytes";
	if ((uint64_t)c->n_commands + c->n_topics + c->n_options + c->n_upcalls > 0xffff)
		return "more than 65535 catalog entries";
	if ((c->n_commands && !c->commands) || (c->n_topics && !c->topics) ||
	    (c->n_options && !c->options) || (c->n_upcalls && !c->upcalls))
		return "a catalog table is missing";
	/* Only options are read and set, so only they may be read-only or set-privileged. */
	CHECK_KIND(c->commands, c->n_commands, "command", KB_ENTRY_PRIVILEGED);
	CHECK_KIND(c->topics, c->n_topics, "topic", KB_ENTRY_PRIVILEGED);
	CHECK_KIND(c->options, c->n_options, "option", KB_ENTRY_FLAGS_KNOWN);
	CHECK_KIND(c->upcalls, c->n_upcalls, "upcall", KB_ENTRY_PRIVILEGED);
	for (i = 0; i < c->n_commands; i++)
		if (!c->commands[i].handler)
			return "command without a handler";
	for (i = 0; i < c->n_options; i++) {
		const struct kb_option_desc *o = &c->options[i];

		switch (o->type) {
		case KB_VALUE_BOOL:
			if (!o->int_value || o->min != 0 || o->max != 1)
				return "bool option needs int_value and bounds 0..1";
			break;
		case KB_VALUE_INT64:
			if (!o->int_value || o->min > o->max)
				return "int64 option needs int_value and min <= max";
			break;
		case KB_VALUE_STRING:
		case KB_VALUE_BYTES:
			if (!o->buf || !o->buf_len || o->min != 0 || o->max < 0 ||
			    o->max > KB_MAX_MESSAGE)
				return "string/bytes option needs buf, buf_len and max capacity";
			break;
		default:
			return "option has an unknown value type";
		}
	}
	for (i = 0; i < c->n_upcalls; i++)
		if (c->upcalls[i].timeout_ms == 0 || c->upcalls[i].timeout_ms > 600000)
			return "upcall timeout must be 1..600000 ms";
	return 0;
}

static const char *config_problem(const struct kb_engine_config *cfg, const struct kb_catalog *cat)
{
	if (cfg->max_datagram_in < KB_MIN_DATAGRAM || cfg->max_datagram_in > KB_MAX_DATAGRAM ||
	    cfg->max_datagram_out < KB_MIN_DATAGRAM || cfg->max_datagram_out > KB_MAX_DATAGRAM)
		return "datagram sizes must be within 1024..262144";
	if (cfg->max_message < cfg->max_datagram_in || cfg->max_message > KB_MAX_MESSAGE)
		return "max_message must be within max_datagram_in..1048576";
	if (cfg->max_inflight == 0 || cfg->max_inflight > 65536 || cfg->max_upcalls == 0 ||
	    cfg->max_upcalls > 65536)
		return "max_inflight and max_upcalls must be 1..65536";
	if (cfg->retry_ms == 0)
		return "retry_ms must be at least 1";
	if (kb_welcome_size(cat) > cfg->max_message)
		return "the catalog does not fit max_message";
	/* Events get 7/8 at most, and never the last-resort share. */
	if ((uint64_t)cfg->backlog_bytes < 2ull * cfg->max_datagram_out +
						(uint64_t)cfg->max_inflight * KB_SHORT_RESPONSE * 2)
		return "backlog_bytes too small for max_datagram_out and max_inflight";
	return 0;
}

size_t kb_engine_memory_size(const struct kb_engine_config *cfg, const struct kb_catalog *cat)
{
	return KB_ALIGN8(sizeof(struct kb_engine)) + KB_ALIGN8(cfg->max_message) +
	       KB_ALIGN8(cfg->max_datagram_out) + KB_ALIGN8(cfg->backlog_bytes) +
	       KB_ALIGN8((size_t)cfg->max_inflight * sizeof(struct kb_pending)) +
	       KB_ALIGN8((size_t)cfg->max_upcalls * sizeof(struct kb_upslot)) +
	       KB_ALIGN8((size_t)(cat->n_topics ? cat->n_topics : 1) * sizeof(struct kb_topic_state));
}

static uint8_t *carve(uint8_t **at, size_t n)
{
	uint8_t *p = *at;

	*at += KB_ALIGN8(n);
	return p;
}

int kb_engine_init(void *mem, size_t mem_size, const struct kb_engine_config *cfg,
		   const struct kb_catalog *cat, const struct kb_platform *platform,
		   struct kb_engine **out)
{
	struct kb_engine *e;
	const char *problem;
	uint8_t *at;
	uint32_t short_reserve, control_reserve;

	if (!mem || !cfg || !cat || !platform || !out || !platform->send || !platform->now_ns ||
	    !platform->lock || !platform->unlock || !platform->sleep || !platform->wakeup ||
	    !platform->arm_timer)
		return KB_R_INVAL;
	if (((uintptr_t)mem & 7u) != 0)
		return KB_R_INVAL;
	problem = catalog_problem(cat);
	if (!problem)
		problem = config_problem(cfg, cat);
	if (problem) {
		if (platform->log) {
			struct kb_engine tmp;

			tmp.p = *platform;
			kb_log(&tmp, "init refused: ", problem);
		}
		return KB_R_INVAL;
	}
	if (mem_size < kb_engine_memory_size(cfg, cat))
		return KB_R_INVAL;

	kb_memset(mem, 0, kb_engine_memory_size(cfg, cat));
	at = mem;
	e = (struct kb_engine *)(void *)carve(&at, sizeof(*e));
	e->p = *platform;
	e->cfg = *cfg;
	e->cat = cat;
	e->rx = carve(&at, cfg->max_message);
	e->tx = carve(&at, cfg->max_datagram_out);
	e->ring = carve(&at, cfg->backlog_bytes);
	e->ring_cap = cfg->backlog_bytes;
	e->pending = (struct kb_pending *)(void *)carve(&at, (size_t)cfg->max_inflight *
									sizeof(struct kb_pending));
	e->up = (struct kb_upslot *)(void *)carve(&at, (size_t)cfg->max_upcalls *
							    sizeof(struct kb_upslot));
	e->topics = (struct kb_topic_state *)(void *)carve(
		&at, (size_t)(cat->n_topics ? cat->n_topics : 1) * sizeof(struct kb_topic_state));

	/*
	 * Three shares of the backlog. Every pending call can always get its
	 * short error response (last resort); control frames (responses,
	 * upcalls, WELCOME) may use all but that; events get at most 7/8, so a
	 * flood of events can never starve an answer.
	 */
	short_reserve = cfg->max_inflight * KB_SHORT_RESPONSE;
	control_reserve = cfg->backlog_bytes / 8;
	if (control_reserve < short_reserve + cfg->max_datagram_out)
		control_reserve = short_reserve + cfg->max_datagram_out;
	e->tier_limit[KB_TIER_LAST_RESORT] = cfg->backlog_bytes;
	e->tier_limit[KB_TIER_CONTROL] = cfg->backlog_bytes - short_reserve;
	e->tier_limit[KB_TIER_EVENT] = cfg->backlog_bytes - control_reserve;
	e->next_upcall_id = 1;
	*out = e;
	return KB_R_OK;
}

/* Forget everything tied to the daemon's session. Called with the lock held. */
void kb_session_reset(struct kb_engine *e)
{
	uint32_t i;

	for (i = 0; i < e->cfg.max_inflight; i++) {
		if (e->pending[i].used) {
			e->pending[i].used = 0;
			e->pending[i].gen++;
		}
	}
	for (i = 0; i < e->cat->n_topics; i++) {
		struct kb_topic_state *t = &e->topics[i];

		/* A connection that never finished its handshake changes nothing. */
		if (e->welcomed)
			t->wanted_when_left = t->wanted;
		t->wanted = 0;
		t->lost = 0;
	}
	e->loss_pending = 0;
	e->seq = 0;
	e->welcomed = 0;
	e->topics_dirty = 1;
	kb_upcall_abort_all(e, KB_UPCALL_DISCONNECTED);
}

int kb_engine_connect(struct kb_engine *e, uint32_t unit)
{
	int r = KB_R_OK;

	e->p.lock(e->p.ctx);
	if (e->connected) {
		e->st.refused_connects++;
		r = KB_R_BUSY;
	} else {
		e->connected = 1;
		e->gone = 0;
		e->owner = unit;
		e->out_datagram = KB_MIN_DATAGRAM;
		e->out_message = KB_MIN_DATAGRAM;
		e->st.connects++;
	}
	e->p.unlock(e->p.ctx);
	return r;
}

void kb_engine_disconnect(struct kb_engine *e, uint32_t unit)
{
	e->p.lock(e->p.ctx);
	if (e->connected && e->owner == unit) {
		kb_session_reset(e);
		kb_tx_reset(e);
		kb_rx_reset(e);
		e->connected = 0;
		e->st.disconnects++;
	}
	kb_unlock_and_notify(e);
}

void kb_unlock_and_notify(struct kb_engine *e)
{
	int dirty = e->topics_dirty && e->p.topics_changed;

	e->topics_dirty = 0;
	e->p.unlock(e->p.ctx);
	if (dirty)
		e->p.topics_changed(e->p.ctx, e);
}

int kb_engine_stop(struct kb_engine *e)
{
	int r = KB_R_OK;
	static const char msg[] = "kext is unloading";

	e->p.lock(e->p.ctx);
	if (e->connected) {
		kb_tx_frame(e, KB_TIER_LAST_RESORT, KB_GOODBYE, 0, KB_BYE_UNLOAD, 0, 0, msg,
			    sizeof(msg) - 1);
		kb_pump(e);
		r = KB_R_BUSY;
	}
	e->p.unlock(e->p.ctx);
	return r;
}

int64_t kb_option_int(struct kb_engine *e, uint32_t id)
{
	int64_t v = 0;
	int i;

	e->p.lock(e->p.ctx);
	i = kb_find_option(e, id);
	if (i >= 0 && e->cat->options[i].int_value)
		v = *e->cat->options[i].int_value;
	e->p.unlock(e->p.ctx);
	return v;
}

void kb_engine_get_stats(struct kb_engine *e, struct kb_engine_stats *out)
{
	e->p.lock(e->p.ctx);
	*out = e->st;
	out->backlog_bytes = e->ring_len;
	e->p.unlock(e->p.ctx);
}
