// What the interop suites (test/integration/interop) share: a scratch directory the
// plain user can enter, and running a client as that user, whose stdout is
// one JSON object per line, each keyed by the check it reports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
