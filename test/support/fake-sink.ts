// A subscription's sink the test controls: it records what it is written
// and, while open, its transport takes each batch at once; closed, it
// refuses more and holds what it was written until drain().
import type { EventSink, SinkFlow } from 'kextbridged/internal/core/subscription';
import type { OutItem } from 'kextbridged/internal/core/chunk';

export class FakeSink implements EventSink {
  writes: OutItem[][] = [];
  epoch = '';
  open = true;
  failed: { code: number; details: string } | null = null;
  #flow: SinkFlow | null = null;
  #held = 0;

  start(epoch: string, flow: SinkFlow): void {
    this.epoch = epoch;
    this.#flow = flow;
  }

  write(items: readonly OutItem[], bytes: number): boolean {
    this.writes.push([...items]);
    this.onWrite(items);
    if (!this.open) {
      this.#held += bytes;
      return false;
    }
    this.#flow!.sent(bytes);
    return true;
  }

  // What a test adds to each write (a decoder, a counter).
  onWrite(_items: readonly OutItem[]): void {}

  fail(code: number, details: string): void {
    this.failed = { code, details };
  }

  // The transport takes what it held and wants more.
  drain(): void {
    this.open = true;
    const held = this.#held;
    this.#held = 0;
    if (held > 0) this.#flow!.sent(held);
    this.#flow!.resume();
  }
}
