// The ring of recent events kept for since_seq resume, bounded by event
// count and by bytes. It holds slices of the chunks the event hub builds
// (one per datagram), so it costs an entry per datagram, not per event.
// The oldest are trimmed event by event, so the count is exact; a chunk is
// counted whole while any of it is held (it is kept alive whole), so the
// bytes bound what the ring really keeps.
import { Slice, type Chunk } from './chunk';

export class EventRing {
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  #slices: Slice[] = [];
  #head = 0;
  #events = 0;
  #bytes = 0;

  constructor(maxEvents: number, maxBytes: number) {
    this.#maxEvents = maxEvents;
    this.#maxBytes = maxBytes;
  }

  get enabled(): boolean {
    return this.#maxEvents > 0 && this.#maxBytes > 0;
  }

  get size(): number {
    return this.#events;
  }

  get bytes(): number {
    return this.#bytes;
  }

  // Seq of the oldest event held, or 0 when empty.
  oldestSeq(): number {
    const s = this.#slices[this.#head];
    return s ? s.chunk.seq(s.from) : 0;
  }

  push(chunk: Chunk): void {
    if (!this.enabled) return;
    this.#slices.push(new Slice(chunk, 0, chunk.count));
    this.#events += chunk.count;
    this.#bytes += chunk.size;
    while (this.#events > this.#maxEvents || this.#bytes > this.#maxBytes) this.#trimOldest();
  }

  // Slices (new ones, the caller's to change) holding every event with
  // seq >= since, oldest first.
  from(since: number): Slice[] {
    const out: Slice[] = [];
    for (let k = this.#head; k < this.#slices.length; k++) {
      const s = this.#slices[k]!;
      const c = s.chunk;
      if (c.seq(s.to - 1) < since) continue;
      let i = s.from;
      // Binary search within the slice: seqs increase along a chunk.
      let hi = s.to;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (c.seq(mid) < since) i = mid + 1;
        else hi = mid;
      }
      out.push(new Slice(c, i, s.to));
    }
    return out;
  }

  clear(): void {
    this.#slices = [];
    this.#head = 0;
    this.#events = 0;
    this.#bytes = 0;
  }

  #trimOldest(): void {
    const s = this.#slices[this.#head];
    if (!s) return;
    // Over the bytes, the whole chunk goes: what is left of it would keep it all.
    const i = this.#bytes > this.#maxBytes ? s.to : s.frontCut(this.#events - this.#maxEvents, 0);
    this.#events -= i - s.from;
    if (i === s.to) {
      this.#bytes -= s.chunk.size;
      this.#slices[this.#head] = undefined as unknown as Slice;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#slices.length) {
        this.#slices = this.#slices.slice(this.#head);
        this.#head = 0;
      }
    } else s.from = i;
  }
}
