import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PublishWindow } from 'kextbridge-export/internal/window';
import type { Publication } from 'kextbridge-export/internal/envelope';

const pub = (id: string): Publication => ({ subject: id, headers: undefined as never, data: new Uint8Array(0) });

test('settles in order: an ack out of order waits for the ones before it', () => {
  const w = new PublishWindow(4);
  const p = [1, 2, 3].map((seq) => w.add(pub(`e/${seq}`), 'e', seq, 0));
  assert.deepEqual(p, [0, 1, 2]);
  assert.equal(w.ack(2, 'stored'), true);
  assert.deepEqual([w.settle().stored, w.settle().duplicates], [0, 0], 'nothing settles');
  w.ack(0, 'duplicate');
  assert.deepEqual({ ...w.settle() }, { stored: 0, duplicates: 1, recovered: 0, epoch: 'e', seq: 1, nextFloor: 0 });
  w.ack(1, 'stored');
  assert.deepEqual({ ...w.settle() }, { stored: 2, duplicates: 0, recovered: 0, epoch: 'e', seq: 3, nextFloor: -1 });
  assert.equal(w.size, 0);
});

test('full at its capacity; a slot is reused once settled, and an ack for a settled or unknown position is refused', () => {
  const w = new PublishWindow(2);
  w.add(pub('a'), 'e', 1, 0);
  w.add(pub('b'), 'e', 2, 0);
  assert.equal(w.full, true);
  assert.throws(() => w.add(pub('c'), 'e', 3, 0), /full/);
  w.ack(0, 'stored');
  w.settle();
  assert.equal(w.add(pub('c'), 'e', 3, 0), 2, 'positions keep counting; slot 0 is reused');
  assert.equal(w.ack(0, 'stored'), false, 'settled already');
  assert.equal(w.ack(7, 'stored'), false, 'never given');
  assert.equal(w.ack(1.5, 'stored'), false);
  w.ack(2, 'stored');
  assert.equal(w.settle().stored, 0, 'position 1 still open');
  w.ack(1, 'stored');
  assert.deepEqual({ ...w.settle() }, { stored: 2, duplicates: 0, recovered: 0, epoch: 'e', seq: 3, nextFloor: -1 });
});

test('a timeout or a failed ack holds the cursor; resend gives the failed ones back, and their late acks still count', () => {
  // Publishes are stamped with the time of the last tick.
  const w = new PublishWindow(8);
  w.add(pub('a'), 'e', 1, 0);
  w.tick(10);
  w.add(pub('b'), 'e', 2, 0);
  w.tick(20);
  w.add(pub('c'), 'e', 3, 0);
  assert.equal(w.expire(15), 2, 'sent before 15 and unanswered');
  assert.equal(w.headFailed, true);
  w.ack(2, 'failed');
  assert.deepEqual([...w.resend(100)].map(([pos, p]) => [pos, p.subject]), [[0, 'a'], [1, 'b'], [2, 'c']]);
  assert.equal(w.headFailed, false);
  assert.equal(w.expire(50), 0, 'sent again at 100');
  w.ack(0, 'stored');
  w.ack(1, 'duplicate');
  w.ack(1, 'failed');
  w.ack(2, 'stored');
  assert.deepEqual({ ...w.settle() }, { stored: 2, duplicates: 1, recovered: 0, epoch: 'e', seq: 3, nextFloor: -1 }, 'a failure after a store does not undo it');
});

test('each publish keeps its floor: a settle names the oldest unsettled one\'s, where a read-back must start', () => {
  const w = new PublishWindow(8);
  w.add(pub('a'), 'e', 1, 100);
  w.add(pub('b'), 'e', 2, 105);
  w.add(pub('c'), 'e', 3, 110);
  w.ack(0, 'stored');
  assert.equal(w.settle().nextFloor, 105);
  w.ack(2, 'stored');
  assert.equal(w.settle().nextFloor, 105, 'b still holds the cursor');
  assert.equal(w.expire(1), 1);
  assert.equal(w.failedFloor, 105);
  assert.deepEqual([...w.failed()].map(([p]) => p), [1]);
  w.ack(1, 'recovered');
  assert.equal(w.failedFloor, -1);
  w.ack(1, 'failed');
  assert.deepEqual({ ...w.settle() }, { stored: 1, duplicates: 0, recovered: 1, epoch: 'e', seq: 3, nextFloor: -1 }, 'found by a read-back: settled, and nothing undoes it');
});

test('one found in the stream already settles in its turn as recovered, never sent, and no ack changes it', () => {
  const w = new PublishWindow(4);
  w.add(pub('a'), 'e', 1, 7);
  const p = w.addStored('e', 2, 7);
  assert.equal(w.ack(p, 'failed'), true);
  assert.equal(w.expire(Infinity), 1, 'only the sent one can time out');
  assert.deepEqual([...w.resend(1)].map(([q]) => q), [0]);
  w.ack(0, 'stored');
  assert.deepEqual({ ...w.settle() }, { stored: 1, duplicates: 0, recovered: 1, epoch: 'e', seq: 2, nextFloor: -1 });
});
