// Python's stock stack (Debian's grpcio and protobuf) against the real
// daemon on kextsim, as a plain user: a descriptor-pool client that knows
// nothing of the daemon's API but what reflection tells it lists the
// services, loads Example's and Bridge's files with their imports into a
// fresh pool, and calls Example.Echo and Bridge.Describe built from them;
// every listed service answers a health Check. Then stubs from protoc and
// grpc_python_plugin (interop/python/stub_client.py): typed calls, a
// stream cancelled, denial, error codes and both upcall paths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, execSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REFLECTION_PROTO_ROOT } from 'kextbridged/internal/server/reflection';
import { checkUpcallAnswered, runAsNobody, scratchDir } from '../../support/interop';
import { startStack, type Stack } from '../../support/stack';
import { ROOT as root } from '../../support/paths';

const PYTHON = '/usr/bin/python3';
const client = join(root, 'test/integration/interop/python/reflection_client.py');
const stubClient = join(root, 'test/integration/interop/python/stub_client.py');

let stack: Stack;
let work: string;
let reflectionSet: string;
let gen: string;

before(async () => {
  work = scratchDir('kb-interop-py-');
  reflectionSet = join(work, 'reflection.pb');
  // The only schema the client brings: reflection's own (under CI a
  // missing protoc fails here).
  execFileSync('protoc', [`-I${REFLECTION_PROTO_ROOT}`, `--descriptor_set_out=${reflectionSet}`, 'grpc/reflection/v1/reflection.proto']);
  chmodSync(reflectionSet, 0o644);
  gen = join(work, 'gen');
  mkdirSync(gen);
  const plugin = execSync('command -v grpc_python_plugin', { encoding: 'utf8' }).trim();
  execFileSync('protoc', ['-I', join(root, 'proto'), '-I', '/usr/include', `--python_out=${gen}`, `--grpc_out=${gen}`, `--plugin=protoc-gen-grpc=${plugin}`,
    'example/v1/example.proto', 'kextbridge/v1/options.proto', 'kextbridge/v1/loss.proto', 'kextbridge/v1/bridge.proto']);
  execFileSync('chmod', ['-R', 'a+rX', gen]);
  stack = await startStack({ policy: { upcalls: { authorize_exec: { users: ['nobody'] } } } });
});

after(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('python: Echo and Bridge.Describe built from reflection alone, as a plain user', () => {
  const get = runAsNobody(PYTHON, [client, '--socket', stack.daemon.socket, '--reflection-set', reflectionSet]);
  const services = get<string[]>('services');
  for (const name of ['grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection', 'kextbridge.example.v1.Example', 'kextbridge.v1.Bridge']) {
    assert.ok(services.includes(name), `${name} listed`);
  }
  assert.deepEqual(get<string[]>('example_files'), ['example/v1/example.proto', 'kextbridge/v1/loss.proto', 'kextbridge/v1/options.proto', 'google/protobuf/descriptor.proto']);
  assert.equal(get<string>('echo'), 'from reflection');
  const described = get<{ kext_identity: string; commands: number }>('describe');
  assert.ok(described.kext_identity.length > 0);
  assert.ok(described.commands > 0);
  const health = get<Record<string, number>>('health');
  for (const name of services) assert.equal(health[name], 1, `${name} SERVING`);
  assert.ok(get<string[]>('status_fields').includes('link_state'), 'snake_case field names');
});

test('python: typed Echo, a stream cancelled, a privileged topic denied, unknown-method, bad-argument and deadline codes, as a plain user', () => {
  const get = runAsNobody(PYTHON, [stubClient, gen, stack.daemon.socket, 'suite']);
  assert.deepEqual(get('typed'), { echo: 'typed', cancelled: 'CANCELLED', denied: 'PERMISSION_DENIED' });
  assert.deepEqual(get('errors'), { unknownMethod: 'UNIMPLEMENTED', badArgument: 'INVALID_ARGUMENT', deadline: 'DEADLINE_EXCEEDED' });
});

for (const [mode, how] of [['serve-typed', 'the typed Serve method'], ['serve-bridge', 'Bridge.Serve']] as const) {
  test(`python: an upcall answered through ${how}, as a plain user the policy grants`, () => checkUpcallAnswered(stack, PYTHON, [stubClient, gen, stack.daemon.socket, mode, '2']));
}
