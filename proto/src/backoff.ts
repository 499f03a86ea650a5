// Exponential backoff with jitter, for both sides that reconnect to a peer
// that went away: the daemon to its kext, a client to the daemon. Each
// wait doubles the next, up to maxMs; ±25% jitter keeps a fleet of
// reconnecting peers out of step.
export function jittered(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (0.75 + random() * 0.5));
}

// The wait itself: ms, or until signal aborts, whichever comes first
// (leaving no listener behind on the signal either way).
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class Backoff {
  readonly minMs: number;
  readonly maxMs: number;
  readonly #random: () => number;
  #next: number;

  constructor(minMs: number, maxMs: number, random: () => number = Math.random) {
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.#random = random;
    this.#next = minMs;
  }

  // The wait before the next attempt.
  next(): number {
    const base = this.#next;
    this.#next = Math.min(this.maxMs, this.#next * 2);
    return jittered(base, this.#random);
  }

  // The peer answered: the next wait is the shortest again.
  reset(): void {
    this.#next = this.minMs;
  }
}
