// kextbridge-export against a real 3-node JetStream cluster, a real
// daemon on kextsim, and the exporter running as user nobody (a plain
// client the policy grants the exec topic) exporting exec and heartbeat,
// so every seq of the daemon is the exporter's. Faults mid-stream, in turn:
// kill -9 the exporter and start it again; restart the daemon (a new
// epoch); kill one NATS node and bring it back; stop every node for a few
// seconds and start them again. At the end every seq of every epoch is in
// the stream exactly once, or inside a loss record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { loadSchema } from '@kextbridge/protocol';

import { bridgeClient, startDaemon, unary } from '../support/daemon';
import { caughtUp as caughtUpIn, checkExactlyOnce, emit as emitIn, epochOf as epochIn, lastSeqOf, readCursor, readStream, startExporter as startIn, startExportWorld, type ExporterRun, type ExportWorld } from '../support/export-harness';
import type { NatsCluster } from '../support/nats-cluster';
import { EXAMPLE_PROTO, ROOT } from '../support/paths';
import type { Stack } from '../support/stack';
import { until } from '../support/wait';

const STREAM = 'KBTEST';
const example = loadSchema([EXAMPLE_PROTO]);
const ExecEvent = example.lookupType('kextbridge.example.v1.ExecEvent');

let nats: NatsCluster;
let stack: Stack;
let work: string;
let exporter: ExporterRun | undefined;
let nc: NatsConnection;

let world: ExportWorld | undefined;

before(async () => {
  world = await startExportWorld(3, {}, 'kb-export-');
  ({ nats, stack, work } = world);
});

after(async () => {
  await world?.stop({ exporter, nc });
});

function startExporter(stream = STREAM, cursorName = 'cursor'): ExporterRun {
  exporter = startIn({ stack, nats, work, stream, replicas: 3, cursorName });
  return exporter;
}

const exporterLog = (): string => exporter?.log() ?? '';
const cursor = (name = 'cursor'): { epoch: string; seq: number } | null => readCursor(work, name);
const emit = (count: number, rate: number): Promise<void> => emitIn(stack, count, rate);
const epochOf = (): Promise<string> => epochIn(stack);
const lastSeq = (): Promise<number> => lastSeqOf(stack);
const caughtUp = (what: string): Promise<void> => caughtUpIn(what, stack, work, exporterLog);

test('every event exactly once or inside a loss record, through an exporter killed, a daemon restarted, a NATS node lost and the whole cluster stopped', async () => {
  startExporter();
  await emit(2000, 4000);
  await caughtUp('first run');

  // kill -9 mid-stream, then start again from the saved cursor.
  const flow = emit(3000, 3000);
  await new Promise((r) => setTimeout(r, 400));
  exporter!.child.kill('SIGKILL');
  await flow;
  startExporter();
  await caughtUp('after kill -9');

  // The daemon restarts mid-stream: a new epoch.
  const firstEpoch = await epochOf();
  const flow2 = emit(2000, 2000);
  await new Promise((r) => setTimeout(r, 300));
  const socket = stack.daemon.socket;
  await stack.daemon.stop();
  stack.daemon = await startDaemon(stack.sim.socket, ['--config', stack.configFile], { socket });
  stack.client.close();
  stack.client = bridgeClient(socket);
  await flow2.catch(() => undefined);
  await emit(1000, 4000);
  assert.notEqual(await epochOf(), firstEpoch, 'a new epoch');
  await caughtUp('after the daemon restart');

  // One node of the R3 stream dies mid-stream; the stream keeps taking.
  const flow3 = emit(3000, 3000);
  await new Promise((r) => setTimeout(r, 300));
  await nats.kill(1);
  await flow3;
  await caughtUp('with one node down');
  await nats.start(1);

  // Every node stopped for a few seconds.
  const flow4 = emit(3000, 2000);
  await new Promise((r) => setTimeout(r, 300));
  await Promise.all([0, 1, 2].map((i) => nats.kill(i)));
  await new Promise((r) => setTimeout(r, 3000));
  await Promise.all([0, 1, 2].map((i) => nats.start(i)));
  await flow4;
  await caughtUp('after the whole cluster came back');

  // The stream, read back whole.
  nc = await connect({ servers: nats.urls });
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(STREAM);
  assert.equal(info.config.num_replicas, 3);
  let typed = 0;
  const kextIdentity = (await unary<{ kextIdentity: string }>(stack.client, 'Describe', {})).kextIdentity;
  assert.ok(kextIdentity.length > 0);
  const { seen, losses } = checkExactlyOnce(await readStream(nc, STREAM), 'testhost', {
    each: (m) => {
      const topic = m.header('Kb-Topic');
      assert.equal(m.subject, `kextbridge.testhost.${topic}`);
      assert.equal(m.header('Kb-Type'), topic === 'exec' ? 'kextbridge.example.v1.ExecEvent' : 'kextbridge.example.v1.Heartbeat');
      if (topic === 'exec' && (ExecEvent.decode(m.data) as unknown as { path: string }).path.length > 0) typed++;
      // Every header as sent (the exporter encodes them itself: headers.ts).
      assert.equal(m.header('Kb-Host'), 'testhost');
      assert.equal(m.header('Kb-Kext'), kextIdentity);
      assert.match(m.header('Kb-Time-Ns'), /^[1-9][0-9]*$/);
    },
  });
  assert.equal(seen.size, 2, `two epochs: ${[...seen.keys()].join(', ')}`);
  assert.ok(losses.some((l) => l.count === 0), 'the daemon restart is a loss record of its own (what happened in between cannot be known)');
  assert.ok(typed > 0, 'payloads decode with the kext\'s .proto');
  // The consumer example in docs/export.md reads the same back, decoded.
  // All of it: which topic the first few messages are depends on timing.
  const consumed = execFileSync(process.execPath, [join(ROOT, 'dist/docs/examples/consume-export.js'), nats.urls[0]!, STREAM, EXAMPLE_PROTO], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 })
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { topic?: string; event?: { path?: string; count?: string } | null; seq?: number });
  assert.ok(consumed.length >= info.state.messages, `the consumer read ${consumed.length} of at least ${info.state.messages} (heartbeats keep coming)`);
  assert.ok(consumed.some((c) => c.topic === 'exec' && typeof c.event?.path === 'string' && c.event.path.length > 0), 'exec events decoded with the kext\'s .proto');
  assert.ok(consumed.some((c) => c.topic === 'heartbeat' && c.event?.count !== undefined), 'heartbeats decoded');
  const stored = [...seen.values()].reduce((n, m) => n + m.size, 0);
  console.log(`# ${stored} events stored once each over 2 epochs, ${losses.length} loss records; exporter restarts 1, NATS node kills 4`);
});

test('started while JetStream has no quorum, the exporter waits (saying why) and exports once it has', async () => {
  exporter?.child.kill('SIGKILL');
  // A second stream cannot take the same subjects: the exporter says so.
  const refused = startExporter('KBOTHER', 'cursor-other').child;
  const code = await new Promise<number | null>((r) => refused.once('exit', r));
  assert.equal(code, 1);
  assert.match(exporterLog(), new RegExp(`stream KBOTHER cannot be created: its subjects kextbridge.> overlap those of stream ${STREAM}; export into that one \\(--stream ${STREAM}\\)`));
  await (await nc.jetstreamManager()).streams.delete(STREAM);
  await Promise.all([nats.kill(1), nats.kill(2)]);
  const child = startExporter('KBQUORUM', 'cursor-quorum').child;
  await until('the exporter says JetStream does not answer yet', () => exporterLog().includes('JetStream does not answer yet'), 30_000).catch((err: Error) => {
    throw new Error(`${err.message}; exporter ${child.exitCode === null ? 'running' : `exited ${child.exitCode}`}, log:\n${exporterLog().slice(-3000)}`);
  });
  assert.equal(child.exitCode, null, `the exporter waits rather than exits:\n${exporterLog().slice(-2000)}`);
  await Promise.all([nats.start(1), nats.start(2)]);
  const epoch = await epochOf();
  await emit(200, 2000);
  const last = await lastSeq();
  await until(`the cursor reaches seq ${last}`, () => {
    const c = cursor('cursor-quorum');
    return c !== null && c.epoch === epoch && c.seq >= last;
  }, 60_000).catch((err: Error) => {
    throw new Error(`${err.message}; exporter log:\n${exporterLog().slice(-3000)}`);
  });
  child.kill('SIGKILL');
});
