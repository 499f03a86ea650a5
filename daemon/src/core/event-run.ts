// The kernel's EVENT frames read into reused typed arrays, one run (a
// datagram's worth, found by the kernel link) at a time: seq and time as
// 32-bit halves, never a BigInt, no object per event. capture() turns a
// range of the run into a chunk.
import { getU32 } from '../wire/bytes';
import { EVENT_HEAD_SIZE, FRAME_HEADER_SIZE } from '../wire/constants';
import { META_STRIDE, RAW_STRIDE, RawField, copyFrames, encodeEvents, eventSize, frameStart, itemSize, type RawEvents } from './batch-encoder';
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
  // RAW_STRIDE fields per event (RawField), the layout a chunk not yet
  // encoded keeps: a range of them is copied with one slice.
  fields = new Uint32Array(256 * RAW_STRIDE);
  // Where each event's one-item EventBatch ends, counted from the run's
  // first event: a range's encoded size is one subtraction.
  #itemEnd = new Float64Array(256);
  // The run as encodeEvents reads it.
  readonly #events: RawEvents = { raw: this.datagram, fields: this.fields, base: 0 };
  // Every event's encoded head (all but its payload) is no longer than its
  // frame's: any range of the run can be encoded over a copy of its bytes.
  #headsFit = true;

  seq(i: number): number {
    return this.fields[i * RAW_STRIDE + RawField.SEQ_HI]! * TWO_32 + this.fields[i * RAW_STRIDE + RawField.SEQ_LO]!;
  }

  topic(i: number): number {
    return this.fields[i * RAW_STRIDE + RawField.TOPIC]!;
  }

  // Bytes events [from, to) take encoded.
  sizeOf(from: number, to: number): number {
    return to > from ? this.#itemEnd[to - 1]! - (from > 0 ? this.#itemEnd[from - 1]! : 0) : 0;
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
    this.#headsFit = true;
    if (this.#itemEnd.length < n) this.#grow(n);
    const f = this.fields;
    const itemEnd = this.#itemEnd;
    let k = 0;
    let end = 0;
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
      const ev = eventSize(lo, hi, tLo, tHi, topic, dataLen);
      const r = k * RAW_STRIDE;
      f[r + RawField.DATA_AT] = p + EVENT_HEAD_SIZE;
      f[r + RawField.DATA_LEN] = dataLen;
      f[r + RawField.SEQ_LO] = lo;
      f[r + RawField.SEQ_HI] = hi;
      f[r + RawField.TIME_LO] = tLo;
      f[r + RawField.TIME_HI] = tHi;
      f[r + RawField.TOPIC] = topic;
      f[r + RawField.EVENT_LEN] = ev;
      const item = itemSize(ev);
      if (item - dataLen > FRAME_HEADER_SIZE + EVENT_HEAD_SIZE) this.#headsFit = false;
      end += item;
      itemEnd[k] = end;
      if (k === 0) this.soleTopic = topic;
      else if (this.soleTopic !== topic) this.soleTopic = -1;
      k++;
    }
    this.count = k;
    this.#events.raw = this.datagram;
  }

  matches(filter: EventFilter, i: number): boolean {
    const r = i * RAW_STRIDE;
    const at = this.fields[r + RawField.DATA_AT]!;
    return filter.matches(this.fields[r + RawField.TOPIC]!, this.datagram, at, at + this.fields[r + RawField.DATA_LEN]!);
  }

  // Events [from, to) as a chunk, made of one copy of the kernel's bytes
  // (the span they are in, from the first frame's header, so that the
  // encoding fits over it): encoded over it now (encodeNow: a subscriber
  // takes it at once), or kept with the events' fields and encoded when
  // first taken.
  capture(from: number, to: number, encodeNow = false): Chunk {
    const count = to - from;
    const size = this.sizeOf(from, to);
    const meta = new Float64Array(count * META_STRIDE);
    if (encodeNow && !this.#headsFit) {
      // A head longer than its frame's (a seq or time_ns near 2^64): into
      // a buffer of its own.
      const out = Buffer.allocUnsafeSlow(size);
      encodeEvents(out, 0, this.#events, from, to, meta, 0);
      return new Chunk(meta, count, size, { bytes: out });
    }
    const f = this.fields;
    const raw = copyFrames(this.#events, from, to);
    const base = frameStart(f, from);
    if (encodeNow) {
      // One memcpy, then each payload moved down within it: faster than
      // copying payloads one by one into a buffer of the exact size.
      encodeEvents(raw, 0, { raw, fields: f, base }, from, to, meta, 0);
      return new Chunk(meta, count, size, { bytes: raw.length === size ? raw : raw.subarray(0, size) });
    }
    // What the encoding will hold, known now: queues and budgets count it.
    const before = from > 0 ? this.#itemEnd[from - 1]! : 0;
    for (let i = from, m = 0; i < to; i++, m += META_STRIDE) {
      const r = i * RAW_STRIDE;
      const end = this.#itemEnd[i]! - before;
      meta[m] = end;
      meta[m + 1] = f[r + RawField.SEQ_HI]! * TWO_32 + f[r + RawField.SEQ_LO]!;
      meta[m + 2] = f[r + RawField.TOPIC]!;
      meta[m + 3] = end - f[r + RawField.DATA_LEN]!;
    }
    return new Chunk(meta, count, size, { raw: { raw, fields: f.slice(from * RAW_STRIDE, to * RAW_STRIDE), base } });
  }

  // The events of [from, to) that pass filter, encoded now into a chunk of
  // their own (a subscriber's filter keeps part of a run: rare, and a
  // copy of the whole run would be kept alive for the part); null when
  // none pass.
  captureFiltered(from: number, to: number, filter: EventFilter): Chunk | null {
    let count = 0;
    let size = 0;
    for (let i = from; i < to; i++) {
      if (!this.matches(filter, i)) continue;
      count++;
      size += this.sizeOf(i, i + 1);
    }
    if (count === 0) return null;
    const out = Buffer.allocUnsafeSlow(size);
    const meta = new Float64Array(count * META_STRIDE);
    let at = 0;
    let m = 0;
    for (let i = from; i < to; i++) {
      if (!this.matches(filter, i)) continue;
      at = encodeEvents(out, at, this.#events, i, i + 1, meta, m);
      m += META_STRIDE;
    }
    return new Chunk(meta, count, size, { bytes: out });
  }

  #grow(n: number): void {
    const size = Math.max(n, this.#itemEnd.length * 2);
    this.fields = new Uint32Array(size * RAW_STRIDE);
    this.#itemEnd = new Float64Array(size);
    this.#events.fields = this.fields;
  }
}
