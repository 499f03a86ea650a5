// docs/other-languages.md as a user follows it: the fenced blocks of the
// "Running the sections below", Python, Go and C++ sections, run in order
// in a scratch directory holding the repository's proto/ and node_modules/
// (blocks starting `# file: NAME` or `// file: NAME` are written to NAME,
// `sh` blocks run with bash -e, apt-get lines skipped: scripts/setup.sh
// installs those packages, and under CI their absence fails here), against
// the daemon on kextsim. Each client must print what the docs promise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startStack, type Stack } from '../support/stack';
import { ROOT as root } from '../support/paths';

const doc = readFileSync(join(root, 'docs/other-languages.md'), 'utf8');

interface Block {
  lang: string;
  body: string;
}

function section(title: string): Block[] {
  const start = doc.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `section ${title}`);
  const next = doc.indexOf('\n## ', start + 1);
  const text = doc.slice(start, next < 0 ? undefined : next);
  return [...text.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

let stack: Stack;
let work: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'kb-docs-'));
  symlinkSync(join(root, 'proto'), join(work, 'proto'));
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

function run(title: string): string {
  let script = '';
  for (const block of [...section('Running the sections below'), ...section(title)]) {
    const first = block.body.split('\n')[0]!;
    const file = /^(?:#|\/\/) file: (\S+)$/.exec(first)?.[1];
    if (file) {
      mkdirSync(dirname(join(work, file)), { recursive: true });
      writeFileSync(join(work, file), block.body);
    } else if (block.lang === 'sh') {
      script += block.body.split('\n').filter((l) => !l.startsWith('apt-get install')).join('\n') + '\n';
    }
  }
  return execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: work,
    env: { ...process.env, SOCK: stack.daemon.socket },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

test('docs: the Python section', () => {
  assert.equal(run('Python'), 'SERVING\nhi\n');
});

test('docs: the Go section (GOPATH mode, offline)', () => {
  assert.equal(run('Go'), 'SERVING\nhi\n');
});

test('docs: the C++ section', () => {
  assert.equal(run('C++'), 'hi\n');
});
