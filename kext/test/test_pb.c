/* The protobuf reader and writer, at every boundary. */
#include <string.h>

#include <kextbridge/pb.h>

#include "check.h"

static int read_all(const uint8_t *b, size_t len, struct kb_pb_field *last, int *count)
{
	struct kb_pb_reader r;
	int err;

	*count = 0;
	kb_pb_reader_init(&r, b, len);
	while ((err = kb_pb_next(&r, last)) == KB_PB_OK)
		(*count)++;
	return err;
}

static void varints(void)
{
	static const uint64_t vals[] = { 0, 1, 127, 128, 16383, 16384, 1ull << 32, 1ull << 63,
					 ~0ull };
	static const size_t sizes[] = { 1, 1, 1, 2, 2, 3, 5, 10, 10 };
	uint8_t b[16];
	struct kb_pb_writer w;
	struct kb_pb_field f;
	size_t i, len;
	int n, ok = 1, trunc_ok = 1;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		size_t cut;

		kb_pb_writer_init(&w, b, sizeof(b));
		kb_pb_put_varint(&w, 1, vals[i]);
		if (kb_pb_finish(&w, &len) || len != 1 + sizes[i])
			ok = 0;
		if (read_all(b, len, &f, &n) != KB_PB_END || n != 1 || f.value != vals[i] ||
		    f.wire != KB_PB_VARINT || f.number != 1)
			ok = 0;
		for (cut = 1; cut < len; cut++)
			if (read_all(b, cut, &f, &n) != KB_PB_TRUNCATED)
				trunc_ok = 0;
	}
	CHECK(ok, "varint: round trip and width at every boundary");
	CHECK(trunc_ok, "varint: truncated at every byte -> TRUNCATED");
	memcpy(b, "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 11);
	CHECK(read_all(b, 11, &f, &n) == KB_PB_MALFORMED, "varint: tenth byte above 1 is malformed");
	memcpy(b, "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x81\x00", 12);
	CHECK(read_all(b, 12, &f, &n) == KB_PB_MALFORMED, "varint: eleven bytes is malformed");
}

static void fields(void)
{
	uint8_t b[128];
	struct kb_pb_writer w;
	struct kb_pb_reader r;
	struct kb_pb_field f;
	size_t len;
	int n;

	kb_pb_writer_init(&w, b, sizeof(b));
	kb_pb_put_fixed32(&w, 2, 0xdeadbeef);
	kb_pb_put_fixed64(&w, 3, 0x0102030405060708ull);
	kb_pb_put_sint(&w, 4, -2);
	kb_pb_put_string(&w, 5, "hello");
	kb_pb_put_bool(&w, 536870911, 1);
	CHECK(kb_pb_finish(&w, &len) == KB_PB_OK, "fields: written");
	kb_pb_reader_init(&r, b, len);
	CHECK(kb_pb_next(&r, &f) == 0 && f.wire == KB_PB_I32 && f.value == 0xdeadbeef, "fields: fixed32");
	CHECK(kb_pb_next(&r, &f) == 0 && f.wire == KB_PB_I64 && f.value == 0x0102030405060708ull,
	      "fields: fixed64");
	CHECK(kb_pb_next(&r, &f) == 0 && kb_pb_zigzag_decode(f.value) == -2 && f.value == 3,
	      "fields: zigzag sint");
	CHECK(kb_pb_next(&r, &f) == 0 && f.len == 5 && memcmp(f.data, "hello", 5) == 0,
	      "fields: string slice");
	CHECK(kb_pb_next(&r, &f) == 0 && f.number == 536870911 && f.value == 1,
	      "fields: largest field number");
	CHECK(kb_pb_next(&r, &f) == KB_PB_END, "fields: end");
	CHECK(read_all((const uint8_t *)"\x00\x01", 2, &f, &n) == KB_PB_MALFORMED, "tag: field 0");
	CHECK(read_all((const uint8_t *)"\x0b", 1, &f, &n) == KB_PB_MALFORMED, "tag: group start");
	CHECK(read_all((const uint8_t *)"\x0e", 1, &f, &n) == KB_PB_MALFORMED, "tag: wire type 6");
	CHECK(read_all((const uint8_t *)"\x0a\x05" "abc", 5, &f, &n) == KB_PB_TRUNCATED,
	      "len: past the end");
	CHECK(read_all((const uint8_t *)"\x0d\x01\x02", 3, &f, &n) == KB_PB_TRUNCATED,
	      "fixed32: short");
	CHECK(read_all((const uint8_t *)"\x09\x01", 2, &f, &n) == KB_PB_TRUNCATED, "fixed64: short");
	kb_pb_writer_init(&w, b, sizeof(b));
	kb_pb_put_varint(&w, 0, 1);
	CHECK(kb_pb_finish(&w, &len) == KB_PB_OVERFLOW, "writer: field 0 refused");
}

static void nested(void)
{
	/* Inner bytes fields whose nested length lands either side of 127 and 16383. */
	static const size_t sizes[] = { 0, 1, 124, 125, 126, 127, 16379, 16380, 16381, 16382, 20000 };
	static uint8_t b[32768], body[20000];
	struct kb_pb_writer w;
	struct kb_pb_field f, inner;
	struct kb_pb_reader r;
	size_t i, len;
	int ok = 1;

	memset(body, 'z', sizeof(body));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		kb_pb_writer_init(&w, b, sizeof(b));
		kb_pb_put_varint(&w, 1, 7);
		kb_pb_begin(&w, 2);
		if (sizes[i])
			kb_pb_put_bytes(&w, 3, body, sizes[i]);
		kb_pb_end(&w);
		kb_pb_put_varint(&w, 4, 9);
		if (kb_pb_finish(&w, &len)) {
			ok = 0;
			continue;
		}
		kb_pb_reader_init(&r, b, len);
		if (kb_pb_next(&r, &f) || f.value != 7 || kb_pb_next(&r, &f) || f.number != 2)
			ok = 0;
		{
			struct kb_pb_reader ir;
			int err;

			kb_pb_reader_init(&ir, f.data, f.len);
			while ((err = kb_pb_next(&ir, &inner)) == KB_PB_OK)
				if (inner.number != 3)
					ok = 0;
			if (err != KB_PB_END)
				ok = 0;
		}
		if (kb_pb_next(&r, &f) || f.number != 4 || f.value != 9 || kb_pb_next(&r, &f) != KB_PB_END)
			ok = 0;
	}
	CHECK(ok, "nested: lengths at every varint width back-patched and re-read");

	kb_pb_writer_init(&w, b, sizeof(b));
	for (i = 0; i <= KB_PB_MAX_NESTING; i++)
		kb_pb_begin(&w, 1);
	CHECK(kb_pb_finish(&w, &len) == KB_PB_NESTING, "nested: too deep refused");
	kb_pb_writer_init(&w, b, sizeof(b));
	kb_pb_end(&w);
	CHECK(kb_pb_finish(&w, &len) == KB_PB_NESTING, "nested: end without begin refused");
	kb_pb_writer_init(&w, b, sizeof(b));
	kb_pb_begin(&w, 1);
	CHECK(kb_pb_finish(&w, &len) == KB_PB_NESTING, "nested: unclosed message refused");
}

static void overflow(void)
{
	uint8_t ref[64], b[64];
	struct kb_pb_writer w;
	size_t full, len, cap;
	int ok = 1;

	kb_pb_writer_init(&w, ref, sizeof(ref));
	kb_pb_put_varint(&w, 1, 300);
	kb_pb_begin(&w, 2);
	kb_pb_put_string(&w, 1, "abcdef");
	kb_pb_end(&w);
	kb_pb_put_fill(&w, 15, 0, 5);
	kb_pb_finish(&w, &full);
	for (cap = 0; cap < full; cap++) {
		memset(b, 0xee, sizeof(b));
		kb_pb_writer_init(&w, b, cap);
		kb_pb_put_varint(&w, 1, 300);
		kb_pb_begin(&w, 2);
		kb_pb_put_string(&w, 1, "abcdef");
		kb_pb_end(&w);
		kb_pb_put_fill(&w, 15, 0, 5);
		if (kb_pb_finish(&w, &len) != KB_PB_OVERFLOW || len != 0 || b[cap] != 0xee)
			ok = 0;
	}
	CHECK(ok, "overflow: every short capacity refused, nothing written past it");
	kb_pb_writer_init(&w, b, full);
	kb_pb_put_varint(&w, 1, 300);
	kb_pb_begin(&w, 2);
	kb_pb_put_string(&w, 1, "abcdef");
	kb_pb_end(&w);
	kb_pb_put_fill(&w, 15, 0, 5);
	CHECK(kb_pb_finish(&w, &len) == KB_PB_OK && len == full && memcmp(b, ref, full) == 0,
	      "overflow: exact capacity suffices");
	/* Golden bytes, as protoc encodes {1: 300, 2: {1: "abcdef"}, 15: 5 zero bytes}. */
	CHECK(full == 20 && memcmp(ref, "\x08\xac\x02\x12\x08\x0a\x06" "abcdef\x7a\x05\0\0\0\0\0", 20) == 0,
	      "golden: the wire bytes of a known message");
}

int main(void)
{
	varints();
	fields();
	nested();
	overflow();
	return kb_checks_done();
}
