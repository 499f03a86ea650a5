// The subscriber queue: FIFO through take(), dropOldest() keeps order,
// and compaction never loses or reorders items.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Queue } from '../daemon/src/bridge/queue';

test('take drains in order, across compactions', () => {
  const q = new Queue<number>(() => true);
  const out: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    q.push(i);
    if (i % 3 === 2) out.push(...q.take(2));
  }
  out.push(...q.take(Infinity));
  assert.deepEqual(out, Array.from({ length: 10_000 }, (_, i) => i));
  assert.equal(q.length, 0);
  assert.equal(q.last(), undefined);
});

test('dropOldest takes the oldest droppable item and keeps the rest in order', () => {
  const q = new Queue<string>((x) => x.startsWith('e'));
  for (const x of ['lost', 'e1', 'e2', 'link', 'e3']) q.push(x);
  assert.equal(q.dropOldest(), 'e1');
  assert.equal(q.dropOldest(), 'e2');
  assert.equal(q.length, 3);
  q.push('e4');
  assert.equal(q.dropOldest(), 'e3');
  assert.equal(q.last(), 'e4');
  assert.deepEqual(q.take(10), ['lost', 'link', 'e4']);
  assert.equal(q.dropOldest(), undefined);
  assert.equal(q.length, 0);
});

test('a dropped tail is skipped by last(), and holes never count', () => {
  const q = new Queue<string>((x) => x.startsWith('e'));
  q.push('lost');
  q.push('e1');
  assert.equal(q.dropOldest(), 'e1');
  assert.equal(q.last(), 'lost');
  assert.equal(q.length, 1);
  assert.deepEqual(q.take(1), ['lost']);
  assert.equal(q.length, 0);
});

test('under a long drop_oldest run the queue stays bounded and in order', () => {
  const q = new Queue<number>((x) => x >= 0);
  for (let i = 0; i < 50_000; i++) {
    if (i % 100 === 0) q.push(-i);
    q.push(i);
    if (q.length > 64) q.dropOldest();
  }
  const rest = q.take(Infinity);
  const events = rest.filter((x) => x >= 0);
  assert.deepEqual(events, Array.from({ length: events.length }, (_, k) => 50_000 - events.length + k));
  assert.equal(q.length, 0);
});
