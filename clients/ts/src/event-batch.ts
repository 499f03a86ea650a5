// Decodes a Subscribe response (kextbridge.v1.EventBatch) into exactly the
// objects proto-loader would build, at a fraction of its cost (figures in
// docs/performance.md): protobufjs's generic toObject costs more per event
// than the daemon spends taking the event in. Events, Lost and link items
// and the epoch are read here, so a client that falls behind (and gets
// Lost items) does not fall further behind by decoding more slowly.
// Anything else (an unknown field or enum value, a wire type it does not
// expect) makes it return null, and the caller decodes that batch the
// generic way: this is a fast path, never a second definition of the format.
import { BatchKey, EventKey, ItemKey, LINK_STATE_NAMES, LinkKey, LOSS_SOURCE_NAMES, LostKey } from '@kextbridge/protocol';

import type { BatchItem__Output } from './generated/kextbridge/v1/BatchItem';
import type { LossSource__Output as LossSource } from './generated/kextbridge/v1/LossSource';
import type { LinkState__Output as LinkState } from './generated/kextbridge/v1/LinkState';

// Field keys of the messages read (@kextbridge/protocol names them for
// the daemon's encoder too), as module constants for the hot loop.
const BATCH_ITEMS = BatchKey.ITEMS;
const BATCH_EPOCH = BatchKey.EPOCH;
const ITEM_EVENT = ItemKey.EVENT;
const ITEM_LOST = ItemKey.LOST;
const ITEM_LINK = ItemKey.LINK;
const EVENT_SEQ = EventKey.SEQ;
const EVENT_TIME_NS = EventKey.TIME_NS;
const EVENT_TOPIC = EventKey.TOPIC;
const EVENT_PAYLOAD = EventKey.PAYLOAD;
const LOST_COUNT = LostKey.COUNT;
const LOST_FIRST = LostKey.FIRST_SEQ;
const LOST_LAST = LostKey.LAST_SEQ;
const LOST_SOURCE = LostKey.SOURCE;
const LOST_TOPIC = LostKey.TOPIC;
const LOST_DETAIL = LostKey.DETAIL;
const LINK_STATE = LinkKey.STATE;
const LINK_DETAIL = LinkKey.DETAIL;

const LOSS_SOURCES: readonly LossSource[] = LOSS_SOURCE_NAMES;
const LINK_STATES: readonly LinkState[] = LINK_STATE_NAMES;
const TWO_32 = 4294967296;
// hi below this: hi * 2^32 + lo is exact as a double (< 2^53).
const EXACT_HI = 0x200000;

const EMPTY = Buffer.alloc(0);

class Reader {
  pos: number;
  lo = 0;
  hi = 0;

  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  // A varint of up to 32 bits as an unsigned number; -1 when malformed or
  // past the end. Bits above 32 (a valid uint32 field has none) are -1 too.
  u32(): number {
    const b = this.buf;
    if (this.pos >= this.end) return -1;
    // Keys and small lengths are one byte: no loop for them.
    const first = b[this.pos++]!;
    if (first < 0x80) return first;
    let v = first & 0x7f;
    let scale = 0x80;
    for (let shift = 7; shift < 35; shift += 7) {
      if (this.pos >= this.end) return -1;
      const byte = b[this.pos++]!;
      if (shift === 28 && byte > 0x0f) return -1;
      v += (byte & 0x7f) * scale;
      if (byte < 0x80) return v;
      scale *= 0x80;
    }
    return -1;
  }

  // A varint of up to 64 bits into lo and hi (each unsigned 32-bit); false
  // when malformed or past the end.
  u64(): boolean {
    const b = this.buf;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) return false;
      const byte = b[this.pos++]!;
      const bits = byte & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi = bits >>> 4;
      } else if (i === 9) {
        if (byte > 0x01) return false;
        hi |= bits << 31;
      } else hi |= bits << (7 * i - 32);
      if (byte < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return true;
      }
    }
    return false;
  }
}

// Above 2^53 (every time_ns) without a BigInt per value: 2^32 is
// 42949 * 10^5 + 67296, so hi * 2^32 + lo = (hi * 42949 + carry) * 10^5 +
// low, with every product below 2^53 and so exact.
function decimal(lo: number, hi: number): string {
  if (hi < EXACT_HI) return String(hi * TWO_32 + lo);
  const below = hi * 67296 + lo;
  const low = below % 100000;
  const top = hi * 42949 + (below - low) / 100000;
  return String(top) + String(low + 100000).slice(1);
}

// How 64-bit fields come out: decimal strings (proto-loader's longs:
// String, the default), or numbers while exact (seq, counts) with time_ns
// as a bigint.
export type Longs = 'string' | 'number';

// A numeric event: seq a number (exact below 2^53, where a connection's
// seqs always are), time_ns a bigint.
export interface NumericEvent {
  seq: number;
  timeNs: bigint;
  topic: number;
  payload: Buffer;
}

function u64Value(r: Reader, longs: Longs): string | number | null {
  if (longs === 'string') return decimal(r.lo, r.hi);
  return r.hi < EXACT_HI ? r.hi * TWO_32 + r.lo : null;
}

// Invalid UTF-8 is declined: decoders differ in how they replace it.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(r: Reader, end: number): string | null {
  const len = r.u32();
  if (len < 0 || len > end - r.pos) return null;
  let s: string;
  try {
    s = utf8.decode(r.buf.subarray(r.pos, r.pos + len));
  } catch {
    return null;
  }
  r.pos += len;
  return s;
}

function event(r: Reader, end: number, longs: Longs): BatchItem__Output | null {
  let seq: string | number = longs === 'string' ? '0' : 0;
  let timeLo = 0;
  let timeHi = 0;
  let topic = 0;
  let payload: Buffer = EMPTY;
  while (r.pos < end) {
    const key = r.u32();
    if (key === EVENT_SEQ) {
      if (!r.u64()) return null;
      const v = u64Value(r, longs);
      if (v === null) return null;
      seq = v;
    } else if (key === EVENT_TIME_NS) {
      if (!r.u64()) return null;
      timeLo = r.lo;
      timeHi = r.hi;
    } else if (key === EVENT_TOPIC) {
      // Longer encodings of a uint32 are legal but never written; declined.
      topic = r.u32();
      if (topic < 0) return null;
    } else if (key === EVENT_PAYLOAD) {
      const len = r.u32();
      if (len < 0 || len > end - r.pos) return null;
      payload = r.buf.subarray(r.pos, r.pos + len);
      r.pos += len;
    } else return null;
  }
  if (r.pos !== end) return null;
  const timeNs = longs === 'string' ? decimal(timeLo, timeHi) : (BigInt(timeHi) << 32n) | BigInt(timeLo);
  return { event: { seq, timeNs, topic, payload } as never, item: 'event' };
}

function lost(r: Reader, end: number, longs: Longs): BatchItem__Output | null {
  const zero = longs === 'string' ? '0' : 0;
  let count: string | number = zero;
  let firstSeq: string | number = zero;
  let lastSeq: string | number = zero;
  let source: LossSource = 'LOSS_SOURCE_UNSPECIFIED';
  let topic = 0;
  let detail = '';
  while (r.pos < end) {
    const key = r.u32();
    if (key === LOST_COUNT || key === LOST_FIRST || key === LOST_LAST) {
      if (!r.u64()) return null;
      const v = u64Value(r, longs);
      if (v === null) return null;
      if (key === LOST_COUNT) count = v;
      else if (key === LOST_FIRST) firstSeq = v;
      else lastSeq = v;
    } else if (key === LOST_SOURCE) {
      const v = r.u32();
      if (v < 0 || v >= LOSS_SOURCES.length) return null;
      source = LOSS_SOURCES[v]!;
    } else if (key === LOST_TOPIC) {
      topic = r.u32();
      if (topic < 0) return null;
    } else if (key === LOST_DETAIL) {
      const t = text(r, end);
      if (t === null) return null;
      detail = t;
    } else return null;
  }
  if (r.pos !== end) return null;
  return { lost: { count, firstSeq, lastSeq, source, topic, detail } as never, item: 'lost' };
}

function link(r: Reader, end: number): BatchItem__Output | null {
  let state: LinkState = 'LINK_STATE_UNSPECIFIED';
  let detail = '';
  while (r.pos < end) {
    const key = r.u32();
    if (key === LINK_STATE) {
      const v = r.u32();
      if (v < 0 || v >= LINK_STATES.length) return null;
      state = LINK_STATES[v]!;
    } else if (key === LINK_DETAIL) {
      const t = text(r, end);
      if (t === null) return null;
      detail = t;
    } else return null;
  }
  if (r.pos !== end) return null;
  return { link: { state, detail }, item: 'link' };
}

export interface DecodedBatch {
  items: BatchItem__Output[];
  // The daemon's epoch ('0' in every message but a stream's first).
  epoch: string;
}

/**
 * The batch as proto-loader decodes it (longs 'string'), or with seqs and
 * counts as numbers and time_ns as bigint (longs 'number'); null when it
 * holds anything this reader does not know.
 */
export function decodeBatch(buf: Buffer, longs: Longs = 'string'): DecodedBatch | null {
  const r = new Reader(buf, 0, buf.length);
  const items: BatchItem__Output[] = [];
  let epoch = '0';
  while (r.pos < buf.length) {
    const key = r.u32();
    if (key === BATCH_EPOCH) {
      if (!r.u64()) return null;
      epoch = decimal(r.lo, r.hi);
      continue;
    }
    if (key !== BATCH_ITEMS) return null;
    const itemLen = r.u32();
    if (itemLen < 0 || itemLen > buf.length - r.pos) return null;
    const itemEnd = r.pos + itemLen;
    const kind = r.u32();
    const len = r.u32();
    // An item is exactly one field of its oneof: nothing before or after it.
    if (len < 0 || r.pos + len !== itemEnd) return null;
    const item = kind === ITEM_EVENT ? event(r, itemEnd, longs) : kind === ITEM_LOST ? lost(r, itemEnd, longs) : kind === ITEM_LINK ? link(r, itemEnd) : null;
    if (!item) return null;
    items.push(item);
  }
  return { items, epoch };
}

// Items with numbers for seqs and counts and a bigint time_ns: what
// decodeBatch(buf, 'number') builds.
export interface NumericLost {
  count: number;
  firstSeq: number;
  lastSeq: number;
  source: LossSource;
  topic: number;
  detail: string;
}

export type NumericItem =
  | { item: 'event'; event: NumericEvent }
  | { item: 'lost'; lost: NumericLost }
  | { item: 'link'; link: { state: LinkState; detail: string } };

// proto-loader's strings to numbers: for a batch the fast path declined.
export function numericItems(items: readonly BatchItem__Output[]): NumericItem[] {
  return items.map((i): NumericItem => {
    if (i.event) return { item: 'event', event: { seq: Number(i.event.seq), timeNs: BigInt(i.event.timeNs), topic: i.event.topic, payload: i.event.payload } };
    if (i.lost) return { item: 'lost', lost: { ...i.lost, count: Number(i.lost.count), firstSeq: Number(i.lost.firstSeq), lastSeq: Number(i.lost.lastSeq) } };
    return { item: 'link', link: { state: i.link!.state, detail: i.link!.detail } };
  });
}
