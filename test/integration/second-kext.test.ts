// A second kext on the framework (kext/counter, its own proto at
// proto/counter/v1/counter.proto), run by kextsim --kext counter and served
// by the real daemon from that proto alone: typed calls, an option, a
// topic, a malformed request stopped before the kernel, as the example's
// typed-proxy test does, with no daemon code that knows this kext.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import { startStack, type Stack } from '../support/stack';
import { cli } from '../support/cli';
import { unaryAs } from '../support/daemon';
import { ROOT as root } from '../support/paths';
import { until } from '../support/wait';

const protoRoot = join(root, 'proto');
const NOBODY = 65534;

type Client = grpc.Client & Record<string, (...args: unknown[]) => unknown>;
let stack: Stack;
let counter: Client;

before(async () => {
  stack = await startStack({ protoFiles: [join(protoRoot, 'counter/v1/counter.proto')] }, ['--kext', 'counter']);
  const def = protoLoader.loadSync('counter/v1/counter.proto', { includeDirs: [protoRoot], longs: String, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { kextbridge: { counter: { v1: { Counter: grpc.ServiceClientConstructor } } } };
  counter = new pkg.kextbridge.counter.v1.Counter(`unix://${stack.daemon.socket}`, grpc.credentials.createInsecure()) as unknown as Client;
});

after(async () => {
  counter.close();
  await stack.stop();
});

// One typed call as another uid (a child process): { code, details, reply }.
function callAs(uid: number, method: string, request: unknown): { code: number; details: string; reply: unknown } {
  return unaryAs(uid, stack.daemon.socket, method, request, { proto: 'counter/v1/counter.proto', service: 'kextbridge.counter.v1.Counter' });
}

function call<T>(method: string, request: unknown): Promise<T> {
  return new Promise((res, rej) => {
    counter[method]!(request, { deadline: Date.now() + 5000 }, (err: grpc.ServiceError | null, reply: T) => (err ? rej(err) : res(reply)));
  });
}

test('the daemon describes the counter kext from its WELCOME, not the example', async () => {
  const d = await new Promise<unknown>((res, rej) =>
    stack.client.Describe!({}, { deadline: Date.now() + 5000 }, (e: grpc.ServiceError | null, r: unknown) => (e ? rej(e) : res(r))),
  );
  const text = JSON.stringify(d);
  assert.ok(text.includes('org.kextbridge.counter') && text.includes('"changes"') && text.includes('"step"'), text.slice(0, 600));
  assert.ok(!text.includes('org.kextbridge.example'));
});

test('Add and Get go through the typed service to the kext and back', async () => {
  assert.deepEqual(await call('Get', {}), { value: '0' });
  assert.deepEqual(await call('Add', { delta: 5 }), { value: '5' });
  assert.deepEqual(await call('Add', { delta: -7 }), { value: '-2' });
  assert.deepEqual(await call('Get', {}), { value: '-2' });
  await assert.rejects(call('Add', { delta: 2_000_000 }), (e: grpc.ServiceError) => e.code === grpc.status.INVALID_ARGUMENT && /delta/.test(e.details));
});

test('a plain user may Add and read the step; setting it is refused to them and works for root', async () => {
  const before = BigInt((await call<{ value: string }>('Get', {})).value);
  const r = callAs(NOBODY, 'Add', { delta: 1 });
  assert.equal(r.code, 0, r.details);
  assert.deepEqual(r.reply, { value: String(before + 1n) });
  const denied = callAs(NOBODY, 'SetStep', { step: 1 });
  assert.equal(denied.code, grpc.status.PERMISSION_DENIED, denied.details);
  // step is "read open, set privileged" (set_privileged in counter.proto).
  const read = callAs(NOBODY, 'GetStep', {});
  assert.equal(read.code, 0, read.details);
  assert.deepEqual(await call('SetStep', { step: 0 }), { step: '0' });
  assert.deepEqual(await call('GetStep', {}), { step: '0' });
  await assert.rejects(call('SetStep', { step: 5000 }), (e: grpc.ServiceError) => e.code === grpc.status.INVALID_ARGUMENT || e.code === grpc.status.OUT_OF_RANGE);
});

test('WatchChanges streams the kext topic: each Add, then the step once a second', async () => {
  const stream = counter.WatchChanges!({}) as grpc.ClientReadableStream<{ value: string; delta: string }>;
  const seen: { value: string; delta: string }[] = [];
  const got = new Promise<void>((res, rej) => {
    stream.on('data', (c: { value: string; delta: string }) => {
      seen.push(c);
      if (seen.some((s) => s.delta === '3') && seen.some((s) => s.delta === '2')) res();
    });
    stream.on('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? undefined : rej(e)));
  });
  // SUBSCRIBE reaches the kext shortly after the stream opens: Add 0 until a change is seen.
  await until('the subscription to reach the kext', async () => {
    await call('Add', { delta: 0 });
    return seen.length > 0;
  });
  await call('Add', { delta: 3 });
  await call('SetStep', { step: 2 });
  await Promise.race([got, new Promise((_, rej) => setTimeout(() => rej(new Error(`no changes seen: ${JSON.stringify(seen)}`)), 5000))]);
  stream.cancel();
  await call('SetStep', { step: 0 });
  const add = seen.find((s) => s.delta === '3')!;
  const step = seen.find((s) => s.delta === '2')!;
  assert.ok(BigInt(step.value) > BigInt(add.value), JSON.stringify(seen));
});

test('a request that does not match the proto never reaches the kext', async () => {
  const before = await call<{ value: string }>('Get', {});
  await assert.rejects(
    new Promise((res, rej) => {
      // Bytes that are not an AddRequest: field 1 as a length-delimited string.
      counter.makeUnaryRequest('/kextbridge.counter.v1.Counter/Add', (b: Buffer) => b, (b: Buffer) => b, Buffer.from([0x0a, 0x03, 0x61, 0x62, 0x63]), (e: grpc.ServiceError | null, r?: Buffer) => (e ? rej(e) : res(r)));
    }),
    (e: grpc.ServiceError) => e.code === grpc.status.INVALID_ARGUMENT,
  );
  assert.deepEqual(await call('Get', {}), before);
});

test('the CLI works against it with --proto and no example names: call, get, describe', async () => {
  const proto = ['--proto', join(protoRoot, 'counter/v1/counter.proto')];
  const add = await cli(stack.daemon.socket, [...proto, '--json', 'call', 'add', '--json', '{"delta": 40}']);
  assert.equal(add.code, 0, add.stderr);
  const value = BigInt((await call<{ value: string }>('Get', {})).value);
  assert.ok(add.stdout.includes(String(value)), add.stdout);
  const step = await cli(stack.daemon.socket, [...proto, 'get', 'step']);
  assert.equal(step.code, 0, step.stderr);
  const described = await cli(stack.daemon.socket, [...proto, 'describe']);
  assert.equal(described.code, 0, described.stderr);
  assert.ok(described.stdout.includes('org.kextbridge.counter') && described.stdout.includes('changes'), described.stdout);
});
