// bridge/paced-stream.ts: a stream's writes wait on bytes in flight as well
// as on grpc-js's count of messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';

import { PacedStream, StreamBudget } from 'kextbridged/internal/bridge/paced-stream';

class FakeCall extends EventEmitter {
  pending: Array<() => void> = [];
  accept = true;
  write(_chunk: Buffer, cb: () => void): boolean {
    this.pending.push(cb);
    return this.accept;
  }
  // The connection takes the oldest n writes.
  take(n: number): void {
    for (const cb of this.pending.splice(0, n)) cb();
  }
}

test('past its share in flight a write says wait, and drain comes once the bytes are taken', () => {
  const call = new FakeCall();
  const budget = new StreamBudget(100 * 1024);
  const p = new PacedStream(call, budget);
  assert.equal(budget.share(), 100 * 1024, 'one stream: the whole budget');
  assert.equal(p.write(Buffer.alloc(60 * 1024)), true);
  assert.equal(p.write(Buffer.alloc(60 * 1024)), false, '120 KiB in flight');
  let drained = 0;
  p.once('drain', () => drained++);
  assert.equal(drained, 0);
  call.take(1);
  assert.equal(drained, 1, '60 KiB in flight: below the bound');
  assert.equal(p.inFlight, 60 * 1024);
  call.take(1);
  assert.equal(drained, 1, 'a waiter is called once');
});

test('when grpc-js says wait, drain waits for its drain as well as for the bytes', () => {
  const call = new FakeCall();
  const p = new PacedStream(call, new StreamBudget());
  call.accept = false;
  assert.equal(p.write(Buffer.alloc(10)), false);
  let drained = 0;
  p.once('drain', () => drained++);
  call.take(1);
  assert.equal(drained, 0, 'bytes are fine but grpc-js has not drained');
  call.emit('drain');
  assert.equal(drained, 1);
});

test('streams share the budget, within a floor and a ceiling per stream', () => {
  const budget = new StreamBudget(16 * 1024 * 1024);
  const streams = Array.from({ length: 100 }, () => new PacedStream(new FakeCall(), budget));
  assert.equal(budget.share(), Math.floor((16 * 1024 * 1024) / 100));
  for (const s of streams.slice(1)) s.close();
  assert.equal(budget.share(), 1024 * 1024, 'one stream: at most 1 MiB');
  streams[1]!.close();
  assert.equal(budget.streams, 1, 'a second close counts once');
  const many = new StreamBudget(1024 * 1024);
  many.streams = 1000;
  assert.equal(many.share(), 64 * 1024, 'never below 64 KiB');
});
