// The daemon's event path in one process, without sockets: datagrams of
// EVENT frames go through the real kernel link (a fake channel in front),
// the kernel session, the event hub with its ring, and each subscriber's
// Subscribe encoding, to sinks that take every write. It prints, for 1 and
// for 8 subscribers, the time and the heap allocations per event, and the
// time as a ratio to a bare baseline measured in the same process: copying
// each datagram's bytes once (the least any path that keeps events must do).
//
// Allocations are counted with V8's sampling heap profiler at a 1-byte
// interval with objects collected by minor and major GCs included: every
// allocation of the measured stretch is one sample.
//
//   npm run bench:event-path [-- --events N --per-datagram N --bytes N --rounds N]
import { Session } from 'node:inspector';
import { parseArgs } from 'node:util';

import { eventBatch } from 'kextbridged/internal/bridge/batch-encoding';
import type { OutItem } from 'kextbridged/internal/core/chunk';
import { KernelSession } from 'kextbridged/internal/core/session';
import type { SinkFlow } from 'kextbridged/internal/core/subscription';
import { createLogger } from 'kextbridged/internal/log';
import { eventDatagram } from '../test/support/event-frames';
import { readyLink } from '../test/support/fake-kext';
import { quantile } from './lib/stats';

const median = (xs: readonly number[]): number => quantile(xs, 0.5);

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '2000000' },
    'per-datagram': { type: 'string', default: '256' },
    bytes: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '5' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log('usage: npm run bench:event-path -- [--events N] [--per-datagram N] [--bytes N] [--rounds N]');
  process.exit(0);
}
const EVENTS = Number(values.events);
const PER = Number(values['per-datagram']);
const BYTES = Number(values.bytes);
const ROUNDS = Number(values.rounds);
// Datagrams per reader wake (the addon hands up to 256 per wake).
const PER_WAKE = 16;
// A monotonic-clock time_ns of a machine up for a few days: a 7-byte varint.
const TIME_NS = 300_000_000_000_000n;

// Datagrams whose kernel seqs run on from `first`.
function datagrams(first: number, count: number): Buffer[] {
  const payload = Buffer.alloc(BYTES, 0x61);
  const out: Buffer[] = [];
  for (let d = 0; d < count; d++) {
    const base = first + d * PER;
    const { datagram } = eventDatagram(Array.from({ length: PER }, (_, i) => ({ seq: base + i, topic: 1, payload, timeNs: TIME_NS + BigInt(base + i) })));
    out.push(datagram);
  }
  return out;
}

interface Pipeline {
  feed(d: Buffer): void;
  written(): number;
}

function pipeline(subscribers: number): Pipeline {
  const { link, channel } = readyLink();
  const session = new KernelSession(link, {
    limits: { maxInflight: 8, maxQueued: 8, defaultDeadlineMs: 1000, ringEvents: 65_536, ringBytes: 64 << 20 },
    log: createLogger({ level: 'silent' }),
  });
  session.events.linkReady();
  let bytes = 0;
  for (let i = 0; i < subscribers; i++) {
    let flow: SinkFlow | null = null;
    session.events.add({
      uid: 0,
      pid: 1,
      topics: new Set([1]),
      overflow: 'OVERFLOW_POLICY_DROP_OLDEST',
      limit: 1 << 20,
      byteLimit: 1 << 30,
      maxBatch: 1024,
      sinceSeq: 0,
      sink: {
        start: (_epoch: string, f: SinkFlow) => {
          flow = f;
        },
        // A transport that takes every batch at once.
        write: (items: readonly OutItem[], n: number) => {
          bytes += eventBatch(items).length;
          flow!.sent(n);
          return true;
        },
        fail: () => {},
      },
    });
  }
  return { feed: (d) => channel.emit('message', d), written: () => bytes };
}

// Seqs must keep growing across rounds (the hub counts a step back as a
// new kernel connection would not): each pass gets fresh datagrams.
let nextSeq = 1;

async function pass(p: Pipeline, grams: Buffer[]): Promise<void> {
  for (let i = 0; i < grams.length; i++) {
    p.feed(grams[i]!);
    // One reader wake ends: the session releases the hub's hold.
    if (i % PER_WAKE === PER_WAKE - 1) await Promise.resolve();
  }
  await Promise.resolve();
}

function fresh(count: number): Buffer[] {
  const g = datagrams(nextSeq, count);
  nextSeq += count * PER;
  return g;
}

async function timeBridge(p: Pipeline, count: number): Promise<number> {
  const grams = fresh(count);
  const t0 = process.hrtime.bigint();
  await pass(p, grams);
  return Number(process.hrtime.bigint() - t0) / (count * PER);
}

function timeBare(count: number): number {
  const grams = datagrams(1, count);
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (const g of grams) sink += Buffer.from(g).length;
  const ns = Number(process.hrtime.bigint() - t0) / (count * PER);
  if (sink === 0) throw new Error('nothing copied');
  return ns;
}

function post<T>(s: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => s.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

// Heap allocations per event over one pass, every one sampled.
async function allocations(p: Pipeline, count: number): Promise<number> {
  const grams = fresh(count);
  const s = new Session();
  s.connect();
  await post(s, 'HeapProfiler.enable');
  await post(s, 'HeapProfiler.startSampling', { samplingInterval: 1, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await pass(p, grams);
  const { profile } = await post<{ profile: { samples: unknown[] } }>(s, 'HeapProfiler.stopSampling');
  s.disconnect();
  return profile.samples.length / (count * PER);
}

async function main(): Promise<void> {
  const count = Math.max(PER_WAKE, Math.round(EVENTS / PER));
  console.log(`event path in process: ${count} datagrams of ${PER} events of ${BYTES} B, ${PER_WAKE} datagrams a wake, ${ROUNDS} rounds; medians (min–max)`);
  for (const subs of [1, 8]) {
    const p = pipeline(subs);
    await timeBridge(p, Math.min(count, 200)); // warm-up: JIT
    const ns: number[] = [];
    const ratio: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const bare = timeBare(count);
      const bridge = await timeBridge(p, count);
      ns.push(bridge);
      ratio.push(bridge / bare);
    }
    const allocs = await allocations(p, Math.min(count, 400));
    const fmt = (xs: number[], d: number): string => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;
    console.log(`  ${subs} subscriber${subs > 1 ? 's' : ''}: ${fmt(ns, 0)} ns/event, ${fmt(ratio, 1)}× a bare copy, ${allocs.toFixed(3)} heap allocations/event; ${(p.written() / 1e6).toFixed(0)} MB encoded`);
  }
}

void main();
