// Program rules in the policy: a rule that names programs also requires the
// caller to run one of them (Linux: the executable's path and/or SHA-256;
// macOS: a code-signing requirement), and its denials name what was
// required and what the caller was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Authorizer } from 'kextbridged/internal/auth/authorizer';
import type { PeerIdentity, ProgramIdentity } from 'kextbridged/internal/auth/identity';
import { FileNameResolver } from 'kextbridged/internal/auth/names';
import { Policy, type Action, type CatalogItem } from 'kextbridged/internal/auth/policy';
import type { PolicyConfig, PolicyRule } from 'kextbridged/internal/config/schema';
import { createLogger } from 'kextbridged/internal/log';

const names = FileNameResolver.fromText(['root:x:0:0::/:/bin/sh', 'alice:x:1001:1001::/:/bin/sh', 'bob:x:1002:1002::/:/bin/sh'].join('\n'), ['root:x:0:', 'admin:x:80:', 'alice:x:1001:', 'bob:x:1002:'].join('\n'));

const AGENT = '/usr/libexec/agent';
const AGENT_SHA = 'a'.repeat(64);
const agent: ProgramIdentity = { pid: 11, path: AGENT, sha256: AGENT_SHA };
const python: ProgramIdentity = { pid: 11, path: '/usr/bin/python3', sha256: 'b'.repeat(64) };

function as(uid: number, program?: ProgramIdentity, groups: number[] = []): PeerIdentity {
  return { uid, gid: uid, pid: 11, groups, ...(program ? { program } : {}) };
}

const execUpcall: CatalogItem = { id: 1, name: 'authorize_exec', privileged: true };
const echo: CatalogItem = { id: 1, name: 'echo', privileged: false };
const serve: Action = { kind: 'serve', item: execUpcall };

function policyWith(kind: 'upcalls' | 'commands', key: string, rule: PolicyRule, admin?: PolicyRule): Policy {
  const policy: PolicyConfig = { commands: {}, topics: {}, options: { get: {}, set: {} }, upcalls: {}, ...(admin ? { admin } : {}) };
  policy[kind][key] = rule;
  const compiled = Policy.compile({ policy, adminGroup: 'admin' }, names);
  assert.deepEqual(compiled.errors, []);
  return compiled.policy;
}

function denial(policy: Policy, who: PeerIdentity, action: Action): string {
  const d = policy.decide(who, action);
  assert.equal(d.allowed, false, 'expected a denial');
  return d.allowed ? '' : d.reason;
}

test('programs alone: any user running the program, no one running another; root as always', () => {
  const p = policyWith('upcalls', 'authorize_exec', { users: [], groups: [], programs: [{ path: AGENT }] });
  assert.equal(p.decide(as(1001, agent), serve).allowed, true);
  assert.equal(p.decide(as(1002, agent), serve).allowed, true);
  const why = denial(p, as(1001, python), serve);
  assert.match(why, /uid 1001 \(alice\) may not serve upcall 'authorize_exec': policy\.upcalls\.authorize_exec requires \/usr\/libexec\/agent; caller \/usr\/bin\/python3 \(sha256 bbbbbbbbbbbb…, pid 11 at connect\)/);
  assert.match(denial(p, as(1001), serve), /caller's program unknown/, 'no program read: denied, never guessed');
  assert.equal(p.decide(as(0, python), serve).allowed, true);
  assert.equal(p.needsProgramHash, false, 'a path rule hashes nothing');
});

test('user and program together: both must hold, and the denial says which did not', () => {
  const p = policyWith('commands', 'echo', { users: ['alice'], groups: [], programs: [{ path: AGENT, sha256: AGENT_SHA }] });
  const call: Action = { kind: 'call', item: echo };
  assert.equal(p.decide(as(1001, agent), call).allowed, true);
  assert.match(denial(p, as(1002, agent), call), /not allowed by policy\.commands\.echo; allowed: root, user alice, running \/usr\/libexec\/agent \(sha256 aaaaaaaaaaaa…\); caller \/usr\/libexec\/agent \(sha256 aaaaaaaaaaaa…, pid 11 at connect\)$/);
  const changed = { ...agent, sha256: 'c'.repeat(64) };
  assert.match(denial(p, as(1001, changed), call), /requires \/usr\/libexec\/agent \(sha256 aaaaaaaaaaaa…\); caller \/usr\/libexec\/agent \(sha256 cccccccccccc…/);
  assert.equal(p.needsProgramHash, true);
  const unhashed = { pid: 11, path: AGENT };
  assert.match(denial(p, as(1001, unhashed), call), /SHA-256 was not taken when it connected/);
});

test('sha256 without a path: that content wherever it lives', () => {
  const p = policyWith('upcalls', '*', { users: [], groups: [], programs: [{ sha256: AGENT_SHA }] });
  assert.equal(p.decide(as(1001, { ...agent, path: '/tmp/copy' }), serve).allowed, true);
  assert.match(denial(p, as(1001, python), serve), /requires any executable with sha256 aaaaaaaaaaaa…/);
});

test('macOS rules ask the caller\'s signature about the built requirement', () => {
  const asked: string[] = [];
  const signed: ProgramIdentity = { pid: 11, signature: 'signed', satisfies: (req) => (asked.push(req), req.includes('ABCDE12345')) };
  const p = policyWith('upcalls', 'authorize_exec', { users: [], groups: [], programs: [{ teamId: 'ABCDE12345', identifier: 'com.example.agent' }] });
  assert.equal(p.decide(as(501, signed), serve).allowed, true);
  assert.deepEqual(asked, ['anchor apple generic and certificate leaf[subject.OU] = "ABCDE12345" and identifier "com.example.agent"']);
  const other: ProgramIdentity = { pid: 11, path: '/usr/bin/python3', signature: 'unsigned', satisfies: () => false };
  assert.match(denial(p, as(501, other), serve), /requires program com\.example\.agent signed by team ABCDE12345; caller \/usr\/bin\/python3 \(unsigned, pid 11 at connect\)/);
});

test('policy.admin decides ListSubscribers, programs included; without it the admin group does', () => {
  const list: Action = { kind: 'list_subscribers' };
  const plain = policyWith('commands', 'echo', { users: ['*'], groups: [] });
  assert.equal(plain.decide(as(1001, agent, [80]), list).allowed, true);
  const p = policyWith('commands', 'echo', { users: ['*'], groups: [] }, { users: [], groups: ['admin'], programs: [{ path: AGENT }] });
  assert.equal(p.decide(as(1001, agent, [80]), list).allowed, true);
  assert.match(denial(p, as(1001, python, [80]), list), /may not list subscribers: policy\.admin requires \/usr\/libexec\/agent/);
  assert.match(denial(p, as(1002, agent), list), /not allowed by policy\.admin/);
});

test('identifier without teamId is warned of: any developer can sign with it', () => {
  const policy: PolicyConfig = { commands: {}, topics: {}, options: { get: {}, set: {} }, upcalls: { x: { users: [], groups: [], programs: [{ identifier: 'com.example.agent' }] } } };
  const compiled = Policy.compile({ policy, adminGroup: 'admin' }, names);
  assert.match(compiled.warnings.join('\n'), /policy\.upcalls\.x\.programs\[0\]: identifier com\.example\.agent without teamId/);
});

test('the audit line of a denial carries the program with the uid', () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
  const auth = new Authorizer(policyWith('upcalls', 'authorize_exec', { users: [], groups: [], programs: [{ path: AGENT }] }), createLogger({ level: 'info', destination: sink }));
  auth.check(as(1001, python), serve);
  const line = JSON.parse(lines[0]!) as { client: { uid: number; program: { path: string; sha256: string } } };
  assert.equal(line.client.uid, 1001);
  assert.deepEqual(line.client.program, { path: '/usr/bin/python3', sha256: 'b'.repeat(64) });
});
