/*
 * Frame codec: the only code that reads or writes frame headers. Used by the
 * engine, the tests and the fuzz targets.
 */
#ifndef KEXTBRIDGE_FRAME_H
#define KEXTBRIDGE_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

enum kb_frame_err {
	KB_FRAME_OK        = 0,
	KB_FRAME_END       = 1, /* no bytes left in the datagram */
	KB_FRAME_SHORT     = 2, /* fewer than KB_FRAME_HEADER_SIZE bytes left */
	KB_FRAME_BAD_MAGIC = 3,
	KB_FRAME_BAD_TYPE  = 4, /* 0 or above KB_FRAME_TYPE_MAX */
	KB_FRAME_BAD_FLAGS = 5, /* a bit outside KB_FLAGS_KNOWN */
	KB_FRAME_OVERRUN   = 6, /* length runs past the end of the datagram */
};

struct kb_frame {
	uint8_t type;
	uint8_t flags;
	uint32_t id;
	uint32_t code;
	uint32_t length;
	const uint8_t *payload; /* points into the datagram */
};

/*
 * Parse the frame at buf + *off (buf holds len bytes). On KB_FRAME_OK, *f
 * is filled and *off advanced past the frame. On an error nothing after the
 * bad frame can be trusted: the caller drops the rest of the datagram.
 */
int kb_frame_next(const uint8_t *buf, size_t len, size_t *off, struct kb_frame *f);

/*
 * Write a header and payload at out (cap bytes). Returns the bytes written,
 * or 0 when KB_FRAME_HEADER_SIZE + len does not fit.
 */
size_t kb_frame_put(uint8_t *out, size_t cap, uint8_t type, uint8_t flags, uint32_t id,
		    uint32_t code, const void *payload, uint32_t len);

/* Only the 16-byte header; the caller has checked that it fits. */
void kb_frame_put_header(uint8_t *out, uint8_t type, uint8_t flags, uint32_t id,
			 uint32_t code, uint32_t len);

#endif /* KEXTBRIDGE_FRAME_H */
