// Who may do what, end to end: root, a member of the admin group and a
// plain user (both created by the test) each call every kextbridge.v1 RPC
// over their own connection, and the daemon decides from the uid the
// kernel reported for it. With no policy in the config, items the kext
// flags privileged (emit, exec, every option, authorize_exec) are for root
// and the admin group; a denial names the item and the rule.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { startKextsim, type Kextsim } from '../support/kextsim';
import { startDaemon, type Daemon } from '../support/daemon';
import { startUidClient, type UidClient } from '../support/uid-client';

const tag = randomBytes(3).toString('hex');
const ADMIN_GROUP = `kbt-adm-${tag}`;
const ADMIN_USER = `kbt-a-${tag}`;
const PLAIN_USER = `kbt-p-${tag}`;

let sim: Kextsim;
let daemon: Daemon;
const sessions: Record<string, UidClient> = {};

function uidGid(user: string): { uid: number; gid: number } {
  const id = (flag: string): number => Number(execFileSync('id', [flag, user]).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

before(async () => {
  execFileSync('groupadd', [ADMIN_GROUP]);
  execFileSync('useradd', ['-M', '-N', '-s', '/usr/sbin/nologin', '-G', ADMIN_GROUP, ADMIN_USER]);
  execFileSync('useradd', ['-M', '-N', '-s', '/usr/sbin/nologin', PLAIN_USER]);
  sim = await startKextsim([]);
  daemon = await startDaemon(sim.socket, ['--admin-group', ADMIN_GROUP]);
  sessions['root'] = startUidClient(daemon.socket, 0);
  for (const [who, user] of [['admin', ADMIN_USER], ['plain', PLAIN_USER]] as const) {
    const { uid, gid } = uidGid(user);
    sessions[who] = startUidClient(daemon.socket, uid, gid);
  }
});

after(async () => {
  for (const s of Object.values(sessions)) await s.close();
  await daemon?.stop();
  await sim?.stop();
  for (const user of [ADMIN_USER, PLAIN_USER]) execFileSync('userdel', [user], { stdio: 'ignore' });
  execFileSync('groupdel', [ADMIN_GROUP], { stdio: 'ignore' });
});

const OK = 0;
const DENIED = 7;
// Heartbeat, ExecVerdict and friends as bytes: the generic API takes any.
const echoPayload = Buffer.from([0x0a, 0x02, 0x68, 0x69]).toString('base64');
const emitPayload = Buffer.from([0x08, 0x01, 0x10, 0x01]).toString('base64'); // topic 1, count 1

const MATRIX: Array<{ rpc: string; method: string; request: unknown; root: number; admin: number; plain: number; names?: RegExp }> = [
  { rpc: 'Describe', method: 'Describe', request: {}, root: OK, admin: OK, plain: OK },
  { rpc: 'GetStatus', method: 'GetStatus', request: {}, root: OK, admin: OK, plain: OK },
  { rpc: 'WatchStatus', method: 'WatchStatus', request: {}, root: OK, admin: OK, plain: OK },
  { rpc: 'Call echo', method: 'Call', request: { command: { name: 'echo' }, payload: echoPayload }, root: OK, admin: OK, plain: OK },
  { rpc: 'Call emit (privileged)', method: 'Call', request: { command: { name: 'emit' }, payload: emitPayload }, root: OK, admin: OK, plain: DENIED, names: /emit/ },
  { rpc: 'Subscribe heartbeat', method: 'Subscribe', request: { topics: [{ name: 'heartbeat' }] }, root: OK, admin: OK, plain: OK },
  { rpc: 'Subscribe exec (privileged)', method: 'Subscribe', request: { topics: [{ name: 'exec' }] }, root: OK, admin: OK, plain: DENIED, names: /exec/ },
  { rpc: 'GetOption', method: 'GetOption', request: { option: { name: 'log_level' } }, root: OK, admin: OK, plain: DENIED, names: /log_level/ },
  { rpc: 'SetOption', method: 'SetOption', request: { option: { name: 'log_level' }, value: { int64Value: '2' } }, root: OK, admin: OK, plain: DENIED, names: /log_level/ },
  { rpc: 'Serve', method: 'Serve', request: { register: { upcall: { name: 'authorize_exec' } } }, root: OK, admin: OK, plain: DENIED, names: /authorize_exec/ },
  { rpc: 'ListSubscribers', method: 'ListSubscribers', request: {}, root: OK, admin: OK, plain: DENIED, names: /subscribers/i },
];

for (const row of MATRIX) {
  test(`${row.rpc}: root ${row.root === OK ? 'yes' : 'no'}, admin group ${row.admin === OK ? 'yes' : 'no'}, plain user ${row.plain === OK ? 'yes' : 'no'}`, async () => {
    for (const who of ['root', 'admin', 'plain'] as const) {
      const r = await sessions[who]!.call(row.method, row.request);
      assert.equal(r.code, row[who], `${row.rpc} as ${who}: ${r.code} ${r.details}`);
      if (r.code === DENIED) {
        assert.match(r.details, row.names!, `the denial names what was denied: ${r.details}`);
        assert.match(r.details, /privileged|admin|root|policy/i, `and why: ${r.details}`);
      }
    }
  });
}

test('every denial and every privileged action above is in the audit log with the uid it was for', () => {
  const audit = daemon.logs.filter((l) => l.includes('"audit":')).map((l) => JSON.parse(l) as { audit: string; client: { uid: number }; item?: string });
  const privilegedRows = MATRIX.filter((r) => r.plain === DENIED).length;
  const plainUid = uidGid(PLAIN_USER).uid;
  const adminUid = uidGid(ADMIN_USER).uid;
  const denied = audit.filter((a) => a.audit === 'denied');
  assert.equal(denied.length, privilegedRows, JSON.stringify(denied));
  for (const d of denied) assert.equal(d.client.uid, plainUid);
  for (const uid of [0, adminUid]) {
    const done = audit.filter((a) => a.audit === 'privileged' && a.client.uid === uid);
    assert.equal(done.length, privilegedRows, `privileged actions by uid ${uid}: ${JSON.stringify(done)}`);
  }
});
