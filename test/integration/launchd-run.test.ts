// The daemon started the way a service manager starts it: exactly the
// plist's ProgramArguments (install dir pointed at this checkout), and
// systemd-style socket activation through LISTEN_FDS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ServiceError } from '@grpc/grpc-js';

import { renderPlist, exitTimeoutSeconds } from 'kextbridged/internal/launchd/plist';
import { startKextsim, type Kextsim } from '../support/kextsim';
import { bridgeClient, healthClient, unary } from '../support/daemon';
import { parsePlist } from '../support/plist';
import { ROOT as root } from '../support/paths';

let sim: Kextsim;
let dir: string;

before(async () => {
  sim = await startKextsim([]);
  dir = mkdtempSync(join(tmpdir(), 'kb-launchd-'));
  chmodSync(dir, 0o755);
});
after(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

function waitForLine(child: ChildProcess, text: string, logs: string[]): Promise<void> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no "${text}" within 15 s:\n${logs.join('\n')}`)), 15_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      if (line.includes(text)) {
        clearTimeout(timer);
        res();
      }
    });
    child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
  });
}

test('started exactly as ProgramArguments says, it serves, and SIGTERM drains inside ExitTimeOut', async () => {
  const socket = join(dir, 'kextbridge.sock');
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ socketPath: socket, allowAnyUserSocket: true, kext: { socketPath: sim.socket } }));
  const plist = renderPlist({ label: 'org.kextbridge.test', nodePath: process.execPath, installDir: join(root, 'daemon'), configPath: config, logDir: '/Library/Logs/kextbridge', drainGraceMs: 5000 });
  const job = parsePlist(plist) as { ProgramArguments: string[]; ExitTimeOut: number };
  const [program, ...args] = job.ProgramArguments;
  const child = spawn(program!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  await waitForLine(child, '"msg":"kext link ready"', logs);
  const h = healthClient(socket);
  assert.equal((await unary<{ status: string }>(h, 'Check', { service: '' })).status, 'SERVING');

  // A subscriber and a slow call are in flight when SIGTERM arrives.
  const client = bridgeClient(socket);
  const stream = client.Subscribe!({ topics: [{ name: 'heartbeat' }] }) as NodeJS.EventEmitter;
  const streamEnded = new Promise<number>((res) => stream.on('error', (e: ServiceError) => res(e.code)));
  const slow = Buffer.from([0x08, 0x02, 0x10, 0x90, 0x4e, 0x20, 0x64]); // emit 10000 at 100/s
  const call = unary(client, 'Call', { command: { name: 'emit' }, payload: slow }, 60_000).then(
    () => 0,
    (e: ServiceError) => e.code,
  );
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
  const took = Date.now() - t0;
  assert.equal(code, 0, logs.join('\n'));
  assert.ok(took < job.ExitTimeOut * 1000, `exited in ${took} ms, inside ExitTimeOut ${job.ExitTimeOut} s`);
  assert.equal(await streamEnded, 14, 'the subscriber was told UNAVAILABLE');
  const callCode = await call;
  // The emit would run 100 s: the drain grace ends it, and the client is told.
  assert.ok(callCode === 14 || callCode === 1, `the call in flight was ended with UNAVAILABLE or CANCELLED, got ${callCode}`);
  assert.equal(job.ExitTimeOut, exitTimeoutSeconds(5000));
  client.close();
  h.close();
});

test('systemd socket activation: the daemon serves on the inherited LISTEN_FDS socket', async () => {
  const socket = join(dir, 'activated.sock');
  // What systemd does: bind and listen, put the socket at fd 3, set
  // LISTEN_PID to the pid that will run the daemon, exec it.
  const launcher = [
    'import os, socket, sys',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)',
    's.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666); s.listen(16)',
    'os.dup2(s.fileno(), 3); os.set_inheritable(3, True)',
    "os.environ['LISTEN_PID'] = str(os.getpid()); os.environ['LISTEN_FDS'] = '1'",
    'os.execv(sys.argv[2], sys.argv[2:])',
  ].join('\n');
  const child = spawn(
    'python3',
    ['-c', launcher, socket, process.execPath, join(root, 'daemon/dist/main.js'), '--systemd-socket', '--socket', socket, '--kext-socket', sim.socket],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
  try {
    const logs: string[] = [];
    await waitForLine(child, '"msg":"kext link ready"', logs);
    const h = healthClient(socket);
    assert.equal((await unary<{ status: string }>(h, 'Check', { service: '' })).status, 'SERVING');
    const b = bridgeClient(socket);
    const d = await unary<{ kextIdentity: string }>(b, 'Describe', {});
    assert.equal(d.kextIdentity, 'org.kextbridge.example');
    h.close();
    b.close();
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    child.kill('SIGKILL');
  }
});

test('activation flags without a service manager fail with what to do', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stderr: string } => {
    try {
      execFileSync(process.execPath, [join(root, 'daemon/dist/main.js'), ...args], { env: { PATH: process.env.PATH, ...env }, stdio: 'pipe' });
      return { status: 0, stderr: '' };
    } catch (e) {
      const err = e as { status: number | null; stderr: Buffer };
      return { status: err.status, stderr: err.stderr.toString() };
    }
  };
  const systemd = run(['--systemd-socket']);
  assert.equal(systemd.status, 2);
  assert.match(systemd.stderr, /LISTEN_PID and LISTEN_FDS are not set/);
  const launchd = run(['--launchd-socket', 'Listener']);
  assert.equal(launchd.status, 2);
  assert.match(launchd.stderr, process.platform === 'darwin' ? /was not started by launchd/ : /--launchd-socket needs macOS/);
});
