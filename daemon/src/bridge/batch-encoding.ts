// Subscribe's EventBatch, encoded by hand so that each event is encoded
// once however many subscribers receive it. Protobuf lets us: the encoding
// of an EventBatch with items a, b is the encoding of a batch holding a
// followed by that of a batch holding b, so an event's bytes as a
// one-item batch are cached on the event and a batch is their
// concatenation. The rare Lost and LinkChange items go through the
// generated serializer.
//
//   EventBatch { repeated BatchItem items = 1; }
//   BatchItem  { oneof item { Event event = 1; ... } }
//   Event      { uint64 seq = 1; uint64 time_ns = 2; uint32 topic = 3; bytes payload = 4; }
import type { Item } from './events';

export interface EncodableEvent {
  seq: number;
  timeNs: bigint;
  topic: number;
  payload: Uint8Array;
  // This event as a one-item EventBatch, once someone needed it.
  batchBytes?: Buffer;
}

// Varints from two unsigned 32-bit halves, with number arithmetic only: a
// time_ns is a 64-bit value, and going through BigInt for it (a shift and
// a compare per 7 bits, each a new heap BigInt) was a good part of the
// encoding's cost and garbage, once per event.
const TWO_32 = 0x100000000;

function varintSize(lo: number, hi: number): number {
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

function putVarint(buf: Buffer, at: number, lo: number, hi: number): number {
  while (hi !== 0) {
    buf[at++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  while (lo > 0x7f) {
    buf[at++] = (lo & 0x7f) | 0x80;
    lo >>>= 7;
  }
  buf[at++] = lo;
  return at;
}

// A non-negative safe integer (seq, topic, length) as halves.
function halvesOf(n: number): [number, number] {
  return [n >>> 0, Math.floor(n / TWO_32) >>> 0];
}

export function encodeEventItem(e: EncodableEvent): Buffer {
  if (e.batchBytes) return e.batchBytes;
  const plen = e.payload.length;
  const [seqLo, seqHi] = halvesOf(e.seq);
  const timeLo = Number(e.timeNs & 0xffffffffn);
  const timeHi = Number((e.timeNs >> 32n) & 0xffffffffn);
  const hasTime = timeLo !== 0 || timeHi !== 0;
  const eventLen =
    1 +
    varintSize(seqLo, seqHi) +
    (hasTime ? 1 + varintSize(timeLo, timeHi) : 0) +
    (e.topic !== 0 ? 1 + varintSize(e.topic >>> 0, 0) : 0) +
    (plen > 0 ? 1 + varintSize(plen, 0) + plen : 0);
  const itemLen = 1 + varintSize(eventLen, 0) + eventLen;
  const buf = Buffer.allocUnsafe(1 + varintSize(itemLen, 0) + itemLen);
  let at = 0;
  buf[at++] = 0x0a; // EventBatch.items
  at = putVarint(buf, at, itemLen, 0);
  buf[at++] = 0x0a; // BatchItem.event
  at = putVarint(buf, at, eventLen, 0);
  buf[at++] = 0x08; // Event.seq
  at = putVarint(buf, at, seqLo, seqHi);
  if (hasTime) {
    buf[at++] = 0x10;
    at = putVarint(buf, at, timeLo, timeHi);
  }
  if (e.topic !== 0) {
    buf[at++] = 0x18;
    at = putVarint(buf, at, e.topic >>> 0, 0);
  }
  if (plen > 0) {
    buf[at++] = 0x22;
    at = putVarint(buf, at, plen, 0);
    buf.set(e.payload, at);
    // The payload now lives here too: drop the reference into the kernel
    // datagram so the ring does not keep whole datagrams alive.
    e.payload = buf.subarray(at, at + plen);
  }
  e.batchBytes = buf;
  return buf;
}

// Encodes a batch: cached bytes for events, the generated serializer (of a
// one-item EventBatch) for the rest.
export function batchEncoder(serializeBatch: (batch: { items: unknown[] }) => Buffer): (items: readonly Item[]) => Buffer {
  return (items) => {
    const parts: Buffer[] = [];
    for (const item of items) {
      if ('event' in item) parts.push(encodeEventItem(item.event));
      else if ('lost' in item) parts.push(serializeBatch({ items: [{ lost: { ...item.lost } }] }));
      else parts.push(serializeBatch({ items: [{ link: { state: item.link.state, detail: item.link.detail } }] }));
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  };
}
