// Events as the daemon holds them: chunks of EventBatch bytes built
// straight from the kernel's datagrams, with no object per event.
//
// A run of EVENT frames (one datagram's worth, found by the kernel link)
// is read once into reused typed arrays (EventRun), then encoded into one
// exact-size Buffer per distinct subscriber filter (Chunk). Protobuf lets a
// batch be the concatenation of one-item batches, so any contiguous range
// of a chunk's events is itself a valid EventBatch encoding: the ring,
// every subscriber queue and every gRPC write share the chunk's bytes and
// cut them by offset (Slice).
//
//   EventBatch { repeated BatchItem items = 1; }
//   BatchItem  { oneof item { Event event = 1; Lost lost = 2; LinkChange link = 3; } }
//   Event      { uint64 seq = 1; uint64 time_ns = 2; uint32 topic = 3; bytes payload = 4; }
import { getU32 } from '../wire/bytes';
import { EVENT_HEAD_SIZE, FRAME_HEADER_SIZE } from '../wire/constants';

export type OverflowPolicy = 'drop_oldest' | 'drop_newest' | 'disconnect';
export type LossSource = 'LOSS_SOURCE_KERNEL' | 'LOSS_SOURCE_DAEMON' | 'LOSS_SOURCE_SUBSCRIBER' | 'LOSS_SOURCE_LINK';

export interface Lost {
  count: number;
  firstSeq: number;
  lastSeq: number;
  source: LossSource;
  topic: number;
  // Set when the count cannot be known (a since_seq from another daemon
  // run): count is then 0 and this says why.
  detail?: string;
}

// A count of events over a seq range: a Lost, or what a queue cut.
export interface SeqSpan {
  count: number;
  firstSeq: number;
  lastSeq: number;
}

// Folds another span into span: counts add, the range covers both.
export function widen(span: SeqSpan, more: SeqSpan): void {
  span.count += more.count;
  span.firstSeq = Math.min(span.firstSeq, more.firstSeq);
  span.lastSeq = Math.max(span.lastSeq, more.lastSeq);
}

export interface LinkInfo {
  state: string;
  detail: string;
}

// Per event in Chunk.meta: byte end of its item, seq, topic, offset of its
// payload bytes (the payload runs to the item's end: it is the last field).
const STRIDE = 4;

export class Chunk {
  constructor(
    readonly bytes: Buffer,
    readonly meta: Float64Array,
    readonly count: number,
  ) {}

  start(i: number): number {
    return i === 0 ? 0 : this.meta[(i - 1) * STRIDE]!;
  }

  end(i: number): number {
    return this.meta[i * STRIDE]!;
  }

  seq(i: number): number {
    return this.meta[i * STRIDE + 1]!;
  }

  topic(i: number): number {
    return this.meta[i * STRIDE + 2]!;
  }

  payload(i: number): Buffer {
    return this.bytes.subarray(this.meta[i * STRIDE + 3]!, this.meta[i * STRIDE]!);
  }

  // Bytes of events [from, to): an EventBatch by itself.
  bytesOf(from: number, to: number): Buffer {
    if (from === 0 && to === this.count) return this.bytes;
    return this.bytes.subarray(this.start(from), this.end(to - 1));
  }

  sizeOf(from: number, to: number): number {
    return to > from ? this.end(to - 1) - this.start(from) : 0;
  }
}

// Events [from, to) of a chunk, as a queue or the ring holds them.
export class Slice {
  constructor(
    readonly chunk: Chunk,
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

  // Where to cut so that at least overEvents events and overBytes bytes go,
  // in whole events: from the front, the first event kept (to: all go);
  // from the back, the first event dropped (from: all go). The ring and
  // the queues trim by these.
  frontCut(overEvents: number, overBytes: number): number {
    if (overEvents >= this.count || overBytes >= this.size) return this.to;
    let i = this.from + Math.max(0, overEvents);
    while (i < this.to && this.chunk.sizeOf(this.from, i) < overBytes) i++;
    return i;
  }

  backCut(overEvents: number, overBytes: number): number {
    if (overEvents >= this.count || overBytes >= this.size) return this.from;
    let i = this.to - Math.max(0, overEvents);
    while (i > this.from && this.chunk.sizeOf(i, this.to) < overBytes) i--;
    return i;
  }
}

// What a subscriber is sent, in order: slices of events, Lost, link changes.
export type OutItem = Slice | { lost: Lost } | { link: LinkInfo };

// Which events a subscriber wants: its topics and an optional payload
// prefix. Subscribers with equal filters share one cut of each run.
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

  matchesChunkEvent(c: Chunk, i: number): boolean {
    return this.matches(c.topic(i), c.bytes, c.meta[i * STRIDE + 3]!, c.end(i));
  }
}

const TWO_32 = 0x100000000;
// Payloads up to this size are copied byte by byte (see encodeChunk).
const COPY_LOOP_MAX = 512;

// Chunks are cut from slabs: one ArrayBuffer per few thousand events
// instead of one per chunk. Events are kept oldest-first (ring, queues),
// so a slab is freed soon after its last chunk is dropped.
const SLAB_BYTES = 4 * 1024 * 1024;
let slab = Buffer.allocUnsafeSlow(0);
let slabAt = 0;

function chunkBytes(size: number): Buffer {
  if (size > SLAB_BYTES / 4) return Buffer.allocUnsafeSlow(size);
  if (slab.length - slabAt < size) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabAt = 0;
  }
  const b = slab.subarray(slabAt, slabAt + size);
  // 8-byte steps keep the next chunk aligned.
  slabAt += (size + 7) & ~7;
  return b;
}

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

function putVarint(buf: Uint8Array, at: number, lo: number, hi: number): number {
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

// One run of EVENT frames read into typed arrays that are reused from run
// to run: seq and time as 32-bit halves, never a BigInt.
export class EventRun {
  datagram: Buffer = Buffer.alloc(0);
  count = 0;
  // Frames dropped because their payload is shorter than the event head
  // or their seq is 0 or past 2^53.
  malformed = 0;
  // The one topic of every event so far, or -1 when they differ.
  soleTopic = -1;
  seqLo = new Uint32Array(256);
  seqHi = new Uint32Array(256);
  timeLo = new Uint32Array(256);
  timeHi = new Uint32Array(256);
  topic = new Uint32Array(256);
  dataAt = new Uint32Array(256);
  dataLen = new Uint32Array(256);
  // Encoded size of each Event message, and of it as a one-item EventBatch.
  eventLen = new Uint32Array(256);
  itemSize = new Uint32Array(256);

  seq(i: number): number {
    return this.seqHi[i]! * TWO_32 + this.seqLo[i]!;
  }

  // Reads the frames at starts[0..n) of datagram (whole EVENT frames the
  // link has checked: header in bounds, length within the datagram); the
  // daemon's seq is the kernel's plus seqOffset.
  read(datagram: Uint8Array, starts: Uint32Array, n: number, seqOffset = 0): void {
    // A Buffer view once per run, so payloads copy with Buffer.copy and
    // no subarray object per event.
    this.datagram = Buffer.isBuffer(datagram) ? datagram : Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
    this.count = 0;
    this.malformed = 0;
    this.soleTopic = -1;
    if (this.seqLo.length < n) this.#grow(n);
    let k = 0;
    for (let j = 0; j < n; j++) {
      const off = starts[j]!;
      const length = getU32(datagram, off + 12);
      const p = off + FRAME_HEADER_SIZE;
      if (length < EVENT_HEAD_SIZE) {
        this.malformed++;
        continue;
      }
      const kLo = getU32(datagram, p);
      const kHi = getU32(datagram, p + 4);
      if (kHi >= 0x200000 || (kHi === 0 && kLo === 0)) {
        this.malformed++;
        continue;
      }
      let lo = kLo;
      let hi = kHi;
      if (seqOffset !== 0) {
        const seq = kHi * TWO_32 + kLo + seqOffset;
        lo = seq >>> 0;
        hi = Math.floor(seq / TWO_32);
      }
      const topic = getU32(datagram, off + 8);
      const tLo = getU32(datagram, p + 8);
      const tHi = getU32(datagram, p + 12);
      const dataLen = length - EVENT_HEAD_SIZE;
      this.seqLo[k] = lo;
      this.seqHi[k] = hi;
      this.timeLo[k] = tLo;
      this.timeHi[k] = tHi;
      this.topic[k] = topic;
      this.dataAt[k] = p + EVENT_HEAD_SIZE;
      this.dataLen[k] = dataLen;
      const ev = eventSize(lo, hi, tLo, tHi, topic, dataLen);
      this.eventLen[k] = ev;
      this.itemSize[k] = itemSize(ev);
      if (k === 0) this.soleTopic = topic;
      else if (this.soleTopic !== topic) this.soleTopic = -1;
      k++;
    }
    this.count = k;
  }

  matches(f: EventFilter, i: number): boolean {
    return f.matches(this.topic[i]!, this.datagram, this.dataAt[i]!, this.dataAt[i]! + this.dataLen[i]!);
  }

  #grow(n: number): void {
    const size = Math.max(n, this.seqLo.length * 2);
    this.seqLo = new Uint32Array(size);
    this.seqHi = new Uint32Array(size);
    this.timeLo = new Uint32Array(size);
    this.timeHi = new Uint32Array(size);
    this.topic = new Uint32Array(size);
    this.dataAt = new Uint32Array(size);
    this.dataLen = new Uint32Array(size);
    this.eventLen = new Uint32Array(size);
    this.itemSize = new Uint32Array(size);
  }
}

function eventSize(seqLo: number, seqHi: number, timeLo: number, timeHi: number, topic: number, dataLen: number): number {
  return (
    1 +
    varintSize(seqLo, seqHi) +
    (timeLo !== 0 || timeHi !== 0 ? 1 + varintSize(timeLo, timeHi) : 0) +
    (topic !== 0 ? 1 + varintSize(topic, 0) : 0) +
    (dataLen > 0 ? 1 + varintSize(dataLen, 0) + dataLen : 0)
  );
}

function itemSize(ev: number): number {
  const item = 1 + varintSize(ev, 0) + ev;
  return 1 + varintSize(item, 0) + item;
}

// Encodes events [from, to) of the run that pass filter (all when null)
// into one chunk; null when none pass.
export function encodeChunk(run: EventRun, from: number, to: number, filter: EventFilter | null): Chunk | null {
  let count = 0;
  let size = 0;
  for (let i = from; i < to; i++) {
    if (filter && !run.matches(filter, i)) continue;
    count++;
    size += run.itemSize[i]!;
  }
  if (count === 0) return null;
  const buf = chunkBytes(size);
  const meta = new Float64Array(count * STRIDE);
  const d = run.datagram;
  let at = 0;
  let m = 0;
  for (let i = from; i < to; i++) {
    if (filter && !run.matches(filter, i)) continue;
    const seqLo = run.seqLo[i]!;
    const seqHi = run.seqHi[i]!;
    const timeLo = run.timeLo[i]!;
    const timeHi = run.timeHi[i]!;
    const topic = run.topic[i]!;
    const dataLen = run.dataLen[i]!;
    const ev = run.eventLen[i]!;
    buf[at++] = 0x0a; // EventBatch.items
    at = putVarint(buf, at, 1 + varintSize(ev, 0) + ev, 0);
    buf[at++] = 0x0a; // BatchItem.event
    at = putVarint(buf, at, ev, 0);
    buf[at++] = 0x08; // Event.seq
    at = putVarint(buf, at, seqLo, seqHi);
    if (timeLo !== 0 || timeHi !== 0) {
      buf[at++] = 0x10; // Event.time_ns
      at = putVarint(buf, at, timeLo, timeHi);
    }
    if (topic !== 0) {
      buf[at++] = 0x18; // Event.topic
      at = putVarint(buf, at, topic, 0);
    }
    let payloadAt = at;
    if (dataLen > 0) {
      buf[at++] = 0x22; // Event.payload
      at = putVarint(buf, at, dataLen, 0);
      payloadAt = at;
      const src = run.dataAt[i]!;
      if (dataLen <= COPY_LOOP_MAX) {
        // Buffer.copy makes a view object per call; a loop makes none.
        for (let k = 0; k < dataLen; k++) buf[at + k] = d[src + k]!;
      } else d.copy(buf, at, src, src + dataLen);
      at += dataLen;
    }
    meta[m] = at;
    meta[m + 1] = seqHi * TWO_32 + seqLo;
    meta[m + 2] = topic;
    meta[m + 3] = payloadAt;
    m += STRIDE;
  }
  return new Chunk(buf, meta, count);
}

// Events of a chunk's range [from, to) that pass filter, as a chunk of
// their own (a since_seq replay from the ring, which holds every event).
export function filterChunk(c: Chunk, from: number, to: number, filter: EventFilter): Chunk | null {
  let count = 0;
  let size = 0;
  for (let i = from; i < to; i++) {
    if (!filter.matchesChunkEvent(c, i)) continue;
    count++;
    size += c.end(i) - c.start(i);
  }
  if (count === 0) return null;
  const buf = chunkBytes(size);
  const meta = new Float64Array(count * STRIDE);
  let at = 0;
  let m = 0;
  for (let i = from; i < to; i++) {
    if (!filter.matchesChunkEvent(c, i)) continue;
    const start = c.start(i);
    const shift = at - start;
    c.bytes.copy(buf, at, start, c.end(i));
    at += c.end(i) - start;
    meta[m] = at;
    meta[m + 1] = c.seq(i);
    meta[m + 2] = c.topic(i);
    meta[m + 3] = c.meta[i * STRIDE + 3]! + shift;
    m += STRIDE;
  }
  return new Chunk(buf, meta, count);
}
