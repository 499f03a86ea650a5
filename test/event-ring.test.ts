// The since_seq ring: bounded by count and by bytes, oldest evicted first,
// replay from any seq, across wrap-around.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { EventRing } from '../daemon/src/bridge/ring';

const ev = (seq: number, bytes = 1) => ({ seq, timeNs: 0n, topic: 1, payload: new Uint8Array(bytes) });
const seqs = (r: EventRing, since: number) => [...r.from(since)].map((e) => e.seq);

test('count bound: the oldest go first, across many wrap-arounds', () => {
  const r = new EventRing(4, 1 << 20);
  for (let s = 1; s <= 4099; s++) r.push(ev(s));
  assert.equal(r.size, 4);
  assert.equal(r.oldest()?.seq, 4096);
  assert.deepEqual(seqs(r, 0), [4096, 4097, 4098, 4099]);
  assert.deepEqual(seqs(r, 4098), [4098, 4099]);
  assert.deepEqual(seqs(r, 5000), []);
});

test('byte bound: evicts until the payloads fit, even the newest', () => {
  const r = new EventRing(100, 10);
  r.push(ev(1, 4));
  r.push(ev(2, 4));
  r.push(ev(3, 4));
  assert.deepEqual(seqs(r, 0), [2, 3]);
  r.push(ev(4, 11));
  assert.equal(r.size, 0);
  assert.equal(r.oldest(), undefined);
});

test('a ring of zero events keeps nothing', () => {
  const r = new EventRing(0, 10);
  r.push(ev(1));
  assert.equal(r.size, 0);
});
