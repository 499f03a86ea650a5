// Subscribe's batches (bridge/batch-encoding.ts): slices of event chunks,
// Lost and link items, and the epoch message, as a client decodes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { eventBatch } from 'kextbridged/internal/bridge/batch-encoding';
import { encodeEpoch } from 'kextbridged/internal/core/batch-encoder';
import { Slice } from 'kextbridged/internal/core/chunk';
import type { OutItem } from 'kextbridged/internal/core/chunk';
import { loadApi } from 'kextbridged/internal/server/protos';
import { chunkOf } from '../../../support/event-frames';

const api = loadApi([]);
const subscribe = api.packageDefinition['kextbridge.v1.Bridge'] as unknown as Record<string, { responseDeserialize: (b: Buffer) => unknown }>;
const decode = (b: Buffer): { items: Array<Record<string, unknown>>; epoch: string } => subscribe['Subscribe']!.responseDeserialize(b) as never;
const encode = eventBatch;

const c = chunkOf([1, 2, 3].map((seq) => ({ seq, topic: 1, payload: Uint8Array.of(seq), timeNs: 5n })));

test('one whole slice is written as the chunk\'s own bytes, no copy', () => {
  assert.equal(encode([new Slice(c, 0, 3)]), c.bytes());
});

test('a batch of slices, losses and link changes decodes item for item', () => {
  const items: OutItem[] = [
    { lost: { count: 3, firstSeq: 4, lastSeq: 6, source: 3, topic: 0 } },
    new Slice(c, 0, 1),
    { link: { state: 3, detail: 'kext link ready' } },
    new Slice(c, 1, 3),
    { lost: { count: 0, firstSeq: 9, lastSeq: 9, source: 2, topic: 0, detail: 'since_seq from another epoch' } },
  ];
  const batch = decode(encode(items));
  assert.deepEqual(
    batch.items.map((i) => i['item']),
    ['lost', 'event', 'link', 'event', 'event', 'lost'],
  );
  assert.equal((batch.items[0]!['lost'] as { count: string }).count, '3');
  assert.equal((batch.items[0]!['lost'] as { source: string }).source, 'LOSS_SOURCE_SUBSCRIBER');
  assert.deepEqual(
    batch.items.filter((i) => i['item'] === 'event').map((i) => (i['event'] as { seq: string }).seq),
    ['1', '2', '3'],
  );
  assert.equal((batch.items[2]!['link'] as { detail: string }).detail, 'kext link ready');
  assert.equal((batch.items[5]!['lost'] as { detail: string }).detail, 'since_seq from another epoch');
});

test('the first message carries the epoch and no items', () => {
  const b = decode(encodeEpoch('18446744073709551615'));
  assert.equal(b.epoch, '18446744073709551615');
  assert.deepEqual(b.items, []);
});
