// Events as the daemon holds them, with no object per event: a Chunk is
// one run of events (one datagram's worth, or the part of it a filter
// keeps) in buffers of its own, and a Slice is a range of a chunk as the
// ring and each queue hold it.
//
// A chunk starts as a copy of the kernel's bytes and is encoded into
// EventBatch bytes the first time a subscriber takes it, once for all of
// them: an event dropped before anyone takes it costs only its copy. Its
// size (what its encoding takes) is known from the start, so queues and
// budgets count it before it is encoded. A chunk's buffers are its own, not
// views of a shared slab: what a queue keeps alive is the chunks it holds,
// and nothing else.
import { META_STRIDE, RAW_STRIDE, RawField, copyFrames, encodeEvents, frameStart, type RawEvents } from './batch-encoder';
import type { LinkInfo, Lost } from './items';

// Which events a subscriber wants: its topics and an optional payload
// prefix. Subscribers with equal filters share one chunk of each run.
export class EventFilter {
  readonly key: string;

  constructor(
    readonly topics: ReadonlySet<number>,
    readonly prefix: Uint8Array | null,
  ) {
    this.key = `${[...topics].sort((a, b) => a - b).join(',')}/${prefix ? Buffer.from(prefix).toString('hex') : ''}`;
  }

  matches(topic: number, bytes: Uint8Array, payloadAt: number, payloadEnd: number): boolean {
    if (!this.topics.has(topic)) return false;
    const p = this.prefix;
    if (!p) return true;
    if (payloadEnd - payloadAt < p.length) return false;
    for (let i = 0; i < p.length; i++) if (bytes[payloadAt + i] !== p[i]) return false;
    return true;
  }
}

export class Chunk {
  #bytes: Buffer | null;
  #raw: RawEvents | null;
  // A view of the kernel's copy was handed out (grpc-js may hold it past
  // the call): the encoding must not be written over it.
  #viewed = false;

  // meta: META_STRIDE numbers per event (batch-encoder.ts); size: the
  // whole encoding's bytes.
  constructor(
    readonly meta: Float64Array,
    readonly count: number,
    readonly size: number,
    from: { bytes: Buffer } | { raw: RawEvents },
  ) {
    this.#bytes = 'bytes' in from ? from.bytes : null;
    this.#raw = 'raw' in from ? from.raw : null;
  }

  get encoded(): boolean {
    return this.#bytes !== null;
  }

  start(i: number): number {
    return i === 0 ? 0 : this.meta[(i - 1) * META_STRIDE]!;
  }

  end(i: number): number {
    return this.meta[i * META_STRIDE]!;
  }

  seq(i: number): number {
    return this.meta[i * META_STRIDE + 1]!;
  }

  topic(i: number): number {
    return this.meta[i * META_STRIDE + 2]!;
  }

  payloadSize(i: number): number {
    return this.meta[i * META_STRIDE]! - this.meta[i * META_STRIDE + 3]!;
  }

  // An event's payload bytes, encoded or not (a typed watch sends them as
  // they are and never needs the encoding).
  payload(i: number): Buffer {
    if (this.#bytes) return this.#bytes.subarray(this.meta[i * META_STRIDE + 3]!, this.meta[i * META_STRIDE]!);
    const at = this.#rawPayloadAt(i);
    this.#viewed = true;
    return this.#raw!.raw.subarray(at, at + this.payloadSize(i));
  }

  matches(filter: EventFilter, i: number): boolean {
    if (this.#bytes) return filter.matches(this.topic(i), this.#bytes, this.meta[i * META_STRIDE + 3]!, this.end(i));
    const at = this.#rawPayloadAt(i);
    return filter.matches(this.topic(i), this.#raw!.raw, at, at + this.payloadSize(i));
  }

  // Where event i's payload is in the kernel's copy (not yet encoded).
  #rawPayloadAt(i: number): number {
    const raw = this.#raw!;
    return raw.fields[i * RAW_STRIDE + RawField.DATA_AT]! - raw.base;
  }

  // The whole encoding, made on the first call, over the kernel's copy
  // when it fits there (an encoded event is rarely longer than its frame):
  // no second buffer for it.
  bytes(): Buffer {
    if (this.#bytes) return this.#bytes;
    const raw = this.#raw!;
    const out = this.#fitsInPlace(raw) ? raw.raw : Buffer.allocUnsafeSlow(this.size);
    // It writes each event's meta again: the same numbers.
    encodeEvents(out, 0, raw, 0, this.count, this.meta, 0);
    this.#bytes = out.length === this.size ? out : out.subarray(0, this.size);
    this.#raw = null;
    return this.#bytes;
  }

  // Every event's encoded payload starts at or before its raw one: each is
  // then written over bytes already read (its header over its frame's,
  // its payload moved down), front to back.
  #fitsInPlace(raw: RawEvents): boolean {
    if (this.#viewed || raw.raw.length < this.size) return false;
    for (let i = 0; i < this.count; i++) {
      if (this.meta[i * META_STRIDE + 3]! > this.#rawPayloadAt(i)) return false;
    }
    return true;
  }

  // Bytes of events [from, to): an EventBatch by itself.
  bytesOf(from: number, to: number): Buffer {
    const all = this.bytes();
    if (from === 0 && to === this.count) return all;
    return all.subarray(this.start(from), this.end(to - 1));
  }

  sizeOf(from: number, to: number): number {
    return to > from ? this.end(to - 1) - this.start(from) : 0;
  }

  // Of events [from, to): where to cut so that at least overEvents events
  // and overBytes bytes go, in whole events. From the front, the first
  // event kept (to: all go); from the back, the first event dropped
  // (from: all go).
  frontCut(from: number, to: number, overEvents: number, overBytes: number): number {
    if (overEvents >= to - from || overBytes >= this.sizeOf(from, to)) return to;
    let i = from + Math.max(0, overEvents);
    while (i < to && this.sizeOf(from, i) < overBytes) i++;
    return i;
  }

  backCut(from: number, to: number, overEvents: number, overBytes: number): number {
    if (overEvents >= to - from || overBytes >= this.sizeOf(from, to)) return from;
    let i = to - Math.max(0, overEvents);
    while (i > from && this.sizeOf(i, to) < overBytes) i--;
    return i;
  }

  // Events [from, to) that pass filter (all when null) as a chunk of
  // their own, encoded, in exact buffers: what a queue keeps of a chunk it
  // holds little of, and a since_seq replay's cut of the ring. null when
  // none pass.
  copy(from: number, to: number, filter: EventFilter | null = null): Chunk | null {
    if (!filter && this.#raw && to > from) return this.#rawCopy(from, to);
    let count = 0;
    let size = 0;
    for (let i = from; i < to; i++) {
      if (filter && !this.matches(filter, i)) continue;
      count++;
      size += this.end(i) - this.start(i);
    }
    if (count === 0) return null;
    const out = Buffer.allocUnsafeSlow(size);
    const meta = new Float64Array(count * META_STRIDE);
    let at = 0;
    let m = 0;
    for (let i = from; i < to; i++) {
      if (filter && !this.matches(filter, i)) continue;
      if (this.#raw) at = encodeEvents(out, at, this.#raw, i, i + 1, meta, m);
      else {
        const start = this.start(i);
        const shift = at - start;
        this.#bytes!.copy(out, at, start, this.end(i));
        at += this.end(i) - start;
        meta[m] = at;
        meta[m + 1] = this.seq(i);
        meta[m + 2] = this.topic(i);
        meta[m + 3] = this.meta[i * META_STRIDE + 3]! + shift;
      }
      m += META_STRIDE;
    }
    return new Chunk(meta, count, size, { bytes: out });
  }

  // Events [from, to) of a chunk not yet encoded, still not encoded: their
  // span of the kernel's copy (from the first one's frame header, so that
  // the encoding fits over it) and their fields; each end and payload
  // offset moves down by what the events before them take.
  #rawCopy(from: number, to: number): Chunk {
    const src = this.#raw!;
    const raw = copyFrames(src, from, to);
    const shift = this.start(from);
    const meta = this.meta.slice(from * META_STRIDE, to * META_STRIDE);
    for (let m = 0; m < meta.length; m += META_STRIDE) {
      meta[m] -= shift;
      meta[m + 3] -= shift;
    }
    const fields = src.fields.slice(from * RAW_STRIDE, to * RAW_STRIDE);
    return new Chunk(meta, to - from, this.sizeOf(from, to), { raw: { raw, fields, base: frameStart(src.fields, from) } });
  }
}

// Events [from, to) of a chunk, as a queue or the ring holds them.
export class Slice {
  constructor(
    // A queue moves a slice it has cut short to a chunk of its own.
    public chunk: Chunk,
    public from: number,
    public to: number,
  ) {}

  get count(): number {
    return this.to - this.from;
  }

  get bytes(): Buffer {
    return this.chunk.bytesOf(this.from, this.to);
  }

  get size(): number {
    return this.chunk.sizeOf(this.from, this.to);
  }

  frontCut(overEvents: number, overBytes: number): number {
    return this.chunk.frontCut(this.from, this.to, overEvents, overBytes);
  }
}

// What a subscriber is sent, in order: slices of events, Lost, link changes.
export type OutItem = Slice | { lost: Lost } | { link: LinkInfo };

// What a queue holds: those, or a whole chunk (no Slice made for it until
// it is taken or cut: a stalled subscriber's queue makes no object per run).
export type QueuedItem = OutItem | Chunk;
