// The publishes awaiting JetStream's ack, oldest first: a ring of fixed
// size in typed arrays, so that an event in flight costs no object of its
// own here. Each publish has a position (counting from 0 for the run);
// its ack names the position (the reply subject's last token), and the
// window settles from the oldest on, in order: the cursor only ever moves
// past what the stream confirmed.
import type { Publication } from './envelope';

const EMPTY = 0;
const SENT = 1;
const STORED = 2;
const DUPLICATE = 3;
const FAILED = 4;

export type Outcome = 'stored' | 'duplicate' | 'failed';

export interface Settled {
  stored: number;
  duplicates: number;
  // Where the last one settled puts the cursor (when stored + duplicates
  // > 0).
  epoch: string;
  seq: number;
}

export class PublishWindow {
  readonly capacity: number;
  readonly #pubs: Array<Publication | undefined>;
  readonly #epochs: string[];
  readonly #seqs: Float64Array;
  readonly #sentAt: Float64Array;
  readonly #states: Uint8Array;
  // The oldest unsettled position, and the next to be given.
  #head = 0;
  #tail = 0;
  readonly #settled: Settled = { stored: 0, duplicates: 0, epoch: '', seq: 0 };

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#pubs = new Array<Publication | undefined>(capacity).fill(undefined);
    this.#epochs = new Array<string>(capacity).fill('');
    this.#seqs = new Float64Array(capacity);
    this.#sentAt = new Float64Array(capacity);
    this.#states = new Uint8Array(capacity);
  }

  get size(): number {
    return this.#tail - this.#head;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  // Takes a publish (the window must not be full); returns its position,
  // which its reply subject carries.
  add(pub: Publication, epoch: string, seq: number, now: number): number {
    if (this.full) throw new Error('publish window full');
    const position = this.#tail++;
    const slot = position % this.capacity;
    this.#pubs[slot] = pub;
    this.#epochs[slot] = epoch;
    this.#seqs[slot] = seq;
    this.#sentAt[slot] = now;
    this.#states[slot] = SENT;
    return position;
  }

  // The ack for a position; false when it is not in the window (settled
  // already, or not ours). A late ack of a publish sent again counts as
  // well as the new one's: both are about the same message id.
  ack(position: number, outcome: Outcome): boolean {
    if (!Number.isInteger(position) || position < this.#head || position >= this.#tail) return false;
    const slot = position % this.capacity;
    const state = this.#states[slot];
    // Once stored, a later failure (of a resend) does not undo it.
    if (outcome === 'failed' && (state === STORED || state === DUPLICATE)) return true;
    this.#states[slot] = outcome === 'stored' ? STORED : outcome === 'duplicate' ? DUPLICATE : FAILED;
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

  // Removes the answered publishes at the front, oldest first. What it
  // returns is the window's own, overwritten by the next settle (an ack
  // per event would otherwise make an object per event).
  settle(): Readonly<Settled> {
    const out = this.#settled;
    out.stored = 0;
    out.duplicates = 0;
    let lastSlot = -1;
    while (this.#head < this.#tail) {
      const slot = this.#head % this.capacity;
      const state = this.#states[slot];
      if (state === STORED) out.stored++;
      else if (state === DUPLICATE) out.duplicates++;
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
    return out;
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
