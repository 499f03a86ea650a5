// What the export tests share: kextbridge-export started as user nobody
// against a stack and a NATS cluster, its cursor, the daemon's emit, and
// the stream read back whole and checked: every seq of every epoch stored
// exactly once, or inside a loss record.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AckPolicy, DeliverPolicy, type NatsConnection } from 'nats';
import { loadSchema } from '@kextbridge/protocol';

import { unary } from './daemon';
import { NOBODY, scratchDir } from './interop';
import { startNatsCluster, type NatsCluster, type NatsClusterOptions } from './nats-cluster';
import { EXAMPLE_PROTO, ROOT } from './paths';
import { startStack, type Stack } from './stack';
import { until } from './wait';

const example = loadSchema([EXAMPLE_PROTO]);
const EmitRequest = example.lookupType('kextbridge.example.v1.EmitRequest');

export interface ExportWorld {
  nats: NatsCluster;
  // kextsim and a daemon whose policy grants nobody the exec topic.
  stack: Stack;
  // A scratch directory nobody owns.
  work: string;
  // Stops what a test may have left running, then the rest.
  stop(left: { exporter?: ExporterRun | undefined; nc?: NatsConnection | undefined }): Promise<void>;
}

// daemonConfig: more of the daemon's config beside the policy.
export async function startExportWorld(natsNodes: number, natsOptions: NatsClusterOptions, prefix: string, daemonConfig: object = {}): Promise<ExportWorld> {
  const nats = await startNatsCluster(natsNodes, natsOptions);
  const stack = await startStack({ policy: { topics: { exec: { users: ['nobody'] } } }, ...daemonConfig });
  const work = scratchDir(prefix);
  chownSync(work, NOBODY, NOBODY);
  return {
    nats,
    stack,
    work,
    async stop(left) {
      left.exporter?.child.kill('SIGKILL');
      await left.nc?.close();
      await stack.stop();
      await nats.stop();
    },
  };
}

export interface ExporterRun {
  child: ChildProcess;
  // stdout and stderr as they come.
  log: () => string;
}

export interface ExporterSpec {
  stack: Stack;
  nats: NatsCluster;
  // A directory nobody may write: cursors, config files.
  work: string;
  stream: string;
  replicas: number;
  cursorName?: string;
  // Written to a config file the exporter reads, beside the flags.
  config?: Record<string, unknown>;
}

export function startExporter(s: ExporterSpec): ExporterRun {
  const cursorName = s.cursorName ?? 'cursor';
  const configFile = join(s.work, `${cursorName}.config.json`);
  writeFileSync(configFile, JSON.stringify(s.config ?? {}));
  const args = [join(ROOT, 'export/dist/main.js'), 'run', '--config', configFile, '--socket', s.stack.daemon.socket, ...s.nats.urls.flatMap((u) => ['--server', u]),
    '--stream', s.stream, '--replicas', String(s.replicas), '--topic', 'exec', '--topic', 'heartbeat', '--host', 'testhost', '--cursor', join(s.work, cursorName), '--proto', EXAMPLE_PROTO, '--max-in-flight', '256'];
  const child = spawn(process.execPath, args, { uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  return { child, log: () => log };
}

export function readCursor(work: string, name = 'cursor'): { epoch: string; seq: number; streamSeq?: number } | null {
  try {
    return JSON.parse(readFileSync(join(work, name), 'utf8')) as { epoch: string; seq: number; streamSeq?: number };
  } catch {
    return null;
  }
}

// kextsim emits `count` exec events at `rate` a second (the call returns
// when the last is emitted).
export async function emit(stack: Stack, count: number, rate: number): Promise<void> {
  const payload = Buffer.from(EmitRequest.encode({ topic: 1, count, size: 120, ratePerSec: rate }).finish());
  await unary(stack.client, 'Call', { command: { name: 'emit' }, payload }, 120_000);
}

export const epochOf = async (stack: Stack): Promise<string> => (await unary<{ epoch: string }>(stack.client, 'GetStatus', {})).epoch;
export const lastSeqOf = async (stack: Stack): Promise<number> => Number((await unary<{ counters: { lastSeq: string } }>(stack.client, 'GetStatus', {})).counters.lastSeq);

// Until the cursor holds the daemon's last seq of its current epoch.
export async function caughtUp(what: string, stack: Stack, work: string, exporterLog: () => string, cursorName = 'cursor'): Promise<void> {
  const epoch = await epochOf(stack);
  const last = await lastSeqOf(stack);
  await until(`${what}: the exporter's cursor reaches seq ${last} of epoch ${epoch}`, () => {
    const c = readCursor(work, cursorName);
    return c !== null && c.epoch === epoch && c.seq >= last;
  }, 60_000).catch((err: Error) => {
    throw new Error(`${err.message}; cursor ${JSON.stringify(readCursor(work, cursorName))}; exporter log:\n${exporterLog().slice(-3000)}`);
  });
}

export interface StoredMessage {
  subject: string;
  header: (key: string) => string;
  data: Uint8Array;
}

// Every message of the stream, in order, through a consumer of our own
// (a message get per seq takes a round trip each).
export async function readStream(nc: NatsConnection, stream: string): Promise<StoredMessage[]> {
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  const ci = await jsm.consumers.add(stream, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, mem_storage: true, inactive_threshold: 60_000_000_000 });
  const out: StoredMessage[] = [];
  try {
    const consumer = await js.consumers.get(stream, ci.name);
    let pending = ci.num_pending;
    while (pending > 0) {
      let got = 0;
      for await (const m of await consumer.fetch({ max_messages: Math.min(pending, 5000), expires: 5000 })) {
        const h = m.headers;
        out.push({ subject: m.subject, header: (k) => h?.get(k) ?? '', data: m.data });
        got++;
        pending = m.info.pending;
      }
      if (got === 0) throw new Error(`reading stream ${stream} back: nothing came with ${pending} pending`);
    }
  } finally {
    await jsm.consumers.delete(stream, ci.name).catch(() => undefined);
  }
  return out;
}

export interface LossRecord {
  epoch: string;
  count: number;
  first: number;
  last: number;
}

export interface StreamCheck {
  // By epoch: seq → how many times stored.
  seen: Map<string, Map<number, number>>;
  losses: LossRecord[];
  events: number;
}

// Asserts each seq 1..max of every epoch is stored exactly once or lies
// inside a loss record of its epoch (from its first stored seq on, for a
// stream begun while the daemon had already forgotten its first events).
// `each` sees every event message.
export function checkExactlyOnce(messages: StoredMessage[], host: string, o: { fromFirstStored?: boolean; each?: (m: StoredMessage) => void } = {}): StreamCheck {
  const seen = new Map<string, Map<number, number>>();
  const losses: LossRecord[] = [];
  let events = 0;
  for (const m of messages) {
    const epoch = m.header('Kb-Epoch');
    if (m.subject === `kextbridge.${host}._lost`) {
      losses.push({ epoch, count: Number(m.header('Kb-Lost-Count')), first: Number(m.header('Kb-Lost-First')), last: Number(m.header('Kb-Lost-Last')) });
      continue;
    }
    o.each?.(m);
    const seq = Number(m.header('Kb-Seq'));
    assert.equal(m.header('Nats-Msg-Id'), `${host}/${epoch}/${seq}`);
    const bySeq = seen.get(epoch) ?? new Map<number, number>();
    bySeq.set(seq, (bySeq.get(seq) ?? 0) + 1);
    seen.set(epoch, bySeq);
    events++;
  }
  for (const [epoch, bySeq] of seen) {
    const doubled = [...bySeq].filter(([, n]) => n > 1).map(([s]) => s);
    assert.deepEqual(doubled.slice(0, 20), [], `epoch ${epoch}: no seq stored twice (${doubled.length} were)`);
    const max = Math.max(...bySeq.keys());
    const min = o.fromFirstStored ? Math.min(...bySeq.keys()) : 1;
    const missing: number[] = [];
    for (let s = min; s <= max; s++) {
      if (bySeq.has(s)) continue;
      if (losses.some((l) => l.epoch === epoch && l.count > 0 && s >= l.first && s <= l.last)) continue;
      missing.push(s);
    }
    assert.deepEqual(missing.slice(0, 20), [], `epoch ${epoch}: every seq ${min}..${max} stored or in a loss record (${missing.length} missing)`);
  }
  return { seen, losses, events };
}
