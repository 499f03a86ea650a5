// One subscriber's queue: slices of shared chunks and the rare Lost and
// link items, in the order they are to be sent. It counts events and the
// bytes it keeps alive, drains from the head in batches, and gives up
// events from either end (drop_oldest, drop_newest) exactly, event by
// event, without moving the other items: a dropped slice leaves a hole
// that draining skips, and a cursor remembers how far from the head no
// event remains.
//
// A slice keeps its whole chunk alive, so it counts the chunk's size, not
// its own: bytes is what the queue really holds. A slice cut down to less
// than half of its chunk is copied out into a chunk of its own, so that
// what is counted stays within twice what is queued, and a queue that
// gives way frees what it counted.
import { Chunk, Slice, type OutItem, type QueuedItem } from './chunk';
import { widen, type SeqSpan } from './items';

// What was cut from the queue: count and seq range.
export type Cut = SeqSpan;

// Queued bytes of a group of queues (one uid's, the daemon's), kept exact
// as each queue grows and shrinks, for the daemon-wide budget.
export class QueueMeter {
  bytes = 0;
  // Subscribers whose queues it counts.
  queues = 0;
}

// Adds n (negative: takes) to each meter.
export function meter(meters: readonly QueueMeter[], n: number): void {
  for (let i = 0; i < meters.length; i++) meters[i]!.bytes += n;
}

export class SubscriberQueue {
  readonly #meters: readonly QueueMeter[];
  #items: (QueuedItem | null)[] = [];
  #head = 0;
  // No slice lies in [#head, #scan).
  #scan = 0;
  // Null slots after #head: dropped slices not yet drained past.
  #holes = 0;
  events = 0;
  bytes = 0;
  // Lost and link items held.
  others = 0;

  // meters: the groups this queue's bytes count toward.
  constructor(meters: readonly QueueMeter[] = []) {
    this.#meters = meters;
    for (const m of meters) m.queues++;
  }

  // The queue is gone (its subscriber removed): it counts no more.
  release(): void {
    this.#addBytes(-this.bytes);
    for (const m of this.#meters) m.queues--;
  }

  #addBytes(n: number): void {
    this.bytes += n;
    meter(this.#meters, n);
  }

  get empty(): boolean {
    return this.events === 0 && this.others === 0;
  }

  // Items held (slices count one each, holes none).
  get length(): number {
    return this.#items.length - this.#head - this.#holes;
  }

  // Slots the queue occupies, holes included: bounded by what it holds.
  get slots(): number {
    return this.#items.length - this.#head;
  }

  last(): QueuedItem | null {
    for (let i = this.#items.length - 1; i >= this.#head; i--) {
      const v = this.#items[i];
      if (v) return v;
    }
    return null;
  }

  // Puts a Lost or link item in the place of the last item, which must be
  // one too (the counts do not change).
  replaceLast(item: OutItem): void {
    for (let i = this.#items.length - 1; i >= this.#head; i--) {
      const v = this.#items[i];
      if (!v) continue;
      if (v instanceof Chunk || v instanceof Slice || item instanceof Slice) throw new Error('replaceLast replaces a Lost or link item with one');
      this.#items[i] = item;
      return;
    }
  }

  push(item: QueuedItem): void {
    this.#items.push(item);
    if (item instanceof Chunk) {
      this.events += item.count;
      this.#addBytes(item.size);
    } else if (item instanceof Slice) {
      this.events += item.count;
      this.#addBytes(item.chunk.size);
    } else this.others++;
  }

  // The item at i as a Slice the queue may change (a whole chunk becomes
  // one the first time it is taken or cut).
  #slice(i: number, c: Chunk): Slice {
    const s = new Slice(c, 0, c.count);
    this.#items[i] = s;
    return s;
  }

  // Up to maxItems items and about maxBytes from the head (a slice counts
  // its events; a batch holds at least one item whatever its size), a
  // slice split where the batch ends.
  take(maxItems: number, out: OutItem[], maxBytes = Infinity): void {
    let room = maxItems;
    let bytes = 0;
    let i = this.#head;
    while (room > 0 && i < this.#items.length) {
      let v = this.#items[i];
      if (!v) {
        this.#holes--;
        i++;
        continue;
      }
      if (v instanceof Chunk) v = this.#slice(i, v);
      if (v instanceof Slice) {
        const c = v.chunk;
        let to = Math.min(v.to, v.from + room);
        if (bytes + c.sizeOf(v.from, to) > maxBytes) {
          // The most whole events that fit: sizes grow with the count.
          let lo = v.from;
          let hi = to;
          while (lo < hi) {
            const mid = (lo + hi + 1) >>> 1;
            if (bytes + c.sizeOf(v.from, mid) <= maxBytes) lo = mid;
            else hi = mid - 1;
          }
          if (lo === v.from) {
            if (bytes > 0) break;
            lo = v.from + 1;
          }
          to = lo;
        }
        const n = to - v.from;
        this.events -= n;
        bytes += c.sizeOf(v.from, to);
        room -= n;
        if (to === v.to) {
          this.#addBytes(-c.size);
          out.push(v);
          this.#items[i++] = null;
        } else {
          // The batch is full: the rest of the slice waits at the head.
          out.push(new Slice(c, v.from, to));
          v.from = to;
          break;
        }
      } else {
        out.push(v);
        this.others--;
        room--;
        this.#items[i++] = null;
      }
    }
    while (i < this.#items.length && this.#items[i] === null) {
      this.#holes--;
      i++;
    }
    this.#advance(i);
  }

  // Drops the oldest events until at most maxEvents remain and at most
  // maxBytes are kept alive.
  dropOldest(maxEvents: number, maxBytes: number): Cut | null {
    let cut: Cut | null = null;
    let i = Math.max(this.#scan, this.#head);
    while ((this.events > maxEvents || this.bytes > maxBytes) && i < this.#items.length) {
      const v = this.#items[i];
      const whole = v instanceof Chunk;
      if (!whole && !(v instanceof Slice)) {
        i++;
        continue;
      }
      const c = whole ? v : v.chunk;
      const from = whole ? 0 : v.from;
      const end = whole ? v.count : v.to;
      const overBytes = this.bytes - maxBytes;
      const to = c.frontCut(from, end, this.events - maxEvents, overBytes);
      cut = merge(cut, to - from, c.seq(from), c.seq(to - 1));
      this.events -= to - from;
      if (to === end) {
        this.#addBytes(-c.size);
        this.#items[i] = null;
        this.#holes++;
        i++;
      } else {
        const rest = whole ? this.#slice(i, c) : v;
        rest.from = to;
        this.#fit(rest, overBytes > 0);
      }
    }
    this.#scan = i;
    this.#compact();
    return cut;
  }

  // Drops the newest events until at most maxEvents remain and at most
  // maxBytes are kept alive.
  dropNewest(maxEvents: number, maxBytes: number): Cut | null {
    let cut: Cut | null = null;
    for (let i = this.#items.length - 1; i >= this.#head && (this.events > maxEvents || this.bytes > maxBytes); ) {
      const v = this.#items[i];
      const whole = v instanceof Chunk;
      if (!whole && !(v instanceof Slice)) {
        i--;
        continue;
      }
      const c = whole ? v : v.chunk;
      const start = whole ? 0 : v.from;
      const to = whole ? v.count : v.to;
      const overBytes = this.bytes - maxBytes;
      const from = c.backCut(start, to, this.events - maxEvents, overBytes);
      // Cuts from the tail come newest first: the range grows downward.
      cut = merge(cut, to - from, c.seq(from), c.seq(to - 1));
      this.events -= to - from;
      if (from === start) {
        this.#addBytes(-c.size);
        if (i === this.#items.length - 1) this.#items.pop();
        else {
          this.#items[i] = null;
          this.#holes++;
        }
        i--;
      } else {
        const rest = whole ? this.#slice(i, c) : v;
        rest.to = from;
        this.#fit(rest, overBytes > 0);
      }
    }
    this.#compact();
    return cut;
  }

  // A slice just cut short: when it holds less than half of its chunk, or
  // the queue must free bytes, it moves to a copy of its own events (the
  // chunk it leaves may still be held by others; this queue counts only
  // what it keeps alive).
  #fit(v: Slice, mustFree: boolean): void {
    const c = v.chunk;
    if (!mustFree && v.size * 2 >= c.size) return;
    const own = c.copy(v.from, v.to)!;
    this.#addBytes(own.size - c.size);
    v.chunk = own;
    v.from = 0;
    v.to = own.count;
  }

  // A subscriber that never reads never drains past its holes: past a
  // size, the live items move down so the array stays as long as they are.
  #compact(): void {
    if (this.#holes < 256 || this.#holes * 2 < this.#items.length - this.#head) return;
    // In place: no new array for a queue that is cut on every run.
    const items = this.#items;
    let n = 0;
    for (let i = this.#head; i < items.length; i++) {
      const v = items[i];
      if (v) items[n++] = v;
    }
    items.length = n;
    this.#head = 0;
    this.#scan = 0;
    this.#holes = 0;
  }

  #advance(to: number): void {
    this.#head = to;
    if (this.#head >= this.#items.length) {
      this.#items = [];
      this.#head = 0;
      this.#scan = 0;
      this.#holes = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#scan = Math.max(0, this.#scan - this.#head);
      this.#head = 0;
    }
  }
}

function merge(cut: Cut | null, count: number, firstSeq: number, lastSeq: number): Cut {
  const more = { count, firstSeq, lastSeq };
  if (!cut) return more;
  widen(cut, more);
  return cut;
}
