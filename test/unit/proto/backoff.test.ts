import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, jittered } from '@kextbridge/protocol';

test('each wait doubles the next up to the maximum, and reset starts over', () => {
  const middle = (): number => 0.5; // no jitter
  const b = new Backoff(100, 1000, middle);
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000, 1000]);
  b.reset();
  assert.equal(b.next(), 100);
});

test('jitter stays within a quarter either side', () => {
  assert.equal(jittered(1000, () => 0), 750);
  assert.equal(jittered(1000, () => 0.999999), 1250);
  for (let i = 0; i < 1000; i++) {
    const w = jittered(400);
    assert.ok(w >= 300 && w <= 500, String(w));
  }
});
