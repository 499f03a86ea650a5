// A production install, as an admin and a user would make it: each
// package packed, the tarballs installed into a fresh prefix without dev
// dependencies, then the daemon and the CLI run from there, and a user's
// own TypeScript program built against the packed client (no path into
// this checkout) calls, subscribes and answers an upcall.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startProcess, startKextsim, type Started } from '../../scripts/lib/processes';
import { ROOT } from '../support/paths';

const PACKAGES = ['proto', 'native', 'daemon', 'clients/ts', 'export'];
let work: string;
let sim: Started;
let daemon: Started | undefined;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'kb-pack-'));
  chmodSync(work, 0o755);
  npm(['pack', '--pack-destination', work, ...PACKAGES.flatMap((p) => ['-w', p])], ROOT);
  sim = await startKextsim({ socket: join(work, 'kextsim.sock') });
});

after(async () => {
  await daemon?.stop();
  await sim?.stop();
  rmSync(work, { recursive: true, force: true });
});

function tarballs(): string[] {
  return readdirSync(work).filter((f) => f.endsWith('.tgz')).map((f) => join(work, f));
}

test('each package packs only what it ships: no sources, tests or build leftovers', () => {
  const names = tarballs().map((t) => t.replace(/^.*\//, '')).sort();
  assert.deepEqual(names, ['kextbridge-0.1.0.tgz', 'kextbridge-export-0.1.0.tgz', 'kextbridge-native-0.1.0.tgz', 'kextbridge-protocol-0.1.0.tgz', 'kextbridged-0.1.0.tgz']);
  for (const t of tarballs()) {
    const files = execFileSync('tar', ['-tzf', t], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const stray = files.filter((f) => /\.test\.js$|\.map$|\/build\/|tsconfig|\.tsbuildinfo$/.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
    assert.deepEqual(stray, [], `${t} ships ${stray.join(', ')}`);
  }
});

test('installed into a fresh prefix without dev dependencies, the daemon and the CLI run from there', async () => {
  const prefix = join(work, 'prefix');
  mkdirSync(prefix);
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'fresh-prefix', version: '1.0.0', private: true }));
  npm(['install', '--omit=dev', ...tarballs()], prefix);
  const bin = join(prefix, 'node_modules/.bin');
  assert.ok(existsSync(join(prefix, 'node_modules/@kextbridge/native/build/Release/kextbridge.node')), 'the addon was compiled at install');
  assert.ok(!existsSync(join(prefix, 'node_modules/typescript')), 'no dev dependency installed');

  const proto = join(prefix, 'node_modules/@kextbridge/protocol/example/v1/example.proto');
  const socket = join(work, 'kextbridge.sock');
  daemon = startProcess(join(bin, 'kextbridged'), ['--socket', socket, '--kext-socket', join(work, 'kextsim.sock'), '--proto', proto, '--allow-any-user-socket']);
  await daemon.waitForLine((l) => l.includes('"msg":"kext link ready"'), 15_000, 'installed kextbridged');

  // No .proto for the CLI: it reads the kext's types from the daemon.
  const { KEXTBRIDGE_PROTO: _none, ...env } = process.env;
  const cli = (args: string[]): string => execFileSync(join(bin, 'kextbridge'), ['--socket', socket, ...args], { encoding: 'utf8', env });
  assert.match(cli(['status']), /^link\s+ready: org\.kextbridge\.example/m);
  assert.deepEqual(JSON.parse(cli(['call', 'echo', '--json', '{"data":"aGk="}']))['reply'], { data: 'aGk=' });
  assert.match(execFileSync(join(bin, 'kextbridge-export'), ['--help'], { encoding: 'utf8' }), /^usage: kextbridge-export/);

  // A user's project: only the client's tarball (and the protocol it
  // depends on), the user's own TypeScript and @types/node.
  const app = join(work, 'app');
  cpSync(join(ROOT, 'test/fixtures/user-app'), app, { recursive: true });
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', private: true }));
  const client = tarballs().filter((t) => /kextbridge-(0\.|protocol)/.test(t));
  npm(['install', ...client, `typescript@${root.devDependencies['typescript']}`, `@types/node@${root.devDependencies['@types/node']}`], app);
  execFileSync(join(app, 'node_modules/.bin/tsc'), ['-p', app], { encoding: 'utf8' });
  const out = execFileSync(process.execPath, [join(app, 'out/main.js'), socket], { encoding: 'utf8', timeout: 30_000 });
  const result = JSON.parse(out.trim()) as { echo: string; firstTopic: number; verdict: { allowed: boolean; decidedBy: string }; asked: number };
  assert.equal(result.echo, 'hi');
  assert.equal(result.firstTopic, 2, 'a heartbeat event arrived (topic 2)');
  assert.deepEqual(result.verdict, { allowed: true, decidedBy: 'DECIDER_HANDLER' });
  assert.ok(result.asked >= 1);
});
