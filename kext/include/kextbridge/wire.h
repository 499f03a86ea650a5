/*
 * kextbridge wire protocol, version 1: the one definition shared by the
 * kext engine, kextsim, the native addon and (mirrored and tested against
 * golden vectors) the TypeScript daemon. docs/protocol.md specifies it byte
 * by byte; keep the two in step.
 *
 * All integers are little-endian. Only fixed-width types and macros here:
 * this header is compiled into the kernel, user space and fuzzers alike.
 */
#ifndef KEXTBRIDGE_WIRE_H
#define KEXTBRIDGE_WIRE_H

#include <stdint.h>

#define KB_PROTOCOL_VERSION      1u
#define KB_PROTOCOL_VERSION_MIN  1u

/* Bytes 0x4B 0x42 ("KB") on the wire. */
#define KB_MAGIC                 0x424Bu

#define KB_FRAME_HEADER_SIZE     16u

/*
 * Every datagram is at least this large on both sides before negotiation,
 * so HELLO and the first WELCOME frame always fit the kernel's default
 * 2 KiB send buffer.
 */
#define KB_MIN_DATAGRAM          1024u
/* No datagram is ever larger, whatever a peer proposes. */
#define KB_MAX_DATAGRAM          (256u * 1024u)
/* Reassembled (MORE) message limit a peer may announce, at most. */
#define KB_MAX_MESSAGE           (1024u * 1024u)
/* Longest name (command, topic, option, upcall, kext, daemon), bytes. */
#define KB_MAX_NAME              63u

enum kb_frame_type {
	KB_HELLO        = 1,  /* d->k  id 0       code 0       struct kb_hello + name */
	KB_WELCOME      = 2,  /* k->d  id 0       code 0       struct kb_welcome + strings + catalog */
	KB_REQUEST      = 3,  /* d->k  request id command id   request bytes */
	KB_RESPONSE     = 4,  /* k->d  request id status       reply bytes, or UTF-8 message if status != 0 */
	KB_CANCEL       = 5,  /* d->k  request id 0            none */
	KB_OPT_GET      = 6,  /* d->k  request id option id    none; answered by RESPONSE with the value */
	KB_OPT_SET      = 7,  /* d->k  request id option id    value; answered by RESPONSE, empty when OK */
	KB_SUBSCRIBE    = 8,  /* d->k  0          0            u32 topic ids, the whole wanted set */
	KB_EVENT        = 9,  /* k->d  0          topic id     struct kb_event_head + event bytes */
	KB_LOSS         = 10, /* k->d  0          topic id     struct kb_loss */
	KB_UPCALL       = 11, /* k->d  upcall id  upcall kind  struct kb_upcall_head + question bytes */
	KB_UPCALL_REPLY = 12, /* d->k  upcall id  status       answer bytes; status != 0: no answer, the default applies */
	KB_PING         = 13, /* both  nonce      0            none */
	KB_PONG         = 14, /* both  nonce      0            none */
	KB_GOODBYE      = 15, /* both  0          reason       optional UTF-8 message */
};
#define KB_FRAME_TYPE_MAX        15u

/* Frame flags. Unknown flag bits are a malformed frame. */
#define KB_FLAG_MORE             0x01u
#define KB_FLAGS_KNOWN           KB_FLAG_MORE

/*
 * Status codes are gRPC's numeric codes, never errno values (which differ
 * between Linux and macOS).
 */
enum kb_status {
	KB_OK                  = 0,
	KB_CANCELLED           = 1,
	KB_UNKNOWN             = 2,
	KB_INVALID_ARGUMENT    = 3,
	KB_DEADLINE_EXCEEDED   = 4,
	KB_NOT_FOUND           = 5,
	KB_ALREADY_EXISTS      = 6,
	KB_PERMISSION_DENIED   = 7,
	KB_RESOURCE_EXHAUSTED  = 8,
	KB_FAILED_PRECONDITION = 9,
	KB_ABORTED             = 10,
	KB_OUT_OF_RANGE        = 11,
	KB_UNIMPLEMENTED       = 12,
	KB_INTERNAL            = 13,
	KB_UNAVAILABLE         = 14,
	KB_DATA_LOSS           = 15,
	KB_UNAUTHENTICATED     = 16,
};

/* GOODBYE reasons. */
enum kb_goodbye_reason {
	KB_BYE_UNSPECIFIED = 0,
	KB_BYE_UNLOAD      = 1, /* kext is stopping: the daemon must close */
	KB_BYE_SHUTDOWN    = 2, /* daemon is shutting down */
	KB_BYE_VERSION     = 3, /* no protocol version in common; message says which */
	KB_BYE_PROTOCOL    = 4, /* the peer broke the protocol; message says how */
	KB_BYE_BUSY        = 5, /* another client owns the control */
};

/*
 * Frame header, 16 bytes. Described as offsets rather than a packed struct
 * so no compiler's padding or alignment rules are involved; readers use the
 * kb_get_* / kb_put_* helpers below.
 *
 *   0  u16 magic   KB_MAGIC
 *   2  u8  type    enum kb_frame_type
 *   3  u8  flags   KB_FLAG_*
 *   4  u32 id
 *   8  u32 code    command / option / topic / upcall kind / status / reason
 *  12  u32 length  payload bytes that follow, within this datagram
 */
#define KB_HDR_MAGIC   0u
#define KB_HDR_TYPE    2u
#define KB_HDR_FLAGS   3u
#define KB_HDR_ID      4u
#define KB_HDR_CODE    8u
#define KB_HDR_LENGTH 12u

/*
 * HELLO payload, 12 bytes then the daemon's name (UTF-8, 0..KB_MAX_NAME
 * bytes, the rest of the payload).
 *
 *   0  u16 version_min
 *   2  u16 version_max
 *   4  u32 max_datagram   largest datagram the daemon accepts (>= KB_MIN_DATAGRAM)
 *   8  u32 max_message    largest reassembled message the daemon accepts
 */
#define KB_HELLO_SIZE          12u

/*
 * WELCOME payload, 20 bytes, then two strings, then the catalog.
 *
 *   0  u16 version        chosen version
 *   2  u16 entry_count    catalog entries that follow the strings
 *   4  u32 max_datagram   largest datagram the kext accepts from the daemon
 *   8  u32 max_message    largest reassembled message the kext accepts
 *  12  u32 max_inflight   requests the kext holds pending at once
 *  16  u32 flags          reserved, 0
 *  20  u8 len, kext identity (reverse DNS, e.g. "org.kextbridge.example")
 *      u8 len, kext version (e.g. "1.0.0")
 *      entry_count x catalog entry
 *
 * A WELCOME larger than one datagram is sent as MORE-continued frames.
 */
#define KB_WELCOME_SIZE        20u

/*
 * Catalog entry: 32 bytes, then name_len bytes of name.
 *
 *   0  u8  kind           enum kb_catalog_kind
 *   1  u8  flags          KB_ENTRY_*
 *   2  u8  value_type     enum kb_value_type (options; 0 otherwise)
 *   3  u8  name_len       1..KB_MAX_NAME
 *   4  u32 id             unique within its kind
 *   8  u32 timeout_ms     upcalls: how long the kext waits for an answer
 *  12  u32 default_verdict upcalls: what the kext decides without an OK
 *                         answer (kext-defined, shown to operators; the
 *                         example uses 0 = allow, 1 = deny)
 *  16  i64 min            options of type INT64: smallest value;
 *                         STRING/BYTES: 0
 *  24  i64 max            INT64: largest value; STRING/BYTES: max length
 */
#define KB_ENTRY_SIZE          32u

enum kb_catalog_kind {
	KB_KIND_COMMAND = 1,
	KB_KIND_TOPIC   = 2,
	KB_KIND_OPTION  = 3,
	KB_KIND_UPCALL  = 4,
};

#define KB_ENTRY_PRIVILEGED    0x01u /* default policy: root and the admin group only */
#define KB_ENTRY_READONLY      0x02u /* options: OPT_SET is refused */
#define KB_ENTRY_SET_PRIVILEGED 0x04u /* options: anyone may read; by default only root and the
				       * admin group may set (PRIVILEGED closes both) */
#define KB_ENTRY_FLAGS_KNOWN   (KB_ENTRY_PRIVILEGED | KB_ENTRY_READONLY | KB_ENTRY_SET_PRIVILEGED)

/*
 * Option values on the wire, by type:
 *   BOOL    1 byte, 0 or 1
 *   INT64   8 bytes, i64, within [min, max]
 *   STRING  0..max bytes of UTF-8
 *   BYTES   0..max bytes
 */
enum kb_value_type {
	KB_VALUE_NONE   = 0,
	KB_VALUE_BOOL   = 1,
	KB_VALUE_INT64  = 2,
	KB_VALUE_STRING = 3,
	KB_VALUE_BYTES  = 4,
};

/*
 * EVENT payload: 16 bytes, then the event bytes.
 *
 *   0  u64 seq       contiguous per connection across all topics, from 1;
 *                    a gap is kernel-side loss that LOSS frames account for
 *   8  u64 time_ns   monotonic time the event was produced
 */
#define KB_EVENT_HEAD_SIZE     16u

/*
 * LOSS payload, 24 bytes: events of the frame's topic the kext produced
 * but could not enqueue since the last LOSS of that topic.
 *
 *   0  u64 count
 *   8  u64 first_seq  seq of the first lost event
 *  16  u64 last_seq   seq of the last lost event (lost seqs of other topics
 *                     may lie between first_seq and last_seq)
 */
#define KB_LOSS_SIZE           24u

/*
 * UPCALL payload: 8 bytes, then the question bytes.
 *
 *   0  u32 timeout_ms    what remains of the kext's wait when sent
 *   4  u32 default_verdict what the kext decides without an OK answer
 */
#define KB_UPCALL_HEAD_SIZE    8u

/* Little-endian accessors: no alignment assumed, no host byte order. */
static inline uint16_t kb_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t kb_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t kb_get_u64(const uint8_t *p)
{
	return (uint64_t)kb_get_u32(p) | ((uint64_t)kb_get_u32(p + 4) << 32);
}

static inline void kb_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void kb_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void kb_put_u64(uint8_t *p, uint64_t v)
{
	kb_put_u32(p, (uint32_t)v);
	kb_put_u32(p + 4, (uint32_t)(v >> 32));
}

#endif /* KEXTBRIDGE_WIRE_H */
