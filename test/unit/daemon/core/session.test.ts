// The kernel session (core/session.ts): each frame type reaches its
// consumer through the one table; one reader wake is one write per
// subscriber; what goes back to the kext is encoded by the wire module.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { OutItem } from 'kextbridged/internal/core/chunk';
import { KernelSession } from 'kextbridged/internal/core/session';
import { createLogger } from 'kextbridged/internal/log';
import { FrameType, encodeFrame } from 'kextbridged/internal/wire/index';
import { decodeSubscribe, encodeEvent, encodeLoss, encodeUpcall } from '../../../support/kext-wire';
import { readyLink } from '../../../support/fake-kext';
import { FakeSink } from '../../../support/fake-sink';

// A sink that records each write's items.
function recorder(written: OutItem[][]): FakeSink {
  return Object.assign(new FakeSink(), { onWrite: (items: readonly OutItem[]) => written.push([...items]) });
}

const limits = { maxInflight: 8, maxQueued: 8, defaultDeadlineMs: 1000, ringEvents: 100, ringBytes: 1 << 20 };

function session(): { s: KernelSession; channel: ReturnType<typeof readyLink>['channel'] } {
  const { link, channel } = readyLink();
  const s = new KernelSession(link, { limits, log: createLogger({ level: 'silent' }), epoch: '7' });
  // The WELCOME came before the session listened: make it see a ready link.
  s.requests.linkUp(8);
  s.events.linkReady();
  return { s, channel };
}

const ev = (seq: number, topic = 2): Uint8Array => encodeFrame(FrameType.EVENT, 0, 0, topic, encodeEvent(seq, 1n, Uint8Array.of(seq)));

test('RESPONSE goes to the waiting call, UPCALL to a handler, LOSS and EVENT to the hub', async () => {
  const { s, channel } = session();
  const reply = s.requests.call('request', 1, Uint8Array.of(9));
  await new Promise((r) => setImmediate(r));
  const req = channel.sentOf(FrameType.REQUEST)[0]!;
  channel.deliver(encodeFrame(FrameType.RESPONSE, 0, req.id, 0, Uint8Array.of(4, 2)));
  assert.deepEqual([...(await reply).payload], [4, 2]);

  const asked: number[] = [];
  s.upcalls.add(1, { uid: 0, pid: 1, standing: 0 }, { write: (q) => asked.push(q.id) });
  channel.deliver(encodeFrame(FrameType.UPCALL, 0, 55, 1, encodeUpcall(500, 1, Uint8Array.of(1))));
  assert.deepEqual(asked, [55]);

  const written: OutItem[][] = [];
  s.events.add({ uid: 0, pid: 1, topics: new Set([2]), overflow: 'OVERFLOW_POLICY_DROP_OLDEST', limit: 100, byteLimit: 1 << 20, maxBatch: 100, sinceSeq: 0, sink: recorder(written) });
  channel.deliver(ev(1), encodeFrame(FrameType.LOSS, 0, 0, 2, encodeLoss({ count: 1, firstSeq: 2, lastSeq: 2 })), ev(3));
  await Promise.resolve();
  assert.equal(s.events.counters.fromKernel, 2);
  assert.equal(s.events.counters.lostKernel, 1);
  const subscribe = channel.sentOf(FrameType.SUBSCRIBE).at(-1)!;
  const topics = decodeSubscribe(subscribe.payload);
  assert.ok(topics.ok);
  assert.deepEqual(topics.value, [2], 'SUBSCRIBE is encoded by the wire module');
});

test('one reader wake of many datagrams is one write per subscriber', async () => {
  const { s, channel } = session();
  const written: OutItem[][] = [];
  s.events.add({ uid: 0, pid: 1, topics: new Set([2]), overflow: 'OVERFLOW_POLICY_DROP_OLDEST', limit: 1000, byteLimit: 1 << 20, maxBatch: 1000, sinceSeq: 0, sink: recorder(written) });
  for (let seq = 1; seq <= 5; seq++) channel.deliver(ev(seq));
  assert.equal(written.length, 0, 'held while the wake lasts');
  await Promise.resolve();
  assert.equal(written.length, 1);
  assert.equal(written[0]!.length, 5, 'five datagrams, five slices, one write');
});

test('an EVENT that came in MORE pieces takes the same path as a whole one', async () => {
  const { s, channel } = session();
  const seqs: number[] = [];
  s.events.add({
    uid: 0,
    pid: 1,
    topics: new Set([2]),
    overflow: 'OVERFLOW_POLICY_DROP_OLDEST',
    limit: 10,
    byteLimit: 1 << 20,
    maxBatch: 10,
    sinceSeq: 0,
    sink: Object.assign(new FakeSink(), {
      onWrite: (items: readonly OutItem[]) => {
        for (const i of items) if ('chunk' in i) for (let k = i.from; k < i.to; k++) seqs.push(i.chunk.seq(k));
      },
    }),
  });
  const event = encodeEvent(1, 5n, Buffer.alloc(2000, 3));
  channel.deliver(encodeFrame(FrameType.EVENT, 1, 0, 2, event.subarray(0, 700)));
  channel.deliver(encodeFrame(FrameType.EVENT, 0, 0, 2, event.subarray(700)));
  await Promise.resolve();
  assert.deepEqual(seqs, [1]);
});

test('a malformed UPCALL head is answered INVALID_ARGUMENT at once; a malformed LOSS is counted', async () => {
  const { s, channel } = session();
  channel.deliver(encodeFrame(FrameType.UPCALL, 0, 9, 1, Uint8Array.of(1, 2)));
  await new Promise((r) => setImmediate(r));
  const r = channel.sentOf(FrameType.UPCALL_REPLY);
  assert.deepEqual(r.map((f) => [f.id, f.code]), [[9, 3]]);
  channel.deliver(encodeFrame(FrameType.LOSS, 0, 0, 2, Uint8Array.of(1)));
  assert.equal(s.events.counters.malformed, 1);
});
