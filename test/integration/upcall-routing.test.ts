// Upcall routing against the real kextsim: every live handler of an upcall
// is asked each question and the verdict is a vote (a deny is final at
// once; an allow waits for the other handlers of its standing; with no
// deny rule, disagreeing handlers leave the kext its default), and an
// answer that comes after the kext's deadline changes nothing (the kext's
// default applied) and is counted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { loadSchema } from '@kextbridge/protocol';
import { loggedLine, unary, type Client } from '../support/daemon';
import { startStack, type Stack } from '../support/stack';
import { ROOT as root } from '../support/paths';
import { until } from '../support/wait';

const UPCALL_TIMEOUT_MS = 400;
const schema = loadSchema([join(root, 'proto/example/v1/example.proto')]);
const SimulateExecRequest = schema.lookupType('kextbridge.example.v1.SimulateExecRequest');
const SimulateExecReply = schema.lookupType('kextbridge.example.v1.SimulateExecReply');
const ExecAuthorization = schema.lookupType('kextbridge.example.v1.ExecAuthorization');
const ExecVerdict = schema.lookupType('kextbridge.example.v1.ExecVerdict');

let stack: Stack;
let client: Client;

before(async () => {
  stack = await startStack({ upcallDecisions: { authorize_exec: { denyWhen: { field: 1, equals: 0 } } } }, ['--upcall-timeout-ms', String(UPCALL_TIMEOUT_MS)]);
  client = stack.client;
});

after(() => stack.stop());

type Duplex = NodeJS.EventEmitter & { write(m: unknown): boolean; cancel(): void };
interface Question {
  id: number;
  payload: Buffer;
  timeoutMs: number;
}

interface Counters {
  upcalls: string;
  upcallsAnswered: string;
  upcallsLate: string;
}
const counters = async (): Promise<Counters & Record<string, string>> => (await unary<{ counters: Counters & Record<string, string> }>(client, 'GetStatus', {})).counters;

async function handlers(n: number): Promise<void> {
  await until(`${n} upcall handlers`, async () => (await unary<{ upcallHandlers: number }>(client, 'GetStatus', {})).upcallHandlers === n);
}

// A handler that answers each question with `answer(question)` after `delayMs`.
function handler(name: string, log: string[], delayMs = 0, allow = true): Duplex {
  const serve = client.Serve!() as Duplex;
  serve.on('data', (q: Question) => {
    const pid = (ExecAuthorization.toObject(ExecAuthorization.decode(q.payload)) as { pid: number }).pid;
    log.push(`${name}:${pid}`);
    setTimeout(() => serve.write({ answer: { id: q.id, status: 0, payload: Buffer.from(ExecVerdict.encode({ allow }).finish()) } }), delayMs);
  });
  serve.on('error', () => undefined);
  serve.write({ register: { upcall: { name: 'authorize_exec' } } });
  return serve;
}

async function simulateExec(pid: number): Promise<{ allowed: boolean; decidedBy: string; ms: number }> {
  const t0 = Date.now();
  const request = Buffer.from(SimulateExecRequest.encode({ pid, uid: 501, path: '/usr/bin/true' }).finish());
  const r = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'simulate_exec' }, payload: request });
  const o = SimulateExecReply.toObject(SimulateExecReply.decode(r.payload), { enums: String, defaults: true }) as { allowed: boolean; decidedBy: string };
  return { ...o, ms: Date.now() - t0 };
}

test('every live handler is asked each question; a deny is final, allows from every root handler decide', async () => {
  const log: string[] = [];
  const a = handler('a', log, 0, true);
  await handlers(1);
  const b = handler('b', log, 0, false);
  await handlers(2);
  try {
    const denied = await simulateExec(1);
    assert.deepEqual(log.sort(), ['a:1', 'b:1'], `both asked: ${log.join(' ')}`);
    assert.deepEqual([denied.allowed, denied.decidedBy], [false, 'DECIDER_HANDLER'], "b's deny decides");
    b.cancel();
    await handlers(1);
    const allowed = await simulateExec(2);
    assert.deepEqual([allowed.allowed, allowed.decidedBy], [true, 'DECIDER_HANDLER'], "a alone: its allow decides");
  } finally {
    a.cancel();
    b.cancel();
    await handlers(0);
  }
});

test('with no deny rule, handlers of one standing that disagree leave the kext its default; a rule for no upcall is warned of', async () => {
  // A misspelt key: authorize_exec has no rule.
  const other = await startStack({ upcallDecisions: { authorise_exec: { denyWhen: { field: 1 } } } }, ['--upcall-timeout-ms', String(UPCALL_TIMEOUT_MS)]);
  const saved = client;
  client = other.client;
  const log: string[] = [];
  const a = handler('a', log, 0, true);
  const b = handler('b', log, 0, false);
  try {
    const warning = await loggedLine(other.daemon, 'upcallDecisions names authorise_exec, not an upcall of this kext (it has: authorize_exec (1))', 0);
    assert.match(warning, /"level":"warn"/);
    await handlers(2);
    const r = await simulateExec(3);
    assert.deepEqual([r.allowed, r.decidedBy], [true, 'DECIDER_DEFAULT_REFUSED'], 'the default (allow), by a refusal');
    assert.ok(r.ms < UPCALL_TIMEOUT_MS, `at once, not at the deadline (${r.ms} ms)`);
  } finally {
    a.cancel();
    b.cancel();
    client = saved;
    await other.stop();
  }
});

test('an answer after the kext deadline: the default applies at the deadline, the late answer is counted and dropped', async () => {
  const before = await counters();
  const log: string[] = [];
  // Denies, but only after the kext stopped waiting.
  const slow = handler('slow', log, UPCALL_TIMEOUT_MS + 300, false);
  await handlers(1);
  try {
    const r = await simulateExec(7);
    assert.deepEqual([r.allowed, r.decidedBy], [true, 'DECIDER_DEFAULT_TIMEOUT'], 'the default (allow), by timeout');
    assert.ok(r.ms >= UPCALL_TIMEOUT_MS - 50, `waited the kext's ${UPCALL_TIMEOUT_MS} ms (${r.ms} ms)`);
    assert.ok(r.ms < UPCALL_TIMEOUT_MS + 250, `not the handler's time (${r.ms} ms)`);
    let after = await counters();
    await until('the late answer to be counted', async () => (after = await counters()).upcallsLate !== before.upcallsLate);
    assert.equal(Number(after.upcallsLate), Number(before.upcallsLate) + 1, 'the late answer is counted');
    assert.equal(after.upcallsAnswered, before.upcallsAnswered, 'and not counted as an answer');
    // The link and the handlers are fine: a prompt deny decides at once.
    const fast = handler('fast', log, 0, false);
    await handlers(2);
    const next = [await simulateExec(8), await simulateExec(9)];
    assert.deepEqual(
      next.map((n) => [n.allowed, n.decidedBy]),
      [
        [false, 'DECIDER_HANDLER'],
        [false, 'DECIDER_HANDLER'],
      ],
      `the prompt deny decides: ${JSON.stringify(next)}`,
    );
    assert.ok(next.every((n) => n.ms < UPCALL_TIMEOUT_MS), 'without waiting for the slow handler');
    fast.cancel();
  } finally {
    slow.cancel();
    await handlers(0);
  }
});
