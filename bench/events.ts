// Events: kextsim `emit` flat out through the daemon to subscribers that
// decode every event with the client library, against a bare grpc-js
// server streaming the same pre-encoded EventBatch bytes to the same
// client code; and the daemon's ingest alone (a subscriber whose filter
// matches nothing keeps the topic wanted while nothing is delivered).
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { bareServer } from './lib/bare';
import { counters, emit, sleep, waitForSubscribers, type Bridge } from './lib/bridge';
import { EVENT_BATCH, type BenchConfig } from './lib/config';
import { startWorker, stop, waitForLine } from './lib/procs';
import { cpuSeconds } from '../scripts/lib/processes';
import { progress } from './lib/progress';
import { ratios } from './lib/stats';
import type { Section } from './lib/table';
import type { SubscriberArgs, SubscriberResult } from './workers/subscriber';

export interface EventSamples {
  bareOne: number[];
  bridgeOne: number[];
  bareFanout: number[];
  bridgeFanout: number[];
  ingest: number[];
  // The same with kextsim paced at the goal rate instead of flat out.
  pacedOne: number[];
  pacedFanout: number[];
  // Where events were lost in each bridge run (notes only).
  lossOne: string[];
  lossFanout: string[];
  lossPacedOne: string[];
  lossPacedFanout: string[];
  // Daemon CPU per event taken (µs) in the paced runs.
  cpuPacedOne: number[];
  cpuPacedFanout: number[];
  // Runs whose counts did not add up.
  unbalanced: number;
}

export function emptyEventSamples(): EventSamples {
  return { bareOne: [], bridgeOne: [], bareFanout: [], bridgeFanout: [], ingest: [], pacedOne: [], pacedFanout: [], lossOne: [], lossFanout: [], lossPacedOne: [], lossPacedFanout: [], cpuPacedOne: [], cpuPacedFanout: [], unbalanced: 0 };
}

const IDLE_MS = 1000;
// Events per emit call while flooding (the kext allows 10 M).
const EMIT_CHUNK = 2_000_000;
// Deep enough to ride out a GC pause or scheduling hiccup of the client
// (32 ms at a million events a second), shallow
// enough that what is queued when a flood ends drains in a moment (a
// client slower than the flood is fed at its own pace, the excess dropped
// and told as Lost, whatever the depth).
const QUEUE_LIMIT = 32_768;

// Starts `subscribers` subscriptions over `processes` worker processes.
async function subscribers(c: BenchConfig, socket: string, total: number, processes: number, expected: number): Promise<ChildProcess[]> {
  const n = Math.min(total, processes);
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const share = Math.floor(total / n) + (i < total % n ? 1 : 0);
      const args: SubscriberArgs = { socket, subscribers: share, expected, queueLimit: QUEUE_LIMIT, maxBatch: EVENT_BATCH, decode: c.decode, idleMs: IDLE_MS, timeoutMs: c.floodMs + 60_000 };
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
  progress(`  bare stream → ${total}`);
  const server = await bareServer(socket, { eventsPerStream: expected, eventBytes: c.eventBytes });
  try {
    return slowest(await results(await subscribers(c, socket, total, processes, expected)));
  } finally {
    await stop(server.process);
  }
}

function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)}%`;
}

// The goals, as offered loads for the paced runs.
export const GOAL_ONE = 1_000_000;
const GOAL_EACH = 250_000;

// kextsim `emit` flat out, chunk after chunk, for floodMs: a sustained
// flood, so that what is measured is the pipeline's steady rate, not how
// much of one short burst the socket buffers absorb. The kext outruns any
// reader many times over (about 12 M events/s here), so most of what it
// emits it counts as lost: that is the kernel side's design, not a fault.
// With ratePerSec, one emit paced at that rate for floodMs instead: the
// goal as an offered load, leaving the CPU flat-out emitting would take to
// the daemon and the clients, as a real kext's event source would.
async function flood(c: BenchConfig, b: Bridge, ratePerSec = 0): Promise<{ emitted: number; lost: number }> {
  if (ratePerSec > 0) {
    const r = await emit(b.client, Math.round((ratePerSec * c.floodMs) / 1000), c.eventBytes, ratePerSec);
    return { emitted: Number(r.emitted), lost: Number(r.lost) };
  }
  const until = Date.now() + c.floodMs;
  let emitted = 0;
  let lost = 0;
  while (Date.now() < until) {
    const r = await emit(b.client, EMIT_CHUNK, c.eventBytes);
    emitted += Number(r.emitted);
    lost += Number(r.lost);
  }
  return { emitted, lost };
}


export interface BridgeRun {
  // The slowest subscriber's rate.
  rate: number;
  // Daemon CPU per event taken from the kernel, µs.
  cpuUs: number;
  // Every event given to a subscriber is delivered, lost or abandoned.
  balanced: boolean;
}

export async function viaBridge(c: BenchConfig, b: Bridge, total: number, processes: number, losses: string[], ratePerSec = 0): Promise<BridgeRun> {
  progress(`  bridge emit${ratePerSec ? ` at ${ratePerSec.toLocaleString('en-US')}/s` : ''} → ${total}`);
  const workers = await subscribers(c, b.socket, total, processes, Number.MAX_SAFE_INTEGER);
  await waitForSubscribers(b.client, total, 20_000);
  const before = await counters(b.client);
  const cpu0 = cpuSeconds(b.daemon.pid!);
  const sent = await flood(c, b, ratePerSec);
  const cpu1 = cpuSeconds(b.daemon.pid!);
  const r = await results(workers);
  // The daemon drops the finished streams before the next run starts.
  await waitForSubscribers(b.client, 0, 20_000, 'at most');
  const after = await counters(b.client);
  const delta = (k: 'eventsFromKernel' | 'lostSubscriber' | 'eventsDelivered' | 'eventsAbandoned'): number => Number(after[k]) - Number(before[k]);
  const taken = delta('eventsFromKernel');
  const queues = delta('lostSubscriber');
  const given = taken * total;
  const accounted = delta('eventsDelivered') + queues + delta('eventsAbandoned');
  const balanced = given === accounted;
  losses.push(`kernel ${percent(sent.lost, sent.emitted + sent.lost)}, subscriber queues ${percent(queues, given)}${balanced ? '' : `, UNBALANCED: ${given} given, ${accounted} accounted`}`);
  return { rate: slowest(r), cpuUs: ((cpu1 - cpu0) / taken) * 1e6, balanced };
}

// Ingest: the kernel reader, the ring and the filter, no delivery: events
// the daemon took in during a flood, over the flood's duration.
async function ingest(c: BenchConfig, b: Bridge): Promise<number> {
  progress('  ingest');
  const stopWatch = new AbortController();
  const matchNothing = Buffer.from([0xff, 0xfe, 0xfd, 0xfc]);
  const items = b.client.subscribe({ topics: ['exec'], payloadPrefix: matchNothing, reconnect: false, signal: stopWatch.signal });
  const drained = (async () => {
    for await (const _ of items);
  })();
  await waitForSubscribers(b.client, 1, 20_000);
  const before = Number((await counters(b.client)).eventsFromKernel);
  const t0 = process.hrtime.bigint();
  await flood(c, b);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // What was still in the socket buffers when emit answered is read by now.
  await sleep(100);
  const taken = Number((await counters(b.client)).eventsFromKernel) - before;
  stopWatch.abort();
  await drained;
  return taken / seconds;
}

export async function eventRound(c: BenchConfig, round: number, b: Bridge, dir: string, s: EventSamples): Promise<void> {
  const socket = (what: string): string => join(dir, `bare-${what}-${round}.sock`);
  const run = (r: BridgeRun, rates: number[], cpu?: number[]): void => {
    rates.push(r.rate);
    cpu?.push(r.cpuUs);
    if (!r.balanced) s.unbalanced++;
  };
  const one = [async () => s.bareOne.push(await bare(c, socket('one'), 1, 1, c.events)), async () => run(await viaBridge(c, b, 1, 1, s.lossOne), s.bridgeOne)];
  const fan = [
    async () => s.bareFanout.push(await bare(c, socket('fan'), c.fanoutSubscribers, c.subscriberProcesses, c.fanoutEvents)),
    async () => run(await viaBridge(c, b, c.fanoutSubscribers, c.subscriberProcesses, s.lossFanout), s.bridgeFanout),
  ];
  if (round % 2 === 1) {
    one.reverse();
    fan.reverse();
  }
  for (const step of [...one, ...fan]) await step();
  run(await viaBridge(c, b, 1, 1, s.lossPacedOne, GOAL_ONE), s.pacedOne, s.cpuPacedOne);
  run(await viaBridge(c, b, c.fanoutSubscribers, c.subscriberProcesses, s.lossPacedFanout, GOAL_EACH), s.pacedFanout, s.cpuPacedFanout);
  s.ingest.push(await ingest(c, b));
}

export function eventSection(c: BenchConfig, s: EventSamples): Section {
  const size = `${c.eventBytes} B`;
  const fan = c.fanoutSubscribers;
  const spread = `${fan} subscribers over ${Math.min(fan, c.subscriberProcesses)} client processes`;
  return {
    title: `events, ${size} payloads`,
    rows: [
      { name: 'bare grpc-js stream → 1 client', unit: 'ev/s', samples: s.bareOne, note: `pre-encoded EventBatch bytes (${EVENT_BATCH} events a batch), ${c.events.toLocaleString('en-US')} events, decoded by the client library (${c.decode === 'number' ? 'subscribeNumeric' : 'subscribeBatches'}) in 1 process` },
      {
        name: 'bridge emit → 1 client',
        unit: 'ev/s',
        samples: s.bridgeOne,
        ratio: { samples: ratios(s.bridgeOne, s.bareOne), to: 'bare' },
        goal: { on: 'value', op: '>=', limit: 1_000_000 },
        note: `kextsim emit flat out for ${c.floodMs} ms; lost per round: ${s.lossOne.join('; ')}`,
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
      {
        name: `bridge emit paced at ${GOAL_ONE.toLocaleString('en-US')}/s → 1 client`,
        unit: 'ev/s',
        samples: s.pacedOne,
        ratio: { samples: ratios(s.pacedOne, s.bareOne), to: 'bare' },
        goal: { on: 'value', op: '>=', limit: GOAL_ONE },
        note: `the goal as an offered load for ${c.floodMs} ms; lost per round: ${s.lossPacedOne.join('; ')}`,
      },
      {
        name: `bridge emit paced at ${GOAL_EACH.toLocaleString('en-US')}/s → ${fan} subscribers (slowest)`,
        unit: 'ev/s',
        samples: s.pacedFanout,
        ratio: { samples: ratios(s.pacedFanout, s.bareFanout), to: 'bare' },
        goal: { on: 'value', op: '>=', limit: GOAL_EACH },
        note: `${spread}; lost per round: ${s.lossPacedFanout.join('; ')}`,
      },
      { name: 'kernel → daemon ingest, no delivery', unit: 'ev/s', samples: s.ingest, note: `kextsim emit flat out for ${c.floodMs} ms; one subscriber whose payload_prefix matches nothing keeps the topic wanted` },
      {
        name: `daemon CPU per event, paced → 1 client`,
        unit: 'µs',
        samples: s.cpuPacedOne,
        goal: { on: 'value', op: '<=', limit: 0.5 },
        note: `user + system time of the daemon process (/proc) while kextsim emits, over the events it took in; heap allocations per event: npm run bench:event-path`,
      },
      { name: `daemon CPU per event, paced → ${fan} subscribers`, unit: 'µs', samples: s.cpuPacedFanout, note: 'as above' },
    ],
  };
}
