// The daemon started before its kext: it serves at once, says NOT_SERVING,
// refuses calls at once with a message that says where it looked, retries
// quietly (one log line per state change, however many attempts), and
// serves as soon as the kext appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceError } from '@grpc/grpc-js';

import { startKextsim } from '../support/kextsim';
import { bridgeClient, healthClient, startDaemon, unary } from '../support/daemon';
import { until } from '../support/wait';

const linkLines = (logs: string[]): Array<{ link: string; detail: string }> =>
  logs.filter((l) => l.includes('"module":"link"')).map((l) => JSON.parse(l) as { link: string; detail: string });

test('no kext: NOT_SERVING, calls refused at once naming the socket, one log line while retrying; SERVING when it appears', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-absent-'));
  const kextSocket = join(dir, 'kext.sock');
  const config = join(dir, 'config.json');
  // Fast retries, so a log line per attempt would show as a flood.
  writeFileSync(config, JSON.stringify({ kext: { reconnectMinMs: 10, reconnectMaxMs: 40 } }));
  const daemon = await startDaemon(kextSocket, ['--config', config], { until: '"msg":"kext link connecting"' });
  const client = bridgeClient(daemon.socket);
  const health = healthClient(daemon.socket);
  try {
    assert.equal((await unary<{ status: string }>(health, 'Check', { service: '' })).status, 'NOT_SERVING');
    const t0 = Date.now();
    const err = await unary(client, 'Call', { command: { name: 'echo' } }).then(
      () => assert.fail('a call without a kext succeeded'),
      (e: ServiceError) => e,
    );
    assert.equal(err.code, 14, err.details);
    assert.ok(Date.now() - t0 < 1000, `refused after ${Date.now() - t0} ms, not at once`);
    // About 40 attempts at these intervals; the log says it once.
    await new Promise((r) => setTimeout(r, 1500));
    const quiet = linkLines(daemon.logs);
    assert.equal(quiet.length, 1, `link log lines while absent:\n${quiet.map((l) => JSON.stringify(l)).join('\n')}`);
    assert.equal(quiet[0]!.link, 'connecting');
    assert.ok(quiet[0]!.detail.includes(kextSocket), quiet[0]!.detail);

    const sim = await startKextsim([], { socket: kextSocket, ownDir: false });
    try {
      await until('health SERVING', async () => (await unary<{ status: string }>(health, 'Check', { service: '' })).status === 'SERVING', 5000);
      const reply = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'echo' }, payload: Buffer.from([0x0a, 0x01, 0x78]) });
      assert.deepEqual(reply.payload, Buffer.from([0x0a, 0x01, 0x78]));
      // Still one line per change: a new reason (the socket appearing
      // before kextsim listens) is a change; the same line twice is not.
      const lines = linkLines(daemon.logs).map((l) => `${l.link}: ${l.detail}`);
      assert.ok(lines.at(-1)!.startsWith('ready: '), lines.join('\n'));
      for (let i = 1; i < lines.length; i++) assert.notEqual(lines[i], lines[i - 1], `logged twice: ${lines[i]}`);
      assert.ok(lines.length <= 4, lines.join('\n'));
    } finally {
      await sim.stop();
    }
  } finally {
    client.close();
    health.close();
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
