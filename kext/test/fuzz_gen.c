/*
 * libFuzzer target: every generated decoder of every kext the build found
 * (kext/NAME/kext.mk), on arbitrary bytes. The first byte picks the
 * message type, the rest is its encoding. What a decoder accepts must
 * encode within the type's MAX_SIZE, decode again, and encode to the same
 * bytes; a refusal must say why. Slices must point into the input.
 */
#include <stdlib.h>
#include <string.h>

#include <kextbridge/pb.h>

#include "linked.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static _Alignas(16) uint8_t first[8192], second[8192];
static uint8_t enc1[1 << 17], enc2[1 << 17];

static const struct kb_pb_codec *pick(uint8_t n)
{
	size_t count = 0, k, i;

	for (k = 0; kb_linked_codecs[k]; k++)
		for (i = 0; kb_linked_codecs[k][i].name; i++)
			count++;
	if (!count)
		return 0;
	n = (uint8_t)(n % count);
	for (k = 0; kb_linked_codecs[k]; k++)
		for (i = 0; kb_linked_codecs[k][i].name; i++)
			if (n-- == 0)
				return &kb_linked_codecs[k][i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct kb_pb_codec *c;
	const char *why = 0;
	size_t len1, len2;

	if (size < 1 || !(c = pick(data[0])))
		return 0;
	if (c->size > sizeof(first) || c->max_size > sizeof(enc1))
		abort(); /* the harness's buffers are too small for this type */
	if (c->decode(data + 1, size - 1, first, &why) != KB_PB_OK) {
		if (!why)
			abort(); /* a refusal that does not say why */
		return 0;
	}
	if (c->encode(first, enc1, c->max_size, &len1) != KB_PB_OK || len1 > c->max_size)
		abort(); /* accepted, but does not fit its own bound */
	if (c->decode(enc1, len1, second, &why) != KB_PB_OK)
		abort();
	if (c->encode(second, enc2, sizeof(enc2), &len2) != KB_PB_OK || len2 != len1 ||
	    memcmp(enc1, enc2, len1))
		abort(); /* not stable through a round trip */
	return 0;
}
