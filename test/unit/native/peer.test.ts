// native/lib/peer.ts PeerIdentities: a uid's groups are looked up off the
// event loop once, shared by the connections that wait for them, served
// from the cache after, and refreshed in the background when old.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { binding } from '@kextbridge/native/internal/binding';
import { PeerIdentities } from '@kextbridge/native/internal/peer';

const creds = { uid: 1001, gid: 1001, pid: 7, groups: [] as number[] };

test('one lookup for many waiting connections, the cache after, a background refresh when old', async () => {
  let now = 0;
  const answers = [[1001, 20], [1001, 20, 30]];
  const asked: number[] = [];
  const ids = new PeerIdentities({ ttlMs: 1000, now: () => now, lookup: async (uid) => (asked.push(uid), answers.shift()!) });
  const first = ids.withGroups(creds);
  const second = ids.withGroups({ ...creds, pid: 8 });
  assert.ok(first instanceof Promise && second instanceof Promise, 'unknown uid: wait for the lookup');
  assert.deepEqual((await first).groups, [1001, 20]);
  assert.deepEqual(await second, { ...creds, pid: 8, groups: [1001, 20] });
  assert.equal(ids.lookups, 1, 'one lookup for both');
  const cached = ids.withGroups(creds);
  assert.ok(!(cached instanceof Promise), 'known uid: at once');
  now = 5000;
  const stale = ids.withGroups(creds);
  assert.deepEqual((stale as { groups: number[] }).groups, [1001, 20], 'old groups serve while the refresh runs');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual((ids.withGroups(creds) as { groups: number[] }).groups, [1001, 20, 30]);
  assert.deepEqual(asked, [1001, 1001]);
});

test('a failed lookup refuses that connection and is tried again for the next', async () => {
  let fail = true;
  const ids = new PeerIdentities({ lookup: async () => (fail ? Promise.reject(new Error('directory down')) : [5]) });
  await assert.rejects(ids.withGroups(creds) as Promise<unknown>, /directory down/);
  fail = false;
  assert.deepEqual((await ids.withGroups(creds)).groups, [5]);
});

test('the addon looks groups up on the thread pool (Linux)', { skip: process.platform !== 'linux' }, async () => {
  const groups = await binding.groupList!(0, 0);
  assert.ok(groups.includes(0), `root's groups ${JSON.stringify(groups)} include gid 0`);
  assert.deepEqual(await binding.groupList!(4_000_000, 4_000_001), [4_000_001], 'a uid with no passwd entry: its gid alone');
});
