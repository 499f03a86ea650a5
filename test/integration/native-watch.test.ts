// The kext-arrival watcher (Linux: kextsim's socket path) and the daemon
// using it to connect at once instead of after its backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { watchControl } from '@kextbridge/native/internal/watch';
import { startKextsim } from '../support/kextsim';
import { ROOT as root } from '../support/paths';


test('registered when the kext appears, deregistered when it goes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-watch-'));
  const socket = join(dir, 'kextsim.sock');
  const w = watchControl(socket);
  try {
    const appeared = once(w, 'registered');
    const sim = await startKextsim([], { socket, ownDir: false });
    await appeared;
    const gone = once(w, 'deregistered');
    await sim.stop(true);
    await gone;
  } finally {
    w.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the daemon connects as soon as the kext appears, not when its backoff ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-arrive-'));
  chmodSync(dir, 0o755);
  const kextSocket = join(dir, 'kextsim.sock');
  const config = join(dir, 'config.json');
  // Without the watcher the daemon would wait at least 15 s before retrying.
  writeFileSync(config, JSON.stringify({ socketPath: join(dir, 'kb.sock'), allowAnyUserSocket: true, kext: { socketPath: kextSocket, reconnectMinMs: 20_000, reconnectMaxMs: 60_000 } }));
  const daemon = spawn(process.execPath, [join(root, 'daemon/dist/main.js'), '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const seen = (text: string): Promise<void> =>
    new Promise((res) => {
      if (lines.some((l) => l.includes(text))) return res();
      const check = (l: string): void => {
        if (l.includes(text)) res();
      };
      rl.on('line', check);
    });
  const rl = createInterface({ input: daemon.stdout! });
  rl.on('line', (l) => lines.push(l));
  let sim: Awaited<ReturnType<typeof startKextsim>> | null = null;
  try {
    await seen('"msg":"serving"');
    await seen('no kext at');
    sim = await startKextsim([], { socket: kextSocket, ownDir: false });
    const t0 = Date.now();
    await seen('"msg":"kext link ready"');
    const took = Date.now() - t0;
    assert.ok(took < 3000, `connected ${took} ms after the kext appeared`);
  } finally {
    daemon.kill('SIGTERM');
    await once(daemon, 'exit');
    await sim?.stop(true);
    rmSync(dir, { recursive: true, force: true });
  }
});
