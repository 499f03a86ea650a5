// The TypeScript client library's subscriptions against the real daemon:
// subscribe() and subscribeBatches() yield the same events in order; when
// the daemon goes away they say so in-band, retry with backoff, and carry
// on with the daemon that comes back on the same socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KextBridgeClient } from 'kextbridge/internal/client';
import type { BatchItem__Output } from 'kextbridge/internal/generated/kextbridge/v1/BatchItem';
import { loadSchema } from '@kextbridge/protocol';
import { startKextsim } from '../support/kextsim';
import { bridgeClient, startDaemon, unary, type Daemon } from '../support/daemon';
import { until } from '../support/wait';
import { ROOT as root } from '../support/paths';

const EmitRequest = loadSchema([join(root, 'proto/example/v1/example.proto')]).lookupType('kextbridge.example.v1.EmitRequest');

async function emit(socket: string, count: number): Promise<void> {
  const client = bridgeClient(socket, true);
  try {
    await unary(client, 'Call', { command: { name: 'emit' }, payload: Buffer.from(EmitRequest.encode({ topic: 1, count }).finish()) });
  } finally {
    client.close();
  }
}

async function subscribers(d: Daemon): Promise<number> {
  const c = bridgeClient(d.socket, true);
  try {
    return (await unary<{ subscribers: unknown[] }>(c, 'ListSubscribers', {})).subscribers.length;
  } catch {
    return 0;
  } finally {
    c.close();
  }
}

test('subscribe and subscribeBatches: same events in order, a daemon restart told in-band and ridden out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-client-sub-'));
  chmodSync(dir, 0o755);
  const socket = join(dir, 'kextbridge.sock');
  const sim = await startKextsim([]);
  let daemon = await startDaemon(sim.socket, [], { socket });
  const client = new KextBridgeClient({ socket });
  const stop = new AbortController();
  const perItem: BatchItem__Output[] = [];
  const batches: BatchItem__Output[][] = [];
  const epochs: string[] = [];
  const byItem = (async () => {
    for await (const item of client.subscribe({ topics: ['exec'], signal: stop.signal, onEpoch: (e) => epochs.push(e) })) perItem.push(item);
  })();
  const byBatch = (async () => {
    for await (const items of client.subscribeBatches({ topics: [1], signal: stop.signal })) batches.push(items);
  })();
  const eventSeqs = (items: BatchItem__Output[]): number[] => items.filter((i) => i.event).map((i) => Number(i.event!.seq));
  try {
    await until('both subscriptions', async () => (await subscribers(daemon)) === 2);
    await emit(socket, 5);
    await until('5 events each', () => eventSeqs(perItem).length === 5 && eventSeqs(batches.flat()).length === 5);
    const first = eventSeqs(perItem);
    assert.deepEqual(first, [first[0]!, first[0]! + 1, first[0]! + 2, first[0]! + 3, first[0]! + 4], 'consecutive seqs');
    assert.deepEqual(eventSeqs(batches.flat()), first, 'the batch API yields the same events');
    assert.ok(batches.every((b) => Array.isArray(b) && b.length > 0), 'a batch is a non-empty array');
    const e = perItem.find((i) => i.event)!.event!;
    assert.equal(e.topic, 1);
    assert.ok(Buffer.isBuffer(e.payload) && e.payload.length > 0, 'payload bytes as a Buffer');
    assert.match(e.timeNs, /^\d+$/, 'time_ns as a decimal string, like every 64-bit field');
    const firstEpoch = (await client.status()).epoch;
    assert.deepEqual(epochs, [firstEpoch], "the stream's first message carries the daemon's epoch");

    await daemon.stop();
    const isReconnect = (i: BatchItem__Output): boolean => i.link?.state === 'LINK_STATE_CONNECTING' && /daemon unreachable.*reconnecting/.test(i.link.detail);
    await until('the reconnect notice on both', () => perItem.some(isReconnect) && batches.some((b) => b.length === 1 && isReconnect(b[0]!)));

    daemon = await startDaemon(sim.socket, [], { socket });
    await until('both subscriptions back', async () => (await subscribers(daemon)) === 2, 15_000);
    const before = perItem.length;
    const beforeBatches = batches.length;
    await emit(socket, 3);
    await until('3 more events each', () => eventSeqs(perItem.slice(before)).length === 3 && eventSeqs(batches.slice(beforeBatches).flat()).length === 3);
    // Resumed with the old epoch's since_seq: the new daemon says so.
    assert.equal(epochs.length, 2);
    assert.notEqual(epochs[1], epochs[0], 'a new epoch per daemon start');
    const told = perItem.find((i) => i.lost?.source === 'LOSS_SOURCE_DAEMON' && i.lost.detail !== '');
    assert.ok(told, 'resuming across the restart is told, not silent');
    assert.match(told.lost!.detail, new RegExp(`epoch ${epochs[0]}`));
  } finally {
    stop.abort();
    await Promise.all([byItem, byBatch]);
    client.close();
    await daemon.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
