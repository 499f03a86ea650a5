// kextbridge.v1.EventBatch as bytes, named once. The daemon writes it by
// hand (no object per event) and the client reads it by hand (a decoder
// many times faster than the generic one); both take the field keys and
// enum numbers from here, and a unit test holds them to bridge.proto and
// loss.proto.
//
//   EventBatch { repeated BatchItem items = 1; uint64 epoch = 2; }
//   BatchItem  { oneof item { Event event = 1; Lost lost = 2; LinkChange link = 3; } }
//   Event      { uint64 seq = 1; uint64 time_ns = 2; uint32 topic = 3; bytes payload = 4; }
//   Lost       { uint64 count = 1; uint64 first_seq = 2; uint64 last_seq = 3;
//                LossSource source = 4; uint32 topic = 5; string detail = 6; }
//   LinkChange { LinkState state = 1; string detail = 2; }

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const key = (field: number, wireType: number): number => (field << 3) | wireType;

// Each a field's key byte (field number << 3 | wire type): all are below 0x80.
export const BatchKey = {
  ITEMS: key(1, LENGTH_DELIMITED),
  EPOCH: key(2, VARINT),
} as const;

export const ItemKey = {
  EVENT: key(1, LENGTH_DELIMITED),
  LOST: key(2, LENGTH_DELIMITED),
  LINK: key(3, LENGTH_DELIMITED),
} as const;

export const EventKey = {
  SEQ: key(1, VARINT),
  TIME_NS: key(2, VARINT),
  TOPIC: key(3, VARINT),
  PAYLOAD: key(4, LENGTH_DELIMITED),
} as const;

export const LostKey = {
  COUNT: key(1, VARINT),
  FIRST_SEQ: key(2, VARINT),
  LAST_SEQ: key(3, VARINT),
  SOURCE: key(4, VARINT),
  TOPIC: key(5, VARINT),
  DETAIL: key(6, LENGTH_DELIMITED),
} as const;

export const LinkKey = {
  STATE: key(1, VARINT),
  DETAIL: key(2, LENGTH_DELIMITED),
} as const;

// kextbridge.v1.LossSource: the number of each source is its index.
export const LOSS_SOURCE_NAMES = ['LOSS_SOURCE_UNSPECIFIED', 'LOSS_SOURCE_KERNEL', 'LOSS_SOURCE_DAEMON', 'LOSS_SOURCE_SUBSCRIBER', 'LOSS_SOURCE_LINK'] as const;
export type LossSourceName = (typeof LOSS_SOURCE_NAMES)[number];
export const LossSource = { KERNEL: 1, DAEMON: 2, SUBSCRIBER: 3, LINK: 4 } as const;
export type LossSource = (typeof LossSource)[keyof typeof LossSource];

// kextbridge.v1.LinkState, likewise.
export const LINK_STATE_NAMES = ['LINK_STATE_UNSPECIFIED', 'LINK_STATE_CONNECTING', 'LINK_STATE_HANDSHAKE', 'LINK_STATE_READY', 'LINK_STATE_INCOMPATIBLE', 'LINK_STATE_STOPPING'] as const;
export type LinkStateName = (typeof LINK_STATE_NAMES)[number];
export const LinkState = { CONNECTING: 1, HANDSHAKE: 2, READY: 3, INCOMPATIBLE: 4, STOPPING: 5 } as const;
export type LinkState = (typeof LinkState)[keyof typeof LinkState];
