// Events: kextsim `emit` flat out through the daemon to subscribers that
// decode every event with the client library, against a bare grpc-js
// server streaming the same pre-encoded EventBatch bytes to the same
// client code; and the daemon's ingest alone (a subscriber whose filter
// matches nothing keeps the topic wanted while nothing is delivered).
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { bareServer } from './lib/bare';
import { counters, emit, sleep, waitForSubscribers, type Bridge } from './lib/bridge';
import type { BenchConfig } from './lib/config';
import { startWorker, stop, waitForLine } from './lib/procs';
import { ratios } from './lib/stats';
import type { Section } from './lib/table';
import type { SubscriberArgs, SubscriberResult } from './workers/subscriber';

export interface EventSamples {
  bareOne: number[];
  bridgeOne: number[];
  bareFanout: number[];
  bridgeFanout: number[];
  ingest: number[];
  // Where events were lost in each bridge run (notes only).
  lossOne: string[];
  lossFanout: string[];
}

export function emptyEventSamples(): EventSamples {
  return { bareOne: [], bridgeOne: [], bareFanout: [], bridgeFanout: [], ingest: [], lossOne: [], lossFanout: [] };
}

const IDLE_MS = 1000;
// The largest queue a subscriber may ask for: a burst is then absorbed,
// not dropped, while the client catches up.
const QUEUE_LIMIT = 65_536;

// Starts `subscribers` subscriptions over `processes` worker processes.
async function subscribers(socket: string, total: number, processes: number, expected: number): Promise<ChildProcess[]> {
  const n = Math.min(total, processes);
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const share = Math.floor(total / n) + (i < total % n ? 1 : 0);
      const args: SubscriberArgs = { socket, subscribers: share, expected, queueLimit: QUEUE_LIMIT, idleMs: IDLE_MS, timeoutMs: 120_000 };
      return startWorker('subscriber', args, 20_000);
    }),
  );
}

async function results(workers: ChildProcess[]): Promise<SubscriberResult[]> {
  const all = await Promise.all(workers.map((w) => waitForLine(w, (l) => l.startsWith('['), 150_000, 'subscriber worker')));
  return all.flatMap((line) => JSON.parse(line) as SubscriberResult[]);
}

// The slowest subscriber's rate: "each" must hold for every one.
function slowest(r: SubscriberResult[]): number {
  return Math.min(...r.map((x) => x.eventsPerSec));
}

async function bare(c: BenchConfig, socket: string, total: number, processes: number, expected: number): Promise<number> {
  const server = await bareServer(socket, { eventsPerStream: expected, eventBytes: c.eventBytes });
  try {
    return slowest(await results(await subscribers(socket, total, processes, expected)));
  } finally {
    await stop(server.process);
  }
}

function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)}%`;
}

async function viaBridge(c: BenchConfig, b: Bridge, total: number, processes: number, count: number, losses: string[]): Promise<number> {
  const workers = await subscribers(b.socket, total, processes, count);
  await waitForSubscribers(b.client, total, 20_000);
  const before = Number((await counters(b.client)).lostSubscriber);
  const reply = await emit(b.client, count, c.eventBytes);
  const r = await results(workers);
  // The daemon drops the finished streams before the next run starts.
  await waitForSubscribers(b.client, 0, 20_000, 'at most');
  const queues = Number((await counters(b.client)).lostSubscriber) - before;
  losses.push(`kernel ${percent(Number(reply.lost), count)}, queues ${percent(queues, count * total)}`);
  return slowest(r);
}

// Ingest: the kernel reader, the ring and the filter, no delivery. The rate
// is events the daemon took in over the time until it stopped taking more.
async function ingest(c: BenchConfig, b: Bridge): Promise<number> {
  const stopWatch = new AbortController();
  const matchNothing = Buffer.from([0xff, 0xfe, 0xfd, 0xfc]);
  const items = b.client.subscribe({ topics: ['exec'], payloadPrefix: matchNothing, reconnect: false, signal: stopWatch.signal });
  const drained = (async () => {
    for await (const _ of items);
  })();
  await waitForSubscribers(b.client, 1, 20_000);
  const before = Number((await counters(b.client)).eventsFromKernel);
  const t0 = process.hrtime.bigint();
  const emitted = emit(b.client, c.events, c.eventBytes);
  let seen = before;
  let lastChange = t0;
  let done = false;
  void emitted.then(() => (done = true));
  let stable = 0;
  while (!done || stable < 3) {
    await sleep(20);
    const now = Number((await counters(b.client)).eventsFromKernel);
    if (now !== seen) {
      seen = now;
      lastChange = process.hrtime.bigint();
      stable = 0;
    } else stable++;
  }
  await emitted;
  stopWatch.abort();
  await drained;
  return (seen - before) / (Number(lastChange - t0) / 1e9);
}

export async function eventRound(c: BenchConfig, round: number, b: Bridge, dir: string, s: EventSamples): Promise<void> {
  const socket = (what: string): string => join(dir, `bare-${what}-${round}.sock`);
  const one = [async () => s.bareOne.push(await bare(c, socket('one'), 1, 1, c.events)), async () => s.bridgeOne.push(await viaBridge(c, b, 1, 1, c.events, s.lossOne))];
  const fan = [
    async () => s.bareFanout.push(await bare(c, socket('fan'), c.fanoutSubscribers, c.subscriberProcesses, c.fanoutEvents)),
    async () => s.bridgeFanout.push(await viaBridge(c, b, c.fanoutSubscribers, c.subscriberProcesses, c.fanoutEvents, s.lossFanout)),
  ];
  if (round % 2 === 1) {
    one.reverse();
    fan.reverse();
  }
  for (const step of [...one, ...fan]) await step();
  s.ingest.push(await ingest(c, b));
}

export function eventSection(c: BenchConfig, s: EventSamples): Section {
  const size = `${c.eventBytes} B`;
  const fan = c.fanoutSubscribers;
  const spread = `${fan} subscribers over ${Math.min(fan, c.subscriberProcesses)} client processes`;
  return {
    title: `events, ${size} payloads`,
    rows: [
      { name: 'bare grpc-js stream → 1 client', unit: 'ev/s', samples: s.bareOne, note: `pre-encoded EventBatch bytes (256 events a batch), ${c.events.toLocaleString('en-US')} events, decoded by the client library in 1 process` },
      {
        name: 'bridge emit → 1 client',
        unit: 'ev/s',
        samples: s.bridgeOne,
        ratio: { samples: ratios(s.bridgeOne, s.bareOne), to: 'bare' },
        goal: { on: 'value', op: '>=', limit: 1_000_000 },
        note: `kextsim emit flat out; lost per round: ${s.lossOne.join('; ')}`,
      },
      { name: `bare grpc-js stream → ${fan} subscribers (slowest)`, unit: 'ev/s', samples: s.bareFanout, note: `${spread}, ${c.fanoutEvents.toLocaleString('en-US')} events each` },
      {
        name: `bridge emit → ${fan} subscribers (slowest)`,
        unit: 'ev/s',
        samples: s.bridgeFanout,
        ratio: { samples: ratios(s.bridgeFanout, s.bareFanout), to: 'bare' },
        goal: { on: 'value', op: '>=', limit: 250_000 },
        note: `${spread}; lost per round: ${s.lossFanout.join('; ')}`,
      },
      { name: 'kernel → daemon ingest, no delivery', unit: 'ev/s', samples: s.ingest, note: 'one subscriber whose payload_prefix matches nothing keeps the topic wanted' },
    ],
  };
}
