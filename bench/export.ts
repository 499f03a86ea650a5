// `npm run bench:export`: events a second from kextsim through the daemon
// and kextbridge-export into a JetStream stream of one node (R1) and of
// three (R3), each beside a bare publisher in this process that pushes the
// same messages (the exporter's envelope: subject, headers, ids, payload
// size) the same way (core publishes, acks to one inbox, the same window)
// at the same offered rate into the same cluster, in the same round.
// Both rates are what the stream holds over the time from the first event
// offered to the last one stored (the stream's own time of it; the
// exporter's cursor file is written only every 200 ms). Prints medians (min–max) of the rounds,
// and the CPU each side spent per event.
//   node dist/bench/export.js [--rounds N] [--events N] [--rate N]
//                             [--in-flight N] [--replicas 1,3]
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect, createInbox, nanos, StorageType, type MsgHdrs, type NatsConnection } from 'nats';

import { readPubAck, type PubAck } from 'kextbridge-export/internal/ack';
import { TopicEnvelope } from 'kextbridge-export/internal/envelope';
import { startNatsCluster, type NatsCluster } from '../test/support/nats-cluster';
import { cpuSeconds } from '../scripts/lib/processes';
import { emit, startBridge, waitForSubscribers, type Bridge } from './lib/bridge';
import { killAll, track, stop } from './lib/procs';
import { ROOT } from './lib/paths';
import { ratios, spread } from './lib/stats';

const HELP = `usage: npm run bench:export -- [--rounds N] [--events N] [--rate N] [--in-flight N] [--replicas LIST]

  --rounds N      rounds per stream, each a bare run then an exporter run (3)
  --events N      events per run (100000)
  --rate N        events offered a second, to both (100000; the issue's target)
  --in-flight N   publishes awaiting an ack at once, both sides (1024)
  --warmup N      events each side publishes, untimed, before its timed
                  run: the figures are a running exporter's, not a cold
                  start's (20000)
  --replicas L    the streams to measure, e.g. 1 or 1,3 (1,3)
  --before FILE   also run this exporter (an earlier build's export/dist/main.js)
                  in every round, and print it beside this one's
  --allocations   count the exporters' heap allocations per event instead
                  (V8's sampling heap profiler at a 1-byte interval, GC'd
                  objects included; it slows them, so no rates are printed;
                  with --profile the heap profiles are kept there)
  --profile DIR   write the exporter's and the daemon's CPU profiles there (node --cpu-prof;
                  read them with dist/bench/profile-summary.js)`;

// The exporter's payload is the kext's bytes; kextsim's emit of `size`
// gives payloads of this many.
const EVENT_BYTES = 200;
const KEXT = 'org.kextbridge.example';
const TOPIC = 'exec';
const TYPE = 'kextbridge.example.v1.ExecEvent';

interface Run {
  rate: number;
  // The publisher's CPU (the bench process, or the exporter), and that of
  // the rest of the path: the nats-server nodes, and for the exporter the
  // daemon too. µs per event.
  cpuUsPerEvent: number;
  othersUsPerEvent: number;
  // --allocations: the exporter's heap allocations per event.
  allocationsPerEvent: number;
}

// CPU seconds of these processes together.
const cpuOf = (pids: number[]): number => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);

interface Options {
  rounds: number;
  events: number;
  rate: number;
  inFlight: number;
  warmup: number;
  replicas: number[];
  profile: string | undefined;
  before: string | undefined;
  allocations: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: { rounds: { type: 'string' }, events: { type: 'string' }, rate: { type: 'string' }, 'in-flight': { type: 'string' }, warmup: { type: 'string' }, replicas: { type: 'string' }, profile: { type: 'string' }, before: { type: 'string' }, allocations: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const int = (name: string, v: string | undefined, fallback: number, min: number): number => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} ${v}: an integer ≥ ${min}`);
    return n;
  };
  const replicas = (values.replicas ?? '1,3').split(',').map((r) => int('replicas', r, 1, 1));
  return { rounds: int('rounds', values.rounds, 3, 1), events: int('events', values.events, 100_000, 1), rate: int('rate', values.rate, 100_000, 1), inFlight: int('in-flight', values['in-flight'], 1024, 1), warmup: int('warmup', values.warmup, 20_000, 0), replicas, profile: values.profile, before: values.before, allocations: values.allocations ?? false };
}

async function addStream(nc: NatsConnection, name: string, subjects: string[], replicas: number): Promise<void> {
  await (await nc.jetstreamManager({ timeout: 30_000 })).streams.add({ name, subjects, num_replicas: replicas, duplicate_window: nanos(120_000), storage: StorageType.File });
}

async function deleteStream(cluster: NatsCluster, name: string): Promise<void> {
  const nc = await connect({ servers: cluster.urls });
  await (await nc.jetstreamManager({ timeout: 30_000 })).streams.delete(name).catch(() => false);
  await nc.close();
}

// The bare publisher: the exporter's messages, made and published as the
// exporter makes and publishes them, with no daemon and no gRPC.
async function bare(cluster: NatsCluster, stream: string, replicas: number, o: Options): Promise<Run> {
  const host = `bare${stream}`;
  const nc = await connect({ servers: cluster.urls });
  await addStream(nc, stream, [`kextbridge.${host}.>`], replicas);
  const envelope = new TopicEnvelope({ host, kext: KEXT }, '1', TOPIC, TYPE);
  const payload = new Uint8Array(EVENT_BYTES);
  const inbox = createInbox();
  let acked = 0;
  let failed = '';
  let wake: (() => void) | null = null;
  const ack: PubAck = { outcome: 'failed', seq: -1 };
  nc.subscribe(`${inbox}.*`, {
    callback: (_err, msg) => {
      // The exporter's own reading of the ack.
      if (msg.headers?.hasError || readPubAck(msg.data, ack).outcome === 'failed') failed ||= `a publish failed: ${msg.headers?.description ?? Buffer.from(msg.data).toString()}`;
      acked++;
      const w = wake;
      wake = null;
      w?.();
    },
  });
  let sent = 0;
  // As the exporter: one options object for every publish.
  const options: { reply: string; headers: MsgHdrs | undefined } = { reply: '', headers: undefined };
  // Publishes seqs sent+1..sent+count at the offered rate; resolves once
  // all are acknowledged.
  const paced = async (count: number): Promise<void> => {
    const t0 = performance.now();
    const first = sent;
    const end = sent + count;
    while (acked < end) {
      if (failed) throw new Error(failed);
      const due = Math.min(end, first + Math.floor(((performance.now() - t0) / 1000) * o.rate) + 1);
      while (sent < due && sent - acked < o.inFlight) {
        const seq = ++sent;
        const m = envelope.event(String(seq), String(seq), payload);
        options.reply = `${inbox}.${seq}`;
        options.headers = m.headers;
        nc.publish(m.subject, m.data, options);
      }
      // The next tick of the offered rate, or room in the window.
      await new Promise<void>((r) => {
        const t = setTimeout(() => ((wake = null), r()), sent < due ? 100 : 1);
        wake = () => (clearTimeout(t), r());
      });
    }
  };
  await paced(o.warmup);
  const cpu0 = process.cpuUsage();
  const others0 = cpuOf(cluster.pids());
  const t0 = Date.now();
  await paced(o.events);
  const cpu = process.cpuUsage(cpu0);
  const others = cpuOf(cluster.pids()) - others0;
  const state = (await (await nc.jetstreamManager({ timeout: 30_000 })).streams.info(stream)).state;
  const stored = state.messages - o.warmup;
  const seconds = (Date.parse(state.last_ts) - t0) / 1000;
  await nc.close();
  await deleteStream(cluster, stream);
  if (stored !== o.events) throw new Error(`bare publisher: the stream holds ${stored} of ${o.events}`);
  return { rate: stored / seconds, cpuUsPerEvent: (cpu.user + cpu.system) / o.events, othersUsPerEvent: (others * 1e6) / o.events, allocationsPerEvent: NaN };
}

// Events and loss records the exporter's stream holds, and when the
// last message was stored (JetStream's clock: this machine's).
async function storedCounts(cluster: NatsCluster, stream: string): Promise<{ events: number; lossRecords: number; lastMs: number }> {
  const nc = await connect({ servers: cluster.urls });
  const info = await (await nc.jetstreamManager({ timeout: 30_000 })).streams.info(stream, { subjects_filter: '>' });
  await nc.close();
  const subjects = (info.state.subjects ?? {}) as Record<string, number>;
  return { events: subjects[`kextbridge.bench.${TOPIC}`] ?? 0, lossRecords: subjects['kextbridge.bench._lost'] ?? 0, lastMs: Date.parse(info.state.last_ts) };
}

async function exported(main: string, cluster: NatsCluster, bridge: Bridge, stream: string, replicas: number, o: Options, dir: string): Promise<Run> {
  const cursorFile = join(dir, `${stream}.cursor`);
  const profile = o.profile ? ['--cpu-prof', `--cpu-prof-dir=${o.profile}`] : [];
  const allocationsFile = join(o.profile ?? dir, `${stream}.allocations`);
  const sampler = o.allocations ? ['-r', join(__dirname, 'lib/allocation-sampler.js')] : [];
  const env = o.allocations ? { ...process.env, KB_ALLOCATIONS_OUT: allocationsFile } : undefined;
  const child = track(process.execPath, [...profile, ...sampler, main, 'run', '--socket', bridge.socket, ...cluster.urls.flatMap((u) => ['--server', u]), '--stream', stream, '--replicas', String(replicas), '--topic', TOPIC, '--host', 'bench', '--cursor', cursorFile, '--max-in-flight', String(o.inFlight), '--log-level', 'warn'], env);
  child.stdout!.resume();
  // --allocations: the sampler's answer to a SIGUSR2, once written.
  const signalled = async (file: string): Promise<string> => {
    child.kill('SIGUSR2');
    const deadline = Date.now() + 30_000;
    while (!existsSync(file)) {
      if (Date.now() > deadline) throw new Error(`the allocation sampler did not write ${file}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return readFileSync(file, 'utf8');
  };
  try {
    await waitForSubscribers(bridge.client, 1, 20_000);
    const lastSeq = async (): Promise<number> => Number((await bridge.client.status()).counters!.lastSeq);
    // Resolves once the exporter's cursor is at seq.
    const stored = async (seq: number): Promise<void> => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        let at = 0;
        try {
          at = (JSON.parse(readFileSync(cursorFile, 'utf8')) as { seq: number }).seq;
        } catch {
          at = 0;
        }
        if (at >= seq) return;
        if (Date.now() > deadline) throw new Error(`the exporter's cursor stopped at ${at} of ${seq}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    if (o.warmup > 0) {
      await emit(bridge.client, o.warmup, EVENT_BYTES, o.rate);
      await stored(await lastSeq());
    }
    const before = await storedCounts(cluster, stream);
    const first = (await lastSeq()) + 1;
    const cpu0 = cpuSeconds(child.pid!);
    const othersPids = [...cluster.pids(), bridge.daemon.pid!];
    const others0 = cpuOf(othersPids);
    if (o.allocations) await signalled(`${allocationsFile}.started`);
    const t0 = Date.now();
    const reply = await emit(bridge.client, o.events, EVENT_BYTES, o.rate);
    await stored(first + Number(reply.emitted) - 1);
    const cpu = cpuSeconds(child.pid!) - cpu0;
    const allocationsPerEvent = o.allocations ? Number(await signalled(allocationsFile)) / Number(reply.emitted) : NaN;
    const others = cpuOf(othersPids) - others0;
    // What the stream holds, not where the cursor is: a loss record moves
    // the cursor past events that were never stored.
    const after = await storedCounts(cluster, stream);
    const events = after.events - before.events;
    const lossRecords = after.lossRecords - before.lossRecords;
    const seconds = (after.lastMs - t0) / 1000;
    if (events < Number(reply.emitted)) console.log(`  ${main}: ${Number(reply.emitted) - events} of ${reply.emitted} events not stored (told in ${lossRecords} loss records): the offered rate is past what the exporter sustains`);
    if (Number(reply.lost) > 0) console.log(`  (the kext could not queue ${reply.lost} of them)`);
    return { rate: events / seconds, cpuUsPerEvent: (cpu * 1e6) / Number(reply.emitted), othersUsPerEvent: (others * 1e6) / Number(reply.emitted), allocationsPerEvent };
  } finally {
    await stop(child, 'SIGTERM', 10_000);
    // Streams of one cluster cannot share subjects: the next round's is new.
    await deleteStream(cluster, stream);
  }
}

function figure(runs: Run[], others: string): string {
  const r = spread(runs.map((x) => x.rate));
  const c = spread(runs.map((x) => x.cpuUsPerEvent));
  const n = spread(runs.map((x) => x.othersUsPerEvent));
  return `${Math.round(r.median)} ev/s (${Math.round(r.min)}–${Math.round(r.max)}), CPU per event ${c.median.toFixed(1)} µs, ${others} ${n.median.toFixed(1)} µs`;
}

async function main(): Promise<void> {
  const o = options();
  const dir = mkdtempSync(join(tmpdir(), 'kb-bench-export-'));
  const results: string[] = [];
  try {
    for (const replicas of o.replicas) {
      const cluster = await startNatsCluster(replicas);
      const bridge = await startBridge({ cpuProfDir: o.profile });
      const bareRuns: Run[] = [];
      const exportRuns: Run[] = [];
      const beforeRuns: Run[] = [];
      try {
        for (let r = 0; r < o.rounds; r++) {
          const what = o.allocations ? "kextsim → daemon → exporter, counting the exporter's heap allocations" : 'bare publisher then kextsim → daemon → exporter';
          console.log(`R${replicas} round ${r + 1}/${o.rounds}: ${o.events} events of ${EVENT_BYTES} B offered at ${o.rate}/s, ${what}${o.before ? ' (the --before one, then this one)' : ''}`);
          if (!o.allocations) bareRuns.push(await bare(cluster, `BARE${r}`, replicas, o));
          if (o.before) beforeRuns.push(await exported(o.before, cluster, bridge, `KBBEFORE${r}`, replicas, o, dir));
          exportRuns.push(await exported(join(ROOT, 'export/dist/main.js'), cluster, bridge, `KB${r}`, replicas, o, dir));
        }
      } finally {
        await bridge.stop();
        await cluster.stop();
      }
      const vsBare = (runs: Run[]): string => {
        const ratio = spread(ratios(runs.map((x) => x.rate), bareRuns.map((x) => x.rate)));
        return `${ratio.median.toFixed(2)}× bare (per round ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;
      };
      if (o.allocations) {
        const per = (runs: Run[]): string => {
          const a = spread(runs.map((x) => x.allocationsPerEvent));
          return `${a.median.toFixed(1)} (${a.min.toFixed(1)}–${a.max.toFixed(1)})`;
        };
        if (o.before) results.push(`R${replicas}: exporter --before: ${per(beforeRuns)} heap allocations per event`);
        results.push(`R${replicas}: exporter: ${per(exportRuns)} heap allocations per event`);
        continue;
      }
      results.push(`R${replicas}: bare publisher ${figure(bareRuns, 'nats-server')}`);
      if (o.before) results.push(`R${replicas}: exporter --before ${figure(beforeRuns, 'nats-server + daemon')}; ${vsBare(beforeRuns)}`);
      results.push(`R${replicas}: exporter ${figure(exportRuns, 'nats-server + daemon')}; ${vsBare(exportRuns)}`);
    }
  } finally {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`offered ${o.rate} ev/s, ${o.events} events, window ${o.inFlight}, ${o.rounds} rounds:`);
  for (const line of results) console.log(line);
}

main().catch((err: Error) => {
  console.error(`bench export: ${err.stack ?? err.message}`);
  killAll();
  process.exit(1);
});
