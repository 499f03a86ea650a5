// kextbridge.v1.EventBatch written by hand, with the field keys of
// @kextbridge/protocol: events straight from the kernel's bytes with no
// object per event, and the rare Lost, link and epoch batches the same way
// (one encoder, not a second one through proto-loader). Protobuf reads a
// concatenation of batches as one batch holding all their items, so any
// run of encoded items is itself a valid EventBatch.
import { BatchKey, EventKey, ItemKey, LinkKey, LostKey } from '@kextbridge/protocol';

import { EVENT_HEAD_SIZE, FRAME_HEADER_SIZE } from '../wire/constants';
import type { LinkInfo, Lost } from './items';

const TWO_32 = 0x100000000;
// Payloads up to this size are copied byte by byte (see encodeEvents).
const COPY_LOOP_MAX = 512;

export function varintSize(lo: number, hi: number): number {
  if (hi === 0) {
    if (lo < 0x80) return 1;
    if (lo < 0x4000) return 2;
    if (lo < 0x200000) return 3;
    if (lo < 0x10000000) return 4;
    return 5;
  }
  // 32 bits of lo below the significant bits of hi, 7 bits a byte.
  return Math.ceil((64 - Math.clz32(hi)) / 7);
}

// A value that fits 32 bits (a length, a topic, a 64-bit value's last
// bits): small, so that V8 inlines every call of it in encodeEvents' loop
// (it stopped inlining a 64-bit writer after three calls there).
function putU32Varint(buf: Uint8Array, at: number, v: number): number {
  while (v > 0x7f) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

export function putVarint(buf: Uint8Array, at: number, lo: number, hi: number): number {
  while (hi !== 0) {
    buf[at++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  return putU32Varint(buf, at, lo);
}

// Encoded size of an Event message.
export function eventSize(seqLo: number, seqHi: number, timeLo: number, timeHi: number, topic: number, dataLen: number): number {
  return (
    1 +
    varintSize(seqLo, seqHi) +
    (timeLo !== 0 || timeHi !== 0 ? 1 + varintSize(timeLo, timeHi) : 0) +
    (topic !== 0 ? 1 + varintSize(topic, 0) : 0) +
    (dataLen > 0 ? 1 + varintSize(dataLen, 0) + dataLen : 0)
  );
}

// Encoded size of an Event of size ev as a one-item EventBatch.
export function itemSize(ev: number): number {
  const item = 1 + varintSize(ev, 0) + ev;
  return 1 + varintSize(item, 0) + item;
}

// Events as the kernel sent them, as encodeEvents reads them: the bytes
// their payloads are in, and RAW_STRIDE fields per event (RawField) read
// from the kernel's frames once. An event's payload is at its DATA_AT less
// base in raw (a chunk's copy starts partway into the datagram).
export interface RawEvents {
  raw: Buffer;
  fields: Uint32Array;
  base: number;
}

export const enum RawField {
  DATA_AT = 0,
  DATA_LEN = 1,
  SEQ_LO = 2,
  SEQ_HI = 3,
  TIME_LO = 4,
  TIME_HI = 5,
  TOPIC = 6,
  // The Event message's encoded size.
  EVENT_LEN = 7,
}
export const RAW_STRIDE = 8;

// Where the kernel's bytes of event i begin: its frame's header, so that
// its encoding, shorter, fits over them.
export function frameStart(fields: Uint32Array, i: number): number {
  return fields[i * RAW_STRIDE + RawField.DATA_AT]! - FRAME_HEADER_SIZE - EVENT_HEAD_SIZE;
}

// The kernel's bytes of events [from, to) of src, from the first one's
// frame header to the last one's payload end, in a buffer of their own
// (it starts at frameStart(src.fields, from)).
export function copyFrames(src: RawEvents, from: number, to: number): Buffer {
  const last = (to - 1) * RAW_STRIDE;
  const start = frameStart(src.fields, from);
  const end = src.fields[last + RawField.DATA_AT]! + src.fields[last + RawField.DATA_LEN]!;
  const out = Buffer.allocUnsafeSlow(end - start);
  src.raw.copy(out, 0, start - src.base, end - src.base);
  return out;
}
// Per event in Chunk.meta: byte end of its item in the encoding, seq,
// topic, offset of its payload in the encoding (the payload runs to the
// item's end: it is the last field).
export const META_STRIDE = 4;

// Writes events [from, to) of src into out at `at`, each one's Chunk.meta
// from meta[m] on; returns the offset after them. One loop, with nothing
// called per event but the varint writers, inlined: a value passed to a
// call that is not inlined is boxed when it is past 2^30 (a time_ns half),
// an object per event.
export function encodeEvents(out: Buffer, at: number, src: RawEvents, from: number, to: number, meta: Float64Array, m: number): number {
  const raw = src.raw;
  const f = src.fields;
  const base = src.base;
  // The keys as locals: the loop reads no object property per event.
  const ITEMS = BatchKey.ITEMS;
  const EVENT = ItemKey.EVENT;
  const SEQ = EventKey.SEQ;
  const TIME_NS = EventKey.TIME_NS;
  const TOPIC = EventKey.TOPIC;
  const PAYLOAD = EventKey.PAYLOAD;
  for (let i = from; i < to; i++, m += META_STRIDE) {
    const r = i * RAW_STRIDE;
    const dataLen = f[r + RawField.DATA_LEN]!;
    const seqLo = f[r + RawField.SEQ_LO]!;
    const seqHi = f[r + RawField.SEQ_HI]!;
    const timeLo = f[r + RawField.TIME_LO]!;
    const timeHi = f[r + RawField.TIME_HI]!;
    const topic = f[r + RawField.TOPIC]!;
    const ev = f[r + RawField.EVENT_LEN]!;
    out[at++] = ITEMS;
    at = putU32Varint(out, at, 1 + varintSize(ev, 0) + ev);
    out[at++] = EVENT;
    at = putU32Varint(out, at, ev);
    out[at++] = SEQ;
    at = putVarint(out, at, seqLo, seqHi);
    if (timeLo !== 0 || timeHi !== 0) {
      out[at++] = TIME_NS;
      at = putVarint(out, at, timeLo, timeHi);
    }
    if (topic !== 0) {
      out[at++] = TOPIC;
      at = putU32Varint(out, at, topic);
    }
    let payloadAt = at;
    if (dataLen > 0) {
      out[at++] = PAYLOAD;
      at = putU32Varint(out, at, dataLen);
      payloadAt = at;
      const p = f[r + RawField.DATA_AT]! - base;
      // Encoding over the kernel's copy: moved down within it, with no
      // object made (Buffer.copy makes a view per call).
      if (out === raw) out.copyWithin(at, p, p + dataLen);
      else if (dataLen <= COPY_LOOP_MAX) {
        // Buffer.copy makes a view object per call; a loop makes none.
        for (let k = 0; k < dataLen; k++) out[at + k] = raw[p + k]!;
      } else raw.copy(out, at, p, p + dataLen);
      at += dataLen;
    }
    meta[m] = at;
    meta[m + 1] = seqHi * TWO_32 + seqLo;
    meta[m + 2] = topic;
    meta[m + 3] = payloadAt;
  }
  return at;
}

// A small protobuf writer for the rare items: sizes first, then bytes.
function u64Parts(n: number): [number, number] {
  return [n >>> 0, Math.floor(n / TWO_32)];
}

function fieldSize(v: number): number {
  return v === 0 ? 0 : 1 + varintSize(...u64Parts(v));
}

function putField(buf: Buffer, at: number, key: number, v: number): number {
  if (v === 0) return at;
  buf[at++] = key;
  return putVarint(buf, at, ...u64Parts(v));
}

function putBytes(buf: Buffer, at: number, key: number, b: Buffer): number {
  if (b.length === 0) return at;
  buf[at++] = key;
  at = putVarint(buf, at, b.length, 0);
  b.copy(buf, at);
  return at + b.length;
}

const bytesSize = (b: Buffer): number => (b.length === 0 ? 0 : 1 + varintSize(b.length, 0) + b.length);

// One item (Lost or LinkChange, by key) of fields already sized, as a batch.
function oneItem(itemKey: number, body: number, write: (buf: Buffer, at: number) => number): Buffer {
  const item = 1 + varintSize(body, 0) + body;
  const buf = Buffer.allocUnsafe(1 + varintSize(item, 0) + item);
  let at = 0;
  buf[at++] = BatchKey.ITEMS;
  at = putVarint(buf, at, item, 0);
  buf[at++] = itemKey;
  at = putVarint(buf, at, body, 0);
  write(buf, at);
  return buf;
}

export function encodeLost(lost: Lost): Buffer {
  const detail = Buffer.from(lost.detail ?? '', 'utf8');
  const body = fieldSize(lost.count) + fieldSize(lost.firstSeq) + fieldSize(lost.lastSeq) + fieldSize(lost.source) + fieldSize(lost.topic) + bytesSize(detail);
  return oneItem(ItemKey.LOST, body, (buf, at) => {
    at = putField(buf, at, LostKey.COUNT, lost.count);
    at = putField(buf, at, LostKey.FIRST_SEQ, lost.firstSeq);
    at = putField(buf, at, LostKey.LAST_SEQ, lost.lastSeq);
    at = putField(buf, at, LostKey.SOURCE, lost.source);
    at = putField(buf, at, LostKey.TOPIC, lost.topic);
    return putBytes(buf, at, LostKey.DETAIL, detail);
  });
}

export function encodeLink(link: LinkInfo): Buffer {
  const detail = Buffer.from(link.detail, 'utf8');
  return oneItem(ItemKey.LINK, fieldSize(link.state) + bytesSize(detail), (buf, at) => putBytes(buf, putField(buf, at, LinkKey.STATE, link.state), LinkKey.DETAIL, detail));
}

// A batch with no items and the daemon's epoch (decimal u64): a
// Subscribe's first message.
export function encodeEpoch(epoch: string): Buffer {
  const v = BigInt(epoch);
  const lo = Number(v & 0xffffffffn);
  const hi = Number(v >> 32n);
  const buf = Buffer.allocUnsafe(1 + varintSize(lo, hi));
  buf[0] = BatchKey.EPOCH;
  putVarint(buf, 1, lo, hi);
  return buf;
}
