// Program identity against the real daemon and kextsim, clients running as
// another uid (nobody): the policy grants authorize_exec to program A only
// (by path and SHA-256). The same user running program B is refused Serve
// with a message naming both; A is served and listed with its program; a
// copy of A with one byte changed, put at A's path, fails the sha256 rule;
// and a process that connects and then execs another program keeps the
// identity it connected with.
//
// The programs are copies of node (a program is its executable): A and B
// differ only in where they live, A' in one byte of a help string.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { stubScript, unary, type Client } from '../support/daemon';
import { NOBODY } from '../support/interop';
import { startStack, type Stack } from '../support/stack';
import { until } from '../support/wait';

// The connect-then-exec client (scripts/setup.sh installs it).
const PERL = '/usr/bin/perl';

let stack: Stack;
let client: Client;
let programA: string;
let programB: string;
let shaA: string;
// Three copies of node: about 300 MB, removed after.
let dir: string;

function copyProgram(dir: string, name: string): string {
  mkdirSync(join(dir, name), { mode: 0o755 });
  const path = join(dir, name, 'node');
  copyFileSync(process.execPath, path);
  chmodSync(path, 0o755);
  return path;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kb-programs-'));
  chmodSync(dir, 0o755);
  programA = copyProgram(dir, 'a');
  programB = copyProgram(dir, 'b');
  shaA = createHash('sha256').update(readFileSync(programA)).digest('hex');
  stack = await startStack({
    policy: {
      upcalls: { authorize_exec: { programs: [{ path: programA, sha256: shaA }] } },
      commands: { echo: { users: ['*'], programs: [{ path: PERL }] } },
    },
  });
  client = stack.client;
});

after(async () => {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  // The Serve stream's error, when it ended with one.
  ended: Promise<{ code: number; details: string }>;
}

// A Serve of authorize_exec by `program` as nobody, held open.
function serveAs(program: string): Served {
  const script = stubScript(
    stack.daemon.socket,
    `const c = new B('unix://' + socket, grpc.credentials.createInsecure());
    const s = c.Serve();
    s.on('data', () => {});
    s.on('error', (e) => { process.stdout.write(JSON.stringify({ code: e.code, details: e.details }) + '\\n'); process.exit(0); });
    s.write({ register: { upcall: { name: 'authorize_exec' } } });
    setInterval(() => {}, 1 << 30);`,
  );
  const child = spawn(program, ['-e', script], { uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'inherit'] });
  const ended = new Promise<{ code: number; details: string }>((res) => {
    createInterface({ input: child.stdout! }).once('line', (line) => res(JSON.parse(line) as { code: number; details: string }));
  });
  return { child, ended };
}

interface HandlerRow {
  uid: number;
  program?: { path: string; sha256: string };
}

async function handlers(): Promise<HandlerRow[]> {
  return (await unary<{ upcallHandlers: HandlerRow[] }>(client, 'ListSubscribers', {})).upcallHandlers;
}

function stop(s: Served): Promise<void> {
  return new Promise((res) => {
    if (s.child.exitCode !== null) return res();
    s.child.once('exit', () => res());
    s.child.kill('SIGKILL');
  });
}

test('program B is refused Serve, naming what was required and what it was; program A is served and listed with its program', async () => {
  const b = serveAs(programB);
  const refused = await b.ended;
  assert.equal(refused.code, 7);
  assert.match(refused.details, new RegExp(`uid ${NOBODY}.* may not serve upcall 'authorize_exec': policy\\.upcalls\\.authorize_exec requires ${programA} \\(sha256 ${shaA.slice(0, 12)}…\\); caller ${programB} \\(sha256 ${shaA.slice(0, 12)}…, pid \\d+ at connect\\)`));
  const audit = stack.daemon.logs.find((l) => l.includes('"audit":"denied"') && l.includes(programB));
  assert.ok(audit, 'the denial is in the audit log with the program');
  assert.match(audit, new RegExp(`"uid":${NOBODY}`));

  const a = serveAs(programA);
  try {
    await until('A is a handler', async () => (await handlers()).some((h) => h.uid === NOBODY));
    const row = (await handlers()).find((h) => h.uid === NOBODY)!;
    assert.deepEqual(row.program, { path: programA, sha256: shaA, signature: '' });
  } finally {
    await stop(a);
    await stop(b);
  }
  await until('A is gone', async () => !(await handlers()).some((h) => h.uid === NOBODY));
});

test('ListSubscribers shows each subscriber\'s program', async () => {
  const stream = client['Subscribe']!({ topics: [{ name: 'exec' }] }) as NodeJS.EventEmitter & { cancel(): void };
  stream.on('error', () => undefined);
  stream.on('data', () => undefined);
  try {
    type Row = { pid: number; program?: { path: string } };
    const rows = async (): Promise<Row[]> => (await unary<{ subscribers: Row[] }>(client, 'ListSubscribers', {})).subscribers;
    await until('the subscriber is listed', async () => (await rows()).length === 1);
    const [row] = await rows();
    assert.equal(row!.pid, process.pid);
    assert.equal(row!.program?.path, process.execPath);
  } finally {
    stream.cancel();
  }
});

test('a copy of A with one byte changed, at A\'s path, fails the sha256 rule', async () => {
  const changed = `${programA}.new`;
  const bytes = readFileSync(programA);
  const at = bytes.indexOf('Documentation can be found at');
  assert.ok(at > 0);
  bytes[at] = 'd'.charCodeAt(0);
  writeFileSync(changed, bytes, { mode: 0o755 });
  renameSync(changed, programA);
  const a2 = serveAs(programA);
  try {
    const refused = await a2.ended;
    assert.equal(refused.code, 7);
    const shaChanged = createHash('sha256').update(bytes).digest('hex');
    assert.match(refused.details, new RegExp(`requires ${programA} \\(sha256 ${shaA.slice(0, 12)}…\\); caller ${programA} \\(sha256 ${shaChanged.slice(0, 12)}…`));
  } finally {
    await stop(a2);
  }
});

// perl connects, waits for the daemon's first HTTP/2 frame (sent only once
// the connection's identity was read and bound), then execs node, which
// makes a Call over the inherited socket with the frame put back in front.
const CONNECT_THEN_EXEC = `
use IO::Socket::UNIX; use Fcntl;
my ($socket, $node, $script) = @ARGV;
my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $socket) or die "connect: $!";
my $buf = '';
sub need { my $n = shift; while (length($buf) < $n) { my $r = sysread($s, $buf, $n - length($buf), length($buf)); die "eof" unless $r; } }
need(9);
my $len = unpack('N', "\\0" . substr($buf, 0, 3));
need(9 + $len);
my $flags = fcntl($s, F_GETFD, 0);
fcntl($s, F_SETFD, $flags & ~FD_CLOEXEC);
exec($node, '-e', $script, fileno($s), unpack('H*', $buf)) or die "exec: $!";
`;

const CALL_ECHO_OVER_FD = `
const net = require('node:net');
const http2 = require('node:http2');
const sock = new net.Socket({ fd: Number(process.argv[1]), readable: true, writable: true });
sock.unshift(Buffer.from(process.argv[2], 'hex'));
const session = http2.connect('http://localhost', { createConnection: () => sock });
const msg = Buffer.from([0x0a, 0x06, 0x0a, 0x04, ...Buffer.from('echo'), 0x12, 0x02, ...Buffer.from('hi')]);
const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, msg.length]), msg]);
const req = session.request({ ':method': 'POST', ':path': '/kextbridge.v1.Bridge/Call', 'content-type': 'application/grpc', te: 'trailers' });
let status = null, message = '';
const chunks = [];
const done = () => { process.stdout.write(JSON.stringify({ status, message, reply: Buffer.concat(chunks).toString('hex') })); process.exit(0); };
req.on('response', (h) => { if (h['grpc-status'] !== undefined) { status = Number(h['grpc-status']); message = h['grpc-message'] ?? ''; } });
req.on('trailers', (t) => { status = Number(t['grpc-status']); message = decodeURIComponent(t['grpc-message'] ?? ''); });
req.on('data', (d) => chunks.push(d));
req.on('end', done);
req.on('error', (e) => { message = e.message; done(); });
req.end(frame);
setTimeout(done, 10000);
`;

function run(program: string, args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(program, args, { uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('exit', () => (out ? res(out) : rej(new Error(`${program} as nobody printed nothing: ${err}`))));
  });
}

test('a process that connects and then execs another program keeps the identity it connected with', async () => {
  // node (program B here) on its own connection: not perl, refused.
  const direct = JSON.parse(await run(programB, ['-e', stubScript(stack.daemon.socket, `new B('unix://' + socket, grpc.credentials.createInsecure()).Call({ command: { name: 'echo' }, payload: Buffer.from('hi') }, (e) => { process.stdout.write(JSON.stringify({ code: e ? e.code : 0, details: e ? e.details : '' })); process.exit(0); });`)])) as { code: number; details: string };
  assert.equal(direct.code, 7);
  assert.match(direct.details, new RegExp(`requires ${PERL}; caller ${programB}`));
  // perl connects, execs node B: the connection is still perl's.
  const viaExec = JSON.parse(await run(PERL, ['-e', CONNECT_THEN_EXEC, stack.daemon.socket, programB, CALL_ECHO_OVER_FD])) as { status: number; message: string; reply: string };
  assert.equal(viaExec.status, 0, `the Call over perl's connection: ${viaExec.message}`);
  // One gRPC message back: a CallResponse, as a granted caller gets.
  assert.match(viaExec.reply, /^00[0-9a-f]{8}0a/);
});
