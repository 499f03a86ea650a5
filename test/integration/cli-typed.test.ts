// The CLI with no .proto at all (no --proto, no $KEXTBRIDGE_PROTO), as a
// plain user, against the counter kext: its types come from the daemon's
// reflection. A daemon reloaded (SIGHUP) with an edited .proto is seen by
// the next client; a --proto that disagrees with the daemon is named field
// by field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KextBridgeClient } from 'kextbridge';
import { loggedLine, startDaemon } from '../support/daemon';
import { startKextsim } from '../support/kextsim';
import { cli, finished, jsonLines, startCli } from '../support/cli';
import { COUNTER_PROTO } from '../support/paths';
import { startStack, type Stack } from '../support/stack';
import { until } from '../support/wait';

const NOBODY = 65534;
const NO_PROTO = { KEXTBRIDGE_PROTO: '' };
let stack: Stack;
// The daemon's copy of counter.proto, edited by the reload test.
let servedProto: string;

before(async () => {
  stack = await startStack({ protoFiles: [COUNTER_PROTO] }, ['--kext', 'counter'], { logLevel: 'info' });
  mkdirSync(join(stack.dir, 'counter/v1'), { recursive: true });
  servedProto = join(stack.dir, 'counter/v1/counter.proto');
  copyFileSync(COUNTER_PROTO, servedProto);
  writeFileSync(stack.configFile, JSON.stringify({ logLevel: 'info', protoFiles: [servedProto] }));
  const from = stack.daemon.logs.length;
  stack.daemon.process.kill('SIGHUP');
  await loggedLine(stack.daemon, 'reloaded the typed API', from);
});

after(async () => {
  await stack.stop();
});

function counterCli(args: string[], env: NodeJS.ProcessEnv = NO_PROTO): ReturnType<typeof cli> {
  return cli(stack.daemon.socket, args, NOBODY, 15_000, env);
}

test('call and watch as nobody with no .proto anywhere: typed JSON in and out', async () => {
  const watching = startCli(stack.daemon.socket, ['watch', 'changes', '--json', '--count', '1'], NOBODY, NO_PROTO);
  const watched = finished(watching, 15_000);
  await until('the watch to subscribe', async () => JSON.parse((await cli(stack.daemon.socket, ['status', '--json'])).stdout)['subscribers'] === 1);
  const added = await counterCli(['call', 'add', '--json', '{"delta":5}']);
  assert.equal(added.code, 0, added.stderr);
  assert.equal(added.stderr, '', 'nothing to warn about');
  assert.deepEqual(jsonLines(added)[0]!['reply'], { value: '5' });
  const human = await counterCli(['call', 'get']);
  assert.equal(human.code, 0, human.stderr);
  assert.deepEqual(JSON.parse(human.stdout), { value: '5' }, 'shown decoded without --json too');
  const w = await watched;
  assert.equal(w.code, 0, w.stderr);
  const event = jsonLines(w).find((l) => 'event' in l)!;
  assert.equal(event['topic'], 'changes');
  assert.deepEqual(event['event'], { value: '5', delta: '5', lost: null });
  const wrong = await counterCli(['call', 'add', '--json', '{"dleta":5}']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /AddRequest has no field "dleta"; it has: delta/);
});

test('describe names each item\'s message types; get and set show the typed option message', async () => {
  const human = await counterCli(['describe']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^\s+1\s+add\s+AddRequest -> CounterValue$/m);
  assert.match(human.stdout, /^\s+1\s+changes\s+stream CounterChange$/m);
  const json = jsonLines(await counterCli(['describe', '--json']))[0]!;
  assert.deepEqual((json['commands'] as Array<Record<string, unknown>>)[0], {
    id: 1,
    name: 'add',
    privileged: false,
    request: 'kextbridge.counter.v1.AddRequest',
    reply: 'kextbridge.counter.v1.CounterValue',
  });
  assert.equal((json['options'] as Array<Record<string, unknown>>)[0]!['value'], 'kextbridge.counter.v1.Step');
  // step is privileged: root sets it, as the typed message.
  const set = await cli(stack.daemon.socket, ['set', 'step', '{"step": 0}', '--json'], undefined, 15_000, NO_PROTO);
  assert.equal(set.code, 0, set.stderr);
  assert.deepEqual(jsonLines(set)[0], { id: 1, name: 'step', value: '0', message: { step: '0' } });
  const get = await cli(stack.daemon.socket, ['get', 'step', '--json'], undefined, 15_000, NO_PROTO);
  assert.deepEqual(jsonLines(get)[0], { id: 1, name: 'step', value: '0', message: { step: '0' } });
  const badField = await cli(stack.daemon.socket, ['set', 'step', '{"stp": 1}'], undefined, 15_000, NO_PROTO);
  assert.equal(badField.code, 2);
  assert.match(badField.stderr, /Step has one field, "step": give \{"step": value\}/);
});

test('a --proto that disagrees with the daemon: each field named, then the override is used as asked', async () => {
  const stale = join(stack.dir, 'stale.proto');
  writeFileSync(stale, readFileSync(COUNTER_PROTO, 'utf8').replace('int64 delta = 1;', 'int32 delta = 2;'));
  const r = await counterCli(['call', 'get', '--proto', stale]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stderr,
    `kextbridge: warning: ${stale} disagrees with the typed API the daemon serves; using it as asked (--proto / $KEXTBRIDGE_PROTO):\n` +
      `  kextbridge.counter.v1.AddRequest.delta: field 1 int64 in the daemon, field 2 int32 in ${stale}\n`,
  );
  const agreeing = await counterCli(['call', 'get', '--proto', COUNTER_PROTO]);
  assert.equal(agreeing.stderr, '', 'the same .proto as the daemon: no warning');
});

test('SIGHUP with the .proto edited in place: the next client sees the new types, an old one when it refreshes', async () => {
  const before = new KextBridgeClient({ socket: stack.daemon.socket });
  try {
    assert.ok((await before.kextTypes()).find('command', 'get')!.response.fields['value']);
    writeFileSync(servedProto, readFileSync(COUNTER_PROTO, 'utf8').replace('message CounterValue {\n  int64 value = 1;', 'message CounterValue {\n  int64 total = 1;'));
    const from = stack.daemon.logs.length;
    stack.daemon.process.kill('SIGHUP');
    await loggedLine(stack.daemon, 'reloaded the typed API', from);
    const after = await counterCli(['call', 'get']);
    assert.equal(after.code, 0, after.stderr);
    assert.deepEqual(Object.keys(JSON.parse(after.stdout)), ['total'], 'a new connection reads the reloaded types');
    const cached = await before.kextTypes();
    assert.ok(cached.find('command', 'get')!.response.fields['value'], 'same epoch and kext: the connection keeps what it read');
    const refreshed = await before.kextTypes({ refresh: true });
    assert.ok(refreshed.find('command', 'get')!.response.fields['total']);
  } finally {
    before.close();
    copyFileSync(COUNTER_PROTO, servedProto);
  }
});

test('a daemon serving no typed API: a JSON payload is refused with what to give instead; bytes still work', async () => {
  writeFileSync(stack.configFile, JSON.stringify({ logLevel: 'info', protoFiles: [] }));
  const from = stack.daemon.logs.length;
  stack.daemon.process.kill('SIGHUP');
  await loggedLine(stack.daemon, 'reloaded the typed API', from);
  const json = await counterCli(['call', 'add', '--json', '{"delta": 1}']);
  assert.equal(json.code, 2);
  assert.match(json.stderr, /no typed method is bound to this command in the typed API the daemon serves.*--proto FILE \(or \$KEXTBRIDGE_PROTO\)/);
  const hex = await counterCli(['call', 'add', '--hex', '0801']);
  assert.equal(hex.code, 0, hex.stderr);
  assert.match(hex.stdout.trim(), /^0x08/, 'the reply is shown as bytes');
});

test('a watch across a daemon restart with another .proto shows the new daemon\'s types', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-cli-typed-'));
  chmodSync(dir, 0o755);
  const socket = join(dir, 'kextbridge.sock');
  const proto = join(dir, 'counter.proto');
  const config = join(dir, 'config.json');
  copyFileSync(COUNTER_PROTO, proto);
  writeFileSync(config, JSON.stringify({ protoFiles: [proto] }));
  const sim = await startKextsim(['--kext', 'counter']);
  let daemon = await startDaemon(sim.socket, ['--config', config], { socket });
  const watching = startCli(socket, ['watch', 'changes', '--json', '--count', '2'], NOBODY, NO_PROTO);
  const watched = finished(watching, 30_000);
  const subscribed = (): Promise<void> => until('the watch subscribed', async () => JSON.parse((await cli(socket, ['status', '--json'])).stdout)['subscribers'] === 1, 15_000);
  try {
    await subscribed();
    assert.equal((await cli(socket, ['call', 'add', '{"delta": 1}'], NOBODY, 15_000, NO_PROTO)).code, 0);
    await daemon.stop();
    writeFileSync(proto, readFileSync(COUNTER_PROTO, 'utf8').replace('message CounterChange {\n  int64 value = 1;', 'message CounterChange {\n  int64 total = 1;'));
    daemon = await startDaemon(sim.socket, ['--config', config], { socket });
    await subscribed();
    assert.equal((await cli(socket, ['call', 'add', '{"delta": 1}'], NOBODY, 15_000, NO_PROTO)).code, 0);
    const w = await watched;
    assert.equal(w.code, 0, w.stderr);
    const events = jsonLines(w).filter((l) => 'event' in l).map((l) => l['event']);
    assert.deepEqual(events, [
      { value: '1', delta: '1', lost: null },
      { total: '2', delta: '1', lost: null },
    ]);
  } finally {
    watching.kill();
    await daemon.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
