// C++'s stock stack as Debian ships it (libgrpc++-dev, protoc with
// grpc_cpp_plugin, pkg-config), compiled once, run as a plain user against
// the daemon on kextsim: health Check and Watch, a client-side reflection
// database (interop/cpp/client.cc) under a DescriptorPool that builds Echo
// and Bridge.Describe, the typed Echo, a heartbeat read and cancelled, a
// deadline. Under CI a missing toolchain fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, execSync } from 'node:child_process';
import { chmodSync, copyFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { REFLECTION_PROTO_ROOT } from 'kextbridged/internal/server/reflection';
import { checkUpcallAnswered, runAsNobody, scratchDir } from '../../support/interop';
import { startStack, type Stack } from '../../support/stack';
import { ROOT as root } from '../../support/paths';

const HEALTH_ROOT = resolve(dirname(healthProtoPath), '../..');

let stack: Stack;
let work: string;
let binary: string;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.pb.cc') ? [p] : [];
  });
}

before(async () => {
  work = scratchDir('kb-interop-cpp-');
  const plugin = execSync('command -v grpc_cpp_plugin', { encoding: 'utf8' }).trim();
  execFileSync('protoc', [
    '-I', join(root, 'proto'), '-I', HEALTH_ROOT, '-I', REFLECTION_PROTO_ROOT,
    `--cpp_out=${work}`, `--grpc_out=${work}`, `--plugin=protoc-gen-grpc=${plugin}`,
    'example/v1/example.proto', 'kextbridge/v1/options.proto', 'kextbridge/v1/loss.proto', 'kextbridge/v1/bridge.proto', 'health/v1/health.proto', 'grpc/reflection/v1/reflection.proto',
  ]);
  copyFileSync(join(root, 'test/integration/interop/cpp/client.cc'), join(work, 'client.cc'));
  const flags = execFileSync('pkg-config', ['--cflags', '--libs', 'grpc++', 'protobuf'], { encoding: 'utf8' }).trim().split(/\s+/);
  binary = join(work, 'client');
  execFileSync('g++', ['-std=c++17', '-O0', `-I${work}`, join(work, 'client.cc'), ...sources(work), '-o', binary, ...flags], { stdio: 'pipe' });
  chmodSync(binary, 0o755);
  stack = await startStack({ policy: { upcalls: { authorize_exec: { users: ['nobody'] } } } });
});

after(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('c++: health, a reflection database building Echo and Describe, typed Echo, a stream cancelled, a privileged topic denied, unknown-method, bad-argument and deadline codes, as a plain user', () => {
  const get = runAsNobody(binary, [stack.daemon.socket]);
  assert.deepEqual(get('health'), { check: 'SERVING', watch: 'SERVING' });
  const reflection = get('reflection');
  assert.ok((reflection['services'] as string[]).includes('kextbridge.example.v1.Example'));
  assert.equal(reflection['echo'], 'dynamic');
  assert.ok(String(reflection['kext_identity']).length > 0);
  // 1 = CANCELLED, 4 = DEADLINE_EXCEEDED, 7 = PERMISSION_DENIED
  assert.deepEqual(get('typed'), { echo: 'typed', heartbeat: true, cancelled: 1, deadline: 4, denied: 7 });
  // 12 = UNIMPLEMENTED, 3 = INVALID_ARGUMENT
  assert.deepEqual(get('errors'), { unknownMethod: 12, badArgument: 3 });
});

for (const [mode, how] of [['serve-typed', 'the typed Serve method'], ['serve-bridge', 'Bridge.Serve']] as const) {
  test(`c++: an upcall answered through ${how}, as a plain user the policy grants`, () => checkUpcallAnswered(stack, binary, [stack.daemon.socket, mode, '2']));
}
