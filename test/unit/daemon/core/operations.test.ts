// The operations (core/operations.ts): each is refused by the policy with
// PERMISSION_DENIED and the rule's reason; names resolve or say what
// exists; the one overflow mapping refuses what it does not know.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Authorizer } from 'kextbridged/internal/auth/authorizer';
import type { PeerIdentity } from 'kextbridged/internal/auth/identity';
import { FileNameResolver } from 'kextbridged/internal/auth/names';
import { Policy } from 'kextbridged/internal/auth/policy';
import { Operations, parseOverflow, type Outcome } from 'kextbridged/internal/core/operations';
import { KernelSession } from 'kextbridged/internal/core/session';
import { createLogger } from 'kextbridged/internal/log';
import { FrameType, Status, type CommandEntry, type OptionEntry, type TopicEntry, type UpcallEntry } from 'kextbridged/internal/wire/index';
import { readyLink } from '../../../support/fake-kext';
import { FakeSink } from '../../../support/fake-sink';

const names = FileNameResolver.fromText('root:x:0:0::/:/bin/sh\nalice:x:1001:1001::/:/bin/sh', 'root:x:0:\nalice:x:1001:');
const root: PeerIdentity = { uid: 0, gid: 0, pid: 10, groups: [] };
const alice: PeerIdentity = { uid: 1001, gid: 1001, pid: 11, groups: [] };

function ops(): Operations {
  const { link } = readyLink();
  const session = new KernelSession(link, { limits: { maxInflight: 8, maxQueued: 8, defaultDeadlineMs: 200, ringEvents: 10, ringBytes: 1 << 20 }, log: createLogger({ level: 'silent' }) });
  session.requests.linkUp(8);
  const compiled = Policy.compile(
    { adminGroup: 'admin', policy: { commands: { echo: { users: ['root'], groups: [] } }, topics: {}, options: { get: {}, set: { log_level: { users: ['root'], groups: [] } } }, upcalls: {} } },
    names,
  );
  const auth = new Authorizer(compiled.policy, createLogger({ level: 'silent' }));
  return new Operations({ session, auth, limits: { subscriberQueueDefault: 4, subscriberQueueMax: 8, subscriberQueueBytes: 1 << 20, maxBatch: 16 }, startedAt: Date.now(), connections: () => 0 });
}

function refused<T>(o: Outcome<T>): { code: number; message: string } {
  assert.equal(o.ok, false, 'refused');
  return o as { ok: false; code: number; message: string };
}

const sink = new FakeSink();

test('each operation is refused by the policy with PERMISSION_DENIED and a reason', async () => {
  const o = ops();
  const find = <E>(kind: 'command' | 'topic' | 'option' | 'upcall', name: string): E => {
    const r = o.find(kind, { name });
    assert.ok(r.ok, `${kind} ${name}`);
    return r.value as E;
  };
  const ctx = { deadlineMs: 100 };
  const denied = [
    refused(await o.call(alice, find<CommandEntry>('command', 'echo'), Uint8Array.of(1), ctx)),
    refused(await o.call(alice, find<CommandEntry>('command', 'emit'), Uint8Array.of(1), ctx)),
    refused(await o.setOption(alice, find<OptionEntry>('option', 'log_level'), 1n, ctx)),
    refused(o.subscribe(alice, { topics: [find<TopicEntry>('topic', 'exec')], sinceSeq: 0, sinceEpoch: '', overflow: 'OVERFLOW_POLICY_DROP_OLDEST', queueLimit: 0, maxBatch: 0, sink })),
    refused(o.serve(alice, find<UpcallEntry>('upcall', 'authorize_exec'), { write: () => {} })),
  ];
  for (const d of denied) {
    assert.equal(d.code, Status.PERMISSION_DENIED);
    assert.ok(d.message.length > 10, `a reason: ${d.message}`);
  }
  // Root may: the subscription and the handler are taken.
  assert.ok(o.subscribe(root, { topics: [find<TopicEntry>('topic', 'exec')], sinceSeq: 0, sinceEpoch: '', overflow: 'OVERFLOW_POLICY_DROP_OLDEST', queueLimit: 0, maxBatch: 0, sink }).ok);
  assert.ok(o.serve(root, find<UpcallEntry>('upcall', 'authorize_exec'), { write: () => {} }).ok);
  assert.ok(o.subscribe(alice, { topics: [find<TopicEntry>('topic', 'heartbeat')], sinceSeq: 0, sinceEpoch: '', overflow: 'OVERFLOW_POLICY_DROP_OLDEST', queueLimit: 0, maxBatch: 0, sink }).ok, 'a plain topic for anyone');
  assert.ok(o.mayLook(alice, 'describe').ok);
  assert.equal(refused(o.subscribers(alice)).code, Status.PERMISSION_DENIED);
});

test('a bad option value never reaches the kext', async () => {
  const o = ops();
  const r = o.find<OptionEntry>('option', { name: 'log_level' });
  assert.ok(r.ok);
  const sent = o.session.link.counters.framesOut;
  const out = refused(await o.setOption(root, r.value, 9n, {}));
  assert.equal(out.code, Status.OUT_OF_RANGE);
  await new Promise((res) => setImmediate(res));
  assert.equal(o.session.link.counters.framesOut, sent);
  void FrameType;
});

test('names and ids resolve, or the refusal lists what the catalog has', () => {
  const o = ops();
  assert.equal((o.find<CommandEntry>('command', { id: 3 }) as { value: CommandEntry }).value.name, 'emit');
  const missing = refused(o.find('command', { name: 'nope' }));
  assert.equal(missing.code, Status.NOT_FOUND);
  assert.match(missing.message, /it has: echo \(1\), emit \(3\)/);
  assert.equal(refused(o.find('topic', {})).code, Status.INVALID_ARGUMENT);
  assert.equal(refused(o.subscribe(root, { topics: [], sinceSeq: 0, sinceEpoch: '', overflow: 'OVERFLOW_POLICY_DROP_OLDEST', queueLimit: 0, maxBatch: 0, sink })).code, Status.INVALID_ARGUMENT);
});

test('the queue limit and batch a subscriber asks for are capped by config', () => {
  const o = ops();
  const t = o.find<TopicEntry>('topic', { name: 'heartbeat' });
  assert.ok(t.ok);
  assert.ok(o.subscribe(root, { topics: [t.value], sinceSeq: 0, sinceEpoch: '', overflow: 'OVERFLOW_POLICY_DROP_NEWEST', queueLimit: 1000, maxBatch: 0, sink }).ok);
  assert.ok(o.subscribe(root, { topics: [t.value], sinceSeq: 0, sinceEpoch: '', overflow: 'OVERFLOW_POLICY_DISCONNECT', queueLimit: 0, maxBatch: 0, sink }).ok);
  const list = o.session.events.list();
  assert.deepEqual(
    list.map((s) => s.overflow),
    ['OVERFLOW_POLICY_DROP_NEWEST', 'OVERFLOW_POLICY_DISCONNECT'],
  );
});

test('overflow policies: each name maps once; an unknown value is INVALID_ARGUMENT, never drop_oldest', () => {
  const cases: Array<[string | number | undefined, string]> = [
    [undefined, 'OVERFLOW_POLICY_DROP_OLDEST'],
    [0, 'OVERFLOW_POLICY_DROP_OLDEST'],
    [2, 'OVERFLOW_POLICY_DROP_NEWEST'],
    ['OVERFLOW_POLICY_UNSPECIFIED', 'OVERFLOW_POLICY_DROP_OLDEST'],
    ['OVERFLOW_POLICY_DROP_OLDEST', 'OVERFLOW_POLICY_DROP_OLDEST'],
    ['OVERFLOW_POLICY_DROP_NEWEST', 'OVERFLOW_POLICY_DROP_NEWEST'],
    ['OVERFLOW_POLICY_DISCONNECT', 'OVERFLOW_POLICY_DISCONNECT'],
    ['drop-newest', 'OVERFLOW_POLICY_DROP_NEWEST'],
  ];
  for (const [input, want] of cases) {
    const r = parseOverflow(input);
    assert.ok(r.ok, String(input));
    assert.equal(r.value, want);
  }
  // Own names only: 'toString' is every object's, and no policy.
  for (const bad of [7, -1, 'OVERFLOW_POLICY_LATER', 'drop_everything', 'toString', '__proto__', 'constructor']) {
    const r = refused(parseOverflow(bad));
    assert.equal(r.code, Status.INVALID_ARGUMENT);
    assert.match(r.message, /is not one of OVERFLOW_POLICY_DROP_OLDEST/);
  }
});
