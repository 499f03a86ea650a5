// Go's stock stack as Debian ships it (golang-go, grpc-go 1.33, protobuf
// 1.5 over google.golang.org/protobuf, protoc-gen-go and protoc-gen-go-grpc),
// built once in GOPATH mode with no network, run as a plain user against
// the daemon on kextsim (interop/go/main.go says what it checks). Under CI a
// missing toolchain fails here: scripts/setup.sh installs it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkUpcallAnswered, runAsNobody, scratchDir } from '../../support/interop';
import { startStack, type Stack } from '../../support/stack';
import { ROOT as root } from '../../support/paths';


let stack: Stack;
let work: string;
let binary: string;

before(async () => {
  work = scratchDir('kb-interop-go-');
  const src = join(work, 'src');
  mkdirSync(join(src, 'kbinterop'), { recursive: true });
  execFileSync('protoc', ['-I', join(root, 'proto'), `--go_out=${src}`, `--go-grpc_out=${src}`, 'example/v1/example.proto', 'kextbridge/v1/options.proto', 'kextbridge/v1/loss.proto', 'kextbridge/v1/bridge.proto']);
  copyFileSync(join(root, 'test/integration/interop/go/main.go'), join(src, 'kbinterop/main.go'));
  binary = join(work, 'client');
  execFileSync('go', ['build', '-o', binary, '.'], {
    cwd: join(src, 'kbinterop'),
    env: { ...process.env, GOPATH: `${work}:/usr/share/gocode`, GO111MODULE: 'off', GOFLAGS: '', GOPROXY: 'off', GOCACHE: join(work, 'cache') },
    stdio: 'pipe',
  });
  chmodSync(binary, 0o755);
  stack = await startStack({ policy: { upcalls: { authorize_exec: { users: ['nobody'] } } } });
});

after(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('go: health, reflection-built Echo and Describe, typed Echo, a stream cancelled, a privileged topic denied, unknown-method, bad-argument and deadline codes, as a plain user', () => {
  const get = runAsNobody(binary, [stack.daemon.socket]);
  assert.deepEqual(get('health'), { check: 'SERVING', watch: 'SERVING' });
  const reflection = get('reflection');
  assert.ok((reflection['services'] as string[]).includes('kextbridge.v1.Bridge'));
  assert.equal(reflection['echo'], 'dynamic');
  assert.ok(String(reflection['kext_identity']).length > 0);
  assert.deepEqual(get('typed'), { echo: 'typed', cancelled: 'Canceled', denied: 'PermissionDenied' });
  assert.deepEqual(get('errors'), { unknownMethod: 'Unimplemented', badArgument: 'InvalidArgument', deadline: 'DeadlineExceeded' });
});

for (const [mode, how] of [['serve-typed', 'the typed Serve method'], ['serve-bridge', 'Bridge.Serve']] as const) {
  test(`go: an upcall answered through ${how}, as a plain user the policy grants`, () => checkUpcallAnswered(stack, binary, [stack.daemon.socket, mode, '2']));
}
