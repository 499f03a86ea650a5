// The client's fast EventBatch decoder must agree with proto-loader on
// every batch it accepts and decline every batch it cannot decode exactly:
// it is checked against proto-loader on made batches, on edge values, and
// on random mutations of valid batches (a bounded, seeded differential fuzz).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { api } from '../clients/ts/src/api';
import { decodeEventOnlyBatch } from '../clients/ts/src/event-batch';

const Subscribe = api().kextbridge.v1.Bridge.service.Subscribe;
const encode = (batch: object): Buffer => Subscribe.responseSerialize(batch as never);
const generic = (bytes: Buffer): unknown => Subscribe.responseDeserialize(bytes);

// Mulberry32: the same mutations on every run, so a failure reproduces.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EDGE_U64 = ['0', '1', '127', '128', '16383', '16384', '4294967295', '4294967296', '9007199254740991', '9007199254740992', '9007199254740993', '1700000000123456789', '9999999999999999999', '18446744073709551615'];

test('events-only batches decode exactly as proto-loader decodes them, 64-bit edges included', () => {
  const items = EDGE_U64.map((v, i) => ({ event: { seq: v, timeNs: EDGE_U64[EDGE_U64.length - 1 - i], topic: i === 0 ? 0 : 0xffffffff - i, payload: Buffer.alloc(i * 37, i) } }));
  items.push({ event: {} } as never);
  const bytes = encode({ items });
  const fast = decodeEventOnlyBatch(bytes);
  assert.ok(fast, 'an events-only batch takes the fast path');
  assert.deepEqual(fast, generic(bytes));
  assert.equal(fast.items[1]!.event!.seq, '1');
  assert.equal(fast.items[items.length - 2]!.event!.seq, '18446744073709551615');
  assert.deepEqual(decodeEventOnlyBatch(Buffer.alloc(0)), { items: [] });
});

test('a batch with a Lost or link item, or an unknown field, is left to proto-loader', () => {
  const event = { event: { seq: '7', timeNs: '8', topic: 1, payload: Buffer.from('x') } };
  assert.equal(decodeEventOnlyBatch(encode({ items: [event, { lost: { count: '2', firstSeq: '8', lastSeq: '9', source: 'LOSS_SOURCE_KERNEL', topic: 1 } }] })), null);
  assert.equal(decodeEventOnlyBatch(encode({ items: [{ link: { state: 'LINK_STATE_READY', detail: 'up' } }, event] })), null);
  // Event field 5 (varint 1) after a valid event: unknown to this decoder.
  const withUnknown = Buffer.concat([encode({ items: [event] }), Buffer.from([0x0a, 0x04, 0x0a, 0x02, 0x28, 0x01])]);
  assert.equal(decodeEventOnlyBatch(withUnknown), null);
  assert.equal((generic(withUnknown) as { items: unknown[] }).items.length, 2, 'proto-loader skips the unknown field');
});

test('differential fuzz: mutated batches are declined or decoded as proto-loader decodes them', () => {
  const next = random(0x6b62);
  const base = encode({
    items: Array.from({ length: 6 }, (_, i) => ({ event: { seq: String(1000 + i), timeNs: '1700000000000000000', topic: 1 + (i % 3), payload: Buffer.alloc(i * 3, 0x41 + i) } })),
  });
  let agreed = 0;
  let declined = 0;
  for (let round = 0; round < 20_000; round++) {
    const bytes = Buffer.from(base);
    const edits = 1 + Math.floor(next() * 4);
    let mutated = bytes;
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(next() * mutated.length);
      const op = next();
      if (op < 0.6) mutated[at] = Math.floor(next() * 256);
      else if (op < 0.8) mutated = mutated.subarray(0, at);
      else mutated = Buffer.concat([mutated.subarray(0, at), Buffer.from([Math.floor(next() * 256)]), mutated.subarray(at)]);
    }
    let expected: unknown;
    try {
      expected = generic(mutated);
    } catch {
      expected = undefined;
    }
    const fast = decodeEventOnlyBatch(mutated);
    if (fast === null) {
      declined++;
      continue;
    }
    assert.notEqual(expected, undefined, `accepted bytes proto-loader rejects: ${mutated.toString('hex')}`);
    assert.deepEqual(fast, expected, `differs from proto-loader on ${mutated.toString('hex')}`);
    agreed++;
  }
  // Both outcomes must occur, or the mutations test nothing.
  assert.ok(agreed > 1000, `${agreed} mutated batches decoded`);
  assert.ok(declined > 1000, `${declined} mutated batches declined`);
});
