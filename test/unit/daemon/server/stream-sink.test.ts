// server/stream-sink.ts: a subscription's batches become the front end's
// messages; the flow hears once a batch is taken (after its last
// message), resumes on the stream's drain; the stream's end, however it
// comes, ends the subscription once; a failure ends the stream with its
// status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';

import type { OutItem } from 'kextbridged/internal/core/chunk';
import { onStreamEnd, serveSubscription, StreamSink, type StreamEncoder } from 'kextbridged/internal/server/stream-sink';

class FakeCall extends EventEmitter {
  written: Buffer[] = [];
  callbacks: Array<() => void> = [];
  full = false;
  write(m: Buffer, cb: () => void): boolean {
    this.written.push(m);
    this.callbacks.push(cb);
    return !this.full;
  }
}

const encoder = (messages: (items: readonly OutItem[]) => Buffer[]): StreamEncoder & { epochs: string[] } => {
  const epochs: string[] = [];
  return { epochs, start: (e) => epochs.push(e), messages };
};

test('a batch is sent once grpc-js has taken its last message; drain resumes', () => {
  const call = new FakeCall();
  const enc = encoder(() => [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]);
  const sink = new StreamSink(call, enc);
  const sent: number[] = [];
  let resumed = 0;
  sink.start('7', { sent: (n) => sent.push(n), resume: () => resumed++ });
  assert.deepEqual(enc.epochs, ['7']);
  assert.equal(sink.write([], 300), true);
  assert.equal(call.written.length, 3);
  call.callbacks[0]!();
  call.callbacks[1]!();
  assert.deepEqual(sent, [], 'not before the last message is taken');
  call.callbacks[2]!();
  assert.deepEqual(sent, [300]);
  call.full = true;
  assert.equal(sink.write([], 10), false, 'grpc-js full: the subscription waits');
  assert.equal(resumed, 0);
  call.emit('drain');
  assert.equal(resumed, 1);
});

test('a batch of no messages is sent at once (after the write returns)', async () => {
  const call = new FakeCall();
  const sink = new StreamSink(call, encoder(() => []));
  const sent: number[] = [];
  sink.start('1', { sent: (n) => sent.push(n), resume: () => undefined });
  assert.equal(sink.write([], 64), true);
  assert.deepEqual(sent, []);
  await Promise.resolve();
  assert.deepEqual(sent, [64]);
});

test('fail ends the stream with the status; the stream\'s end ends the subscription once, however it comes', () => {
  const call = new FakeCall();
  const errors: unknown[] = [];
  call.on('error', (e) => errors.push(e));
  let ended = 0;
  serveSubscription(call, encoder(() => []), (sink) => {
    sink.fail(8, 'your queue overflowed');
    return { ok: true, value: () => ended++ };
  });
  assert.deepEqual(errors, [{ code: 8, details: 'your queue overflowed' }]);
  call.emit('cancelled');
  call.emit('close');
  assert.equal(ended, 1, 'ended once, by the first of cancel and close');
  const other = new FakeCall();
  let n = 0;
  onStreamEnd(other, () => n++);
  other.emit('cancelled');
  other.emit('close');
  other.emit('error', new Error('x'));
  assert.equal(n, 1);
});

test('a refused subscription ends the stream with its status', () => {
  const call = new FakeCall();
  const errors: unknown[] = [];
  call.on('error', (e) => errors.push(e));
  serveSubscription(call, encoder(() => []), () => ({ ok: false, code: 7, message: 'uid 65534 may not subscribe to exec' }));
  assert.deepEqual(errors, [{ code: 7, details: 'uid 65534 may not subscribe to exec' }]);
});
