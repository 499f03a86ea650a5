// What the interop suites (test/integration/interop) share: a scratch directory the
// plain user can enter, and running a client as that user, whose stdout is
// one JSON object per line, each keyed by the check it reports.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSchema } from '@kextbridge/protocol';
import { unary } from './daemon';
import { EXAMPLE_PROTO } from './paths';
import type { Stack } from './stack';
import { until } from './wait';

const example = loadSchema([EXAMPLE_PROTO]);
const SimulateExecRequest = example.lookupType('kextbridge.example.v1.SimulateExecRequest');
const SimulateExecReply = example.lookupType('kextbridge.example.v1.SimulateExecReply');

export const NOBODY = 65534;

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

export type Report = <T = Record<string, unknown>>(key: string) => T;

export function runAsNobody(command: string, args: string[]): Report {
  const r = spawnSync(command, args, { uid: NOBODY, gid: NOBODY, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return <T,>(key: string): T => {
    const line = lines.find((l) => key in l);
    assert.ok(line, `the client reported ${key}`);
    return line[key] as T;
  };
}

// An upcall handler run as the plain user (a policy granting it
// authorize_exec), answering two questions: simulate_exec is called as
// root for a path the handler denies and one it allows, and the verdicts
// must be the handler's. What every language's serve test checks.
export async function checkUpcallAnswered(stack: Stack, command: string, args: string[]): Promise<void> {
  const serve = spawn(command, args, { uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = new Promise<{ code: number | null; stderr: string }>((res) => {
    let stderr = '';
    serve.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    serve.stdout!.resume();
    serve.once('close', (code) => res({ code, stderr }));
  });
  try {
    await until('a handler', async () => (await unary<{ upcallHandlers: number }>(stack.client, 'GetStatus', {})).upcallHandlers === 1, 10_000);
    const decide = async (pid: number, path: string): Promise<{ allowed: boolean; decidedBy: string }> => {
      const payload = Buffer.from(SimulateExecRequest.encode({ pid, ppid: 1, uid: 501, path }).finish());
      const reply = await unary<{ payload: Buffer }>(stack.client, 'Call', { command: { name: 'simulate_exec' }, payload });
      return SimulateExecReply.toObject(SimulateExecReply.decode(reply.payload), { enums: String, defaults: true }) as { allowed: boolean; decidedBy: string };
    };
    assert.deepEqual(await decide(301, '/tmp/x'), { allowed: false, decidedBy: 'DECIDER_HANDLER' });
    assert.deepEqual(await decide(302, '/usr/bin/env'), { allowed: true, decidedBy: 'DECIDER_HANDLER' });
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
  } finally {
    if (serve.exitCode === null) serve.kill('SIGKILL');
  }
}
