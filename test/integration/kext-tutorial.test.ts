// docs/kext-authors.md's tutorial, done as written, in a copy of the
// tree: every file edit is the doc's own block (marked <!-- tutorial: ... -->),
// every command the doc runs is checked to be there and then done: the
// template (new-kext), a command with a request and a reply added to the
// .proto and the C, the build, the kext served by the real daemon from its
// .proto alone, and calls from the CLI and a stock Python client as a plain
// user. What the test does in place of `npm ...` (no node_modules in the
// copy) is the same script or make target the npm script runs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startProcess, type Started } from '../../scripts/lib/processes';
import { cli } from '../support/cli';
import { copyKextTree, makeArgs } from '../support/kext-tree';
import { ROOT as root } from '../support/paths';

const NOBODY = 65534;
const doc = readFileSync(join(root, 'docs/kext-authors.md'), 'utf8');
const tree = mkdtempSync(join(tmpdir(), 'kb-tutorial-'));
chmodSync(tree, 0o755);
let served: Started | null = null;
after(async () => {
  await served?.stop('SIGTERM', 10_000);
  rmSync(tree, { recursive: true, force: true });
});

// The tutorial's marked blocks, in order: { step, body }.
const steps = [...doc.matchAll(/<!-- tutorial: ([^>]+?) -->\n```[a-z]*\n([\s\S]*?)```/g)].map((m) => ({ step: m[1]!, body: m[2]! }));
const runs = steps.filter((s) => s.step === 'run').map((s) => s.body);
const edits = steps.filter((s) => s.step !== 'run');

function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

function sh(command: string, opts: { uid?: number; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync('sh', ['-ec', command], { cwd: tree, encoding: 'utf8', timeout: 240_000, env: { ...process.env, PATH: '/usr/bin:/bin', ...opts.env }, ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}) });
  assert.equal(r.status, 0, `${command}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

// npm run build's C half.
function build(): void {
  const r = spawnSync('make', makeArgs(tree, 'build/kextsim'), { encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
}

async function serve(): Promise<string> {
  await served?.stop('SIGTERM', 10_000);
  served = startProcess(join(root, 'scripts/kextbridge-dev'), ['--root', tree, '--kext', 'greeter'], 'pipe');
  const line = await served.waitForLine((l) => l.startsWith('KEXTBRIDGE_SOCKET='), 30_000, 'kextbridge-dev');
  return line.slice('KEXTBRIDGE_SOCKET='.length);
}

// Each `npx kextbridge ...` line of a run block, as a plain user.
async function cliLines(block: string, socket: string): Promise<string[]> {
  const out: string[] = [];
  for (const line of block.split('\n').filter((l) => l.startsWith('npx kextbridge '))) {
    const r = await cli(socket, shellWords(line).slice(2), NOBODY, 15_000, { KEXTBRIDGE_PROTO: join(tree, 'proto/greeter/v1/greeter.proto') });
    assert.equal(r.code, 0, `${line}: ${r.stderr}`);
    out.push(r.stdout);
  }
  return out;
}

function edit(step: string, body: string): void {
  const [what, file] = step.split(' ');
  const path = join(tree, file!);
  if (what === 'append') appendFileSync(path, body);
  else if (what === 'file') writeFileSync(path, body);
  else if (what === 'insert-into-service') {
    const text = readFileSync(path, 'utf8');
    const service = text.indexOf('\nservice ');
    const close = text.indexOf('\n}\n', service);
    assert.ok(service >= 0 && close > service, `${file} has a service to add to`);
    writeFileSync(path, text.slice(0, close + 1) + body + text.slice(close + 1));
  } else assert.fail(`unknown tutorial step "${step}"`);
}

test('the tutorial, as written: template, a new command, build, serve from the .proto, CLI and Python as a plain user', async () => {
  assert.equal(runs.length, 5, 'the tutorial has the five run blocks this test follows');
  copyKextTree(tree);

  // 1. Create it.
  assert.equal(runs[0]!.trim(), 'npm run new-kext -- greeter');
  sh(`node ${join(root, 'dist/scripts/new-kext.js')} --root . greeter`);

  // 2. Build it and run it; call ping from the CLI.
  assert.deepEqual(runs[1]!.trim().split('\n'), ['npm run build', 'kext/build/kextsim --list-kexts']);
  build();
  assert.match(sh('kext/build/kextsim --list-kexts'), /^greeter$/m);
  let socket = await serve();
  const [describe, ping] = await cliLines(runs[2]!, socket);
  assert.match(describe!, /com\.example\.greeter/);
  assert.match(ping!, /"pings":\s*"1"/);

  // 3. A command with a request and a reply: the doc's blocks, into the files.
  for (const e of edits.filter((x) => !x.step.startsWith('file '))) edit(e.step, e.body);
  build();
  socket = await serve();
  const [greeted] = await cliLines(runs[3]!, socket);
  assert.match(greeted!, /"greeting":\s*"hello, world"/);
  // The bound in the .proto holds in the kext's generated decoder.
  const long = await cli(socket, ['call', 'greet', '--json', JSON.stringify({ name: 'x'.repeat(65) })], NOBODY, 15_000, { KEXTBRIDGE_PROTO: join(tree, 'proto/greeter/v1/greeter.proto') });
  assert.notEqual(long.code, 0);
  assert.match(long.stdout + long.stderr, /GreetRequest\.name is longer than 64 bytes/);

  // 4. From Python with stock grpcio: the doc's commands (protoc as the
  // builder, the client as a plain user) and its greet.py.
  for (const e of edits.filter((x) => x.step.startsWith('file '))) edit(e.step, e.body);
  const pythonBlock = runs[4]!.trim().split('\n');
  assert.equal(pythonBlock.at(-1), 'python3 greet.py');
  sh(pythonBlock.slice(0, -1).join('\n'));
  const out = sh('python3 greet.py', { uid: NOBODY, env: { KEXTBRIDGE_SOCKET: socket } });
  assert.equal(out, 'hello, python\n');
});

test('new-kext refuses a name that is not a C identifier, and a kext that exists', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [join(root, 'dist/scripts/new-kext.js'), '--root', tree, ...args], { encoding: 'utf8' });
  const bad = run(['My-Kext']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /new-kext: "My-Kext" is not a lower-case C identifier/);
  mkdirSync(join(tree, 'kext/kv'), { recursive: true });
  const taken = run(['kv']);
  assert.equal(taken.status, 1);
  assert.match(taken.stderr, /new-kext: kext\/kv exists; not touching it/);
});
