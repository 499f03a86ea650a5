// Python's stock stack (Debian's grpcio and protobuf) against the real
// daemon on kextsim, as a plain user: a descriptor-pool client that knows
// nothing of the daemon's API but what reflection tells it lists the
// services, loads Example's and Bridge's files with their imports into a
// fresh pool, and calls Example.Echo and Bridge.Describe built from them;
// every listed service answers a health Check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REFLECTION_PROTO_ROOT } from 'kextbridged/internal/server/reflection';
import { runAsNobody, scratchDir } from '../../support/interop';
import { startStack, type Stack } from '../../support/stack';
import { ROOT as root } from '../../support/paths';

const PYTHON = '/usr/bin/python3';
const client = join(root, 'test/integration/interop/python/reflection_client.py');

let stack: Stack;
let work: string;
let reflectionSet: string;

before(async () => {
  work = scratchDir('kb-interop-py-');
  reflectionSet = join(work, 'reflection.pb');
  // The only schema the client brings: reflection's own (under CI a
  // missing protoc fails here).
  execFileSync('protoc', [`-I${REFLECTION_PROTO_ROOT}`, `--descriptor_set_out=${reflectionSet}`, 'grpc/reflection/v1/reflection.proto']);
  chmodSync(reflectionSet, 0o644);
  stack = await startStack();
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
