// The subscriber queue: FIFO through take(), removeFirst() keeps order,
// and compaction never loses or reorders items.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Queue } from '../daemon/src/bridge/queue';

test('take drains in order, across compactions', () => {
  const q = new Queue<number>();
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

test('removeFirst takes the first match and keeps the rest in order', () => {
  const q = new Queue<string>();
  for (const x of ['lost', 'e1', 'e2', 'link', 'e3']) q.push(x);
  assert.equal(q.removeFirst((x) => x.startsWith('e')), 'e1');
  assert.deepEqual([q.at(0), q.at(1), q.at(2), q.at(3)], ['lost', 'e2', 'link', 'e3']);
  assert.equal(q.removeFirst((x) => x === 'none'), undefined);
  assert.equal(q.last(), 'e3');
  assert.deepEqual(q.take(10), ['lost', 'e2', 'link', 'e3']);
});
