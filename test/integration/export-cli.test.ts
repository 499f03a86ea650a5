// kextbridge-export's command line without NATS: what it refuses, and how
// it says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/paths';

const run = (args: string[]): { status: number | null; stderr: string } => {
  const r = spawnSync(process.execPath, [join(ROOT, 'export/dist/main.js'), ...args], { encoding: 'utf8', timeout: 15_000 });
  return { status: r.status, stderr: r.stderr };
};

test('run with no topic to export is a usage error that says what to give; status needs no topics', () => {
  const none = run(['run', '--server', 'nats://127.0.0.1:1']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /topics: name at least one topic to export \(config "topics" or --topic\)/);
  const status = run(['status', '--cursor', '/nonexistent/cursor']);
  assert.equal(status.status, 1);
  assert.match(status.stderr, /ENOENT.*\/nonexistent\/cursor\.status\.json/);
});

test('a bad flag value names the flag and what it got', () => {
  const bad = run(['run', '--topic', 'exec', '--replicas', '9']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--replicas: replicas must be an integer 1\.\.5, got 9/);
});
