// The hand encoding of Subscribe's batches against the generated
// serializer: what clients decode must be the same either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { batchEncoder, encodeEventItem } from '../daemon/src/bridge/batch-encoding';
import type { Item } from '../daemon/src/bridge/events';
import { loadApi } from '../daemon/src/server/protos';

const api = loadApi([]);
const subscribe = api.packageDefinition['kextbridge.v1.Bridge'] as unknown as Record<string, { responseDeserialize: (b: Buffer) => unknown }>;
const decode = (b: Buffer): unknown => subscribe['Subscribe']!.responseDeserialize(b);
const encode = batchEncoder(api.serializeBatch);

const cases: Array<{ seq: number; timeNs: bigint; topic: number; payload: Uint8Array }> = [
  { seq: 1, timeNs: 0n, topic: 1, payload: new Uint8Array(0) },
  { seq: 127, timeNs: 1n, topic: 2, payload: Uint8Array.of(1, 2, 3) },
  { seq: 128, timeNs: 0xffffffffffffffffn, topic: 0xffff, payload: new Uint8Array(300).fill(7) },
  { seq: 2 ** 31 + 5, timeNs: 10_158_038_660_662n, topic: 300, payload: new Uint8Array(70_000).fill(9) },
  { seq: Number.MAX_SAFE_INTEGER, timeNs: 2n ** 63n, topic: 1, payload: Uint8Array.of(0) },
];

test('an event item decodes to the same message as the generated serializer makes', () => {
  for (const c of cases) {
    const expected = api.serializeBatch({
      items: [{ event: { seq: String(c.seq), timeNs: c.timeNs.toString(), topic: c.topic, payload: Buffer.from(c.payload) } }],
    });
    const mine = encodeEventItem({ ...c });
    assert.deepEqual(decode(mine), decode(expected), `seq ${c.seq}`);
    // The generated one writes zero-valued fields out; ours omits them.
    assert.ok(mine.length <= expected.length, `seq ${c.seq}: no larger`);
  }
});

test('an event is encoded once and its payload then lives in the encoding', () => {
  const e = { ...cases[1]! };
  const first = encodeEventItem(e);
  assert.equal(encodeEventItem(e), first, 'the second call returns the cached bytes');
  assert.equal(e.payload.buffer, first.buffer, 'the payload is a view of the encoding');
  assert.deepEqual([...e.payload], [1, 2, 3]);
});

test('a batch of events, losses and link changes decodes item for item', () => {
  const items: Item[] = [
    { lost: { count: 3, firstSeq: 4, lastSeq: 6, source: 'LOSS_SOURCE_SUBSCRIBER', topic: 0 } },
    { event: { ...cases[0]! } },
    { link: { state: 'LINK_STATE_READY', detail: 'kext link ready' } },
    { event: { ...cases[2]! } },
  ];
  const batch = decode(encode(items)) as { items: Array<Record<string, unknown>> };
  assert.deepEqual(
    batch.items.map((i) => i['item']),
    ['lost', 'event', 'link', 'event'],
  );
  assert.equal((batch.items[0]!['lost'] as { count: string }).count, '3');
  assert.equal((batch.items[0]!['lost'] as { source: string }).source, 'LOSS_SOURCE_SUBSCRIBER');
  assert.equal((batch.items[3]!['event'] as { seq: string }).seq, '128');
  assert.equal((batch.items[2]!['link'] as { detail: string }).detail, 'kext link ready');
});
