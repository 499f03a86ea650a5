// Node with @grpc/grpc-js and @grpc/proto-loader only (interop/node/
// client.ts), run as a plain user against the daemon on kextsim: health
// Check and Watch; reflection list and an Echo and Bridge.Describe from
// reflection's descriptors alone; typed Echo; a server stream read and
// cancelled; a topic the policy does not grant denied; an upcall answered
// through the typed Serve method and through Bridge.Serve; unknown method, bad argument, deadline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { PROTO_ROOT } from '@kextbridge/protocol';
import { REFLECTION_PROTO_ROOT } from 'kextbridged/internal/server/reflection';
import { checkUpcallAnswered, runAsNobody } from '../../support/interop';
import { startStack, type Stack } from '../../support/stack';
import { ROOT as root } from '../../support/paths';

const client = join(root, 'dist/test/integration/interop/node/client.js');
const HEALTH_ROOT = resolve(dirname(healthProtoPath), '../..');

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
  test(`node: an upcall answered through ${how}, as a plain user the policy grants`, () => checkUpcallAnswered(stack, process.execPath, args(mode, '2')));
}
