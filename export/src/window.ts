// The publishes awaiting JetStream's ack, oldest first: a ring of fixed
// size in typed arrays, so that an event in flight costs no object of its
// own here. Each publish has a position (counting from 0 for the run);
// its ack names the position (the reply subject's last token), and the
// window settles from the oldest on, in order: the cursor only ever moves
// past what the stream confirmed.
//
// Each publish also keeps its floor: a stream sequence below the one it
// will be stored at (the highest the stream had acknowledged before it
// was first sent; stream sequences only grow). The floor of the oldest
// unsettled publish is where a read-back of the stream must start to find
// everything past the cursor (recovery.ts).
import type { Publication } from './envelope';

const EMPTY = 0;
const SENT = 1;
const STORED = 2;
const DUPLICATE = 3;
const FAILED = 4;
// Found in the stream by a read-back before it was sent: never sent.
const RECOVERED = 5;

// 'recovered': a read-back found it in the stream (its ack was lost).
export type Outcome = 'stored' | 'duplicate' | 'failed' | 'recovered';

export interface Settled {
  stored: number;
  duplicates: number;
  recovered: number;
  // Where the last one settled puts the cursor (when any settled).
  epoch: string;
  seq: number;
  // The floor of the oldest publish still unsettled; -1 when none is.
  nextFloor: number;
}

export class PublishWindow {
  readonly capacity: number;
  readonly #pubs: Array<Publication | undefined>;
  readonly #epochs: string[];
  readonly #seqs: Float64Array;
  readonly #floors: Float64Array;
  readonly #sentAt: Float64Array;
  readonly #states: Uint8Array;
  // The oldest unsettled position, and the next to be given.
  #head = 0;
  #tail = 0;
  // The time a publish added now is stamped with: set by tick() (the
  // publisher's 250 ms timer), not read per publish, where a double passed
  // to add() was a heap number per event.
  #now = 0;
  readonly #settled: Settled = { stored: 0, duplicates: 0, recovered: 0, epoch: '', seq: 0, nextFloor: -1 };

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#pubs = new Array<Publication | undefined>(capacity).fill(undefined);
    this.#epochs = new Array<string>(capacity).fill('');
    this.#seqs = new Float64Array(capacity);
    this.#floors = new Float64Array(capacity);
    this.#sentAt = new Float64Array(capacity);
    this.#states = new Uint8Array(capacity);
  }

  get size(): number {
    return this.#tail - this.#head;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  // The oldest unsettled position (the next to be given when empty).
  get head(): number {
    return this.#head;
  }

  tick(now: number): void {
    this.#now = now;
  }

  // Takes a publish (the window must not be full); returns its position,
  // which its reply subject carries.
  add(pub: Publication, epoch: string, seq: number, floor: number): number {
    return this.#put(pub, epoch, seq, floor, SENT);
  }

  // Takes one the stream is known to hold already (a read-back found it):
  // it settles in its turn, counted as recovered, and is never sent.
  addStored(epoch: string, seq: number, floor: number): number {
    return this.#put(undefined, epoch, seq, floor, RECOVERED);
  }

  #put(pub: Publication | undefined, epoch: string, seq: number, floor: number, state: number): number {
    if (this.full) throw new Error('publish window full');
    const position = this.#tail++;
    const slot = position % this.capacity;
    this.#pubs[slot] = pub;
    this.#epochs[slot] = epoch;
    this.#seqs[slot] = seq;
    this.#floors[slot] = floor;
    this.#sentAt[slot] = this.#now;
    this.#states[slot] = state;
    return position;
  }

  // The ack for a position; false when it is not in the window (settled
  // already, or not ours). A late ack of a publish sent again counts as
  // well as the new one's: both are about the same message id.
  ack(position: number, outcome: Outcome): boolean {
    if (!Number.isInteger(position) || position < this.#head || position >= this.#tail) return false;
    const slot = position % this.capacity;
    const state = this.#states[slot];
    // Once stored, a later failure (of a resend) does not undo it, nor
    // does a read-back finding it make a stored one a duplicate.
    if (state === STORED || state === RECOVERED || (state === DUPLICATE && outcome !== 'stored')) return true;
    this.#states[slot] = outcome === 'stored' ? STORED : outcome === 'duplicate' ? DUPLICATE : outcome === 'recovered' ? RECOVERED : FAILED;
    return true;
  }

  // Fails every publish sent before `before` and still unanswered; returns
  // how many.
  expire(before: number): number {
    let n = 0;
    for (let p = this.#head; p < this.#tail; p++) {
      const slot = p % this.capacity;
      if (this.#states[slot] === SENT && this.#sentAt[slot]! < before) {
        this.#states[slot] = FAILED;
        n++;
      }
    }
    return n;
  }

  // Removes the answered (or recovered) publishes at the front, oldest first. What it
  // returns is the window's own, overwritten by the next settle (an ack
  // per event would otherwise make an object per event).
  settle(): Readonly<Settled> {
    const out = this.#settled;
    out.stored = 0;
    out.duplicates = 0;
    out.recovered = 0;
    let lastSlot = -1;
    while (this.#head < this.#tail) {
      const slot = this.#head % this.capacity;
      const state = this.#states[slot];
      if (state === STORED) out.stored++;
      else if (state === DUPLICATE) out.duplicates++;
      else if (state === RECOVERED) out.recovered++;
      else break;
      this.#states[slot] = EMPTY;
      this.#pubs[slot] = undefined;
      lastSlot = slot;
      this.#head++;
    }
    if (lastSlot >= 0) {
      out.epoch = this.#epochs[lastSlot]!;
      out.seq = this.#seqs[lastSlot]!;
    }
    out.nextFloor = this.size > 0 ? this.#floors[this.#head % this.capacity]! : -1;
    return out;
  }

  // The floor of the oldest failed publish (-1 when none failed): a
  // read-back from there finds every failed one the stream holds.
  get failedFloor(): number {
    for (let p = this.#head; p < this.#tail; p++) {
      const slot = p % this.capacity;
      if (this.#states[slot] === FAILED) return this.#floors[slot]!;
    }
    return -1;
  }

  // The failed publishes with their positions (not marked sent).
  *failed(): Generator<[number, Publication]> {
    for (let p = this.#head; p < this.#tail; p++) {
      const slot = p % this.capacity;
      if (this.#states[slot] === FAILED) yield [p, this.#pubs[slot]!];
    }
  }

  // Whether the oldest publish failed (and the window waits on it).
  get headFailed(): boolean {
    return this.size > 0 && this.#states[this.#head % this.capacity] === FAILED;
  }

  // The failed publishes with their positions, to be sent again (each is
  // marked sent at `now`).
  *resend(now: number): Generator<[number, Publication]> {
    for (let p = this.#head; p < this.#tail; p++) {
      const slot = p % this.capacity;
      if (this.#states[slot] !== FAILED) continue;
      this.#states[slot] = SENT;
      this.#sentAt[slot] = now;
      yield [p, this.#pubs[slot]!];
    }
  }
}
