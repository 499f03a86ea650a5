/*
 * Protobuf wire format, the subset a kext needs: read any message field by
 * field without allocating, write varints, fixed and length-delimited
 * fields and nested messages. Unknown fields are the caller's to skip.
 */
#include <kextbridge/pb.h>

#include "kb_string.h"

#define KB_PB_MAX_FIELD 536870911u /* 2^29 - 1 */

int kb_pb_read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
	const uint8_t *q = *p;
	uint64_t v = 0;
	unsigned shift = 0;

	while (q < end) {
		uint8_t b = *q++;

		/* The tenth byte holds bit 63 only. */
		if (shift == 63 && b > 1)
			return KB_PB_MALFORMED;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*p = q;
			*out = v;
			return KB_PB_OK;
		}
		shift += 7;
		if (shift > 63)
			return KB_PB_MALFORMED;
	}
	return KB_PB_TRUNCATED;
}

void kb_pb_reader_init(struct kb_pb_reader *r, const void *buf, size_t len)
{
	r->p = buf;
	r->end = r->p + len;
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int kb_pb_next(struct kb_pb_reader *r, struct kb_pb_field *f)
{
	const uint8_t *p = r->p;
	uint64_t tag, n;
	int err;

	if (p >= r->end)
		return KB_PB_END;
	err = kb_pb_read_varint(&p, r->end, &tag);
	if (err)
		return err;
	if ((tag >> 3) == 0 || (tag >> 3) > KB_PB_MAX_FIELD)
		return KB_PB_MALFORMED;
	f->number = (uint32_t)(tag >> 3);
	f->wire = (uint8_t)(tag & 7);
	f->value = 0;
	f->data = 0;
	f->len = 0;
	switch (f->wire) {
	case KB_PB_VARINT:
		err = kb_pb_read_varint(&p, r->end, &f->value);
		if (err)
			return err;
		break;
	case KB_PB_I64:
		if (r->end - p < 8)
			return KB_PB_TRUNCATED;
		f->value = get_le(p, 8);
		p += 8;
		break;
	case KB_PB_I32:
		if (r->end - p < 4)
			return KB_PB_TRUNCATED;
		f->value = get_le(p, 4);
		p += 4;
		break;
	case KB_PB_LEN:
		err = kb_pb_read_varint(&p, r->end, &n);
		if (err)
			return err;
		if (n > (uint64_t)(r->end - p))
			return KB_PB_TRUNCATED;
		f->data = p;
		f->len = (size_t)n;
		p += n;
		break;
	default:
		return KB_PB_MALFORMED; /* groups (3, 4) and 6, 7 */
	}
	r->p = p;
	return KB_PB_OK;
}

void kb_pb_writer_init(struct kb_pb_writer *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->err = KB_PB_OK;
	w->depth = 0;
}

size_t kb_pb_varint_size(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static void put_raw_varint(struct kb_pb_writer *w, uint64_t v)
{
	if (w->err)
		return;
	if (w->cap - w->len < kb_pb_varint_size(v)) {
		w->err = KB_PB_OVERFLOW;
		return;
	}
	while (v >= 0x80) {
		w->buf[w->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	w->buf[w->len++] = (uint8_t)v;
}

static void put_tag(struct kb_pb_writer *w, uint32_t field, unsigned wire)
{
	if (field == 0 || field > KB_PB_MAX_FIELD) {
		if (!w->err)
			w->err = KB_PB_OVERFLOW;
		return;
	}
	put_raw_varint(w, ((uint64_t)field << 3) | wire);
}

static void put_raw(struct kb_pb_writer *w, const void *data, size_t len)
{
	if (w->err)
		return;
	if (w->cap - w->len < len) {
		w->err = KB_PB_OVERFLOW;
		return;
	}
	if (len)
		kb_memcpy(w->buf + w->len, data, len);
	w->len += len;
}

static void put_le(struct kb_pb_writer *w, uint64_t v, unsigned n)
{
	uint8_t b[8];
	unsigned i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put_raw(w, b, n);
}

void kb_pb_put_varint(struct kb_pb_writer *w, uint32_t field, uint64_t v)
{
	put_tag(w, field, KB_PB_VARINT);
	put_raw_varint(w, v);
}

void kb_pb_put_sint(struct kb_pb_writer *w, uint32_t field, int64_t v)
{
	kb_pb_put_varint(w, field, kb_pb_zigzag_encode(v));
}

void kb_pb_put_bool(struct kb_pb_writer *w, uint32_t field, int v)
{
	kb_pb_put_varint(w, field, v ? 1 : 0);
}

void kb_pb_put_fixed32(struct kb_pb_writer *w, uint32_t field, uint32_t v)
{
	put_tag(w, field, KB_PB_I32);
	put_le(w, v, 4);
}

void kb_pb_put_fixed64(struct kb_pb_writer *w, uint32_t field, uint64_t v)
{
	put_tag(w, field, KB_PB_I64);
	put_le(w, v, 8);
}

void kb_pb_put_bytes(struct kb_pb_writer *w, uint32_t field, const void *data, size_t len)
{
	put_tag(w, field, KB_PB_LEN);
	put_raw_varint(w, len);
	put_raw(w, data, len);
}

void kb_pb_put_fill(struct kb_pb_writer *w, uint32_t field, uint8_t byte, size_t n)
{
	put_tag(w, field, KB_PB_LEN);
	put_raw_varint(w, n);
	if (w->err)
		return;
	if (w->cap - w->len < n) {
		w->err = KB_PB_OVERFLOW;
		return;
	}
	kb_memset(w->buf + w->len, byte, n);
	w->len += n;
}

void kb_pb_put_string(struct kb_pb_writer *w, uint32_t field, const char *s)
{
	kb_pb_put_bytes(w, field, s, s ? kb_strnlen(s, (size_t)-1) : 0);
}

/*
 * A nested message's length is unknown until it ends: reserve the widest
 * prefix we allow (4 bytes, lengths below 2^28), then shrink it.
 */
#define KB_PB_PREFIX 4u

void kb_pb_begin(struct kb_pb_writer *w, uint32_t field)
{
	put_tag(w, field, KB_PB_LEN);
	if (w->err)
		return;
	if (w->depth >= KB_PB_MAX_NESTING) {
		w->err = KB_PB_NESTING;
		return;
	}
	if (w->cap - w->len < KB_PB_PREFIX) {
		w->err = KB_PB_OVERFLOW;
		return;
	}
	w->open[w->depth++] = w->len;
	w->len += KB_PB_PREFIX;
}

void kb_pb_end(struct kb_pb_writer *w)
{
	size_t at, body;
	unsigned n;
	uint64_t v;

	if (w->err)
		return;
	if (w->depth == 0) {
		w->err = KB_PB_NESTING;
		return;
	}
	at = w->open[--w->depth];
	body = w->len - at - KB_PB_PREFIX;
	if (body >= (1u << 28)) {
		w->err = KB_PB_OVERFLOW;
		return;
	}
	n = kb_pb_varint_size(body);
	if (n < KB_PB_PREFIX)
		kb_memmove(w->buf + at + n, w->buf + at + KB_PB_PREFIX, body);
	for (v = body; n > 1; n--, v >>= 7)
		w->buf[at++] = (uint8_t)(v | 0x80);
	w->buf[at] = (uint8_t)v;
	w->len = at + 1 + body;
}

int kb_pb_finish(struct kb_pb_writer *w, size_t *len)
{
	if (!w->err && w->depth)
		w->err = KB_PB_NESTING;
	if (len)
		*len = w->err ? 0 : w->len;
	return w->err;
}

void kb_pb_fail(struct kb_pb_writer *w, int err)
{
	if (!w->err)
		w->err = err;
}
