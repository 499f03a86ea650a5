// kextbridged end to end: the real kextsim, the real daemon, clients as
// root and as an unprivileged uid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceError } from '@grpc/grpc-js';

import { startKextsim, type Kextsim } from '../support/kextsim';
import { bridgeClient, healthClient, startDaemon, unary, unaryAs, type Client, type Daemon } from '../support/daemon';
import { until } from '../support/wait';

const NOBODY = 65534;
let sim: Kextsim;
let daemon: Daemon;
let client: Client;

before(async () => {
  sim = await startKextsim([]);
  daemon = await startDaemon(sim.socket);
  client = bridgeClient(daemon.socket);
});

after(async () => {
  client.close();
  await daemon.stop();
  await sim.stop();
});

const echoRequest = (text: string): Buffer => Buffer.concat([Buffer.from([0x0a, text.length]), Buffer.from(text)]);

async function rejects(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (err) {
    return err as ServiceError;
  }
  assert.fail('the call succeeded');
}

test('Describe names the kext and its catalog', async () => {
  const d = await unary<{ kextIdentity: string; protocolVersion: number; commands: { name: string; privileged: boolean }[]; upcalls: { name: string; timeoutMs: number }[] }>(
    client,
    'Describe',
    {},
  );
  assert.equal(d.kextIdentity, 'org.kextbridge.example');
  assert.equal(d.protocolVersion, 1);
  assert.deepEqual(
    d.commands.map((c) => [c.name, c.privileged]),
    [['echo', false], ['stats', false], ['emit', true], ['simulate_exec', true]],
  );
  assert.equal(d.upcalls[0]?.name, 'authorize_exec');
});

test('health is SERVING while the link is ready', async () => {
  const h = healthClient(daemon.socket);
  const r = await unary<{ status: string }>(h, 'Check', { service: '' });
  assert.equal(r.status, 'SERVING');
  h.close();
});

test('Call echo by name and by id', async () => {
  const byName = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'echo' }, payload: echoRequest('hello') });
  assert.deepEqual(byName.payload, echoRequest('hello'));
  const byId = await unary<{ payload: Buffer }>(client, 'Call', { command: { id: 1 }, payload: echoRequest('x') });
  assert.deepEqual(byId.payload, echoRequest('x'));
});

test('bad input gets a precise status and leaves the daemon working', async () => {
  const unknown = await rejects(unary(client, 'Call', { command: { name: 'reboot' } }));
  assert.equal(unknown.code, 5);
  assert.match(unknown.details, /no command "reboot" in the kext's catalog; it has: echo \(1\)/);
  const malformed = await rejects(unary(client, 'Call', { command: { name: 'echo' }, payload: Buffer.from([0x0a, 0x09, 0x41]) }));
  assert.equal(malformed.code, 3);
  assert.match(malformed.details, /EchoRequest is not a valid protobuf message/);
  const huge = await rejects(unary(client, 'Call', { command: { name: 'echo' }, payload: Buffer.alloc(2 * 1024 * 1024) }));
  assert.ok(huge.code === 3 || huge.code === 8, `oversized payload refused (${huge.code} ${huge.details})`);
  const noTarget = await rejects(unary(client, 'Call', {}));
  assert.equal(noTarget.code, 3);
  const range = await rejects(unary(client, 'SetOption', { option: { name: 'log_level' }, value: { int64Value: '9' } }));
  assert.equal(range.code, 11);
  assert.match(range.details, /option log_level: 9 is outside 0\.\.4/);
  const ok = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'echo' }, payload: echoRequest('still') });
  assert.deepEqual(ok.payload, echoRequest('still'));
});

test('options: set within bounds, read back', async () => {
  const set = await unary<{ int64Value: string }>(client, 'SetOption', { option: { name: 'log_level' }, value: { int64Value: '3' } });
  assert.equal(set.int64Value, '3');
  const got = await unary<{ int64Value: string; name: string }>(client, 'GetOption', { option: { id: 1 } });
  assert.equal(got.name, 'log_level');
  assert.equal(got.int64Value, '3');
});

test('an unprivileged user may echo but not emit, and is told why', async () => {
  const echo = unaryAs(NOBODY, daemon.socket, 'Call', { command: { name: 'echo' }, payload: echoRequest('hi').toString('base64') });
  assert.equal(echo.code, 0, echo.details);
  const emit = unaryAs(NOBODY, daemon.socket, 'Call', { command: { name: 'emit' } });
  assert.equal(emit.code, 7);
  assert.match(emit.details, /uid 65534 .*may not call command 'emit'/);
  const opt = unaryAs(NOBODY, daemon.socket, 'SetOption', { option: { name: 'max_event_rate' }, value: { int64Value: '5' } });
  assert.equal(opt.code, 7);
  const list = unaryAs(NOBODY, daemon.socket, 'ListSubscribers', {});
  assert.equal(list.code, 7, 'the subscriber list reveals other users: root and admin only');
  // The clients ran synchronously; let the daemon's log lines arrive.
  const denied = (): boolean => daemon.logs.some((l) => l.includes('"audit":"denied"') && l.includes('"uid":65534'));
  await until('the denial in the audit log with the uid', denied);
});

test('Subscribe: emitted events arrive in order with their seqs', async () => {
  const stream = client.Subscribe!({ topics: [{ name: 'exec' }], queueLimit: 100_000 }) as NodeJS.EventEmitter & { cancel(): void };
  const seqs: number[] = [];
  let lost = 0;
  const got = new Promise<void>((res) => {
    stream.on('data', (b: { items: { event?: { seq: string }; lost?: { count: string } }[] }) => {
      for (const i of b.items) {
        if (i.event) seqs.push(Number(i.event.seq));
        if (i.lost) lost += Number(i.lost.count);
      }
      if (seqs.length + lost >= 2000) res();
    });
  });
  stream.on('error', () => undefined);
  await new Promise((r) => setTimeout(r, 100)); // SUBSCRIBE reaches the kext
  const emitRequest = Buffer.from([0x08, 0x01, 0x10, 0xd0, 0x0f, 0x18, 0x40]); // topic 1, count 2000, size 64
  const reply = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'emit' }, payload: emitRequest }, 20_000);
  await got;
  stream.cancel();
  assert.ok(reply.payload.length > 0);
  assert.equal(seqs.length + lost, 2000, 'every event delivered or told lost');
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, 'seqs increase');
});

// SimulateExecRequest{pid: 42, uid: 1, path: "/bin/tru"}; the reply is
// SimulateExecReply{allowed (omitted when false), decided_by}.
const simulateExec = Buffer.from([0x08, 0x2a, 0x18, 0x01, 0x22, 0x08, ...Buffer.from('/bin/tru')]);
type Duplex = NodeJS.EventEmitter & { write(m: unknown): boolean; end(): void; cancel(): void };

test('upcalls: no handler means the default at once', async () => {
  const t0 = Date.now();
  const r = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'simulate_exec' }, payload: simulateExec });
  assert.deepEqual(r.payload, Buffer.from([0x08, 0x01, 0x10, 0x04]), 'allowed by default, decided: daemon declined');
  assert.ok(Date.now() - t0 < 1000, 'without waiting out the 2 s kext timeout');
});

test('upcalls: a Serve handler gets the question and its answer decides', async () => {
  const serve = client.Serve!() as Duplex;
  const questions: { id: number; payload: Buffer; timeoutMs: number }[] = [];
  serve.on('data', (q: { id: number; payload: Buffer; timeoutMs: number }) => {
    questions.push(q);
    serve.write({ answer: { id: q.id, status: 0, payload: Buffer.from([0x08, 0x00]) } }); // ExecVerdict{allow: false}
  });
  serve.on('error', () => undefined);
  serve.write({ register: { upcall: { name: 'authorize_exec' } } });
  await new Promise((r) => setTimeout(r, 200));
  const r = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'simulate_exec' }, payload: simulateExec });
  assert.deepEqual(r.payload, Buffer.from([0x10, 0x01]), 'denied, decided by the handler');
  assert.equal(questions.length, 1);
  assert.ok(questions[0]!.payload.includes(Buffer.from('/bin/tru')), 'the question carries the path');
  assert.ok(questions[0]!.timeoutMs > 0 && questions[0]!.timeoutMs <= 2000);
  serve.cancel();
});

test('upcalls: a handler that leaves mid-question lets the default apply at once', async () => {
  const serve = client.Serve!() as Duplex;
  serve.on('data', () => serve.cancel()); // goes away without answering
  serve.on('error', () => undefined);
  serve.write({ register: { upcall: { id: 1 } } });
  await new Promise((r) => setTimeout(r, 200));
  const t0 = Date.now();
  const r = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'simulate_exec' }, payload: simulateExec });
  assert.deepEqual(r.payload, Buffer.from([0x08, 0x01, 0x10, 0x04]), 'default (allow), the daemon declined');
  assert.ok(Date.now() - t0 < 1500, 'not after the full kext timeout');
  const status = await unary<{ counters: { upcallsHandlerGone: string } }>(client, 'GetStatus', {});
  assert.ok(Number(status.counters.upcallsHandlerGone) >= 1, 'counted');
});

test('upcalls: Serve must start with register, for an upcall that exists', async () => {
  const bad = client.Serve!() as Duplex;
  const err = new Promise<ServiceError>((res) => bad.on('error', res));
  bad.write({ answer: { id: 1, status: 0 } });
  const e = await err;
  assert.equal(e.code, 3);
  assert.match(e.details, /first message must be register/);
  const unknown = client.Serve!() as Duplex;
  const err2 = new Promise<ServiceError>((res) => unknown.on('error', res));
  unknown.write({ register: { upcall: { name: 'authorize_nothing' } } });
  const e2 = await err2;
  assert.equal(e2.code, 5);
  assert.match(e2.details, /no upcall "authorize_nothing"/);
});

test('the kext killed mid-call: the call ends UNAVAILABLE at once; the link comes back', async () => {
  // A slow emit (100 events/s for 100 s) keeps a call in flight.
  const slow = Buffer.from([0x08, 0x02, 0x10, 0x90, 0x4e, 0x20, 0x64]);
  const inflight = rejects(unary(client, 'Call', { command: { name: 'emit' }, payload: slow }, 60_000));
  await new Promise((r) => setTimeout(r, 200));
  const t0 = Date.now();
  sim.process.kill('SIGKILL');
  const err = await inflight;
  const took = Date.now() - t0;
  assert.equal(err.code, 14);
  assert.match(err.details, /kext link down/);
  assert.ok(took < 500, `ended ${took} ms after the kill`);
  const h = healthClient(daemon.socket);
  const down = await unary<{ status: string }>(h, 'Check', { service: '' });
  assert.equal(down.status, 'NOT_SERVING');
  const whileDown = await rejects(unary(client, 'Call', { command: { name: 'echo' } }));
  assert.equal(whileDown.code, 14);
  // The kext comes back on the same path: the daemon reconnects by itself.
  await sim.stop(true);
  sim = await startKextsim([], { socket: sim.socket, ownDir: true });
  await until('SERVING again once the kext is back', async () => (await unary<{ status: string }>(h, 'Check', { service: '' })).status === 'SERVING', 10_000);
  const again = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'echo' }, payload: echoRequest('back') });
  assert.deepEqual(again.payload, echoRequest('back'));
  h.close();
});

test('SIGTERM: the daemon says GOODBYE, drains and exits 0', async () => {
  const code = await daemon.stop('SIGTERM');
  assert.equal(code, 0);
  assert.ok(daemon.logs.some((l) => l.includes('"msg":"stopped"')));
  daemon = await startDaemon(sim.socket);
});
