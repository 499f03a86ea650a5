import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InDoubt } from 'kextbridge-export/internal/recovery';

const found = (entries: Array<[string, number]>): Map<string, number> => new Map(entries);

test('what a read-back found is skipped as the daemon replays it; past the last found seq nothing is in doubt', () => {
  const d = new InDoubt(found([['h/7/11', 501], ['h/7/13', 503], ['h/7/lost/14-15', 504], ['other/7/12', 502]]), 'h');
  assert.equal(d.size, 3, "another host's message is not ours");
  assert.equal(d.storedAt('h/7/10', '7', 10), -1);
  assert.equal(d.storedAt('h/7/11', '7', 11), 501);
  assert.equal(d.storedAt('h/7/12', '7', 12), -1, 'not found: sent');
  assert.equal(d.storedAt('h/7/13', '7', 13), 503);
  assert.equal(d.active, true, 'the loss record of 14-15 may still come');
  assert.equal(d.storedAt('h/7/lost/14-15', '7', 15), 504);
  assert.equal(d.active, false);
});

test('an item past the last seq found ends the doubt even when some found were never replayed (the daemon lost them)', () => {
  const d = new InDoubt(found([['h/7/20', 1], ['h/7/21', 2]]), 'h');
  assert.equal(d.storedAt('h/7/22', '7', 22), -1);
  assert.equal(d.active, false);
  assert.equal(d.storedAt('h/7/21', '7', 21), -1, 'nothing is looked up any more');
});

test('a newer epoch drops the older one\'s finds, and keeps its own (a daemon restart the last run had exported part of)', () => {
  const d = new InDoubt(found([['h/7/30', 10], ['h/9/lost/unsized', 11], ['h/9/1', 12], ['h/9/2', 13]]), 'h');
  assert.equal(d.storedAt('h/9/lost/unsized', '9', 0), 11, 'the restart record was stored already');
  assert.equal(d.storedAt('h/7/30', '7', 30), -1, 'epoch 7 never comes again');
  const e = new InDoubt(found([['h/7/30', 10], ['h/9/1', 12], ['h/9/2', 13]]), 'h');
  assert.equal(e.storedAt('h/9/1', '9', 1), 12);
  assert.equal(e.storedAt('h/9/2', '9', 2), 13);
  assert.equal(e.active, false);
});
