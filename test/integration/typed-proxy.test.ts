// The kext's own typed service, served by the daemon from the proto's
// (kextbridge.v1.kernel) options: as a plain user through the TypeScript
// client library, malformed input stopped before the kernel, options, loss
// told in-band, upcalls answered in order, reflection, and drift between
// the proto and the kext's catalog.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';

import { KextBridgeClient } from 'kextbridge';
import { startKextsim, type Kextsim } from '../support/kextsim';
import { startDaemon, type Daemon } from '../support/daemon';
import { listServices } from '../support/reflection';
import { exampleStub } from '../support/example';

const NOBODY = 65534;
let sim: Kextsim;
let daemon: Daemon;
let client: KextBridgeClient;

before(async () => {
  sim = await startKextsim([]);
  daemon = await startDaemon(sim.socket);
  client = new KextBridgeClient({ socket: daemon.socket });
});

after(async () => {
  client.close();
  await daemon.stop();
  await sim.stop();
});

function asNobody(...args: string[]): Record<string, unknown> {
  const script = resolve(__dirname, '../support/typed-client.js');
  const r = spawnSync(process.execPath, [script, daemon.socket, ...args], { uid: NOBODY, gid: NOBODY, encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function unary<T>(fn: (cb: (e: grpc.ServiceError | null, r?: T) => void) => void): Promise<T> {
  return new Promise((res, rej) => fn((e, r) => (e ? rej(e) : res(r as T))));
}

async function failure(p: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await p;
  } catch (e) {
    return e as grpc.ServiceError;
  }
  assert.fail('the call succeeded');
}

test('a plain user calls Echo and watches heartbeats through the typed stubs; Emit is privileged', () => {
  const echo = asNobody('echo', 'typed hello') as { reply: { data: { type: string; data: number[] } } };
  assert.equal(Buffer.from(echo.reply.data.data).toString(), 'typed hello');
  const beat = asNobody('heartbeat') as { beat: { count: string; uptimeNs: string } };
  assert.ok(Number(beat.beat.count) >= 1);
  const emit = asNobody('emit') as { code: number; details: string };
  assert.equal(emit.code, grpc.status.PERMISSION_DENIED);
  assert.match(emit.details, /may not call command 'emit'/);
});

test('a malformed request is INVALID_ARGUMENT and never reaches the kernel', async () => {
  const stats = async (): Promise<number> => Number((await unary<{ requests: string }>((cb) => exampleStub(client).Stats({}, client.options(), cb))).requests);
  const before = await stats();
  const raw = new grpc.Client(`unix://${daemon.socket}`, grpc.credentials.createInsecure());
  const err = await failure(
    new Promise((res, rej) =>
      raw.makeUnaryRequest('/kextbridge.example.v1.Example/Echo', (b: Buffer) => b, (b: Buffer) => b, Buffer.from([0x0a, 0x09, 0x01]), (e, r) => (e ? rej(e) : res(r))),
    ),
  );
  raw.close();
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.match(err.details, /not a valid EchoRequest/);
  assert.equal(await stats(), before + 1, 'only the second Stats reached the kext');
});

test('options through typed methods: get, set, and out of range refused', async () => {
  const set = await unary<{ level: string }>((cb) => exampleStub(client).SetLogLevel({ level: 4 }, client.options(), cb));
  assert.equal(set.level, '4');
  const get = await unary<{ level: string }>((cb) => exampleStub(client).GetLogLevel({}, client.options(), cb));
  assert.equal(get.level, '4');
  const err = await failure(unary((cb) => exampleStub(client).SetLogLevel({ level: 5 }, client.options(), cb)));
  assert.equal(err.code, grpc.status.OUT_OF_RANGE);
  assert.match(err.details, /5 is outside 0\.\.4/);
});

test('a typed watch that falls behind is told its loss in-band, in the Lost field', async () => {
  const md = new grpc.Metadata();
  md.set('kextbridge-queue-limit', '8');
  md.set('kextbridge-overflow', 'drop-newest');
  const stream = exampleStub(client).WatchExec({}, md);
  stream.on('error', () => {});
  stream.pause();
  const asked = 3000;
  // Events of 2 KiB: enough to fill the stream's flow-control window and the queue.
  await new Promise((r) => setTimeout(r, 200));
  const reply = await unary<{ emitted: string; lost: string }>((cb) => exampleStub(client).Emit({ topic: 1, count: asked, size: 2048 }, client.options(30_000), cb));
  // What the kext could not queue toward the daemon is lost there, and told too.
  assert.equal(Number(reply.emitted) + Number(reply.lost), asked);
  let events = 0;
  const lost: Record<string, number> = {};
  const done = new Promise<void>((res) => {
    stream.on('data', (m: { lost: { count: string; source: string } | null; pid: number }) => {
      if (m.lost) lost[m.lost.source] = (lost[m.lost.source] ?? 0) + Number(m.lost.count);
      else events++;
      if (events + Object.values(lost).reduce((a, b) => a + b, 0) >= asked) res();
    });
  });
  stream.resume();
  await done;
  stream.cancel();
  assert.ok((lost['LOSS_SOURCE_SUBSCRIBER'] ?? 0) > 0, `it fell behind: ${JSON.stringify(lost)}`);
  assert.equal(lost['LOSS_SOURCE_KERNEL'] ?? 0, Number(reply.lost), 'the kernel loss is told as such');
  assert.equal(events + (lost['LOSS_SOURCE_SUBSCRIBER'] ?? 0) + (lost['LOSS_SOURCE_KERNEL'] ?? 0), asked, 'every event is delivered or counted lost');
});

test('typed upcall answers go to the questions in the order asked', async () => {
  const serve = exampleStub(client).ServeAuthorizeExec();
  serve.on('data', (q: { pid: number }) => serve.write({ allow: q.pid % 2 === 0 }));
  serve.on('error', () => {});
  await new Promise((r) => setTimeout(r, 200));
  const decide = (pid: number): Promise<{ allowed: boolean; decidedBy: string }> =>
    unary((cb) => exampleStub(client).SimulateExec({ pid, uid: 0, path: '/bin/x' }, client.options(), cb));
  const answers = await Promise.all([decide(2), decide(3), decide(4)]);
  serve.end();
  assert.deepEqual(
    answers.map((a) => [a.allowed, a.decidedBy]),
    [
      [true, 'DECIDER_HANDLER'],
      [false, 'DECIDER_HANDLER'],
      [true, 'DECIDER_HANDLER'],
    ],
  );
});

test('reflection lists the typed service beside the bridge', async () => {
  const names = await listServices(daemon.socket);
  assert.ok(names.includes('kextbridge.example.v1.Example'), names.join(', '));
  assert.ok(names.includes('kextbridge.v1.Bridge'));
});

test('drift: methods the kext does not match answer FAILED_PRECONDITION, warned once; the rest work', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-drift-'));
  chmodSync(dir, 0o755);
  const proto = join(dir, 'drift.proto');
  writeFileSync(
    proto,
    `syntax = "proto3";
package drift.v1;
import "kextbridge/v1/options.proto";
message Bytes { bytes data = 1; }
service Drifted {
  rpc Echo(Bytes) returns (Bytes) { option (kextbridge.v1.kernel) = { command: 1, name: "echo" }; }
  rpc Renamed(Bytes) returns (Bytes) { option (kextbridge.v1.kernel) = { command: 2, name: "statistics" }; }
  rpc Missing(Bytes) returns (Bytes) { option (kextbridge.v1.kernel) = { command: 99, name: "reboot" }; }
}`,
  );
  // The kext takes one daemon at a time: this one gets a kext of its own.
  const sim2 = await startKextsim([]);
  const d2 = await startDaemon(sim2.socket, ['--proto', proto]);
  try {
    const c = new grpc.Client(`unix://${d2.socket}`, grpc.credentials.createInsecure());
    const call = (method: string): Promise<Buffer> =>
      new Promise((res, rej) => c.makeUnaryRequest(`/drift.v1.Drifted/${method}`, (b: Buffer) => b, (b: Buffer) => b, Buffer.from([0x0a, 0x01, 0x41]), (e, r) => (e ? rej(e) : res(r!))));
    assert.deepEqual([...(await call('Echo'))], [0x0a, 0x01, 0x41]);
    const renamed = await failure(call('Renamed'));
    assert.equal(renamed.code, grpc.status.FAILED_PRECONDITION);
    assert.match(renamed.details, /bound to command 2 named "statistics", but the kext's command 2 is "stats"/);
    const missing = await failure(call('Missing'));
    assert.equal(missing.code, grpc.status.FAILED_PRECONDITION);
    assert.match(missing.details, /command 99 \(reboot\), which the connected kext does not have/);
    await failure(call('Missing'));
    c.close();
    const warnings = d2.logs.filter((l) => l.includes('"level":"warn"') && l.includes('drift.v1.Drifted'));
    assert.equal(warnings.length, 2, `one warning per drifted method:\n${warnings.join('\n')}`);
  } finally {
    await d2.stop();
    await sim2.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
