/* The frame codec: every error class, boundaries, round trips. */
#include <string.h>

#include <kextbridge/frame.h>

#include "check.h"

static int parse_one(const uint8_t *buf, size_t len, struct kb_frame *f)
{
	size_t off = 0;

	return kb_frame_next(buf, len, &off, f);
}

int main(void)
{
	uint8_t b[256], two[64];
	struct kb_frame f;
	size_t n, off = 0;
	int i, all_short = 1;

	n = kb_frame_put(b, sizeof(b), KB_REQUEST, KB_FLAG_MORE, 0x01020304, 0x0a0b0c0d, "xyz", 3);
	CHECK(n == 19, "put: header plus payload");
	CHECK(b[0] == 0x4b && b[1] == 0x42 && b[2] == KB_REQUEST && b[3] == KB_FLAG_MORE &&
	      b[4] == 0x04 && b[7] == 0x01 && b[8] == 0x0d && b[12] == 3 && b[15] == 0,
	      "put: little-endian layout of wire.h");
	CHECK(parse_one(b, n, &f) == KB_FRAME_OK && f.type == KB_REQUEST && f.flags == KB_FLAG_MORE &&
	      f.id == 0x01020304 && f.code == 0x0a0b0c0d && f.length == 3 &&
	      memcmp(f.payload, "xyz", 3) == 0, "next: round trip");
	CHECK(kb_frame_put(b, 18, KB_PING, 0, 0, 0, "xyz", 3) == 0, "put: refuses what does not fit");
	CHECK(kb_frame_put(b, 15, KB_PING, 0, 0, 0, 0, 0) == 0, "put: refuses a short buffer");
	CHECK(kb_frame_put(b, 16, KB_PING, 0, 0, 0, 0, 0) == 16, "put: empty payload fits exactly");
	CHECK(kb_frame_next(b, 0, &off, &f) == KB_FRAME_END, "next: empty datagram is the end");
	n = kb_frame_put(b, sizeof(b), KB_REQUEST, 0, 1, 1, "xyz", 3);
	for (i = 1; i < 16; i++)
		if (parse_one(b, (size_t)i, &f) != KB_FRAME_SHORT)
			all_short = 0;
	CHECK(all_short, "next: 1..15 bytes is SHORT");
	for (i = 16; i < 19; i++)
		if (parse_one(b, (size_t)i, &f) != KB_FRAME_OVERRUN)
			all_short = 0;
	CHECK(all_short, "next: payload cut short is OVERRUN");
	b[0] = 0x42;
	CHECK(parse_one(b, n, &f) == KB_FRAME_BAD_MAGIC, "next: bad magic");
	b[0] = 0x4b;
	b[2] = 0;
	CHECK(parse_one(b, n, &f) == KB_FRAME_BAD_TYPE, "next: type 0");
	b[2] = KB_FRAME_TYPE_MAX + 1;
	CHECK(parse_one(b, n, &f) == KB_FRAME_BAD_TYPE, "next: type past the last");
	b[2] = KB_FRAME_TYPE_MAX;
	CHECK(parse_one(b, n, &f) == KB_FRAME_OK, "next: last type accepted");
	b[3] = 0x02;
	CHECK(parse_one(b, n, &f) == KB_FRAME_BAD_FLAGS, "next: unknown flag");
	b[3] = 0;
	kb_put_u32(b + 12, 0xffffffffu);
	CHECK(parse_one(b, n, &f) == KB_FRAME_OVERRUN, "next: huge length does not wrap");

	n = kb_frame_put(two, sizeof(two), KB_EVENT, 0, 0, 1, "a", 1);
	n += kb_frame_put(two + n, sizeof(two) - n, KB_EVENT, 0, 0, 2, "bc", 2);
	off = 0;
	CHECK(kb_frame_next(two, n, &off, &f) == KB_FRAME_OK && f.code == 1 && off == 17,
	      "next: first of two coalesced frames");
	CHECK(kb_frame_next(two, n, &off, &f) == KB_FRAME_OK && f.code == 2 && f.length == 2,
	      "next: second coalesced frame");
	CHECK(kb_frame_next(two, n, &off, &f) == KB_FRAME_END, "next: then the end");
	return kb_checks_done();
}
