// Exactly once past JetStream's duplicate window: a real nats-server (R1)
// on loopback whose stream forgets message ids after 1 s, a daemon on
// kextsim at 10,000 events a second, and kextbridge-export as user nobody
// exporting exec and heartbeat (every seq of the daemon is the
// exporter's). The exporter is killed with -9 and started again 3 s later,
// then stopped (SIGSTOP) for 6 s (past the 5 s ack timeout too) while NATS keeps running (and drops the
// silent connection, as it does a laptop that sleeps) and continued. What
// was acknowledged but not in the saved cursor, and what was in flight,
// comes again after the window: the exporter must find it in the stream
// itself. Last, a cursor as an earlier build saved it (no stream
// sequence), after another kill -9: read back by time. At the end of each
// every seq is stored exactly once or inside a loss record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';

import { NOBODY } from '../support/interop';
import type { NatsCluster } from '../support/nats-cluster';
import type { Stack } from '../support/stack';
import { caughtUp, checkExactlyOnce, emit, readCursor, readStream, startExporter, startExportWorld, type ExporterRun, type ExportWorld } from '../support/export-harness';
import { until } from '../support/wait';

const STREAM = 'KBRECOVER';
const WINDOW_MS = 1000;
const RATE = 10_000;

let nats: NatsCluster;
let stack: Stack;
let work: string;
let exporter: ExporterRun | undefined;
let nc: NatsConnection | undefined;

let world: ExportWorld | undefined;

before(async () => {
  // The server pings every second and closes a connection that misses two.
  world = await startExportWorld(1, { pingIntervalS: 1, pingMax: 2 }, 'kb-export-recovery-');
  ({ nats, stack, work } = world);
});

after(async () => {
  await world?.stop({ exporter, nc });
});

const start = (): ExporterRun => (exporter = startExporter({ stack, nats, work, stream: STREAM, replicas: 1, config: { duplicateWindowMs: WINDOW_MS, statusIntervalMs: 1000 } }));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function streamChecked(fromFirstStored = false): Promise<ReturnType<typeof checkExactlyOnce>> {
  nc ??= await connect({ servers: nats.urls });
  const info = await (await nc.jetstreamManager()).streams.info(STREAM);
  assert.equal(info.config.duplicate_window, WINDOW_MS * 1_000_000, 'the stream forgets ids after 1 s');
  return checkExactlyOnce(await readStream(nc, STREAM), 'testhost', { fromFirstStored });
}

test('killed with -9 mid-stream and started again after the duplicate window: nothing stored twice, nothing missing', { timeout: 180_000 }, async () => {
  const first = start();
  await emit(stack, 2000, RATE);
  await caughtUp('first run', stack, work, first.log);

  const flow = emit(stack, 30_000, RATE);
  await sleep(1500);
  first.child.kill('SIGKILL');
  const cursorAtKill = readCursor(work);
  await sleep(3 * WINDOW_MS);
  const second = start();
  await flow;
  await caughtUp('after kill -9 and 3 s away', stack, work, second.log);
  const check = await streamChecked();
  const readBack = /"found":(\d+),"ms":(\d+)/.exec(second.log());
  await until('a status line (every second here)', () => /"recovered":\d+/.test(second.log()), 10_000);
  const recovered = [...second.log().matchAll(/"recovered":(\d+)/g)].at(-1)?.[1];
  console.log(`# cursor at the kill ${JSON.stringify(cursorAtKill)}; ${check.events} events stored once each, ${check.losses.length} loss records; the restarted exporter read back ${readBack?.[1] ?? '?'} stored past its cursor in ${readBack?.[2] ?? '?'} ms and skipped ${recovered ?? '?'}`);
  assert.ok(Number(readBack?.[1] ?? 0) > 0, `the restarted exporter found events the stream already had past its cursor (without them this test shows nothing):\n${second.log().slice(-2000)}`);
  assert.ok(Number(recovered) > 0, `and skipped them as the daemon replayed them (status "recovered"): ${recovered}`);
});

test('stopped (SIGSTOP) longer than the duplicate window while NATS keeps running, then continued: nothing stored twice, nothing missing', { timeout: 180_000 }, async () => {
  // A stream and a cursor of its own: the first test's outcome is not this one's.
  exporter!.child.kill('SIGKILL');
  nc ??= await connect({ servers: nats.urls });
  await (await nc.jetstreamManager()).streams.delete(STREAM);
  rmSync(join(work, 'cursor'));
  const run = start();
  await caughtUp('a fresh stream from the daemon\'s oldest event', stack, work, run.log);
  const flow = emit(stack, 30_000, RATE);
  await sleep(1000);
  run.child.kill('SIGSTOP');
  await sleep(6 * WINDOW_MS);
  const logAtStop = run.log().length;
  run.child.kill('SIGCONT');
  await flow;
  await caughtUp('after SIGSTOP for 6 s and SIGCONT', stack, work, run.log);
  await until('a status line after the stop', () => run.log().slice(logAtStop).includes('export status'), 15_000).catch(() => undefined);
  const after = run.log().slice(logAtStop);
  const check = await streamChecked(true);
  const dropped = /"nats":"disconnect"/.test(after);
  const lines = (msg: string): number => after.split('\n').filter((l) => l.includes(msg)).length;
  console.log(`# ${check.events} events stored once each, ${check.losses.length} loss records; NATS dropped the stopped exporter: ${dropped}; ` +
    `unanswered at the reconnect: ${lines('NATS reconnected: publishes sent before the drop')}, read-backs that found lost acks: ${lines('whose acks were lost')}, resend rounds: ${lines('publish not acknowledged')}`);
  assert.ok(dropped, `the server closed the connection of the stopped exporter (ping_interval 1 s, ping_max 2), so the stop was a disconnect:\n${after.slice(-2000)}`);
});

test('a cursor saved before it kept a stream sequence (an upgrade) is read back by time: killed with -9 and back after the window, still nothing twice', { timeout: 180_000 }, async () => {
  const run = exporter!;
  const flow = emit(stack, 20_000, RATE);
  await sleep(1000);
  run.child.kill('SIGKILL');
  const saved = readCursor(work)!;
  assert.ok(saved.streamSeq !== undefined, 'this build saves it');
  // As an earlier build wrote it.
  writeFileSync(join(work, 'cursor'), `${JSON.stringify({ epoch: saved.epoch, seq: saved.seq })}\n`);
  chownSync(join(work, 'cursor'), NOBODY, NOBODY);
  await sleep(3 * WINDOW_MS);
  const next = start();
  await flow;
  await caughtUp('after kill -9 with a cursor of the earlier kind', stack, work, next.log);
  const check = await streamChecked(true);
  const readBack = /"from":\{"sinceTime":"[^"]+"\},"found":(\d+)/.exec(next.log());
  console.log(`# ${check.events} events stored once each; the read-back by time found ${readBack?.[1] ?? '?'}`);
  assert.ok(Number(readBack?.[1] ?? 0) > 0, `the read-back went by the cursor file's time and found what was stored:\n${next.log().slice(-2000)}`);
});
