// grpc-timeout as the gRPC spec has it (PROTOCOL-HTTP2.md: 1 to 8 ASCII
// digits, then one of H M S m u n), sent as raw HTTP/2 headers with
// node:http2 to the real daemon: a zero timeout is already past
// (DEADLINE_EXCEEDED, and nothing reaches the kext); a malformed one
// (negative, 9 digits, spaces, no unit) is an error (INTERNAL naming the
// header), never "no deadline"; the largest valid values are a long
// deadline, not a wrapped-around one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { join } from 'node:path';

import { loadSchema } from '@kextbridge/protocol';
import { unary } from '../support/daemon';
import { ROOT } from '../support/paths';
import { startStack, type Stack } from '../support/stack';
import { handlerCount, silentHandlers, type SilentHandlers } from '../support/upcall-handlers';
import { until } from '../support/wait';

const UPCALL_TIMEOUT_MS = 400;
const bridge = loadSchema([join(ROOT, 'proto/kextbridge/v1/bridge.proto')]);
const example = loadSchema([join(ROOT, 'proto/example/v1/example.proto')]);
const CallRequest = bridge.lookupType('kextbridge.v1.CallRequest');

let stack: Stack;
let silent: SilentHandlers;

before(async () => {
  stack = await startStack({}, ['--upcall-timeout-ms', String(UPCALL_TIMEOUT_MS)]);
  // simulate_exec then waits the kext's whole upcall timeout: a call that takes a while.
  silent = silentHandlers(stack.daemon.socket, 0, 'authorize_exec', 1, 1);
  await until('the silent handler registered', async () => (await handlerCount(stack.client)) === 1);
});

after(async () => {
  await silent.stop();
  await stack.stop();
});

interface RawResult {
  status: number;
  message: string;
  ms: number;
}

function grpcFrame(message: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

const echo = grpcFrame(CallRequest.encode({ command: { name: 'echo' }, payload: Buffer.from('hi') }).finish());
const slow = grpcFrame(
  CallRequest.encode({
    command: { name: 'simulate_exec' },
    payload: example.lookupType('kextbridge.example.v1.SimulateExecRequest').encode({ pid: 9, uid: 501, path: '/bin/true' }).finish(),
  }).finish(),
);

// One Bridge.Call over a fresh HTTP/2 connection with exactly these headers.
function rawCall(body: Buffer, timeout: string | undefined): Promise<RawResult> {
  return new Promise((res, rej) => {
    const session = http2.connect('http://localhost', { createConnection: () => net.connect(stack.daemon.socket) });
    session.on('error', rej);
    const t0 = performance.now();
    const headers: http2.OutgoingHttpHeaders = {
      ':method': 'POST',
      ':path': '/kextbridge.v1.Bridge/Call',
      'content-type': 'application/grpc',
      te: 'trailers',
      ...(timeout !== undefined ? { 'grpc-timeout': timeout } : {}),
    };
    const stream = session.request(headers);
    let status: number | undefined;
    let message = '';
    const take = (h: http2.IncomingHttpHeaders): void => {
      if (h['grpc-status'] !== undefined) {
        status = Number(h['grpc-status']);
        message = decodeURIComponent(String(h['grpc-message'] ?? ''));
      }
    };
    stream.on('response', take);
    stream.on('trailers', take);
    stream.on('data', () => undefined);
    stream.on('close', () => {
      session.close();
      if (status === undefined) rej(new Error('no grpc-status'));
      else res({ status, message, ms: performance.now() - t0 });
    });
    stream.end(body);
  });
}

const callsStarted = async (): Promise<number> => Number((await unary<{ counters: { callsStarted: string } }>(stack.client, 'GetStatus', {})).counters.callsStarted);

test('a valid timeout is a deadline; none is the daemon default', async () => {
  assert.equal((await rawCall(echo, '5S')).status, 0);
  assert.equal((await rawCall(echo, undefined)).status, 0);
  const r = await rawCall(slow, '100m');
  assert.equal(r.status, 4, `DEADLINE_EXCEEDED: ${r.message}`);
  assert.ok(r.ms >= 90 && r.ms < UPCALL_TIMEOUT_MS, `at about 100 ms (${r.ms.toFixed(0)} ms)`);
});

for (const zero of ['0n', '0u', '0m', '0S', '0M', '0H', '00000000S', '999999n']) {
  test(`grpc-timeout ${zero}: already past, DEADLINE_EXCEEDED at once and nothing sent to the kext`, async () => {
    const before = await callsStarted();
    const r = await rawCall(slow, zero);
    assert.equal(r.status, 4, `DEADLINE_EXCEEDED, got ${r.status} ${r.message}`);
    assert.ok(r.ms < UPCALL_TIMEOUT_MS / 2, `at once (${r.ms.toFixed(0)} ms)`);
    assert.equal(await callsStarted(), before, 'no call was started');
  });
}

// (Leading and trailing spaces never reach the daemon: HTTP/2 strips them.)
for (const bad of ['-5S', '-0n', '123456789S', '5', 'S', '5s', '5 S', '5SS', '1.5S', '+5S', '0x10m']) {
  test(`grpc-timeout ${JSON.stringify(bad)}: malformed, INTERNAL naming the header`, async () => {
    const before = await callsStarted();
    const r = await rawCall(slow, bad);
    assert.equal(r.status, 13, `INTERNAL, got ${r.status} ${r.message}`);
    assert.match(r.message, /grpc-timeout/);
    assert.ok(r.ms < UPCALL_TIMEOUT_MS / 2, `at once (${r.ms.toFixed(0)} ms)`);
    assert.equal(await callsStarted(), before, 'no call was started');
  });
}

for (const long of ['99999999H', '99999999M', '99999999S', '2147484m', '99999999m']) {
  test(`grpc-timeout ${long}: a long deadline, not one that wrapped around`, async () => {
    const r = await rawCall(slow, long);
    assert.equal(r.status, 0, `the call runs its course: ${r.status} ${r.message}`);
    assert.ok(r.ms >= UPCALL_TIMEOUT_MS - 50, `it waited for the kext (${r.ms.toFixed(0)} ms)`);
  });
}
