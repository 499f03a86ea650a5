// `kextbridge top` against the real kextsim and daemon with events
// flowing: in a terminal (tmux, driven with send-keys and read with
// capture-pane) its rows show rising figures and q ends it; with stdout
// not a terminal it prints plain blocks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadSchema } from '@kextbridge/protocol';

import { cli } from '../support/cli';
import { bridgeClient, unary, type Client } from '../support/daemon';
import { CLI_MAIN, EXAMPLE_PROTO } from '../support/paths';
import { startStack, type Stack } from '../support/stack';
import { until } from '../support/wait';

const EmitRequest = loadSchema([EXAMPLE_PROTO]).lookupType('kextbridge.example.v1.EmitRequest');
// A tmux server of this test's own, never the user's.
const TMUX = ['-L', `kb-top-test-${process.pid}`];
const haveTmux = spawnSync('sh', ['-c', 'command -v tmux']).status === 0;

let stack: Stack;
let reader: Client;
let reading: NodeJS.EventEmitter & { cancel(): void };
let flow: Promise<unknown>;

before(async () => {
  stack = await startStack();
  // A subscriber that reads: delivered rises, and it has a row.
  reader = bridgeClient(stack.daemon.socket, true);
  reading = reader['Subscribe']!({ topics: [{ name: 'exec' }] }) as NodeJS.EventEmitter & { cancel(): void };
  reading.on('data', () => undefined);
  reading.on('error', () => undefined);
  await until('the reader is subscribed', async () => (await unary<{ subscribers: unknown[] }>(stack.client, 'ListSubscribers', {})).subscribers.length === 1);
  // 500 events a second for 40 s: still flowing while the tests look.
  const payload = Buffer.from(EmitRequest.encode({ topic: 1, count: 20_000, size: 64, ratePerSec: 500 }).finish());
  flow = unary(stack.client, 'Call', { command: { name: 'emit' }, payload }, 120_000).catch(() => undefined);
});

after(async () => {
  if (haveTmux) spawnSync('tmux', [...TMUX, 'kill-server']);
  reading.cancel();
  reader.close();
  await stack.stop();
  await flow;
});

const tmux = (...args: string[]): { status: number | null; stdout: string } => {
  const r = spawnSync('tmux', [...TMUX, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
};

// The exec row's rate and total, and the events line's rate, from a screen.
function figures(screen: string): { execRate: number; execTotal: number; eventsRate: number } | null {
  const exec = /^exec\s+([0-9.]+)\s+(\d+)\s*$/m.exec(screen);
  const events = /^events\s+([0-9.]+)\/s from the kext/m.exec(screen);
  if (!exec || !events) return null;
  return { execRate: Number(exec[1]), execTotal: Number(exec[2]), eventsRate: Number(events[1]) };
}

test('in a terminal: rows with rising figures, and q ends it', { skip: !haveTmux && process.env.CI !== 'true' ? 'tmux is not installed (scripts/setup.sh installs it)' : false }, async () => {
  const command = `${process.execPath} ${CLI_MAIN} --socket ${stack.daemon.socket} top --interval 300`;
  assert.equal(tmux('new-session', '-d', '-s', 'top', '-x', '200', '-y', '50', command).status, 0, 'tmux started');
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'top').stdout;
  let first: ReturnType<typeof figures> = null;
  await until(() => `top shows the exec topic's rate above zero; screen:\n${screen()}`, () => {
    first = figures(screen());
    return first !== null && first.execRate > 0 && first.eventsRate > 0;
  }, 15_000);
  let later: ReturnType<typeof figures> = null;
  await until(() => `the exec total rises past ${first!.execTotal}; screen:\n${screen()}`, () => {
    later = figures(screen());
    return later !== null && later.execTotal > first!.execTotal;
  }, 10_000);
  const s = screen();
  assert.match(s, /^kextbridge top .* link ready/m);
  assert.match(s, /^calls\s+[0-9.]+\/s +\d+ started/m);
  assert.match(s, /^lost\s+kernel \d+ .*subscriber \d+/m);
  assert.match(s, /^clients\s+\d+ connected, \d+ refused; 1 subscribers/m);
  // The reader's row: its id, uid 0, its topic by name, delivered > 0.
  const row = /^\s+\d+\s+0\s+\d+\s+exec\s+drop-oldest\s+\d+\s+[0-9.]+ [KM]?i?B\s+\d+\s+(\d+)\s+\d+\s*$/m.exec(s);
  assert.ok(row && Number(row[1]) > 0, `a subscriber row with events delivered:\n${s}`);
  tmux('send-keys', '-t', 'top', 'q');
  await until('q ends top (its tmux session closes)', () => tmux('has-session', '-t', 'top').status !== 0, 5_000);

  // Ctrl-C, which the terminal in raw mode hands over as a byte, ends it too.
  assert.equal(tmux('new-session', '-d', '-s', 'top2', '-x', '200', '-y', '50', command).status, 0);
  await until(() => `top shows figures again; screen:\n${tmux('capture-pane', '-p', '-t', 'top2').stdout}`, () => figures(tmux('capture-pane', '-p', '-t', 'top2').stdout) !== null, 15_000);
  tmux('send-keys', '-t', 'top2', 'C-c');
  await until('Ctrl-C ends top', () => tmux('has-session', '-t', 'top2').status !== 0, 5_000);
});

test('stdout not a terminal: plain blocks, --count of them, no escape codes', async () => {
  const r = await cli(stack.daemon.socket, ['top', '--interval', '200', '--count', '3']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /\x1b/);
  const blocks = r.stdout.split(/^kextbridge top /m).filter((b) => b.trim() !== '');
  assert.equal(blocks.length, 3);
  // The first report has nothing to take a rate against.
  assert.match(blocks[0]!, /^exec\s+-\s+\d+\s*$/m);
  const rates = blocks.slice(1).map((b) => figures(b));
  assert.ok(rates.every((f) => f !== null && f.execRate > 0), `rates in later blocks:\n${r.stdout}`);
});

test('bad flags are usage errors that name the flag', async () => {
  const r = await cli(stack.daemon.socket, ['top', '--interval', '5']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--interval is at least 100/);
});
