// `npm run bench:export`: events a second from kextsim (offered at
// 100,000 a second) through the daemon and kextbridge-export into a
// JetStream stream of one node (R1) and of three (R3), each beside a bare publisher pushing the same bytes (same
// size, headers and message ids, the same in-flight window) into the same
// stream in the same run. Prints medians (min–max) of the rounds.
//   node dist/bench/export.js [--rounds N] [--events N]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, headers, nanos, StorageType } from 'nats';

import { startNatsCluster, type NatsCluster } from '../test/support/nats-cluster';
import { emit, startBridge, waitForSubscribers, type Bridge } from './lib/bridge';
import { killAll, track, stop } from './lib/procs';
import { ROOT } from './lib/paths';
import { ratios, spread } from './lib/stats';

const EVENT_BYTES = 200;
const IN_FLIGHT = 1024;
// The offered load: the target rate into R1.
const RATE = 100_000;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

async function bare(cluster: NatsCluster, stream: string, replicas: number, events: number): Promise<number> {
  const nc = await connect({ servers: cluster.urls });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [`bare.${stream}.>`], num_replicas: replicas, duplicate_window: nanos(120_000), storage: StorageType.File });
  const js = nc.jetstream({ timeout: 10_000 });
  const payload = new Uint8Array(EVENT_BYTES - 16);
  // The exporter's own way to keep a window: acks counted as they come,
  // a publish sent whenever the window has room.
  let sent = 0;
  let acked = 0;
  let failed: Error | null = null;
  let wake: (() => void) | null = null;
  const settled = (): void => {
    acked++;
    const w = wake;
    wake = null;
    w?.();
  };
  const t0 = process.hrtime.bigint();
  while (acked < events) {
    if (failed) throw failed;
    if (sent < events && sent - acked < IN_FLIGHT) {
      const seq = ++sent;
      const h = headers();
      for (const [k, v] of [['Kb-Host', 'bench'], ['Kb-Kext', 'org.kextbridge.example'], ['Kb-Epoch', '1'], ['Kb-Seq', String(seq)], ['Kb-Time-Ns', '1'], ['Kb-Topic', 'exec'], ['Kb-Type', 'kextbridge.example.v1.ExecEvent']]) h.set(k!, v!);
      js.publish(`bare.${stream}.exec`, payload, { msgID: `bench/1/${seq}`, headers: h }).then(settled, (e: Error) => (failed = e));
      // Yield now and then, as the exporter does between batches.
      if (seq % 1024 === 0) await new Promise((r) => setImmediate(r));
      continue;
    }
    await new Promise<void>((r) => (wake = r));
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await jsm.streams.delete(stream);
  await nc.close();
  return events / seconds;
}

async function exported(cluster: NatsCluster, bridge: Bridge, stream: string, replicas: number, events: number, dir: string): Promise<number> {
  const cursorFile = join(dir, `${stream}.cursor`);
  const child = track(process.execPath, [join(ROOT, 'export/dist/main.js'), 'run', '--socket', bridge.socket, ...cluster.urls.flatMap((u) => ['--server', u]), '--stream', stream, '--replicas', String(replicas), '--topic', 'exec', '--host', 'bench', '--cursor', cursorFile, '--max-in-flight', String(IN_FLIGHT), '--log-level', 'warn']);
  child.stdout!.resume();
  try {
    await waitForSubscribers(bridge.client, 1, 20_000);
    const first = Number((await bridge.client.status()).counters!.lastSeq) + 1;
    const t0 = process.hrtime.bigint();
    const reply = await emit(bridge.client, events, EVENT_BYTES, RATE);
    const last = first + Number(reply.emitted) - 1;
    const deadline = Date.now() + 120_000;
    for (;;) {
      let seq = 0;
      try {
        seq = (JSON.parse(readFileSync(cursorFile, 'utf8')) as { seq: number }).seq;
      } catch {
        seq = 0;
      }
      if (seq >= last) break;
      if (Date.now() > deadline) throw new Error(`the exporter's cursor stopped at ${seq} of ${last}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    // What the stream holds, not where the cursor is: a loss record moves
    // the cursor past events that were never stored.
    const nc = await connect({ servers: cluster.urls });
    const info = await (await nc.jetstreamManager()).streams.info(stream, { subjects_filter: '>' });
    await nc.close();
    const subjects = (info.state.subjects ?? {}) as Record<string, number>;
    const stored = subjects['kextbridge.bench.exec'] ?? 0;
    const lossRecords = subjects['kextbridge.bench._lost'] ?? 0;
    if (stored < Number(reply.emitted)) console.log(`  ${Number(reply.emitted) - stored} of ${reply.emitted} events not stored (told in ${lossRecords} loss records): the offered rate is past what the exporter sustains`);
    if (Number(reply.lost) > 0) console.log(`  (the kext could not queue ${reply.lost} of them)`);
    return stored / seconds;
  } finally {
    await stop(child, 'SIGTERM', 10_000);
    // Streams of one cluster cannot share subjects: the next round's is new.
    const nc = await connect({ servers: cluster.urls });
    await (await nc.jetstreamManager()).streams.delete(stream).catch(() => false);
    await nc.close();
  }
}

async function main(): Promise<void> {
  const rounds = flag('rounds', 3);
  const events = flag('events', 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'kb-bench-export-'));
  const results: string[] = [];
  try {
    for (const replicas of [1, 3]) {
      const cluster = await startNatsCluster(replicas);
      const bridge = await startBridge();
      const bareRates: number[] = [];
      const exportRates: number[] = [];
      try {
        for (let r = 0; r < rounds; r++) {
          console.log(`R${replicas} round ${r + 1}/${rounds}: bare publisher, then through the exporter (${events} events of ${EVENT_BYTES} B)`);
          bareRates.push(await bare(cluster, `BARE${r}`, replicas, events));
          exportRates.push(await exported(cluster, bridge, `KB${r}`, replicas, events, dir));
        }
      } finally {
        await bridge.stop();
        await cluster.stop();
      }
      const b = spread(bareRates);
      const e = spread(exportRates);
      const ratio = spread(ratios(exportRates, bareRates));
      results.push(
        `R${replicas}: bare publisher ${Math.round(b.median)} ev/s (${Math.round(b.min)}–${Math.round(b.max)}); kextsim → daemon → exporter ${Math.round(e.median)} ev/s (${Math.round(e.min)}–${Math.round(e.max)}), ${ratio.median.toFixed(2)}× bare (per round ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
      );
    }
  } finally {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  }
  for (const line of results) console.log(line);
}

main().catch((err: Error) => {
  console.error(`bench export: ${err.stack ?? err.message}`);
  killAll();
  process.exit(1);
});
