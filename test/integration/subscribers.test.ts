// Subscribers against the real kextsim and daemon: a stalled subscriber
// never slows a fast one and is told exactly what it lost under each
// overflow policy, and since_seq resumes exactly where a subscriber left
// off, with what fell out of the ring told as Lost{DAEMON}.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ServiceError } from '@grpc/grpc-js';

import { loadSchema } from '@kextbridge/protocol';
import { bridgeClient, unary, type Client, type Daemon } from '../support/daemon';
import { startStack, type Stack } from '../support/stack';
import { until } from '../support/wait';
import { ROOT as root } from '../support/paths';

const RING = 200;
const EmitRequest = loadSchema([join(root, 'proto/example/v1/example.proto')]).lookupType('kextbridge.example.v1.EmitRequest');

let stack: Stack;
let daemon: Daemon;
let client: Client;

before(async () => {
  stack = await startStack({ limits: { ringEvents: RING } });
  ({ daemon, client } = stack);
});

after(() => stack.stop());

type Stream = NodeJS.EventEmitter & { cancel(): void; pause(): void; resume(): void };
interface Item {
  event?: { seq: string };
  lost?: { count: string; firstSeq: string; lastSeq: string; source: string };
}

// Everything a subscription was told. Seqs are global across topics, so a
// Lost range bounds its loss and its count is exact; the counts of events
// and of losses together must add up to what the kext published.
class Tally {
  readonly events: number[] = [];
  readonly lost: Record<string, number> = {};
  readonly order: string[] = [];
  lowest = Infinity;
  highest = 0;
  told = 0;
  problems: string[] = [];
  add(items: Item[]): void {
    for (const i of items) {
      if (i.event) {
        const seq = Number(i.event.seq);
        this.order.push(`e${seq}`);
        if (seq <= (this.events.at(-1) ?? 0)) this.problems.push(`event ${seq} after ${this.events.at(-1)}`);
        this.events.push(seq);
        this.see(seq, seq, 1);
      }
      if (i.lost) {
        const [count, first, last] = [Number(i.lost.count), Number(i.lost.firstSeq), Number(i.lost.lastSeq)];
        this.order.push(`L${first}-${last}x${count}:${i.lost.source}`);
        if (count < 1 || first > last || count > last - first + 1) this.problems.push(`Lost ${JSON.stringify(i.lost)} does not fit its range`);
        this.lost[i.lost.source] = (this.lost[i.lost.source] ?? 0) + count;
        this.see(first, last, count);
      }
    }
  }
  private see(first: number, last: number, count: number): void {
    this.lowest = Math.min(this.lowest, first);
    this.highest = Math.max(this.highest, last);
    this.told += count;
  }
  // Checked here, not in the stream's handler, where a throw is lost.
  check(): void {
    assert.deepEqual(this.problems, []);
  }
}

function subscribe(c: Client, request: object): { stream: Stream; tally: Tally; ended: Promise<ServiceError | null>; until(n: number): Promise<void> } {
  const stream = c.Subscribe!({ topics: [{ name: 'exec' }], ...request }) as Stream;
  const tally = new Tally();
  const waiters: Array<{ n: number; res: () => void }> = [];
  stream.on('data', (b: { items: Item[] }) => {
    tally.add(b.items);
    for (const w of waiters.filter((w) => tally.told >= w.n)) w.res();
  });
  const ended = new Promise<ServiceError | null>((res) => {
    stream.on('error', (e: ServiceError) => res(e));
    stream.on('end', () => res(null));
  });
  const until = (n: number): Promise<void> =>
    tally.told >= n
      ? Promise.resolve()
      : new Promise<void>((res, rej) => {
          const timer = setTimeout(() => rej(new Error(`only ${tally.told} of ${n} seqs told within 20 s: ...${JSON.stringify(tally.order.slice(-6))}`)), 20_000);
          waiters.push({ n, res: () => (clearTimeout(timer), res()) });
          void ended.then((e) => {
            clearTimeout(timer);
            rej(new Error(`the stream ended (${e?.details ?? 'OK'}) after ${tally.told} of ${n}`));
          });
        });
  return { stream, tally, ended, until };
}

async function subscribed(n: number): Promise<void> {
  await until(`${n} subscribers`, async () => (await unary<{ subscribers: unknown[] }>(client, 'ListSubscribers', {})).subscribers.length === n, 2000);
}

// ratePerSec: paced so the kext's own backlog does not overflow first (that loss is KERNEL's).
async function emit(count: number, size: number, ratePerSec = 0): Promise<{ emitted: number; lost: number }> {
  const request = EmitRequest.encode({ topic: 1, count, size, ratePerSec }).finish();
  const r = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'emit' }, payload: Buffer.from(request) }, 60_000);
  const reply = loadSchema([join(root, 'proto/example/v1/example.proto')]).lookupType('kextbridge.example.v1.EmitReply');
  const o = reply.toObject(reply.decode(r.payload), { longs: Number }) as { emitted?: number; lost?: number };
  return { emitted: o.emitted ?? 0, lost: o.lost ?? 0 };
}

const ASKED = 3000;

for (const policy of ['OVERFLOW_POLICY_DROP_OLDEST', 'OVERFLOW_POLICY_DROP_NEWEST', 'OVERFLOW_POLICY_DISCONNECT'] as const) {
  test(`${policy}: a stalled subscriber is told exactly what it lost; the fast one beside it loses nothing`, async (t) => {
    // Each on a connection of its own, as separate processes would be.
    const fastClient = bridgeClient(daemon.socket, true);
    const slowClient = bridgeClient(daemon.socket, true);
    const fast = subscribe(fastClient, { queueLimit: 65_536 });
    const slow = subscribe(slowClient, { queueLimit: 8, overflow: policy });
    try {
      slow.stream.pause();
      await subscribed(2);
      // 2 KiB events: the stalled stream's flow-control window fills, then its queue.
      const { emitted, lost: kernelLost } = await emit(ASKED, 2048, 20_000);
      assert.equal(emitted + kernelLost, ASKED);
      await fast.until(ASKED);
      assert.equal(fast.tally.told, ASKED);
      assert.equal(fast.tally.lost['LOSS_SOURCE_SUBSCRIBER'] ?? 0, 0, 'the fast subscriber lost nothing of its own');
      assert.equal(fast.tally.lost['LOSS_SOURCE_KERNEL'] ?? 0, kernelLost, 'what the kext could not queue is told as KERNEL loss');
      t.diagnostic(`kext lost ${kernelLost} of ${ASKED}`);
      fast.tally.check();

      slow.stream.resume();
      if (policy === 'OVERFLOW_POLICY_DISCONNECT') {
        const err = await slow.ended;
        assert.equal(err?.code, 8, 'ended RESOURCE_EXHAUSTED');
        assert.match(err!.details, /queue|behind/i, err!.details);
        assert.ok(slow.tally.told < ASKED, 'ended before it got everything');
        slow.tally.check();
      } else {
        await slow.until(ASKED);
        assert.equal(slow.tally.told, ASKED, 'every event delivered or told lost, once');
        slow.tally.check();
        assert.deepEqual([slow.tally.lowest, slow.tally.highest], [fast.tally.lowest, fast.tally.highest], 'the same seqs as the fast one');
        const first = fast.tally.lowest;
        assert.ok((slow.tally.lost['LOSS_SOURCE_SUBSCRIBER'] ?? 0) > 0, `it fell behind: ${JSON.stringify(slow.tally.lost)}`);
        const kept = slow.tally.events;
        if (policy === 'OVERFLOW_POLICY_DROP_NEWEST') assert.equal(kept[0], first, 'drop-newest keeps the oldest');
        else assert.equal(kept.at(-1), fast.tally.events.at(-1), `drop-oldest keeps the newest: ${JSON.stringify(slow.tally.order.slice(-12))}`);
        const listed = (await unary<{ subscribers: Array<{ lost: string; overflow: string }> }>(client, 'ListSubscribers', {})).subscribers;
        // The fast one may share the policy; it lost nothing, so the stalled one is the most lost.
        const mostLost = Math.max(...listed.filter((s) => s.overflow === policy).map((s) => Number(s.lost)));
        assert.equal(mostLost, slow.tally.lost['LOSS_SOURCE_SUBSCRIBER'], 'ListSubscribers counts the same loss');
      }
    } finally {
      fast.stream.cancel();
      slow.stream.cancel();
      await subscribed(0);
      fastClient.close();
      slowClient.close();
    }
  });
}

test('since_seq resumes exactly after the last event seen; what left the ring is Lost{DAEMON} with the exact count', async () => {
  // Someone stays subscribed throughout, so the kext keeps sending and the ring keeps filling.
  const keeper = subscribe(client, { queueLimit: 65_536 });
  await subscribed(1);
  const reader = subscribe(client, { queueLimit: 65_536 });
  await subscribed(2);
  await emit(100, 0);
  await reader.until(100);
  reader.tally.check();
  assert.equal(reader.tally.events.length, 100);
  const lastSeen = reader.tally.highest;
  reader.stream.cancel();
  await subscribed(1);

  await emit(50, 0);
  await keeper.until(150);
  const resumed = subscribe(client, { sinceSeq: String(lastSeen + 1), queueLimit: 65_536 });
  await resumed.until(50);
  resumed.tally.check();
  assert.deepEqual(resumed.tally.events, Array.from({ length: 50 }, (_, i) => lastSeen + 1 + i), 'exactly the 50 missed, all from the ring');
  const lastResumed = resumed.tally.highest;
  resumed.stream.cancel();
  await subscribed(1);

  // 300 more: the ring keeps the newest RING of them.
  await emit(300, 0);
  await keeper.until(450);
  const late = subscribe(client, { sinceSeq: String(lastResumed + 1), queueLimit: 65_536 });
  await late.until(300);
  late.stream.cancel();
  keeper.stream.cancel();
  late.tally.check();
  assert.deepEqual([late.tally.lowest, late.tally.highest], [lastResumed + 1, lastResumed + 300]);
  assert.equal(late.tally.lost['LOSS_SOURCE_DAEMON'], 300 - RING, 'what left the ring, counted exactly');
  assert.deepEqual(late.tally.events, Array.from({ length: RING }, (_, i) => lastResumed + 1 + 300 - RING + i), 'the ring replayed from its oldest');
  await subscribed(0);
});

test('an overflow policy the daemon does not know is INVALID_ARGUMENT naming the choices, not a silent drop_oldest', async () => {
  const stream = client['Subscribe']!({ topics: [{ name: 'heartbeat' }], overflow: 9 }) as NodeJS.EventEmitter;
  const err = await new Promise<ServiceError>((res) => {
    stream.on('data', () => undefined);
    stream.on('error', res);
  });
  assert.equal(err.code, 3);
  assert.match(err.details, /overflow policy 9 is not one of OVERFLOW_POLICY_DROP_OLDEST, OVERFLOW_POLICY_DROP_NEWEST, OVERFLOW_POLICY_DISCONNECT/);
  await subscribed(0);
});
