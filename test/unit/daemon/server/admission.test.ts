// server/admission.ts: per-uid caps, the reserve kept for privileged
// peers, release, and refusals counted per uid with the log rate-limited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';

import type { PeerIdentity } from 'kextbridged/internal/auth/identity';
import { createLogger } from 'kextbridged/internal/log';
import { Admission, ensureFileLimit } from 'kextbridged/internal/server/admission';

const user = (uid: number): PeerIdentity => ({ uid, gid: uid, pid: 1, groups: [] });

function logged(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const dest = new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) });
  return { lines, log: createLogger({ level: 'info', destination: dest }) };
}

test('an unprivileged uid is capped; privileged peers use the reserve; release gives back', () => {
  const { log } = logged();
  const a = new Admission({ perUid: 2, total: 6, reserved: 2 }, (p) => p.uid === 0, log);
  const alice = [a.admit(user(1001)), a.admit(user(1001))];
  assert.ok(alice.every((x) => x.ok));
  const third = a.admit(user(1001));
  assert.equal(third.ok, false);
  assert.match((third as { reason: string }).reason, /uid 1001 holds 2 connections/);
  assert.ok(a.admit(user(1002)).ok);
  assert.ok(a.admit(user(1003)).ok);
  const reserved = a.admit(user(1004));
  assert.equal(reserved.ok, false, 'four held: the last two are reserved');
  assert.match((reserved as { reason: string }).reason, /kept for root/);
  assert.ok(a.admit(user(0)).ok && a.admit(user(0)).ok, 'root takes the reserve');
  assert.equal(a.admit(user(0)).ok, false, 'and nothing past the total');
  (alice[0] as { release(): void }).release();
  (alice[0] as { release(): void }).release();
  assert.equal(a.held(1001), 1, 'a second release counts once');
  assert.equal(a.total, 5);
  assert.deepEqual([...a.refused], [[1001, 1], [1004, 1], [0, 1]]);
});

test('refusals are logged at most once per uid per interval, with the count', () => {
  const { lines, log } = logged();
  const a = new Admission({ perUid: 1, total: 100, reserved: 0 }, () => false, log);
  a.admit(user(7));
  for (let i = 0; i < 500; i++) a.admit(user(7));
  assert.equal(a.refused.get(7), 500);
  assert.equal(lines.filter((l) => l.includes('refused a connection')).length, 1);
});

test('the descriptor limit is raised to maxConnections and headroom, or the shortfall logged', () => {
  const { lines, log } = logged();
  let asked = 0;
  ensureFileLimit(1000, (w) => ((asked = w), { soft: w, hard: w }), log);
  assert.equal(asked, 1256);
  assert.equal(lines.length, 0);
  ensureFileLimit(1000, () => ({ soft: 1024, hard: 1024 }), log);
  assert.match(lines.join(''), /below what limits.maxConnections needs/);
});
