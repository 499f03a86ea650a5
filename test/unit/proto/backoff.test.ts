import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { Backoff, jittered, sleep } from '@kextbridge/protocol';

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

test('sleep ends at its time or at an abort, whichever is first, and leaves no listener on the signal', async () => {
  const ac = new AbortController();
  const t0 = performance.now();
  await sleep(5, ac.signal);
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0, 'a sleep that ran out removed its listener');
  const long = sleep(60_000, ac.signal);
  ac.abort();
  await long;
  assert.ok(performance.now() - t0 < 5_000, 'the abort ended the long sleep');
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
});
