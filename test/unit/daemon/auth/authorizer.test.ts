import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Authorizer } from 'kextbridged/internal/auth/authorizer';
import type { PeerIdentity } from 'kextbridged/internal/auth/identity';
import { FileNameResolver } from 'kextbridged/internal/auth/names';
import { Policy, type Action, type CatalogItem } from 'kextbridged/internal/auth/policy';
import type { PolicyConfig, Principal } from 'kextbridged/internal/config/schema';
import { createLogger } from 'kextbridged/internal/log';

const passwd = ['root:x:0:0:root:/root:/bin/bash', 'alice:x:1001:1001::/home/alice:/bin/sh', 'bob:x:1002:1002::/home/bob:/bin/sh', 'carol:x:1003:1003::/home/carol:/bin/sh'].join('\n');
const group = ['root:x:0:', 'admin:x:80:carol', 'staff:x:20:bob', 'alice:x:1001:', 'bob:x:1002:', 'carol:x:1003:'].join('\n');
const names = FileNameResolver.fromText(passwd, group);

const root: PeerIdentity = { uid: 0, gid: 0, pid: 10, groups: [] };
const alice: PeerIdentity = { uid: 1001, gid: 1001, pid: 11, groups: [] };
const bob: PeerIdentity = { uid: 1002, gid: 1002, pid: 12, groups: [20] }; // staff, supplementary
const carol: PeerIdentity = { uid: 1003, gid: 1003, pid: 13, groups: [80] }; // admin, supplementary
const adminByPrimaryGid: PeerIdentity = { uid: 1004, gid: 80, pid: 14, groups: [] }; // no name
const nobody: PeerIdentity = { uid: 65534, gid: 65534, pid: 15, groups: [] };

const echo: CatalogItem = { id: 1, name: 'echo', privileged: false };
const emit: CatalogItem = { id: 3, name: 'emit', privileged: true };
const exec: CatalogItem = { id: 1, name: 'exec', privileged: true };
const heartbeat: CatalogItem = { id: 2, name: 'heartbeat', privileged: false };

function emptyPolicy(): PolicyConfig {
  return { commands: {}, topics: {}, options: { get: {}, set: {} }, upcalls: {} };
}

function rule(users: Principal[] = [], groups: Principal[] = []) {
  return { users, groups };
}

function compile(policy: PolicyConfig = emptyPolicy(), adminGroup: Principal = 'admin'): Policy {
  const result = Policy.compile({ policy, adminGroup }, names);
  assert.deepEqual(result.errors, []);
  return result.policy;
}

function allowed(policy: Policy, who: PeerIdentity, action: Action): boolean {
  return policy.decide(who, action).allowed;
}

function reason(policy: Policy, who: PeerIdentity, action: Action): string {
  const decision = policy.decide(who, action);
  assert.equal(decision.allowed, false, 'expected a denial');
  return decision.allowed ? '' : decision.reason;
}

test('with no policy the kext flags decide: privileged items are for root and the admin group', () => {
  const policy = compile();
  for (const kind of ['call', 'subscribe', 'get', 'set', 'serve'] as const) {
    for (const who of [root, alice, bob, carol, nobody]) assert.ok(allowed(policy, who, { kind, item: echo }), `${kind} echo by ${who.uid}`);
    assert.ok(allowed(policy, root, { kind, item: emit }));
    assert.ok(allowed(policy, carol, { kind, item: emit }), 'admin via a supplementary group');
    assert.ok(allowed(policy, adminByPrimaryGid, { kind, item: emit }), 'admin via the primary group');
    assert.ok(!allowed(policy, alice, { kind, item: emit }));
    assert.ok(!allowed(policy, bob, { kind, item: emit }));
  }
});

test('a denial names who, what and why', () => {
  const policy = compile();
  assert.equal(reason(policy, alice, { kind: 'call', item: emit }), "uid 1001 (alice) may not call command 'emit': it is privileged; allowed: root, group admin");
  assert.equal(reason(policy, nobody, { kind: 'subscribe', item: exec }), "uid 65534 may not subscribe to topic 'exec': it is privileged; allowed: root, group admin");
  assert.equal(reason(policy, bob, { kind: 'set', item: { id: 1, name: 'log_level', privileged: true } }), "uid 1002 (bob) may not set option 'log_level': it is privileged; allowed: root, group admin");
  assert.equal(reason(policy, bob, { kind: 'get', item: { id: 1, name: 'log_level', privileged: true } }), "uid 1002 (bob) may not read option 'log_level': it is privileged; allowed: root, group admin");
  assert.equal(reason(policy, bob, { kind: 'serve', item: { id: 1, name: 'authorize_exec', privileged: true } }), "uid 1002 (bob) may not serve upcall 'authorize_exec': it is privileged; allowed: root, group admin");
});

test('an option flagged set-privileged: anyone reads it, only root and the admin group set it', () => {
  const policy = compile();
  const maxKeys: CatalogItem = { id: 3, name: 'max_keys', privileged: false, setPrivileged: true };
  for (const who of [alice, bob, nobody]) assert.ok(allowed(policy, who, { kind: 'get', item: maxKeys }));
  assert.equal(reason(policy, bob, { kind: 'set', item: maxKeys }), "uid 1002 (bob) may not set option 'max_keys': it is privileged; allowed: root, group admin");
  assert.ok(allowed(policy, carol, { kind: 'set', item: maxKeys }), 'the admin group sets it');
  assert.ok(allowed(policy, root, { kind: 'set', item: maxKeys }));
});

test('describe and status are anyone\'s; listing subscribers is root\'s and the admin group\'s', () => {
  const policy = compile();
  for (const who of [alice, nobody, carol]) {
    assert.ok(allowed(policy, who, { kind: 'describe' }));
    assert.ok(allowed(policy, who, { kind: 'status' }));
  }
  assert.ok(allowed(policy, root, { kind: 'list_subscribers' }));
  assert.ok(allowed(policy, carol, { kind: 'list_subscribers' }));
  assert.equal(reason(policy, alice, { kind: 'list_subscribers' }), "uid 1001 (alice) may not list subscribers: it shows other users' processes; allowed: root, group admin");
});

test('an entry of its own opens a privileged item to exactly the users and groups it lists', () => {
  const config = emptyPolicy();
  config.commands.emit = rule(['alice'], ['staff']);
  const policy = compile(config);
  assert.ok(allowed(policy, alice, { kind: 'call', item: emit }), 'listed user');
  assert.ok(allowed(policy, bob, { kind: 'call', item: emit }), 'member of a listed group');
  assert.ok(allowed(policy, root, { kind: 'call', item: emit }), 'root always');
  assert.equal(
    reason(policy, carol, { kind: 'call', item: emit }),
    "uid 1003 (carol) may not call command 'emit': not allowed by policy.commands.emit; allowed: root, user alice, group staff",
    'the admin group is not implied by an explicit entry',
  );
  assert.ok(!allowed(policy, alice, { kind: 'subscribe', item: { ...emit } }), 'an entry is for its own kind only');
});

test('an entry can close an ordinary item, and an empty one leaves it to root', () => {
  const config = emptyPolicy();
  config.topics.heartbeat = rule([1002]);
  config.options.set.rate = rule();
  const policy = compile(config);
  assert.ok(allowed(policy, bob, { kind: 'subscribe', item: heartbeat }), 'by numeric uid');
  assert.equal(reason(policy, alice, { kind: 'subscribe', item: heartbeat }), "uid 1001 (alice) may not subscribe to topic 'heartbeat': not allowed by policy.topics.heartbeat; allowed: root, user bob");
  const rate = { id: 2, name: 'rate', privileged: false };
  assert.ok(allowed(policy, alice, { kind: 'get', item: rate }), 'get and set are separate');
  assert.equal(reason(policy, carol, { kind: 'set', item: rate }), "uid 1003 (carol) may not set option 'rate': not allowed by policy.options.set.rate; allowed: root");
  assert.ok(allowed(policy, root, { kind: 'set', item: rate }));
});

test("entries are found by name, then by id, then '*'", () => {
  const config = emptyPolicy();
  config.commands['3'] = rule(['bob']);
  config.commands['*'] = rule(['alice']);
  config.commands.echo = rule(['*']);
  const policy = compile(config);
  assert.ok(allowed(policy, bob, { kind: 'call', item: emit }), 'by id');
  assert.ok(!allowed(policy, alice, { kind: 'call', item: emit }), 'the id entry wins over *');
  assert.ok(allowed(policy, nobody, { kind: 'call', item: echo }), "'*' user: anyone");
  const other = { id: 9, name: 'other', privileged: true };
  assert.ok(allowed(policy, alice, { kind: 'call', item: other }), "the '*' entry");
  assert.equal(reason(policy, carol, { kind: 'call', item: other }), "uid 1003 (carol) may not call command 'other': not allowed by policy.commands[\"*\"]; allowed: root, user alice");
  const groupsAnyone = emptyPolicy();
  groupsAnyone.upcalls.authorize_exec = rule([], ['*']);
  assert.ok(allowed(compile(groupsAnyone), nobody, { kind: 'serve', item: { id: 1, name: 'authorize_exec', privileged: true } }));
});

test('names that resolve to no account are config errors; a missing admin group is a warning', () => {
  const config = emptyPolicy();
  config.commands.emit = rule(['alice', 'mallory'], ['staff', 'wheel']);
  config.options.get['log.level'] = rule(['eve']);
  const result = Policy.compile({ policy: config, adminGroup: 'admin' }, names);
  assert.deepEqual(result.errors, [
    'policy.commands.emit.users[1]: no user named "mallory"',
    'policy.commands.emit.groups[1]: no group named "wheel"',
    'policy.options.get["log.level"].users[0]: no user named "eve"',
  ]);

  const noAdmin = Policy.compile({ policy: emptyPolicy(), adminGroup: 'sudo' }, names);
  assert.deepEqual(noAdmin.errors, []);
  assert.deepEqual(noAdmin.warnings, ['adminGroup: no group named "sudo"; privileged items are for root only']);
  assert.equal(
    reason(noAdmin.policy, carol, { kind: 'call', item: emit }),
    "uid 1003 (carol) may not call command 'emit': it is privileged; allowed: root only (adminGroup \"sudo\" does not exist)",
  );
  assert.ok(allowed(noAdmin.policy, root, { kind: 'call', item: emit }));

  const adminById = compile(emptyPolicy(), 20);
  assert.ok(allowed(adminById, bob, { kind: 'call', item: emit }), 'adminGroup as a gid');
  assert.equal(reason(adminById, carol, { kind: 'call', item: emit }), "uid 1003 (carol) may not call command 'emit': it is privileged; allowed: root, group staff");
});

test('the authorizer counts and audits every denial and every privileged action', () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const log = createLogger({ level: 'info', destination: sink });
  const authorizer = new Authorizer(compile(), log);

  assert.equal(authorizer.check(alice, { kind: 'call', item: echo }).allowed, true);
  assert.equal(lines.length, 0, 'an ordinary allowed call leaves no audit line');

  assert.equal(authorizer.check(alice, { kind: 'call', item: emit }).allowed, false);
  assert.equal(authorizer.check(carol, { kind: 'subscribe', item: exec }).allowed, true);
  assert.equal(authorizer.check(nobody, { kind: 'list_subscribers' }).allowed, false);
  assert.equal(authorizer.denied, 2);
  assert.equal(lines.length, 3);
  assert.deepEqual(
    { ...lines[0], time: undefined },
    {
      level: 'warn',
      time: undefined,
      pid: process.pid,
      audit: 'denied',
      client: { uid: 1001, gid: 1001, pid: 11 },
      action: 'call',
      item: 'emit',
      itemId: 3,
      reason: "uid 1001 (alice) may not call command 'emit': it is privileged; allowed: root, group admin",
      msg: 'denied',
    },
  );
  assert.equal(lines[1]!.audit, 'privileged');
  assert.deepEqual(lines[1]!.client, { uid: 1003, gid: 1003, pid: 13 });
  assert.equal(lines[1]!.item, 'exec');
  assert.equal(lines[2]!.action, 'list_subscribers');

  // A reload swaps the policy whole.
  const open = emptyPolicy();
  open.commands.emit = rule(['alice']);
  authorizer.setPolicy(compile(open));
  assert.equal(authorizer.check(alice, { kind: 'call', item: emit }).allowed, true);
  assert.equal(authorizer.denied, 2);
});
