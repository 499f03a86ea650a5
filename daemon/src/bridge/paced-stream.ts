// A server stream's writes, paced by bytes. grpc-js's streams are in
// object mode: write() says "wait" only after 16 messages, whatever their
// size, so a stalled client could hold 16 × a 1,024-event batch each in the
// daemon (100 stalled subscribers: +100 MB). Here a write also says "wait"
// while more bytes are written but not yet handed to the connection than
// the stream's share of a budget all streams share, and 'drain' comes when
// both grpc-js and the bytes allow. One fast stream gets a deep pipe (it
// rides out a client's GC pause), a hundred stalled ones a shallow one each.
import type { EventEmitter } from 'node:events';

export interface WritableCall extends EventEmitter {
  write(chunk: Buffer, cb: () => void): boolean;
}

// Bytes written and not yet taken by the connections, all streams together,
// and the bounds of one stream's share.
export const STREAM_BUDGET_BYTES = 16 * 1024 * 1024;
const SHARE_MIN = 64 * 1024;
const SHARE_MAX = 1024 * 1024;

export class StreamBudget {
  streams = 0;
  constructor(readonly bytes = STREAM_BUDGET_BYTES) {}

  share(): number {
    return Math.max(SHARE_MIN, Math.min(SHARE_MAX, Math.floor(this.bytes / Math.max(1, this.streams))));
  }
}

export class PacedStream {
  readonly #call: WritableCall;
  readonly #budget: StreamBudget;
  #inFlight = 0;
  #open = true;
  #grpcFull = false;
  #waiter: (() => void) | null = null;

  constructor(call: WritableCall, budget: StreamBudget) {
    this.#call = call;
    this.#budget = budget;
    budget.streams++;
  }

  // The stream ended: its share goes back to the others.
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#budget.streams--;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  // false: wait for once('drain').
  write(bytes: Buffer): boolean {
    this.#inFlight += bytes.length;
    const more = this.#call.write(bytes, () => {
      this.#inFlight -= bytes.length;
      this.#wake();
    });
    if (!more) this.#grpcFull = true;
    return more && this.#inFlight < this.#budget.share();
  }

  once(_event: 'drain', listener: () => void): void {
    this.#waiter = listener;
    if (this.#grpcFull) {
      this.#call.once('drain', () => {
        this.#grpcFull = false;
        this.#wake();
      });
    } else this.#wake();
  }

  #wake(): void {
    if (!this.#waiter || this.#grpcFull || this.#inFlight >= this.#budget.share()) return;
    const w = this.#waiter;
    this.#waiter = null;
    w();
  }
}
