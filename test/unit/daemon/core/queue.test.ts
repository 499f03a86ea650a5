// A subscriber's queue (core/queue.ts): batches drained from the head,
// events given up exactly from either end, other items never moved, and
// bytes counted as the chunks it keeps alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Slice, type OutItem } from 'kextbridged/internal/core/chunk';
import { QueueMeter, SubscriberQueue } from 'kextbridged/internal/core/queue';
import { chunkOf } from '../../../support/event-frames';

const slice = (from: number, to: number): Slice => {
  const c = chunkOf(Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i, topic: 1, payload: Uint8Array.of(i) })));
  return new Slice(c, 0, c.count);
};
const lost = (n: number): OutItem => ({ lost: { count: n, firstSeq: n, lastSeq: n, source: 1, topic: 0 } });
const show = (items: OutItem[]): string[] =>
  items.map((i) => (i instanceof Slice ? `${i.chunk.seq(i.from)}-${i.chunk.seq(i.to - 1)}` : 'lost' in i ? `lost${i.lost.count}` : 'link'));

test('take drains in order, splitting a slice where the batch ends', () => {
  const q = new SubscriberQueue();
  q.push(slice(1, 5));
  q.push(lost(1));
  q.push(slice(6, 8));
  const out: OutItem[] = [];
  q.take(3, out);
  assert.deepEqual(show(out), ['1-3']);
  assert.equal(q.events, 5);
  out.length = 0;
  q.take(10, out);
  assert.deepEqual(show(out), ['4-5', 'lost1', '6-8']);
  assert.ok(q.empty);
  assert.equal(q.bytes, 0);
});

test('dropOldest gives up the oldest events exactly, past Lost items it leaves in place', () => {
  const q = new SubscriberQueue();
  q.push(lost(1));
  q.push(slice(1, 4));
  q.push(lost(2));
  q.push(slice(5, 9));
  const cut = q.dropOldest(3, 1 << 20)!;
  assert.deepEqual(cut, { count: 6, firstSeq: 1, lastSeq: 6 });
  const out: OutItem[] = [];
  q.take(100, out);
  assert.deepEqual(show(out), ['lost1', 'lost2', '7-9']);
});

test('dropNewest gives up the newest events exactly; last() sees past the hole', () => {
  const q = new SubscriberQueue();
  q.push(slice(1, 4));
  q.push(lost(1));
  q.push(slice(5, 9));
  const cut = q.dropNewest(3, 1 << 20)!;
  assert.deepEqual(cut, { count: 6, firstSeq: 4, lastSeq: 9 });
  assert.deepEqual(show([q.last() as OutItem]), ['lost1']);
  const out: OutItem[] = [];
  q.take(100, out);
  assert.deepEqual(show(out), ['1-3', 'lost1']);
});

test('a byte bound drops whole events until the bytes fit', () => {
  const q = new SubscriberQueue();
  const s = slice(1, 10);
  q.push(s);
  const per = s.size / 10;
  q.dropOldest(100, Math.floor(per * 4.5));
  assert.equal(q.events, 4);
  assert.ok(q.bytes <= per * 4.5);
});

test('under a long drop_oldest run the queue stays bounded and in order', () => {
  const q = new SubscriberQueue();
  for (let s = 1; s <= 30_000; s += 3) {
    q.push(slice(s, s + 2));
    if (s % 300 === 1) q.push(lost(1));
    q.dropOldest(100, 1 << 20);
  }
  assert.equal(q.events, 100);
  assert.ok(q.slots <= 2 * q.length + 256, `a queue never drained keeps ${q.slots} slots for ${q.length} items`);
  const out: OutItem[] = [];
  q.take(1_000_000, out);
  const seqs = out.flatMap((i) => (i instanceof Slice ? Array.from({ length: i.count }, (_, k) => i.chunk.seq(i.from + k)) : []));
  assert.deepEqual(seqs, Array.from({ length: 100 }, (_, i) => 29_901 + i));
});

test('a batch stops at its byte budget on an event boundary, and always takes one event', () => {
  const q = new SubscriberQueue();
  const s = slice(1, 10);
  q.push(s);
  const per = s.size / 10;
  const out: OutItem[] = [];
  q.take(100, out, per * 3.5);
  assert.deepEqual(show(out), ['1-3']);
  out.length = 0;
  q.take(100, out, 1);
  assert.deepEqual(show(out), ['4-4'], 'one event even past the budget');
  out.length = 0;
  q.push(lost(1));
  q.push(slice(11, 12));
  q.take(100, out, per * 6.5);
  assert.deepEqual(show(out), ['5-10', 'lost1'], 'the next slice does not fit once the batch has bytes');
  out.length = 0;
  q.take(100, out, Infinity);
  assert.deepEqual(show(out), ['11-12']);
  assert.ok(q.empty);
});

test('a slice counts the whole chunk it keeps alive until the last of it leaves', () => {
  const m = new QueueMeter();
  const q = new SubscriberQueue([m]);
  const s = slice(1, 10);
  const whole = s.chunk.size;
  q.push(new Slice(s.chunk, 8, 10));
  assert.equal(q.bytes, whole, 'two events of ten keep all ten alive');
  assert.equal(m.bytes, whole);
  const out: OutItem[] = [];
  q.take(1, out);
  assert.equal(q.bytes, whole, 'half taken: the rest still holds the chunk');
  q.take(1, out);
  assert.equal(q.bytes, 0);
  assert.equal(m.bytes, 0);
});

test('a slice cut down to less than half of its chunk moves to a copy of its own', () => {
  const q = new SubscriberQueue();
  const s = slice(1, 10);
  const original = s.chunk;
  q.push(s);
  q.dropOldest(3, Infinity);
  assert.notEqual(s.chunk, original, 'three events of ten: copied out');
  assert.equal(q.bytes, s.chunk.size);
  assert.equal(q.bytes, original.sizeOf(7, 10));
  const kept = slice(1, 10);
  q.push(kept);
  q.dropNewest(3 + 6, Infinity);
  assert.equal(kept.chunk.count, 10, 'six of ten left: the chunk is shared, not copied');
  const out: OutItem[] = [];
  q.take(100, out);
  const seqs = out.flatMap((i) => (i instanceof Slice ? Array.from({ length: i.count }, (_, k) => i.chunk.seq(i.from + k)) : []));
  assert.deepEqual(seqs, [8, 9, 10, 1, 2, 3, 4, 5, 6]);
  assert.equal(q.bytes, 0);
});

test('a byte bound over shared chunks frees what it counts', () => {
  const q = new SubscriberQueue();
  const s = slice(1, 10);
  const max = Math.floor(s.chunk.size * 0.8);
  q.push(s);
  q.dropNewest(100, max);
  assert.ok(q.bytes <= max, `${q.bytes} bytes kept alive, at most ${max}`);
  assert.ok(q.events >= 7, 'only as many events as the bytes need go');
});

test('a whole chunk is queued as it is, and taken or cut like a slice of all of it', () => {
  const q = new SubscriberQueue();
  const a = slice(1, 4).chunk;
  const b = slice(5, 9).chunk;
  q.push(a);
  q.push(lost(1));
  q.push(b);
  assert.equal(q.events, 9);
  assert.equal(q.bytes, a.size + b.size);
  assert.deepEqual(q.dropOldest(8, Infinity), { count: 1, firstSeq: 1, lastSeq: 1 });
  assert.deepEqual(q.dropNewest(6, Infinity), { count: 2, firstSeq: 8, lastSeq: 9 });
  q.dropOldest(6, Infinity);
  const out: OutItem[] = [];
  q.take(100, out);
  assert.deepEqual(show(out), ['2-4', 'lost1', '5-7']);
  assert.equal(q.bytes, 0);
});
