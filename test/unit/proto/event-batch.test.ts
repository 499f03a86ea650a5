// The EventBatch layout and the enums the daemon's encoder and the
// client's decoder share (@kextbridge/protocol's event-batch.ts and
// overflow.ts), held to bridge.proto and loss.proto: a renumbered field or
// enum value there fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type * as protobuf from 'protobufjs';

import { BatchKey, EventKey, ItemKey, LINK_STATE_NAMES, LinkKey, LinkState, LOSS_SOURCE_NAMES, LossSource, LostKey, OVERFLOW_POLICY_NAMES, loadSchema, overflowPolicyOf } from '@kextbridge/protocol';
import { ROOT } from '../../support/paths';

const root = loadSchema([join(ROOT, 'proto/kextbridge/v1/bridge.proto')]);
const WIRE_TYPES: Record<string, number> = { uint64: 0, uint32: 0, bool: 0 };

function keysOf(message: string): Record<string, number> {
  const t = root.lookupType(message) as protobuf.Type;
  const out: Record<string, number> = {};
  for (const f of t.fieldsArray) {
    f.resolve();
    const wire = f.resolvedType && 'values' in f.resolvedType ? 0 : WIRE_TYPES[f.type] ?? 2;
    // By the name as the .proto spells it, whatever case the loader keeps.
    out[f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = (f.id << 3) | wire;
  }
  return out;
}

test('field keys are bridge.proto\'s', () => {
  const batch = keysOf('kextbridge.v1.EventBatch');
  assert.deepEqual({ ITEMS: batch['items'], EPOCH: batch['epoch'] }, BatchKey);
  const item = keysOf('kextbridge.v1.BatchItem');
  assert.deepEqual({ EVENT: item['event'], LOST: item['lost'], LINK: item['link'] }, ItemKey);
  const event = keysOf('kextbridge.v1.Event');
  assert.deepEqual({ SEQ: event['seq'], TIME_NS: event['time_ns'], TOPIC: event['topic'], PAYLOAD: event['payload'] }, EventKey);
  const lost = keysOf('kextbridge.v1.Lost');
  assert.deepEqual({ COUNT: lost['count'], FIRST_SEQ: lost['first_seq'], LAST_SEQ: lost['last_seq'], SOURCE: lost['source'], TOPIC: lost['topic'], DETAIL: lost['detail'] }, LostKey);
  const link = keysOf('kextbridge.v1.LinkChange');
  assert.deepEqual({ STATE: link['state'], DETAIL: link['detail'] }, LinkKey);
});

test('enum numbers and names are the .proto\'s', () => {
  const values = (name: string): Record<string, number> => (root.lookupEnum(name) as protobuf.Enum).values;
  const loss = values('kextbridge.v1.LossSource');
  LOSS_SOURCE_NAMES.forEach((n, i) => assert.equal(loss[n], i, n));
  for (const [k, v] of Object.entries(LossSource)) assert.equal(loss[`LOSS_SOURCE_${k}`], v);
  const link = values('kextbridge.v1.LinkState');
  LINK_STATE_NAMES.forEach((n, i) => assert.equal(link[n], i, n));
  for (const [k, v] of Object.entries(LinkState)) assert.equal(link[`LINK_STATE_${k}`], v);
  const overflow = values('kextbridge.v1.OverflowPolicy');
  OVERFLOW_POLICY_NAMES.forEach((n) => assert.equal(overflowPolicyOf(overflow[n]), n, `${n} by its number`));
  assert.equal(Object.keys(overflow).length, OVERFLOW_POLICY_NAMES.length + 1, 'every policy but UNSPECIFIED is named');
});
