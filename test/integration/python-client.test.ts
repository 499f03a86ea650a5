// The Python example client (clients/python, stock grpcio) against the
// real daemon and kextsim, run as a plain user the policy grants the exec
// topic and the authorize_exec upcall: echo, a watch that sees the execs
// the test causes, and answers to authorize_exec that decide them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { loadSchema } from '@kextbridge/protocol';
import { finished, type CliResult } from '../support/cli';
import { unary, type Client, type Daemon } from '../support/daemon';
import { startStack, type Stack } from '../support/stack';
import { until } from '../support/wait';
import { ROOT as root } from '../support/paths';

const NOBODY = 65534;
const script = join(root, 'clients/python/kextbridge_example.py');
// Debian's python, with Debian's grpcio: not whichever python is first on PATH.
const PYTHON = '/usr/bin/python3';
const schema = loadSchema([join(root, 'proto/example/v1/example.proto')]);
const SimulateExecRequest = schema.lookupType('kextbridge.example.v1.SimulateExecRequest');
const SimulateExecReply = schema.lookupType('kextbridge.example.v1.SimulateExecReply');

let stack: Stack;
let daemon: Daemon;
let client: Client;

before(async () => {
  execFileSync(join(root, 'clients/python/generate.sh'), { stdio: 'pipe' });
  stack = await startStack({ policy: { topics: { exec: { users: ['nobody'] } }, upcalls: { authorize_exec: { users: ['nobody'] } } } });
  ({ daemon, client } = stack);
});

after(() => stack.stop());

function python(args: string[]): ReturnType<typeof spawn> {
  return spawn(PYTHON, [script, '--socket', daemon.socket, ...args], { uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function simulateExec(pid: number, path: string): Promise<{ allowed: boolean; decidedBy: string }> {
  const payload = Buffer.from(SimulateExecRequest.encode({ pid, ppid: 1, uid: 501, path }).finish());
  const r = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'simulate_exec' }, payload });
  return SimulateExecReply.toObject(SimulateExecReply.decode(r.payload), { enums: String, defaults: true }) as { allowed: boolean; decidedBy: string };
}

const lines = (r: CliResult): string[] => r.stdout.trim().split('\n');

test('echo as a plain user', () => {
  const r = spawnSync(PYTHON, [script, '--socket', daemon.socket, 'echo', 'hello from python'], { uid: NOBODY, gid: NOBODY, encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'hello from python\n');
});

test('watch-exec as a plain user sees each exec the kext reports', async () => {
  const watch = python(['watch-exec', '--count', '2']);
  const done = finished(watch);
  await until('a subscriber', async () => (await unary<{ subscribers: unknown[] }>(client, 'ListSubscribers', {})).subscribers.length === 1, 6000);
  await simulateExec(101, '/usr/bin/true');
  await simulateExec(102, '/bin/ls');
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lines(r), ['exec pid=101 ppid=1 uid=501 path=/usr/bin/true', 'exec pid=102 ppid=1 uid=501 path=/bin/ls']);
});

test('serve-authorize as a plain user decides authorize_exec, answers in order', async () => {
  const serve = python(['serve-authorize', '--deny-prefix', '/tmp/', '--count', '2']);
  const done = finished(serve);
  await until('a handler', async () => (await unary<{ upcallHandlers: number }>(client, 'GetStatus', {})).upcallHandlers === 1, 6000);
  const denied = await simulateExec(201, '/tmp/dropped');
  const allowed = await simulateExec(202, '/usr/bin/env');
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([denied.allowed, denied.decidedBy], [false, 'DECIDER_HANDLER']);
  assert.deepEqual([allowed.allowed, allowed.decidedBy], [true, 'DECIDER_HANDLER']);
  assert.deepEqual(lines(r), ['asked pid=201 uid=501 path=/tmp/dropped -> deny', 'asked pid=202 uid=501 path=/usr/bin/env -> allow']);
});

test('errors: a daemon that is not there exits 3 with the gRPC status; bad usage exits 2', () => {
  const gone = spawnSync(PYTHON, [script, '--socket', join(stack.dir, 'nothing.sock'), 'echo', 'x'], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(gone.status, 3);
  assert.match(gone.stderr, /^kextbridge_example: UNAVAILABLE: /);
  const usage = spawnSync(PYTHON, [script, 'watch-exec', '--policy', 'sometimes'], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /invalid choice: 'sometimes'/);
});
