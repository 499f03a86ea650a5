// Memory comes back when the subscribers that held it go. What a flood
// left is garbage V8 would collect only at its next full collection (none
// comes while the daemon is quiet), V8 keeps the heap it grew to, and what
// glibc frees stays in its arenas between live blocks: the process keeps
// its peak size. So, when the bytes subscribers hold have fallen by more
// than SETTLE_BYTES from their highest mark, the daemon returns what it
// does not use (@kextbridge/native's returnFreeMemory). Checked every few
// seconds; costs one full collection per such drop, never one per event.

export const SETTLE_BYTES = 32 * 1024 * 1024;
export const SETTLE_CHECK_MS = 2_000;

export interface MemorySettleOptions {
  // Bytes subscribers hold now (queued and in flight).
  held: () => number;
  // Collects and hands free pages back to the system.
  returnFree: () => void;
  checkMs?: number;
  settleBytes?: number;
}

export class MemorySettler {
  readonly #options: MemorySettleOptions;
  #high = 0;
  #timer: NodeJS.Timeout | null = null;
  settled = 0;

  constructor(o: MemorySettleOptions) {
    this.#options = o;
  }

  start(): void {
    this.#timer = setInterval(() => this.check(), this.#options.checkMs ?? SETTLE_CHECK_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  // Settles when the held bytes fell far enough from their high mark.
  check(): boolean {
    const held = this.#options.held();
    this.#high = Math.max(this.#high, held);
    if (this.#high - held < (this.#options.settleBytes ?? SETTLE_BYTES)) return false;
    this.settle();
    return true;
  }

  // Returns what is free now, whatever the held bytes did (SIGUSR2).
  settle(): void {
    this.#high = this.#options.held();
    this.#options.returnFree();
    this.settled++;
  }
}
