// The ring of recent events kept for since_seq resume, bounded by count and
// by payload bytes. A circular buffer: Array.prototype.shift() on an array
// this large (65,536 slots, in V8's large-object space) moves every element,
// and it ran once per event once the ring was full.
import type { EncodableEvent } from './batch-encoding';

export class EventRing {
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  #slots: (EncodableEvent | undefined)[] = [];
  // Index of the oldest event, and how many are held.
  #head = 0;
  #size = 0;
  #bytes = 0;

  constructor(maxEvents: number, maxBytes: number) {
    this.#maxEvents = maxEvents;
    this.#maxBytes = maxBytes;
  }

  get size(): number {
    return this.#size;
  }

  // The oldest event held, if any.
  oldest(): EncodableEvent | undefined {
    return this.#size > 0 ? this.#slots[this.#head] : undefined;
  }

  push(e: EncodableEvent): void {
    if (this.#maxEvents === 0) return;
    if (this.#size === this.#maxEvents) this.#dropOldest();
    // The backing array grows to maxEvents as events come, not up front.
    const at = (this.#head + this.#size) % this.#maxEvents;
    this.#slots[at] = e;
    this.#size++;
    this.#bytes += e.payload.length;
    while (this.#bytes > this.#maxBytes && this.#size > 0) this.#dropOldest();
  }

  // Events with seq >= since, oldest first (seqs increase along the ring).
  *from(since: number): Generator<EncodableEvent> {
    for (let i = this.#firstAtOrAfter(since); i < this.#size; i++) yield this.#slots[(this.#head + i) % this.#maxEvents]!;
  }

  #at(i: number): EncodableEvent {
    return this.#slots[(this.#head + i) % this.#maxEvents]!;
  }

  // Binary search for the first position whose seq is >= since.
  #firstAtOrAfter(since: number): number {
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#at(mid).seq < since) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #dropOldest(): void {
    const e = this.#slots[this.#head]!;
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#maxEvents;
    this.#size--;
    this.#bytes -= e.payload.length;
  }
}
