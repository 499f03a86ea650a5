// The upcall vote (core/upcalls.ts): every handler asked, a deny final at
// once, the verdict taken when every handler of the best standing has
// answered, set-aside handlers, the per-uid limit, answers not asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { UpcallRouter, type HandlerOwner, type UpcallQuestion } from 'kextbridged/internal/core/upcalls';
import { unmatchedDecisions, verdictOf, type UpcallDecision } from 'kextbridged/internal/core/upcall-verdict';

const ALLOW = Uint8Array.of(0x08, 0x01); // ExecVerdict{allow: true}
const DENY = new Uint8Array(0); // ExecVerdict{allow: false}: proto3 leaves it out
const RULE: UpcallDecision = { mode: 'any_deny', denyWhen: { field: 1, equals: 0 } };
const ROOT: HandlerOwner = { uid: 0, pid: 1, standing: 0 };
const ADMIN: HandlerOwner = { uid: 501, pid: 2, standing: 1 };
const NOBODY: HandlerOwner = { uid: 65534, pid: 3, standing: 2 };

interface Reply {
  id: number;
  status: number;
  payload: number[];
}

function router(decision: UpcallDecision = RULE, extra: { perUid?: number; missesToRest?: number; restMs?: number } = {}) {
  const replies: Reply[] = [];
  const r = new UpcallRouter({ reply: (id, status, payload) => replies.push({ id, status, payload: [...(payload ?? [])] }), decisionOf: () => decision, ...extra });
  const asked = new Map<number, number[]>();
  const add = (owner: HandlerOwner): number => {
    const log: number[] = [];
    const added = r.add(1, owner, { write: (q) => log.push(q.id) });
    assert.ok(added.ok, 'added');
    asked.set(added.key, log);
    return added.key;
  };
  let id = 100;
  const ask = (timeoutMs = 200): number => {
    const q: UpcallQuestion = { id: ++id, upcall: 1, payload: Buffer.alloc(0), timeoutMs, defaultVerdict: 0 };
    r.upcall(q);
    return q.id;
  };
  return { r, replies, asked, add, ask };
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

test('every handler is asked; a deny from anyone is final at once', () => {
  const { r, replies, asked, add, ask } = router();
  const root = add(ROOT);
  const silent = [add(NOBODY), add(NOBODY)];
  const denier = add(NOBODY);
  const id = ask();
  for (const key of [root, ...silent, denier]) assert.deepEqual(asked.get(key), [id], `handler ${key} asked`);
  assert.ok(r.answer(denier, id, 0, DENY));
  assert.deepEqual(replies, [{ id, status: 0, payload: [] }], 'the deny went to the kext before root answered');
  assert.ok(r.answer(root, id, 0, ALLOW), 'a later answer is taken (it was asked)');
  assert.equal(replies.length, 1, 'but decides nothing');
  assert.equal(r.counters.denied, 1);
  r.linkDown();
});

test('an allow from every root handler decides without waiting on silent handlers of lower standing', () => {
  const { replies, add, ask, r } = router();
  const roots = [add(ROOT), add(ROOT)];
  for (let i = 0; i < 50; i++) add({ ...NOBODY, uid: 70_000 + i });
  const id = ask();
  r.answer(roots[0]!, id, 0, ALLOW);
  assert.equal(replies.length, 0, 'waits for the other root handler');
  r.answer(roots[1]!, id, 0, ALLOW);
  assert.deepEqual(replies, [{ id, status: 0, payload: [...ALLOW] }]);
  r.linkDown();
});

test('a standing whose handlers all abstain hands the decision to the next; none left: the default', () => {
  const { replies, add, ask, r } = router();
  const root = add(ROOT);
  const admin = add(ADMIN);
  const nobody = add(NOBODY);
  const id = ask();
  r.answer(admin, id, 0, ALLOW);
  assert.equal(replies.length, 0, 'root is still waited on');
  r.answer(root, id, 14, new Uint8Array(0));
  assert.deepEqual(replies, [{ id, status: 0, payload: [...ALLOW] }], "root abstained: the admin's allow decides; nobody is not waited on");
  const id2 = ask();
  r.answer(root, id2, 14, new Uint8Array(0));
  r.answer(admin, id2, 13, new Uint8Array(0));
  r.remove(nobody);
  assert.deepEqual(replies.at(-1), { id: id2, status: 14, payload: [] }, 'all abstained or left: UNAVAILABLE, the kext applies its default');
  r.linkDown();
});

test('first_answer: the first OK answer decides, whoever sends it', () => {
  const { replies, add, ask, r } = router({ mode: 'first_answer', denyWhen: { field: 1, equals: 0 } });
  add(ROOT);
  const nobody = add(NOBODY);
  const id = ask();
  r.answer(nobody, id, 0, ALLOW);
  assert.deepEqual(replies, [{ id, status: 0, payload: [...ALLOW] }]);
  r.linkDown();
});

test('no deny rule: handlers of the deciding standing that disagree leave the kext its default', () => {
  const { replies, add, ask, r } = router({ mode: 'any_deny' });
  const a = add(ROOT);
  const b = add(ROOT);
  const id = ask();
  r.answer(a, id, 0, ALLOW);
  r.answer(b, id, 0, Uint8Array.of(0x08, 0x02));
  assert.deepEqual(replies, [{ id, status: 14, payload: [] }]);
  const id2 = ask();
  r.answer(a, id2, 0, ALLOW);
  r.answer(b, id2, 0, ALLOW);
  assert.deepEqual(replies.at(-1), { id: id2, status: 0, payload: [...ALLOW] }, 'agreement is forwarded');
  r.linkDown();
});

test('answers for questions not asked, or twice, are refused and counted', () => {
  const { add, ask, r, replies } = router();
  const root = add(ROOT);
  const id = ask();
  assert.equal(r.answer(root, id + 50, 0, DENY), false, 'never asked');
  const later = add(NOBODY);
  assert.equal(r.answer(later, id, 0, DENY), false, 'registered after the question: not asked');
  assert.equal(replies.length, 0, 'neither decided anything');
  assert.ok(r.answer(root, id, 0, ALLOW));
  assert.equal(r.answer(root, id, 0, DENY), false, 'twice');
  assert.equal(r.counters.refusedAnswers, 3);
  r.linkDown();
});

test('at most perUid handlers per uid per upcall', () => {
  const { r } = router(RULE, { perUid: 2 });
  const w = { write: () => {} };
  assert.ok(r.add(1, NOBODY, w).ok);
  assert.ok(r.add(1, NOBODY, w).ok);
  assert.deepEqual(r.add(1, NOBODY, w), { ok: false, count: 2, limit: 2 });
  assert.ok(r.add(2, NOBODY, w).ok, 'another upcall counts apart');
  assert.ok(r.add(1, ROOT, w).ok, 'another uid counts apart');
});

test('a handler that misses its deadlines is set aside, not asked while a healthy one remains, then asked again', async () => {
  const { r, replies, asked, add, ask } = router(RULE, { missesToRest: 2, restMs: 150 });
  const root = add(ROOT);
  const silent = add(NOBODY);
  for (let i = 0; i < 2; i++) {
    const id = ask(20);
    r.answer(root, id, 0, ALLOW);
    await sleep(40);
  }
  assert.equal(replies.length, 2);
  const info = r.list().find((h) => h.id === silent)!;
  assert.deepEqual([info.healthy, info.missed, info.missedInARow, info.asked], [false, 2, 2, 2]);
  assert.ok(info.restingMs > 0);
  assert.equal(r.unhealthyCount, 1);
  assert.equal(r.counters.setAside, 1);
  const id = ask(20);
  assert.deepEqual(asked.get(silent), [101, 102], 'not asked while set aside');
  assert.deepEqual(asked.get(root)!.at(-1), id);
  r.answer(root, id, 0, ALLOW);
  await sleep(160);
  const back = ask(20);
  assert.equal(asked.get(silent)!.at(-1), back, 'asked again after the rest');
  assert.ok(r.answer(silent, back, 0, ALLOW));
  assert.equal(r.list().find((h) => h.id === silent)!.missedInARow, 0, 'an answer clears its misses');
  await sleep(30);
  r.linkDown();
});

test('set-aside handlers are still asked when no healthy one is left', async () => {
  const { r, replies, asked, add, ask } = router(RULE, { missesToRest: 1, restMs: 10_000 });
  const only = add(ROOT);
  ask(10);
  await sleep(30);
  assert.equal(r.unhealthyCount, 1);
  const id = ask(200);
  assert.equal(asked.get(only)!.at(-1), id);
  r.answer(only, id, 0, DENY);
  assert.deepEqual(replies.at(-1), { id, status: 0, payload: [] });
  r.linkDown();
});

test('an answer after the deadline is counted late and decides nothing', async () => {
  const { r, replies, add, ask } = router();
  const h = add(ROOT);
  const id = ask(10);
  await sleep(30);
  assert.equal(r.answer(h, id, 0, DENY), false);
  assert.equal(r.counters.late, 1);
  assert.equal(replies.length, 0);
});

test('verdictOf reads the rule field of the answer, last value wins, a bad answer is malformed', () => {
  const rule = { field: 1, equals: 0 };
  assert.equal(verdictOf(DENY, rule), 'deny');
  assert.equal(verdictOf(Uint8Array.of(0x08, 0x00), rule), 'deny', 'false written out');
  assert.equal(verdictOf(ALLOW, rule), 'allow');
  assert.equal(verdictOf(Uint8Array.of(0x08, 0x01, 0x08, 0x00), rule), 'deny', 'the last value of a repeated scalar wins');
  assert.equal(verdictOf(Uint8Array.of(0x12, 0x01, 0x41, 0x08, 0x01), rule), 'allow', 'other fields skipped');
  assert.equal(verdictOf(Uint8Array.of(0x08), rule), 'malformed');
  assert.equal(verdictOf(Uint8Array.of(0x00, 0x01), rule), 'malformed', 'field 0');
  assert.equal(verdictOf(ALLOW, undefined), 'unknown');
});

test('a malformed answer is no vote', () => {
  const { r, replies, add, ask } = router();
  const a = add(ROOT);
  const b = add(ROOT);
  const id = ask();
  r.answer(a, id, 0, Uint8Array.of(0x08));
  assert.equal(replies.length, 0);
  r.answer(b, id, 0, ALLOW);
  assert.deepEqual(replies, [{ id, status: 0, payload: [...ALLOW] }]);
  r.linkDown();
});

test('unmatchedDecisions: config keys that name no upcall of the catalog', () => {
  const upcalls = [{ id: 1, name: 'authorize_exec' }];
  const any: UpcallDecision = { mode: 'any_deny' };
  assert.deepEqual(unmatchedDecisions({ authorize_exec: any, '1': any, '*': any }, upcalls), []);
  assert.deepEqual(unmatchedDecisions({ authorise_exec: any, '2': any }, upcalls), ['2', 'authorise_exec']);
});
