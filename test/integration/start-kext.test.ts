// `npm start -- --kext NAME` serves any kext the build found with its own
// .proto (from kext/NAME/kext.mk): no list of kexts to edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startProcess } from '../../scripts/lib/processes';
import { cli } from '../support/cli';
import { COUNTER_PROTO, ROOT as root } from '../support/paths';

const START = join(root, 'dist/scripts/start.js');

test('npm start -- --kext counter serves the counter kext from counter.proto', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-start-'));
  chmodSync(dir, 0o755);
  const start = startProcess(process.execPath, [START, '--kext', 'counter'], 'pipe', { ...process.env, KEXTBRIDGE_RUN_DIR: dir });
  try {
    await start.waitForLine((l) => l.startsWith('kextbridged is serving'), 20_000, 'npm start');
    const socket = join(dir, 'kextbridge.sock');
    const added = await cli(socket, ['call', 'add', '--json', '{"delta":5}'], 65534, 15_000, { KEXTBRIDGE_PROTO: COUNTER_PROTO });
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /"value":\s*"5"/);
    const described = await cli(socket, ['describe'], undefined, 15_000, { KEXTBRIDGE_PROTO: COUNTER_PROTO });
    assert.match(described.stdout, /org\.kextbridge\.counter/);
  } finally {
    assert.equal(await start.stop('SIGTERM', 10_000), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start -- --kext with no such kext names the ones there are', async () => {
  const start = startProcess(process.execPath, [START, '--kext', 'nope'], 'pipe');
  const code = await start.stop('SIGCONT', 10_000);
  assert.equal(code, 2);
  assert.match(start.stderr.join(''), /no kext "nope": a kext is a folder kext\/NAME with a kext\.mk; here: counter, example/);
});
