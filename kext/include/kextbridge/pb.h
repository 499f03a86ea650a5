/*
 * Bounds-checked, allocation-free protobuf reader and writer for kext
 * payloads. The reader never reads outside [buf, buf + len); the writer
 * never writes outside its buffer and latches an error instead.
 */
#ifndef KEXTBRIDGE_PB_H
#define KEXTBRIDGE_PB_H

#include <stddef.h>
#include <stdint.h>

enum kb_pb_wire {
	KB_PB_VARINT = 0,
	KB_PB_I64    = 1,
	KB_PB_LEN    = 2,
	KB_PB_I32    = 5,
};

enum kb_pb_err {
	KB_PB_OK        = 0,
	KB_PB_END       = 1, /* kb_pb_next: no more fields */
	KB_PB_TRUNCATED = 2, /* input ends inside a field */
	KB_PB_MALFORMED = 3, /* bad tag, wire type, varint over 10 bytes, field 0 */
	KB_PB_OVERFLOW  = 4, /* writer: buffer too small; value out of range */
	KB_PB_NESTING   = 5, /* writer: too many open nested messages */
};

struct kb_pb_reader {
	const uint8_t *p, *end;
};

/* One field as read; for KB_PB_LEN, data/len is a slice of the input. */
struct kb_pb_field {
	uint32_t number;
	uint8_t wire;
	uint64_t value;         /* VARINT, I64, I32 */
	const uint8_t *data;    /* LEN */
	size_t len;
};

void kb_pb_reader_init(struct kb_pb_reader *r, const void *buf, size_t len);
/* KB_PB_OK with *f filled, KB_PB_END, or an error (the reader stops there). */
int kb_pb_next(struct kb_pb_reader *r, struct kb_pb_field *f);

/* Bytes the varint encoding of v takes (1..10). */
size_t kb_pb_varint_size(uint64_t v);

/* Standalone decoders, for callers with their own cursor. */
int kb_pb_read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out);
static inline int64_t kb_pb_zigzag_decode(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}
static inline uint64_t kb_pb_zigzag_encode(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

#define KB_PB_MAX_NESTING 8

struct kb_pb_writer {
	uint8_t *buf;
	size_t cap, len;
	int err;                            /* first error, sticky */
	size_t open[KB_PB_MAX_NESTING];     /* offsets of reserved length prefixes */
	unsigned depth;
};

void kb_pb_writer_init(struct kb_pb_writer *w, void *buf, size_t cap);
void kb_pb_put_varint(struct kb_pb_writer *w, uint32_t field, uint64_t v);
void kb_pb_put_sint(struct kb_pb_writer *w, uint32_t field, int64_t v);     /* zigzag */
void kb_pb_put_bool(struct kb_pb_writer *w, uint32_t field, int v);
void kb_pb_put_fixed32(struct kb_pb_writer *w, uint32_t field, uint32_t v);
void kb_pb_put_fixed64(struct kb_pb_writer *w, uint32_t field, uint64_t v);
void kb_pb_put_bytes(struct kb_pb_writer *w, uint32_t field, const void *data, size_t len);
/* A bytes field of n copies of one byte: padding without a source buffer. */
void kb_pb_put_fill(struct kb_pb_writer *w, uint32_t field, uint8_t byte, size_t n);
void kb_pb_put_string(struct kb_pb_writer *w, uint32_t field, const char *s);
/*
 * Nested message: begin reserves a length prefix, end back-patches it with
 * the minimal varint (moving the body down if fewer bytes were needed).
 */
void kb_pb_begin(struct kb_pb_writer *w, uint32_t field);
void kb_pb_end(struct kb_pb_writer *w);
/* KB_PB_OK and the encoded length, or the first error. */
int kb_pb_finish(struct kb_pb_writer *w, size_t *len);
/* Latch err (if none yet): a value the caller found out of bounds. */
void kb_pb_fail(struct kb_pb_writer *w, int err);

/* ---- What the kext's generated code (from its .proto) builds on ---- */

/*
 * A string or bytes field: a slice, never a copy. Decoded, it points into
 * the input and lives as long as the input does (a request: while its
 * handler runs); to encode, point it at bytes that live until encode returns.
 * Strings are not NUL-terminated.
 */
struct kb_pb_bytes {
	const uint8_t *data;
	size_t len;
};

/*
 * One generated message type, for code that handles any of them (the fuzz
 * targets). decode: KB_PB_OK, or an error with *why a fixed text naming
 * the message and field; encode: as kb_pb_finish.
 */
struct kb_pb_codec {
	const char *name;
	size_t size;            /* sizeof the C struct */
	size_t max_size;        /* largest encoding */
	int (*decode)(const void *buf, size_t len, void *out, const char **why);
	int (*encode)(const void *msg, void *buf, size_t cap, size_t *len);
};

#endif /* KEXTBRIDGE_PB_H */
