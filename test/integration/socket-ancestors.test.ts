// The real kextbridged refuses to start on a socket path another user
// could replace through a directory above the socket's own, and names the
// directory and why; /tmp/x (root's, under the sticky /tmp) is fine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { finished } from '../support/cli';
import { DAEMON_MAIN } from '../support/paths';

function daemonAt(socket: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return finished(spawn(process.execPath, [DAEMON_MAIN, '--socket', socket, '--kext-socket', '/nonexistent/kextsim.sock', '--log-level', 'info']), 15_000);
}

test('a nobody-owned grandparent stops kextbridged at start, naming it', async () => {
  const dir = mkdtempSync('/tmp/kb-anc-');
  try {
    chmodSync(dir, 0o755);
    const grand = join(dir, 'grand');
    mkdirSync(join(grand, 'run'), { recursive: true, mode: 0o755 });
    chownSync(grand, 65534, 65534);
    const socket = join(grand, 'run', 'kb.sock');
    const r = await daemonAt(socket);
    assert.notEqual(r.code, 0, 'it does not start');
    assert.match(r.stdout + r.stderr, new RegExp(`${grand} \\(an ancestor of socket directory ${join(grand, 'run')}\\) is owned by uid 65534`));
    assert.equal(existsSync(socket), false, 'no socket was made');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
