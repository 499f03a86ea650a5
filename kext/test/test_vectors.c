/*
 * The golden vectors of wire protocol v1 (test/vectors/wire-v1.txt, format
 * described at its top) against the C side: kb_frame_next must split each
 * datagram into exactly the listed frames, kb_frame_put must rebuild it
 * byte for byte, malformed datagrams must fail with the listed class at
 * the listed offset, and payload records must match the bytes as wire.h
 * lays them out. Then the engine itself answers the daemon's vectors and
 * must produce the kext's vectors exactly: the doc's examples are what the
 * engine really sends.
 *
 * The file is found from argv[1], $KB_VECTORS, the current directory (repo
 * root or kext/), or the binary's own path (kext/build/test/).
 */
#include <stdlib.h>
#include <string.h>

#include <kextbridge/engine.h>
#include <kextbridge/frame.h>

#include "check.h"
#include "fake_platform.h"

#define MAX_VECTORS   64
#define MAX_DGRAMS    4
#define POOL_SIZE     (1u << 20)
#define LINE_MAX_LEN  8192

struct vector {
	char name[64];
	int n_dgrams;
	size_t off[MAX_DGRAMS], len[MAX_DGRAMS];
};

static uint8_t pool[POOL_SIZE];
static size_t pool_used;
static struct vector vectors[MAX_VECTORS];
static int n_vectors;

/* ---- line fields ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex up to the next space or the end; '-' is empty. -1 on bad hex or no room. */
static long parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (s[0] == '-' && (s[1] == 0 || s[1] == ' '))
		return 0;
	while (*s && *s != ' ') {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (hi < 0 || lo < 0 || n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return (long)n;
}

/* The value of " key=" in line, or NULL. */
static const char *field(const char *line, const char *key)
{
	size_t klen = strlen(key);
	const char *p = line;

	while ((p = strchr(p, ' ')) != NULL) {
		p++;
		if (strncmp(p, key, klen) == 0 && p[klen] == '=')
			return p + klen + 1;
	}
	return NULL;
}

static int field_u64(const char *line, const char *key, uint64_t *v)
{
	const char *s = field(line, key);
	char *end;

	if (!s)
		return 0;
	*v = strtoull(s, &end, 10);
	return end != s && (*end == 0 || *end == ' ');
}

static int field_i64(const char *line, const char *key, int64_t *v)
{
	const char *s = field(line, key);
	char *end;

	if (!s)
		return 0;
	*v = strtoll(s, &end, 10);
	return end != s && (*end == 0 || *end == ' ');
}

/* Compares the string value of key with n bytes at p. */
static int field_str_is(const char *line, const char *key, const uint8_t *p, size_t n)
{
	const char *s = field(line, key);
	size_t len;

	if (!s)
		return 0;
	len = strcspn(s, " ");
	return len == n && memcmp(s, p, n) == 0;
}

static int field_hex_is(const char *line, const char *key, const uint8_t *p, size_t n)
{
	static uint8_t want[POOL_SIZE / 4];
	const char *s = field(line, key);
	long len;

	if (!s)
		return 0;
	len = parse_hex(s, want, sizeof(want));
	return len >= 0 && (size_t)len == n && memcmp(want, p, n) == 0;
}

/* ---- per-vector state while reading the file ---- */

static char label[256];

static const char *what(const char *vec, const char *fmt, long n)
{
	char part[128];

	snprintf(part, sizeof(part), fmt, n);
	snprintf(label, sizeof(label), "%s: %s", vec, part);
	return label;
}

struct reader {
	struct vector *v;
	/* Current datagram and how far kb_frame_next has read it. */
	const uint8_t *dg;
	size_t dg_len, dg_off;
	int frame_no;
	uint8_t rebuilt[POOL_SIZE / 4];
	size_t rebuilt_len;
	/* Payload of the last frame or message line, for payload records. */
	const uint8_t *payload;
	size_t payload_len;
	/* Multi-frame messages reassembled from the vector's frames. */
	uint8_t msg[POOL_SIZE / 4];
	size_t msg_len;
	int msg_frames;
	uint8_t done[4][POOL_SIZE / 16];
	size_t done_len[4];
	int n_done, n_message_lines;
	/* WELCOME being walked by entry lines. */
	int in_welcome;
	size_t welcome_at;
	uint64_t welcome_entries, entries_seen;
};

static struct reader rd;

static void finish_datagram(void)
{
	struct kb_frame f;
	size_t off = rd.dg_off;

	if (!rd.dg)
		return;
	CHECK(kb_frame_next(rd.dg, rd.dg_len, &off, &f) == KB_FRAME_END,
	      what(rd.v->name, "datagram %ld holds no frames beyond those listed", rd.v->n_dgrams));
	CHECK(rd.rebuilt_len == rd.dg_len && memcmp(rd.rebuilt, rd.dg, rd.dg_len) == 0,
	      what(rd.v->name, "datagram %ld: kb_frame_put rebuilds it byte for byte", rd.v->n_dgrams));
	rd.dg = NULL;
}

static void finish_welcome(void)
{
	if (!rd.in_welcome)
		return;
	CHECK(rd.entries_seen == rd.welcome_entries && rd.welcome_at == rd.payload_len,
	      what(rd.v->name, "WELCOME: %ld entries listed, no bytes after them",
		   (long)rd.welcome_entries));
	rd.in_welcome = 0;
}

static void on_datagram(const char *line)
{
	long n;

	finish_datagram();
	n = parse_hex(line + strlen("datagram "), pool + pool_used, POOL_SIZE - pool_used);
	if (n < 0 || rd.v->n_dgrams >= MAX_DGRAMS) {
		CHECK(0, what(rd.v->name, "datagram line %ld parses", rd.v->n_dgrams));
		return;
	}
	rd.dg = pool + pool_used;
	rd.dg_len = (size_t)n;
	rd.dg_off = 0;
	rd.frame_no = 0;
	rd.rebuilt_len = 0;
	rd.v->off[rd.v->n_dgrams] = pool_used;
	rd.v->len[rd.v->n_dgrams] = (size_t)n;
	rd.v->n_dgrams++;
	pool_used += (size_t)n;
}

static void on_frame(const char *line)
{
	uint64_t type, flags, id, code;
	static uint8_t payload[POOL_SIZE / 4];
	const char *ps = field(line, "payload");
	long plen = ps ? parse_hex(ps, payload, sizeof(payload)) : -1;
	struct kb_frame f;
	size_t put;
	int r, ok;

	finish_welcome();
	if (!rd.dg || !field_u64(line, "type", &type) || !field_u64(line, "flags", &flags) ||
	    !field_u64(line, "id", &id) || !field_u64(line, "code", &code) || plen < 0) {
		CHECK(0, what(rd.v->name, "frame line %ld parses", rd.frame_no));
		return;
	}
	r = kb_frame_next(rd.dg, rd.dg_len, &rd.dg_off, &f);
	ok = r == KB_FRAME_OK && f.type == type && f.flags == flags && f.id == id && f.code == code &&
	     f.length == (uint32_t)plen && memcmp(f.payload, payload, (size_t)plen) == 0;
	CHECK(ok, what(rd.v->name, "kb_frame_next yields frame %ld as listed", rd.frame_no));
	put = kb_frame_put(rd.rebuilt + rd.rebuilt_len, sizeof(rd.rebuilt) - rd.rebuilt_len,
			   (uint8_t)type, (uint8_t)flags, (uint32_t)id, (uint32_t)code, payload,
			   (uint32_t)plen);
	rd.rebuilt_len += put;
	rd.frame_no++;
	/* Payload records after a frame that did not match check nothing real: they fail. */
	rd.payload = NULL;
	rd.payload_len = 0;
	if (!ok)
		return;
	rd.payload = f.payload;
	rd.payload_len = f.length;
	/* MORE reassembly, as a receiver does it: same type and id until a frame without MORE. */
	memcpy(rd.msg + rd.msg_len, f.payload, f.length);
	rd.msg_len += f.length;
	rd.msg_frames++;
	if (!(f.flags & KB_FLAG_MORE)) {
		if (rd.msg_frames > 1 && rd.n_done < 4) {
			memcpy(rd.done[rd.n_done], rd.msg, rd.msg_len);
			rd.done_len[rd.n_done++] = rd.msg_len;
		}
		rd.msg_len = 0;
		rd.msg_frames = 0;
	}
}

static void on_message(const char *line)
{
	int k = rd.n_message_lines++;

	finish_welcome();
	CHECK(k < rd.n_done && field_hex_is(line, "payload", rd.done[k], rd.done_len[k]),
	      what(rd.v->name, "MORE frames reassemble into message %ld as listed", k));
	if (k < rd.n_done) {
		rd.payload = rd.done[k];
		rd.payload_len = rd.done_len[k];
	}
}

static void on_hello(const char *line)
{
	const uint8_t *p = rd.payload;
	uint64_t vmin, vmax, dg, msg;
	int ok = rd.payload_len >= KB_HELLO_SIZE && rd.payload_len - KB_HELLO_SIZE <= KB_MAX_NAME &&
		 field_u64(line, "version_min", &vmin) && field_u64(line, "version_max", &vmax) &&
		 field_u64(line, "max_datagram", &dg) && field_u64(line, "max_message", &msg);

	ok = ok && kb_get_u16(p) == vmin && kb_get_u16(p + 2) == vmax && kb_get_u32(p + 4) == dg &&
	     kb_get_u32(p + 8) == msg &&
	     field_str_is(line, "name", p + KB_HELLO_SIZE, rd.payload_len - KB_HELLO_SIZE);
	CHECK(ok, what(rd.v->name, "HELLO payload holds the listed fields", 0));
}

/* A u8-length string at p[*at] equal to the value of key. */
static int str8_is(const char *line, const char *key, size_t *at)
{
	const uint8_t *p = rd.payload;
	size_t n;

	if (*at >= rd.payload_len)
		return 0;
	n = p[*at];
	if (n > rd.payload_len - *at - 1 || !field_str_is(line, key, p + *at + 1, n))
		return 0;
	*at += 1 + n;
	return 1;
}

static void on_welcome(const char *line)
{
	const uint8_t *p = rd.payload;
	uint64_t version, dg, msg, inflight, flags;
	size_t at = KB_WELCOME_SIZE;
	int ok = rd.payload_len >= KB_WELCOME_SIZE && field_u64(line, "version", &version) &&
		 field_u64(line, "max_datagram", &dg) && field_u64(line, "max_message", &msg) &&
		 field_u64(line, "max_inflight", &inflight) && field_u64(line, "flags", &flags) &&
		 field_u64(line, "entries", &rd.welcome_entries);

	ok = ok && kb_get_u16(p) == version && kb_get_u16(p + 2) == rd.welcome_entries &&
	     kb_get_u32(p + 4) == dg && kb_get_u32(p + 8) == msg && kb_get_u32(p + 12) == inflight &&
	     kb_get_u32(p + 16) == flags && str8_is(line, "identity", &at) &&
	     str8_is(line, "kext_version", &at);
	CHECK(ok, what(rd.v->name, "WELCOME head and strings hold the listed fields", 0));
	/* Entry lines are only walked over a head that matched. */
	rd.in_welcome = ok;
	rd.welcome_at = at;
	rd.entries_seen = 0;
}

static void on_entry(const char *line)
{
	const uint8_t *p = rd.in_welcome ? rd.payload + rd.welcome_at : NULL;
	uint64_t kind, flags, vt, id, timeout, verdict;
	int64_t min, max;
	size_t left = rd.in_welcome ? rd.payload_len - rd.welcome_at : 0;
	int ok = rd.in_welcome && left >= KB_ENTRY_SIZE && field_u64(line, "kind", &kind) &&
		 field_u64(line, "flags", &flags) && field_u64(line, "value_type", &vt) &&
		 field_u64(line, "id", &id) && field_u64(line, "timeout_ms", &timeout) &&
		 field_u64(line, "default_verdict", &verdict) && field_i64(line, "min", &min) &&
		 field_i64(line, "max", &max);

	ok = ok && p[0] == kind && p[1] == flags && p[2] == vt && p[3] >= 1 &&
	     p[3] <= KB_MAX_NAME && p[3] <= left - KB_ENTRY_SIZE && kb_get_u32(p + 4) == id &&
	     kb_get_u32(p + 8) == timeout && kb_get_u32(p + 12) == verdict &&
	     (int64_t)kb_get_u64(p + 16) == min && (int64_t)kb_get_u64(p + 24) == max &&
	     field_str_is(line, "name", p + KB_ENTRY_SIZE, p[3]);
	CHECK(ok, what(rd.v->name, "WELCOME catalog entry %ld as listed", (long)rd.entries_seen));
	if (ok)
		rd.welcome_at += KB_ENTRY_SIZE + p[3];
	rd.entries_seen++;
}

static void on_event(const char *line)
{
	const uint8_t *p = rd.payload;
	uint64_t seq, t;
	int ok = rd.payload_len >= KB_EVENT_HEAD_SIZE && field_u64(line, "seq", &seq) &&
		 field_u64(line, "time_ns", &t);

	ok = ok && kb_get_u64(p) == seq && kb_get_u64(p + 8) == t &&
	     field_hex_is(line, "data", p + KB_EVENT_HEAD_SIZE, rd.payload_len - KB_EVENT_HEAD_SIZE);
	CHECK(ok, what(rd.v->name, "EVENT head and data as listed (seq %ld)", (long)seq));
}

static void on_loss(const char *line)
{
	const uint8_t *p = rd.payload;
	uint64_t count, first, last;
	int ok = rd.payload_len == KB_LOSS_SIZE && field_u64(line, "count", &count) &&
		 field_u64(line, "first_seq", &first) && field_u64(line, "last_seq", &last);

	ok = ok && kb_get_u64(p) == count && kb_get_u64(p + 8) == first && kb_get_u64(p + 16) == last;
	CHECK(ok, what(rd.v->name, "LOSS payload as listed", 0));
}

static void on_upcall(const char *line)
{
	const uint8_t *p = rd.payload;
	uint64_t timeout, verdict;
	int ok = rd.payload_len >= KB_UPCALL_HEAD_SIZE && field_u64(line, "timeout_ms", &timeout) &&
		 field_u64(line, "default_verdict", &verdict);

	ok = ok && kb_get_u32(p) == timeout && kb_get_u32(p + 4) == verdict &&
	     field_hex_is(line, "question", p + KB_UPCALL_HEAD_SIZE,
			  rd.payload_len - KB_UPCALL_HEAD_SIZE);
	CHECK(ok, what(rd.v->name, "UPCALL head and question as listed", 0));
}

static void on_subscribe(const char *line)
{
	const char *s = field(line, "topics");
	size_t at = 0;
	int ok = s != NULL && rd.payload != NULL && rd.payload_len % 4 == 0;

	if (ok && s[0] == '-') {
		ok = rd.payload_len == 0;
	} else {
		while (ok && *s && *s != ' ') {
			char *end;
			unsigned long id = strtoul(s, &end, 10);

			ok = end != s && at + 4 <= rd.payload_len && kb_get_u32(rd.payload + at) == id;
			at += 4;
			s = *end == ',' ? end + 1 : end;
		}
		ok = ok && at == rd.payload_len;
	}
	CHECK(ok, what(rd.v->name, "SUBSCRIBE topic list as listed", 0));
}

static void on_end(void)
{
	finish_welcome();
	finish_datagram();
	CHECK(rd.msg_frames == 0 && rd.n_message_lines == rd.n_done,
	      what(rd.v->name, "every MORE chain ends, %ld reassembled messages listed",
		   rd.n_message_lines));
	rd.v = NULL;
}

static int error_class(const char *s)
{
	static const char *const names[] = { "OK", "END", "SHORT", "BAD_MAGIC",
					     "BAD_TYPE", "BAD_FLAGS", "OVERRUN" };
	size_t len = strcspn(s, " ");
	int i;

	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strlen(names[i]) == len && strncmp(s, names[i], len) == 0)
			return i;
	return -1;
}

static void on_malformed(const char *line)
{
	static uint8_t buf[4096];
	char name[64] = "?";
	const char *hex = strchr(line + strlen("malformed "), ' ');
	const char *cls = hex ? strchr(hex + 1, ' ') : NULL;
	long n = hex ? parse_hex(hex + 1, buf, sizeof(buf)) : -1;
	uint64_t want_off, want_frames, frames = 0;
	struct kb_frame f;
	size_t off = 0;
	int r, want;

	if (hex && (size_t)(hex - line) - strlen("malformed ") < sizeof(name)) {
		memcpy(name, line + strlen("malformed "), (size_t)(hex - line) - strlen("malformed "));
		name[(size_t)(hex - line) - strlen("malformed ")] = 0;
	}
	want = cls ? error_class(cls + 1) : -1;
	if (n < 0 || want < KB_FRAME_SHORT || !field_u64(line, "offset", &want_off) ||
	    !field_u64(line, "frames", &want_frames)) {
		CHECK(0, what(name, "malformed line parses", 0));
		return;
	}
	while ((r = kb_frame_next(buf, (size_t)n, &off, &f)) == KB_FRAME_OK)
		frames++;
	CHECK(r == want && off == want_off && frames == want_frames,
	      what(name, "malformed: class, offset and frames before it as listed", 0));
}

static void on_vector(const char *line)
{
	if (n_vectors >= MAX_VECTORS) {
		CHECK(0, "room for every vector");
		return;
	}
	memset(&rd, 0, sizeof(rd));
	rd.v = &vectors[n_vectors++];
	memset(rd.v, 0, sizeof(*rd.v));
	snprintf(rd.v->name, sizeof(rd.v->name), "%.*s", (int)strcspn(line + 7, " "), line + 7);
}

static int starts(const char *line, const char *word)
{
	size_t n = strlen(word);

	return strncmp(line, word, n) == 0 && (line[n] == ' ' || line[n] == 0);
}

static int read_vectors(FILE *in)
{
	static char line[LINE_MAX_LEN * 2];
	int unknown = 0;

	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\r\n")] = 0;
		if (line[0] == 0 || line[0] == '#')
			continue;
		if (starts(line, "malformed"))
			on_malformed(line);
		else if (starts(line, "vector"))
			on_vector(line);
		else if (!rd.v)
			unknown++;
		else if (starts(line, "datagram"))
			on_datagram(line);
		else if (starts(line, "frame"))
			on_frame(line);
		else if (starts(line, "message"))
			on_message(line);
		else if (starts(line, "hello"))
			on_hello(line);
		else if (starts(line, "welcome"))
			on_welcome(line);
		else if (starts(line, "entry"))
			on_entry(line);
		else if (starts(line, "event"))
			on_event(line);
		else if (starts(line, "loss"))
			on_loss(line);
		else if (starts(line, "upcall"))
			on_upcall(line);
		else if (starts(line, "subscribe"))
			on_subscribe(line);
		else if (starts(line, "end"))
			on_end();
		else
			unknown++;
	}
	CHECK(unknown == 0 && rd.v == NULL, "every line of the vectors file is understood");
	return n_vectors;
}

/* ---- the engine answers the daemon's vectors with the kext's ---- */

static int64_t log_level = 2;

static void echo(struct kb_engine *e, void *arg, const struct kb_call *c)
{
	(void)arg;
	kb_respond(e, c->token, KB_OK, c->req, c->req_len);
}

static const struct kb_command_desc commands[] = { { 1, "echo", 0, echo, 0 } };
static const struct kb_topic_desc topics[] = { { 1, "exec", KB_ENTRY_PRIVILEGED } };
static const struct kb_option_desc options[] = {
	{ 1, "log_level", KB_ENTRY_PRIVILEGED, KB_VALUE_INT64, 0, 4, &log_level, 0, 0, 0 },
};
static const struct kb_upcall_desc upcalls[] = {
	{ 1, "authorize_exec", KB_ENTRY_PRIVILEGED, 5000, 0 },
};
static const struct kb_catalog catalog = { "org.kextbridge.example", "1.0.0", commands, 1,
					   topics, 1, options, 1, upcalls, 1, 0 };

static const struct vector *find(const char *name)
{
	int i;

	for (i = 0; i < n_vectors; i++)
		if (strcmp(vectors[i].name, name) == 0)
			return &vectors[i];
	return NULL;
}

static int sent_exactly(struct fake *f, const struct vector *want)
{
	int i;

	if (!want || f->n != want->n_dgrams)
		return 0;
	for (i = 0; i < f->n; i++) {
		size_t len = f->off[i + 1] - f->off[i];

		if (len != want->len[i] || memcmp(f->bytes + f->off[i], pool + want->off[i], len) != 0)
			return 0;
	}
	return 1;
}

/* Feeds the daemon's vector in and expects the kext's vector out (NULL: nothing). */
static void exchange(struct fake *f, const char *in, const char *out)
{
	const struct vector *v = find(in);
	int i;

	fake_clear(f);
	for (i = 0; v && i < v->n_dgrams; i++)
		fake_in_raw(f, pool + v->off[i], v->len[i]);
	snprintf(label, sizeof(label), "engine answers %s with %s", in, out ? out : "nothing");
	CHECK(v && (out ? sent_exactly(f, find(out)) : f->n == 0), label);
}

static void engine_exchanges(void)
{
	struct fake f;

	memset(&f, 0, sizeof(f));
	if (fake_start(&f, &catalog, NULL, 1)) {
		CHECK(0, "engine starts with the vectors' catalog");
		return;
	}
	exchange(&f, "request-before-hello", "response-before-hello");
	exchange(&f, "hello", "welcome");
	exchange(&f, "request", "response");
	exchange(&f, "request-unknown-command", "response-unimplemented");
	exchange(&f, "opt-get", "opt-get-response");
	exchange(&f, "opt-set", "opt-set-response");
	exchange(&f, "opt-set-out-of-range", "opt-set-out-of-range-response");
	exchange(&f, "ping", "pong");
	exchange(&f, "subscribe", NULL);
	exchange(&f, "cancel", NULL);
	exchange(&f, "upcall-reply", NULL);
	/* A second HELLO starts a new session: same WELCOME, smaller datagrams from now on. */
	exchange(&f, "hello-small", "welcome");
	exchange(&f, "request-1100", "response-1100-split");
	fake_clear(&f);
	CHECK(kb_engine_stop(f.e) == KB_R_BUSY && sent_exactly(&f, find("goodbye-unload")),
	      "engine stop while connected sends goodbye-unload");
	fake_stop(&f);

	memset(&f, 0, sizeof(f));
	if (fake_start(&f, &catalog, NULL, 1)) {
		CHECK(0, "engine starts again");
		return;
	}
	exchange(&f, "hello-future", "goodbye-version");
	fake_stop(&f);
}

/* ---- finding the file ---- */

static FILE *open_vectors(int argc, char **argv)
{
	static const char rel[] = "test/vectors/wire-v1.txt";
	char path[4096];
	const char *env = getenv("KB_VECTORS");
	const char *slash;
	FILE *in;

	if (argc > 1)
		return fopen(argv[1], "r");
	if (env && *env)
		return fopen(env, "r");
	if ((in = fopen(rel, "r")) != NULL) /* cwd kext/, as under make -C kext */
		return in;
	if ((in = fopen("kext/test/vectors/wire-v1.txt", "r")) != NULL) /* cwd repo root */
		return in;
	/* The binary lives in kext/build/test/. */
	slash = strrchr(argv[0], '/');
	if (!slash)
		return NULL;
	snprintf(path, sizeof(path), "%.*s/../../%s", (int)(slash - argv[0]), argv[0], rel);
	return fopen(path, "r");
}

int main(int argc, char **argv)
{
	FILE *in = open_vectors(argc, argv);

	/* Every check's line reaches the log even if a sanitizer aborts the run. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!in) {
		fprintf(stderr, "test_vectors: cannot open the vectors file; pass its path or set KB_VECTORS\n");
		CHECK(0, "vectors file found");
		return kb_checks_done();
	}
	CHECK(read_vectors(in) > 0, "the vectors file holds vectors");
	fclose(in);
	engine_exchanges();
	return kb_checks_done();
}
