// memory.ts: the daemon hands memory back when what subscribers hold has
// fallen far enough from its high mark, once per such drop, never while
// it holds steady or grows.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { MemorySettler } from 'kextbridged/internal/memory';

test('settles once per drop of at least settleBytes from the high mark', () => {
  let held = 0;
  let returned = 0;
  const m = new MemorySettler({ held: () => held, returnFree: () => returned++, settleBytes: 100 });
  for (const h of [0, 50, 300, 250, 250]) {
    held = h;
    assert.equal(m.check(), false, `holding ${h}`);
  }
  held = 199;
  assert.equal(m.check(), true, 'fell 101 from 300');
  assert.equal(returned, 1);
  held = 150;
  assert.equal(m.check(), false, 'the mark moved down with the settle: 49 less is no drop');
  held = 99;
  assert.equal(m.check(), true, '100 under the new mark');
  assert.equal(returned, 2);
  assert.equal(m.settled, 2);
});
