// A hostile local user against the upcall vote, with the real daemon and
// kextsim: user nobody, granted authorize_exec by the policy, registers
// 1,000 handlers that never answer (4 connections x 250 Serve streams)
// beside one root handler. Root's handler decides every simulate_exec at
// once, deny or allow; a silent handler is set aside and no longer asked;
// past limits.upcallHandlersPerUid, Serve is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { cli } from '../support/cli';
import { unary } from '../support/daemon';
import { NOBODY } from '../support/interop';
import { median } from '../support/measure';
import { startStack, type Stack } from '../support/stack';
import { answeringHandler, handlerCount, silentHandlers, simulateExec, type ExecOutcome } from '../support/upcall-handlers';
import { until } from '../support/wait';

const UPCALL_TIMEOUT_MS = 600;
const MISSES_TO_REST = 3;
const policy = { upcalls: { authorize_exec: { users: ['root', 'nobody'], groups: [] } } };
const upcallDecisions = { authorize_exec: { mode: 'any_deny', denyWhen: { field: 1, equals: 0 } } };

let stack: Stack;

before(async () => {
  stack = await startStack(
    { policy, upcallDecisions, limits: { upcallHandlersPerUid: 1000, upcallMissesToRest: MISSES_TO_REST, upcallRestMs: 60_000 } },
    ['--upcall-timeout-ms', String(UPCALL_TIMEOUT_MS)],
  );
});

after(() => stack.stop());

interface HandlerRow {
  uid: number;
  healthy: boolean;
  asked: string;
  missed: string;
}
const handlerRows = async (): Promise<HandlerRow[]> => (await unary<{ upcallHandlers: HandlerRow[] }>(stack.client, 'ListSubscribers', {})).upcallHandlers;

// Root's handler beside nobody's 1,000 silent ones: ten simulate_exec.
async function againstSilentThousand(allow: boolean): Promise<ExecOutcome[]> {
  const client = stack.client;
  const root = answeringHandler(client, allow);
  await until('root handler registered', async () => (await handlerCount(client)) === 1);
  const nobody = silentHandlers(stack.daemon.socket, NOBODY, 'authorize_exec', 4, 250);
  try {
    await until("nobody's 1,000 handlers registered", async () => (await handlerCount(client)) === 1001, 30_000);
    assert.equal(nobody.refused.size, 0, `none refused: ${[...nobody.refused.values()].join('; ')}`);
    const out: ExecOutcome[] = [];
    for (let pid = 1; pid <= 10; pid++) out.push(await simulateExec(client, 1000 + pid));
    assert.equal(root.asked, 10, "root's handler was asked every question");
    const rows = (await handlerRows()).filter((r) => r.uid === NOBODY);
    assert.equal(rows.length, 1000);
    assert.ok(
      rows.every((r) => Number(r.asked) === 10),
      `every silent handler was asked every question too: ${[...new Set(rows.map((r) => r.asked))].join(', ')}`,
    );
    return out;
  } finally {
    await nobody.stop();
    root.stop();
    await until('handlers gone', async () => (await handlerCount(client)) === 0, 15_000);
  }
}

test("(a) nobody's 1,000 silent handlers beside root's deny handler: 10 of 10 denied by root's handler, p50 <= 100 ms", async () => {
  const out = await againstSilentThousand(false);
  assert.deepEqual(
    out.map((o) => [o.allowed, o.decidedBy]),
    out.map(() => [false, 'DECIDER_HANDLER']),
  );
  const p50 = median(out.map((o) => o.ms));
  console.log(`# (a) deny beside 1,000 silent: p50 ${p50.toFixed(1)} ms, max ${Math.max(...out.map((o) => o.ms)).toFixed(1)} ms`);
  assert.ok(p50 <= 100, `p50 ${p50.toFixed(1)} ms`);
});

test("(b) the same with an allowing root handler: 10 of 10 allowed by it, p50 <= 100 ms", async () => {
  const out = await againstSilentThousand(true);
  assert.deepEqual(
    out.map((o) => [o.allowed, o.decidedBy]),
    out.map(() => [true, 'DECIDER_HANDLER']),
  );
  const p50 = median(out.map((o) => o.ms));
  console.log(`# (b) allow beside 1,000 silent: p50 ${p50.toFixed(1)} ms, max ${Math.max(...out.map((o) => o.ms)).toFixed(1)} ms`);
  assert.ok(p50 <= 100, `p50 ${p50.toFixed(1)} ms`);
});

test('(d) a handler that never answers is set aside, shown unhealthy, and no longer asked', async () => {
  const client = stack.client;
  const root = answeringHandler(client, true);
  await until('root handler registered', async () => (await handlerCount(client)) === 1);
  const nobody = silentHandlers(stack.daemon.socket, NOBODY, 'authorize_exec', 1, 1);
  try {
    await until("nobody's handler registered", async () => (await handlerCount(client)) === 2);
    const silent = async (): Promise<HandlerRow> => (await handlerRows()).find((r) => r.uid === NOBODY)!;
    for (let i = 1; i <= MISSES_TO_REST; i++) {
      const o = await simulateExec(client, 2000 + i);
      assert.deepEqual([o.allowed, o.decidedBy], [true, 'DECIDER_HANDLER'], "root's allow decides without waiting");
      // Misses count at the kext's deadline.
      await until(`miss ${i} counted`, async () => Number((await silent()).missed) === i, 5_000);
    }
    const row = await silent();
    assert.deepEqual([row.healthy, row.asked, row.missed], [false, String(MISSES_TO_REST), String(MISSES_TO_REST)]);
    const status = await unary<{ upcallHandlersUnhealthy: number; counters: { upcallHandlersSetAside: string } }>(client, 'GetStatus', {});
    assert.equal(status.upcallHandlersUnhealthy, 1, 'GetStatus shows it');
    assert.ok(Number(status.counters.upcallHandlersSetAside) >= 1);
    assert.match((await cli(stack.daemon.socket, ['status'])).stdout, /2 upcall handlers \(1 set aside for missed deadlines\)/, 'and kextbridge status');
    for (let i = 0; i < 3; i++) await simulateExec(client, 2100 + i);
    assert.equal((await silent()).asked, String(MISSES_TO_REST), 'not asked while set aside');
    assert.equal(root.asked, MISSES_TO_REST + 3, 'root was asked every question');
  } finally {
    await nobody.stop();
    root.stop();
    await until('handlers gone', async () => (await handlerCount(client)) === 0, 15_000);
  }
});

test('(c) past limits.upcallHandlersPerUid, Serve is refused with RESOURCE_EXHAUSTED naming the limit', async () => {
  const small = await startStack({ policy, upcallDecisions });
  try {
    const nobody = silentHandlers(small.daemon.socket, NOBODY, 'authorize_exec', 2, 4);
    try {
      await until('4 accepted', async () => (await handlerCount(small.client)) === 4);
      await until('the rest refused', () => nobody.refused.size > 0);
      const details = nobody.refused.get(8);
      assert.ok(details, `RESOURCE_EXHAUSTED: ${JSON.stringify([...nobody.refused])}`);
      assert.match(details, /uid 65534 already serves authorize_exec with 4 handlers: limits\.upcallHandlersPerUid is 4/);
      // A second connection of the same uid counts with the first.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await handlerCount(small.client), 4, 'the default limit, 4, across connections');
      const root = answeringHandler(small.client, false);
      await until("root's handler still taken", async () => (await handlerCount(small.client)) === 5);
      const o = await simulateExec(small.client, 3001);
      assert.deepEqual([o.allowed, o.decidedBy], [false, 'DECIDER_HANDLER']);
      root.stop();
    } finally {
      await nobody.stop();
    }
  } finally {
    await small.stop();
  }
});
