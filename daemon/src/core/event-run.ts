// The kernel's EVENT frames read into reused typed arrays, one run (a
// datagram's worth, found by the kernel link) at a time: seq and time as
// 32-bit halves, never a BigInt, no object per event. capture() turns a
// range of the run into a chunk.
import { getU32 } from '../wire/bytes';
import { EVENT_HEAD_SIZE, FRAME_HEADER_SIZE } from '../wire/constants';
import { META_STRIDE, RAW_STRIDE, encodeEvents, eventSize, itemSize } from './batch-encoder';
import { Chunk, type EventFilter } from './chunk';

const TWO_32 = 0x100000000;

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
  // Encoded size of each Event, and of it as a one-item EventBatch.
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

  // Events [from, to) as a chunk: encoded now (encodeNow: a subscriber
  // takes it at once), or the kernel's bytes copied once (one copy of the
  // span they are in, from the first frame's header, so that the encoding
  // fits over it) and encoded when first taken.
  capture(from: number, to: number, encodeNow = false): Chunk {
    if (encodeNow) return this.#encoded(from, to, null)!;
    const base = this.dataAt[from]! - FRAME_HEADER_SIZE - EVENT_HEAD_SIZE;
    const span = this.dataAt[to - 1]! + this.dataLen[to - 1]! - base;
    const raw = Buffer.allocUnsafeSlow(span);
    this.datagram.copy(raw, 0, base, base + span);
    const d = this.#describe(from, to, null, base)!;
    return new Chunk(d.meta, d.count, d.size, { raw: { raw, rawMeta: d.rawMeta } });
  }

  // The events of [from, to) that pass filter, encoded now into a chunk of
  // their own (a subscriber's filter keeps part of a run: rare, and a
  // copy of the whole run would be kept alive for the part); null when
  // none pass.
  captureFiltered(from: number, to: number, filter: EventFilter): Chunk | null {
    return this.#encoded(from, to, filter);
  }

  #encoded(from: number, to: number, filter: EventFilter | null): Chunk | null {
    const d = this.#describe(from, to, filter, 0);
    if (!d) return null;
    const out = Buffer.allocUnsafeSlow(d.size);
    encodeEvents(out, 0, { raw: this.datagram, rawMeta: d.rawMeta }, d.meta, 0, d.count);
    return new Chunk(d.meta, d.count, d.size, { bytes: out });
  }

  // A chunk's metadata for the events of [from, to) that pass filter (all
  // when null), their payloads' offsets counted from base.
  #describe(from: number, to: number, filter: EventFilter | null, base: number): { meta: Float64Array; rawMeta: Uint32Array; count: number; size: number } | null {
    let count = 0;
    for (let i = from; i < to; i++) if (!filter || this.matches(filter, i)) count++;
    if (count === 0) return null;
    const meta = new Float64Array(count * META_STRIDE);
    const rawMeta = new Uint32Array(count * RAW_STRIDE);
    let at = 0;
    for (let i = from, m = 0, r = 0; i < to; i++) {
      if (filter && !this.matches(filter, i)) continue;
      at += this.itemSize[i]!;
      meta[m] = at;
      meta[m + 1] = this.seq(i);
      meta[m + 2] = this.topic[i]!;
      meta[m + 3] = at - this.dataLen[i]!;
      rawMeta[r] = this.dataAt[i]! - base;
      rawMeta[r + 1] = this.timeLo[i]!;
      rawMeta[r + 2] = this.timeHi[i]!;
      rawMeta[r + 3] = this.eventLen[i]!;
      rawMeta[r + 4] = this.seqHi[i]!;
      m += META_STRIDE;
      r += RAW_STRIDE;
    }
    return { meta, rawMeta, count, size: at };
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
