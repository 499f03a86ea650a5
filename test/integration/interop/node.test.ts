// Node with @grpc/grpc-js and @grpc/proto-loader only (interop/node/
// client.ts), run as a plain user against the daemon on kextsim: health
// Check and Watch; reflection list and an Echo and Bridge.Describe from
// reflection's descriptors alone; typed Echo; a server stream read and
// cancelled; a topic the policy does not grant denied; an upcall answered
// through the typed Serve method and through Bridge.Serve; unknown method, bad argument, deadline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { PROTO_ROOT } from '@kextbridge/protocol';
import { loadSchema } from '@kextbridge/protocol';
import { REFLECTION_PROTO_ROOT } from 'kextbridged/internal/server/reflection';
import { finished } from '../../support/cli';
import { unary } from '../../support/daemon';
import { NOBODY, runAsNobody } from '../../support/interop';
import { startStack, type Stack } from '../../support/stack';
import { until } from '../../support/wait';
import { ROOT as root } from '../../support/paths';

const client = join(root, 'dist/test/integration/interop/node/client.js');
const HEALTH_ROOT = resolve(dirname(healthProtoPath), '../..');
const schema = loadSchema([join(root, 'proto/example/v1/example.proto')]);
const SimulateExecRequest = schema.lookupType('kextbridge.example.v1.SimulateExecRequest');
const SimulateExecReply = schema.lookupType('kextbridge.example.v1.SimulateExecReply');

let stack: Stack;

before(async () => {
  stack = await startStack({ policy: { upcalls: { authorize_exec: { users: ['nobody'] } } } });
});

after(() => stack?.stop());

const args = (mode: string, extra: string): string[] => [client, mode, stack.daemon.socket, PROTO_ROOT, REFLECTION_PROTO_ROOT, extra];

test('node: health, reflection-built calls, typed calls, a stream cancelled, denial and error codes as a plain user', () => {
  const get = runAsNobody(process.execPath, args('suite', HEALTH_ROOT));
  // 1 = SERVING
  assert.deepEqual(get('health'), { check: 1, missing: 'NOT_FOUND', watch: 1 });
  const reflection = get('reflection');
  assert.ok((reflection['services'] as string[]).includes('kextbridge.example.v1.Example'));
  assert.equal(reflection['echo'], 'dynamic');
  assert.ok(String(reflection['kext_identity']).length > 0);
  assert.deepEqual(get('typed'), { echo: 'typed', heartbeat: true, denied: 'PERMISSION_DENIED' });
  assert.deepEqual(get('errors'), { unknownMethod: 'UNIMPLEMENTED', badArgument: 'NOT_FOUND', deadline: 'DEADLINE_EXCEEDED' });
});

for (const [mode, how] of [['serve-typed', 'the typed Serve method'], ['serve-bridge', 'Bridge.Serve']] as const) {
  test(`node: an upcall answered through ${how}, as a plain user the policy grants`, async () => {
    const serve = spawn(process.execPath, args(mode, '2'), { uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'pipe'] });
    const done = finished(serve);
    await until('a handler', async () => (await unary<{ upcallHandlers: number }>(stack.client, 'GetStatus', {})).upcallHandlers === 1, 6000);
    const decide = async (pid: number, path: string): Promise<boolean> => {
      const payload = Buffer.from(SimulateExecRequest.encode({ pid, ppid: 1, uid: 501, path }).finish());
      const reply = await unary<{ payload: Buffer }>(stack.client, 'Call', { command: { name: 'simulate_exec' }, payload });
      return (SimulateExecReply.decode(reply.payload) as unknown as { allowed: boolean }).allowed;
    };
    assert.equal(await decide(301, '/tmp/x'), false);
    assert.equal(await decide(302, '/usr/bin/env'), true);
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
  });
}
