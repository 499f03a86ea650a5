#include <kextbridge/frame.h>

#include "kb_string.h"

int kb_frame_next(const uint8_t *buf, size_t len, size_t *off, struct kb_frame *f)
{
	size_t at = *off;
	const uint8_t *h;

	if (at >= len)
		return KB_FRAME_END;
	if (len - at < KB_FRAME_HEADER_SIZE)
		return KB_FRAME_SHORT;
	h = buf + at;
	if (kb_get_u16(h + KB_HDR_MAGIC) != KB_MAGIC)
		return KB_FRAME_BAD_MAGIC;
	if (h[KB_HDR_TYPE] == 0 || h[KB_HDR_TYPE] > KB_FRAME_TYPE_MAX)
		return KB_FRAME_BAD_TYPE;
	if (h[KB_HDR_FLAGS] & ~KB_FLAGS_KNOWN)
		return KB_FRAME_BAD_FLAGS;
	f->type = h[KB_HDR_TYPE];
	f->flags = h[KB_HDR_FLAGS];
	f->id = kb_get_u32(h + KB_HDR_ID);
	f->code = kb_get_u32(h + KB_HDR_CODE);
	f->length = kb_get_u32(h + KB_HDR_LENGTH);
	/* Compare against what is left rather than adding, so no overflow. */
	if (f->length > len - at - KB_FRAME_HEADER_SIZE)
		return KB_FRAME_OVERRUN;
	f->payload = h + KB_FRAME_HEADER_SIZE;
	*off = at + KB_FRAME_HEADER_SIZE + f->length;
	return KB_FRAME_OK;
}

void kb_frame_put_header(uint8_t *out, uint8_t type, uint8_t flags, uint32_t id,
			 uint32_t code, uint32_t len)
{
	kb_put_u16(out + KB_HDR_MAGIC, KB_MAGIC);
	out[KB_HDR_TYPE] = type;
	out[KB_HDR_FLAGS] = flags;
	kb_put_u32(out + KB_HDR_ID, id);
	kb_put_u32(out + KB_HDR_CODE, code);
	kb_put_u32(out + KB_HDR_LENGTH, len);
}

size_t kb_frame_put(uint8_t *out, size_t cap, uint8_t type, uint8_t flags, uint32_t id,
		    uint32_t code, const void *payload, uint32_t len)
{
	if (cap < KB_FRAME_HEADER_SIZE || len > cap - KB_FRAME_HEADER_SIZE)
		return 0;
	kb_frame_put_header(out, type, flags, id, code, len);
	if (len)
		kb_memcpy(out + KB_FRAME_HEADER_SIZE, payload, len);
	return KB_FRAME_HEADER_SIZE + (size_t)len;
}
