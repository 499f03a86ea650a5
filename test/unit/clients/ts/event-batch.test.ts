// The client's fast EventBatch decoder (events, Lost, link items, epoch)
// must agree with proto-loader on every batch it accepts and decline every
// batch it cannot decode exactly:
// it is checked against proto-loader on made batches, on edge values, and
// on random mutations of valid batches (a bounded, seeded differential fuzz).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { api } from 'kextbridge/internal/api';
import { decodeBatch, numericItems } from 'kextbridge/internal/event-batch';

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
  const fast = decodeBatch(bytes);
  assert.ok(fast, 'an events-only batch takes the fast path');
  assert.deepEqual(fast, generic(bytes));
  assert.equal(fast.items[1]!.event!.seq, '1');
  assert.equal(fast.items[items.length - 2]!.event!.seq, '18446744073709551615');
  assert.deepEqual(decodeBatch(Buffer.alloc(0)), { items: [], epoch: '0' });
});

test('Lost and link items and the epoch stay on the fast path, decoded as proto-loader decodes them', () => {
  const event = { event: { seq: '7', timeNs: '8', topic: 1, payload: Buffer.from('x') } };
  const bytes = encode({
    epoch: '18446744073709551615',
    items: [
      event,
      { lost: { count: '2', firstSeq: '8', lastSeq: '9', source: 'LOSS_SOURCE_KERNEL', topic: 1 } },
      { lost: { count: '0', firstSeq: '5', lastSeq: '5', source: 'LOSS_SOURCE_DAEMON', detail: 'since_seq from epoch 3 — ünknown' } },
      { link: { state: 'LINK_STATE_READY', detail: 'up' } },
      event,
    ],
  });
  const fast = decodeBatch(bytes);
  assert.ok(fast, 'a batch with Lost and link items takes the fast path');
  assert.deepEqual(fast, generic(bytes));
  assert.equal(fast.epoch, '18446744073709551615');
});

test('numeric decoding: the same batch with seqs and counts as numbers and time_ns as bigint', () => {
  const bytes = encode({
    items: [
      { event: { seq: '9007199254740991', timeNs: '18446744073709551615', topic: 2, payload: Buffer.from('x') } },
      { lost: { count: '2', firstSeq: '8', lastSeq: '9', source: 'LOSS_SOURCE_KERNEL', topic: 1 } },
    ],
  });
  const n = decodeBatch(bytes, 'number');
  assert.ok(n);
  assert.deepEqual(n.items, numericItems((generic(bytes) as { items: never[] }).items));
  const e = n.items[0] as unknown as { event: { seq: number; timeNs: bigint } };
  assert.equal(e.event.seq, Number.MAX_SAFE_INTEGER);
  assert.equal(e.event.timeNs, 2n ** 64n - 1n);
  // A seq past 2^53 cannot be a number exactly: declined.
  assert.equal(decodeBatch(encode({ items: [{ event: { seq: '9007199254740993' } }] }), 'number'), null);
});

test('a batch with an unknown field, enum value or invalid UTF-8 is left to proto-loader', () => {
  const event = { event: { seq: '7', timeNs: '8', topic: 1, payload: Buffer.from('x') } };
  // Lost.source 9: no such LossSource.
  assert.equal(decodeBatch(Buffer.from([0x0a, 0x04, 0x12, 0x02, 0x20, 0x09])), null);
  // LinkChange.detail of one invalid byte.
  assert.equal(decodeBatch(Buffer.from([0x0a, 0x05, 0x1a, 0x03, 0x12, 0x01, 0xff])), null);
  // Event field 5 (varint 1) after a valid event: unknown to this decoder.
  const withUnknown = Buffer.concat([encode({ items: [event] }), Buffer.from([0x0a, 0x04, 0x0a, 0x02, 0x28, 0x01])]);
  assert.equal(decodeBatch(withUnknown), null);
  assert.equal((generic(withUnknown) as { items: unknown[] }).items.length, 2, 'proto-loader skips the unknown field');
});

test('differential fuzz: mutated batches are declined or decoded as proto-loader decodes them', () => {
  const next = random(0x6b62);
  const base = encode({
    epoch: '1234567890123',
    items: [
      ...Array.from({ length: 6 }, (_, i) => ({ event: { seq: String(1000 + i), timeNs: '1700000000000000000', topic: 1 + (i % 3), payload: Buffer.alloc(i * 3, 0x41 + i) } })),
      { lost: { count: '2', firstSeq: '8', lastSeq: '9', source: 'LOSS_SOURCE_SUBSCRIBER', topic: 1, detail: 'why' } },
      { link: { state: 'LINK_STATE_CONNECTING', detail: 'down' } },
    ],
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
    const fast = decodeBatch(mutated);
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
