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

function varintSize(n: number | bigint): number {
  let v = BigInt(n);
  let size = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    size++;
  }
  return size;
}

// Small values (all but time_ns) take the fast path without BigInt.
function sizeOf(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  return varintSize(n);
}

function putVarint(buf: Buffer, at: number, n: number | bigint): number {
  if (typeof n === 'number' && n < 0x80000000) {
    while (n >= 0x80) {
      buf[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[at++] = n;
    return at;
  }
  let v = BigInt(n);
  while (v >= 0x80n) {
    buf[at++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  buf[at++] = Number(v);
  return at;
}

export function encodeEventItem(e: EncodableEvent): Buffer {
  if (e.batchBytes) return e.batchBytes;
  const plen = e.payload.length;
  const eventLen =
    1 + sizeOf(e.seq) + (e.timeNs !== 0n ? 1 + varintSize(e.timeNs) : 0) + (e.topic !== 0 ? 1 + sizeOf(e.topic) : 0) + (plen > 0 ? 1 + sizeOf(plen) + plen : 0);
  const itemLen = 1 + sizeOf(eventLen) + eventLen;
  const buf = Buffer.allocUnsafe(1 + sizeOf(itemLen) + itemLen);
  let at = 0;
  buf[at++] = 0x0a; // EventBatch.items
  at = putVarint(buf, at, itemLen);
  buf[at++] = 0x0a; // BatchItem.event
  at = putVarint(buf, at, eventLen);
  buf[at++] = 0x08; // Event.seq
  at = putVarint(buf, at, e.seq);
  if (e.timeNs !== 0n) {
    buf[at++] = 0x10;
    at = putVarint(buf, at, e.timeNs);
  }
  if (e.topic !== 0) {
    buf[at++] = 0x18;
    at = putVarint(buf, at, e.topic);
  }
  if (plen > 0) {
    buf[at++] = 0x22;
    at = putVarint(buf, at, plen);
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
