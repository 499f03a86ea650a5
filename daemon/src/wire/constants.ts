// Wire protocol v1 constants, mirroring kext/include/kextbridge/wire.h and
// frame.h value for value. The golden vectors (kext/test/vectors/wire-v1.txt)
// are checked against both, so a drift on either side fails a test.

export const PROTOCOL_VERSION = 1;
export const PROTOCOL_VERSION_MIN = 1;

// Bytes 0x4B 0x42 ("KB") on the wire, read as a little-endian u16.
export const MAGIC = 0x424b;

export const FRAME_HEADER_SIZE = 16;
// Every peer accepts datagrams at least this large before negotiation.
export const MIN_DATAGRAM = 1024;
// No datagram is ever larger, whatever a peer proposes.
export const MAX_DATAGRAM = 256 * 1024;
// Largest reassembled (MORE) message a peer may announce.
export const MAX_MESSAGE = 1024 * 1024;
// Longest name of a command, topic, option, upcall, kext or daemon, in bytes.
export const MAX_NAME = 63;

export const FrameType = {
  HELLO: 1,
  WELCOME: 2,
  REQUEST: 3,
  RESPONSE: 4,
  CANCEL: 5,
  OPT_GET: 6,
  OPT_SET: 7,
  SUBSCRIBE: 8,
  EVENT: 9,
  LOSS: 10,
  UPCALL: 11,
  UPCALL_REPLY: 12,
  PING: 13,
  PONG: 14,
  GOODBYE: 15,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];
export const FRAME_TYPE_MAX = 15;

// Frame types by number, for logs: FRAME_TYPE_NAMES[9] === 'EVENT'.
export const FRAME_TYPE_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, value] of Object.entries(FrameType)) names[value] = name;
  return names;
})();

export const FLAG_MORE = 0x01;
// Any other flag bit makes a frame malformed.
export const FLAGS_KNOWN = FLAG_MORE;

// gRPC's numeric status codes; never errno values.
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

// Each code's name, by number ('OK', 'NOT_FOUND' ...).
export const STATUS_NAMES: readonly string[] = Object.entries(Status)
  .sort((a, b) => a[1] - b[1])
  .map(([name]) => name);

export const GoodbyeReason = {
  UNSPECIFIED: 0,
  // The kext is stopping: the daemon must close.
  UNLOAD: 1,
  // The daemon is shutting down.
  SHUTDOWN: 2,
  // No protocol version in common; the message says which.
  VERSION: 3,
  // The peer broke the protocol; the message says how.
  PROTOCOL: 4,
  // Another client owns the control.
  BUSY: 5,
} as const;
export type GoodbyeReason = (typeof GoodbyeReason)[keyof typeof GoodbyeReason];

export const HELLO_SIZE = 12;
export const WELCOME_SIZE = 20;
export const ENTRY_SIZE = 32;
export const EVENT_HEAD_SIZE = 16;
export const LOSS_SIZE = 24;
export const UPCALL_HEAD_SIZE = 8;

export const CatalogKind = {
  COMMAND: 1,
  TOPIC: 2,
  OPTION: 3,
  UPCALL: 4,
} as const;
export type CatalogKind = (typeof CatalogKind)[keyof typeof CatalogKind];

// Default policy: root and the admin group only.
export const ENTRY_PRIVILEGED = 0x01;
// Options: OPT_SET is refused.
export const ENTRY_READONLY = 0x02;
// Options: anyone may read; setting is for root and the admin group by default.
export const ENTRY_SET_PRIVILEGED = 0x04;
export const ENTRY_FLAGS_KNOWN = ENTRY_PRIVILEGED | ENTRY_READONLY | ENTRY_SET_PRIVILEGED;

export const ValueType = {
  NONE: 0,
  BOOL: 1,
  INT64: 2,
  STRING: 3,
  BYTES: 4,
} as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;
