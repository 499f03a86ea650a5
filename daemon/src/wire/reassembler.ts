// MORE continuation, receiving side. One multi-frame message is in progress
// at a time (senders queue a message's frames back to back); whole frames
// of another type or id may pass between its frames. The limit is enforced
// as bytes arrive: past it the rest is counted and dropped, never buffered.

import { FLAG_MORE } from './constants';
import type { Frame } from './frame';

export interface Message {
  readonly type: number;
  readonly id: number;
  // The first frame's code; senders repeat it in every frame.
  readonly code: number;
  readonly payload: Uint8Array;
}

export interface RefusedMessage {
  readonly type: number;
  readonly id: number;
  readonly code: number;
  // Payload bytes that arrived for it, including those dropped.
  readonly bytes: number;
  // TOO_LARGE: the payload went past the limit; ABANDONED: a MORE frame of
  // another type or id started a new message before this one ended.
  readonly reason: 'TOO_LARGE' | 'ABANDONED';
}

export type ReassemblyResult =
  | { readonly kind: 'message'; readonly message: Message }
  | { readonly kind: 'pending' }
  | { readonly kind: 'refused'; readonly refused: RefusedMessage };

const PENDING: ReassemblyResult = { kind: 'pending' };
const FIRST_CAPACITY = 64 * 1024;

export class Reassembler {
  readonly limit: number;
  #active = false;
  #type = 0;
  #id = 0;
  #code = 0;
  #bytes = 0;
  #tooLarge = false;
  #buf: Uint8Array | null = null;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`reassembly limit ${limit} is not a byte count`);
    this.limit = limit;
  }

  // True while a MORE-continued message waits for its last frame.
  get inProgress(): boolean {
    return this.#active;
  }

  // Whether the frame is a whole message by itself. The event path checks
  // this and uses the frame directly, skipping push() and its objects.
  passesThrough(f: Frame): boolean {
    return (f.flags & FLAG_MORE) === 0 && !(this.#active && f.type === this.#type && f.id === this.#id);
  }

  // True while a MORE-continued message of this type is in progress.
  holds(type: number): boolean {
    return this.#active && this.#type === type;
  }

  push(f: Frame): ReassemblyResult {
    if (this.passesThrough(f)) {
      return { kind: 'message', message: { type: f.type, id: f.id, code: f.code, payload: f.payload } };
    }
    let abandoned: RefusedMessage | null = null;
    if (!this.#active || f.type !== this.#type || f.id !== this.#id) {
      if (this.#active) abandoned = this.#refusal('ABANDONED');
      this.#start(f);
    }
    this.#bytes += f.length;
    if (!this.#tooLarge) {
      if (this.#bytes > this.limit) {
        this.#tooLarge = true;
        this.#buf = null;
      } else {
        this.#append(f.payload);
      }
    }
    if (abandoned) return { kind: 'refused', refused: abandoned };
    if ((f.flags & FLAG_MORE) !== 0) return PENDING;
    this.#active = false;
    if (this.#tooLarge) return { kind: 'refused', refused: this.#refusal('TOO_LARGE') };
    const payload = this.#buf ? this.#buf.subarray(0, this.#bytes) : new Uint8Array(0);
    // The message owns the buffer now; the next one gets a fresh one.
    this.#buf = null;
    return { kind: 'message', message: { type: this.#type, id: this.#id, code: this.#code, payload } };
  }

  // Forget any message in progress (disconnect, new session).
  reset(): void {
    this.#active = false;
    this.#tooLarge = false;
    this.#buf = null;
    this.#bytes = 0;
  }

  #start(f: Frame): void {
    this.#active = true;
    this.#type = f.type;
    this.#id = f.id;
    this.#code = f.code;
    this.#bytes = 0;
    this.#tooLarge = false;
    this.#buf = null;
  }

  #refusal(reason: RefusedMessage['reason']): RefusedMessage {
    return { type: this.#type, id: this.#id, code: this.#code, bytes: this.#bytes, reason };
  }

  #append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const used = this.#bytes - chunk.length;
    if (!this.#buf || this.#buf.length < this.#bytes) {
      // Doubling keeps copies amortized; never beyond the limit, which
      // push() has checked this.#bytes against.
      const wanted = Math.max(this.#buf ? this.#buf.length * 2 : FIRST_CAPACITY, this.#bytes);
      const cap = Math.min(wanted, this.limit);
      const grown = new Uint8Array(cap);
      if (this.#buf) grown.set(this.#buf.subarray(0, used));
      this.#buf = grown;
    }
    this.#buf.set(chunk, used);
  }
}
