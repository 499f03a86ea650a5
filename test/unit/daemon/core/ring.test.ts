// The since_seq ring (core/ring.ts): bounded by events (trimmed event by
// event from the oldest) and by the bytes of the chunks it keeps alive,
// replay from any seq.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { Slice } from 'kextbridged/internal/core/chunk';
import { EventRing } from 'kextbridged/internal/core/ring';
import { chunkOf } from '../../../support/event-frames';

const chunk = (from: number, to: number, bytes = 1) => chunkOf(Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i, topic: 1, payload: new Uint8Array(bytes) })));
const seqs = (slices: Slice[]): number[] => slices.flatMap((s) => Array.from({ length: s.count }, (_, i) => s.chunk.seq(s.from + i)));

test('count bound: the oldest go first, event by event, across many chunks', () => {
  const r = new EventRing(4, 1 << 20);
  for (let s = 1; s <= 4099; s += 3) r.push(chunk(s, s + 2));
  assert.equal(r.size, 4);
  assert.equal(r.oldestSeq(), 4098);
  assert.deepEqual(seqs(r.from(0)), [4098, 4099, 4100, 4101]);
  assert.deepEqual(seqs(r.from(4100)), [4100, 4101]);
  assert.deepEqual(seqs(r.from(5000)), []);
});

test('byte bound: evicts whole chunks until what is kept alive fits, even the newest', () => {
  const one = chunk(1, 1, 4).size;
  const r = new EventRing(100, 2 * one);
  r.push(chunk(1, 2, 4));
  assert.deepEqual(seqs(r.from(0)), [1, 2]);
  assert.equal(r.bytes, 2 * one);
  r.push(chunk(3, 3, 4));
  assert.deepEqual(seqs(r.from(0)), [3], 'the older chunk goes whole: part of it would keep it all');
  assert.equal(r.bytes, one);
  r.push(chunk(4, 4, 1000));
  assert.equal(r.size, 0);
  assert.equal(r.oldestSeq(), 0);
});

test('a ring of zero events keeps nothing', () => {
  const r = new EventRing(0, 10);
  r.push(chunk(1, 1));
  assert.equal(r.size, 0);
  assert.equal(r.enabled, false);
});

test('replayed slices are the caller\'s: changing one leaves the ring as it was', () => {
  const r = new EventRing(100, 1 << 20);
  r.push(chunk(1, 5));
  const [s] = r.from(2);
  s!.from = s!.to;
  assert.deepEqual(seqs(r.from(0)), [1, 2, 3, 4, 5]);
});
