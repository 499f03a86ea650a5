// The one binding of a server stream to what feeds it: a subscription
// (Bridge.Subscribe, a typed watch) or the status watchers. The stream's
// end, however it comes (the client cancels, the connection closes, an
// error, the status we end it with), ends what feeds it exactly once;
// a subscription's writes are reported back when grpc-js has taken them,
// which is what paces a stream that stops reading (subscription.ts).
import type { EventEmitter } from 'node:events';

import type { EventSink, SinkFlow } from '../core/events';
import type { OutItem } from '../core/chunk';
import type { Status } from '../wire/constants';
import type { Outcome } from '../core/operations';
import { endWithStatus, failure } from './calls';

// What of a grpc-js server stream this needs.
export interface ServerStream extends EventEmitter {
  write(message: Buffer, cb: () => void): boolean;
}

// How a front end turns a subscription's items into its messages.
export interface StreamEncoder {
  // It writes events' payloads as they are, never their EventBatch encoding.
  readonly payloadsOnly?: boolean;
  // What the client is told first: the epoch its seqs are in.
  start(epoch: string): void;
  // The messages of one batch (none is allowed).
  messages(items: readonly OutItem[]): Buffer[];
}

// Calls end once, when the stream ends in any way.
export function onStreamEnd(call: EventEmitter, end: () => void): void {
  let ended = false;
  const once = (): void => {
    if (ended) return;
    ended = true;
    end();
  };
  call.on('cancelled', once);
  call.on('close', once);
  call.on('error', once);
  call.on('finish', once);
}

export class StreamSink implements EventSink {
  readonly #call: ServerStream;
  readonly #encoder: StreamEncoder;
  #flow: SinkFlow | null = null;

  constructor(call: ServerStream, encoder: StreamEncoder) {
    this.#call = call;
    this.#encoder = encoder;
  }

  get payloadsOnly(): boolean {
    return this.#encoder.payloadsOnly === true;
  }

  start(epoch: string, flow: SinkFlow): void {
    this.#flow = flow;
    this.#encoder.start(epoch);
  }

  write(items: readonly OutItem[], bytes: number): boolean {
    const flow = this.#flow!;
    const messages = this.#encoder.messages(items);
    if (messages.length === 0) {
      queueMicrotask(() => flow.sent(bytes));
      return true;
    }
    // One callback for the batch: the flow hears of it once, when grpc-js
    // has taken its last message.
    let left = messages.length;
    const taken = (): void => {
      if (--left === 0) flow.sent(bytes);
    };
    let more = true;
    for (const m of messages) more = this.#call.write(m, taken) && more;
    if (!more) this.#call.once('drain', () => flow.resume());
    return more;
  }

  fail(code: Status, details: string): void {
    endWithStatus(this.#call, { code, details });
  }
}

// Serves a subscription on a stream: subscribe() is the operation with
// this stream's sink; a refusal ends the stream with its status.
export function serveSubscription(call: ServerStream, encoder: StreamEncoder, subscribe: (sink: EventSink) => Outcome<() => void>): void {
  const sub = subscribe(new StreamSink(call, encoder));
  if (!sub.ok) return endWithStatus(call, failure(sub));
  onStreamEnd(call, sub.value);
}
