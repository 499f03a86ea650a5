/*
 * The generated codecs (kext/NAME/gen/NAME.pb.c) on hand-made bytes: what
 * protobuf puts on the wire is read into the right member, bounds hold in
 * both directions, a field of the wrong wire type is refused with a reason
 * that names it, unknown fields are skipped, and nothing is written past
 * the caller's buffer.
 */
#include <string.h>

#include "check.h"
#include "../counter/gen/counter.pb.h"
#include "../example/gen/example.pb.h"

static void test_scalars(void)
{
	/* AddRequest{delta: -5}: int64 negatives are ten-byte varints. */
	static const uint8_t neg[] = { 0x08, 0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	/* CounterChange{value: 7, delta: 2} with an unknown field 9 in between. */
	static const uint8_t change[] = { 0x08, 0x07, 0x4a, 0x01, 'x', 0x10, 0x02 };
	counter_AddRequest add;
	counter_CounterChange ch;
	uint8_t out[32];
	size_t len;

	CHECK(counter_AddRequest_decode(neg, sizeof(neg), &add, 0) == KB_PB_OK && add.delta == -5,
	      "int64: a negative value decodes");
	CHECK(counter_AddRequest_encode(&add, out, sizeof(out), &len) == KB_PB_OK &&
		      len == sizeof(neg) && !memcmp(out, neg, len),
	      "int64: and encodes to the same ten bytes");
	CHECK(counter_CounterChange_decode(change, sizeof(change), &ch, 0) == KB_PB_OK &&
		      ch.value == 7 && ch.delta == 2,
	      "unknown fields are skipped, known ones land in their members");
	CHECK(counter_AddRequest_encode(&add, out, 10, &len) == KB_PB_OVERFLOW && len == 0,
	      "a buffer one byte short: OVERFLOW, no length");
	add.delta = 0;
	CHECK(counter_AddRequest_encode(&add, out, sizeof(out), &len) == KB_PB_OK && len == 0,
	      "proto3: a zero scalar is not written");
}

static void test_refusals(void)
{
	/* AddRequest.delta sent as a length-delimited field. */
	static const uint8_t wrong_wire[] = { 0x0a, 0x01, 0x05 };
	static const uint8_t truncated[] = { 0x08 };
	counter_AddRequest add;
	const char *why = 0;

	CHECK(counter_AddRequest_decode(wrong_wire, sizeof(wrong_wire), &add, &why) == KB_PB_MALFORMED &&
		      why && strstr(why, "AddRequest.delta has the wrong wire type"),
	      "a field of the wrong wire type is refused, naming it");
	why = 0;
	CHECK(counter_AddRequest_decode(truncated, sizeof(truncated), &add, &why) == KB_PB_TRUNCATED &&
		      why && !strcmp(why, "AddRequest is not a valid protobuf message"),
	      "a truncated message is refused, naming its type");
}

static void test_bounds(void)
{
	static uint8_t in[1100], out[1100];
	example_SimulateExecRequest req;
	example_ExecAuthorization q;
	const char *why = 0;
	size_t len;

	/* SimulateExecRequest{path: 1023 bytes} is accepted, 1024 refused. */
	in[0] = 0x22;
	in[1] = 0xff;
	in[2] = 0x07; /* 1023 */
	memset(in + 3, 'a', 1024);
	CHECK(example_SimulateExecRequest_decode(in, 3 + 1023, &req, &why) == KB_PB_OK &&
		      req.path.len == 1023 && req.path.data == in + 3,
	      "a string at its max_len decodes as a slice of the input");
	in[1] = 0x80;
	in[2] = 0x08; /* 1024 */
	CHECK(example_SimulateExecRequest_decode(in, 3 + 1024, &req, &why) == KB_PB_OVERFLOW &&
		      why && !strcmp(why, "SimulateExecRequest.path is longer than 1023 bytes"),
	      "one byte over max_len is refused, naming the field and the bound");
	memset(&q, 0, sizeof(q));
	q.path.data = in;
	q.path.len = 1025;
	CHECK(example_ExecAuthorization_encode(&q, out, sizeof(out), &len) == KB_PB_OVERFLOW,
	      "the encoder will not write a value over its bound either");
	CHECK(example_ExecAuthorization_MAX_SIZE == 6 + 6 + 3 + 1024,
	      "MAX_SIZE: the largest encoding (two uint32, a 1024-byte string)");
}

int main(void)
{
	test_scalars();
	test_refusals();
	test_bounds();
	return kb_checks_done();
}
