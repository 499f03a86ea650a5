// kextbridge-dev: one command starts a kext under kextsim and the daemon
// serving its .proto, says where once serving, and leaves nothing behind
// when told to stop, when its parent dies, or when its command ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startProcess } from '../../scripts/lib/processes';
import { cli } from '../support/cli';
import { ROOT as root } from '../support/paths';
import { until } from '../support/wait';

const DEV = join(root, 'scripts/kextbridge-dev');
const KV_PROTO = join(root, 'proto/kv/v1/kv.proto');

// Processes whose command line names this path (the stack's sockets live there).
function processesUsing(path: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path);
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('serves the kext, prints the socket, and SIGTERM stops kextsim and the daemon', async () => {
  const dev = startProcess(DEV, ['--kext', 'kv'], 'pipe');
  const line = await dev.waitForLine((l) => l.startsWith('KEXTBRIDGE_SOCKET='), 20_000, 'kextbridge-dev');
  const socket = line.slice('KEXTBRIDGE_SOCKET='.length);
  const dir = join(socket, '..');
  assert.equal(processesUsing(dir).length, 2, 'kextsim and kextbridged run');
  const r = await cli(socket, ['call', 'put', '--json', '{"key":"a","value":"aGk="}'], 65534, 15_000, { KEXTBRIDGE_PROTO: KV_PROTO });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"created":\s*true/);
  assert.equal(await dev.stop('SIGTERM', 10_000), 0);
  assert.deepEqual(processesUsing(dir), []);
  assert.ok(!existsSync(dir), 'its socket directory is gone');
});

test('the death of its parent stops it and the stack', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-devp-'));
  const socketFile = join(dir, 'socket');
  // A parent that starts it and is then killed outright.
  const parent = spawn('sh', ['-c', `"${DEV}" --kext kv --socket-file "${socketFile}" >/dev/null 2>&1 & sleep 600`], { stdio: 'ignore' });
  try {
    await until('the socket file', () => existsSync(socketFile) && readFileSync(socketFile, 'utf8').endsWith('\n'), 20_000);
    const stackDir = join(readFileSync(socketFile, 'utf8').trim(), '..');
    assert.equal(processesUsing(stackDir).length, 2);
    parent.kill('SIGKILL');
    await until('kextsim and the daemon gone', () => processesUsing(stackDir).length === 0, 15_000);
    await until('the socket directory gone', () => !existsSync(stackDir), 5_000);
  } finally {
    parent.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with a command: runs it against the stack and exits with its status', () => {
  const r = spawnSync(DEV, ['--kext', 'counter', '--', 'sh', '-c', 'test -S "$KEXTBRIDGE_SOCKET" && case "$KEXTBRIDGE_PROTO" in */counter.proto) exit 7;; esac'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 7, r.stderr);
  const bad = spawnSync(DEV, ['--kext', 'nope'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /kextbridge-dev: no kext "nope": a kext is a folder kext\/NAME with a kext\.mk; here: counter, example, kv/);
});
