// A hostile local user against the real daemon and kextsim: processes of
// user nobody open connections that send the HTTP/2 preface and nothing
// more, far past the per-uid limit. Root's calls keep working and stay
// fast, the exec-authorization handler keeps answering within the kext's
// deadline, the attacker's refusals show in GetStatus, the daemon's memory
// stays bounded, and once the attack is over (the admitted silent
// connections closed for starting no call) its descriptors are back where
// they were; all of it with a program rule on (each connection's program
// read at accept, its executable's hash looked up). Every loop is bounded
// in count and time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { stubScript, unary, type Client, type Daemon } from '../support/daemon';
import { NOBODY } from '../support/interop';
import { startStack, type Stack } from '../support/stack';
import { echoTimes, fds, median, rssMB } from '../support/measure';
import { until } from '../support/wait';

const PER_UID = 40;
const ATTACKERS = 4;
const EACH = 150;
const FIRST_CALL_MS = 3000;

// Runs a script as nobody with a Bridge stub class `B` and the socket in
// scope; resolves with what it printed as JSON.
function asNobody<T>(socket: string, body: string, timeoutMs = 60_000): Promise<T> {
  const script = stubScript(
    socket,
    `const done = (v) => { process.stdout.write(JSON.stringify(v)); process.exit(0); };
    ${body}`,
  );
  return runAsNobody<T>(script, timeoutMs);
}

// Runs a node script as nobody; resolves with the JSON it printed.
function runAsNobody<T>(script: string, timeoutMs: number): Promise<T> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['-e', script], { uid: NOBODY, gid: NOBODY });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        res(JSON.parse(out) as T);
      } catch {
        rej(new Error(`script as nobody failed: ${err}`));
      }
    });
  });
}

let stack: Stack;
let daemon: Daemon;
let client: Client;

before(async () => {
  // Program rules on, one by contents: every connection's executable is
  // read through a pidfd at accept and its hash looked up (taken once).
  const nodeSha = createHash('sha256').update(readFileSync(process.execPath)).digest('hex');
  const policy = { commands: { echo: { users: ['*'], programs: [{ sha256: nodeSha }] } } };
  stack = await startStack({ policy, limits: { maxConnections: 400, maxConnectionsPerUid: PER_UID, reservedConnections: 64, firstCallMs: FIRST_CALL_MS } });
  ({ daemon, client } = stack);
});

after(() => stack.stop());



// One attacker: `count` connections as nobody, each sending the client
// preface only, held for holdMs; prints how many the daemon closed.
function attacker(socket: string, count: number, holdMs: number): Promise<{ closedEarly: number; failed: number }> {
  // Ten connects in flight at a time: past the listen backlog a unix
  // connect fails with EAGAIN before the daemon sees it, which would test
  // the kernel rather than the daemon.
  const script = `
    const net = require('node:net');
    const preface = Buffer.from('PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n');
    let closed = 0;
    let failed = 0;
    const socks = [];
    const one = () => new Promise((done) => {
      let connected = false;
      const s = net.connect(${JSON.stringify(socket)}, () => { connected = true; s.write(preface); done(); });
      s.on('error', () => { if (!connected) failed++; done(); });
      s.on('close', () => closed++);
      socks.push(s);
    });
    (async () => {
      for (let i = 0; i < ${count}; i += 10) await Promise.all(Array.from({ length: Math.min(10, ${count} - i) }, one));
      setTimeout(() => {
        process.stdout.write(JSON.stringify({ closedEarly: closed, failed }));
        for (const s of socks) s.destroy();
        process.exit(0);
      }, ${holdMs});
    })();`;
  return runAsNobody(script, holdMs + 40_000);
}



// SimulateExecRequest{pid: 42, uid: 1, path: "/bin/tru"}.
const simulateExec = Buffer.from([0x08, 0x2a, 0x18, 0x01, 0x22, 0x08, ...Buffer.from('/bin/tru')]);
type Duplex = NodeJS.EventEmitter & { write(m: unknown): boolean; cancel(): void };

test('the addon raises a low descriptor limit (as launchd\'s 256 would be) to what is asked', () => {
  const script = `
    const { raiseFileLimit } = require(${JSON.stringify(resolve(__dirname, '../../../native/dist/limits.js'))});
    const soft = () => require('node:fs').readFileSync('/proc/self/limits', 'utf8').match(/Max open files +([0-9]+)/)[1];
    const before = soft();
    const got = raiseFileLimit(1000);
    const after = soft();
    process.stdout.write(JSON.stringify({ before: Number(before), after: Number(after), got }));`;
  // Soft and hard: node itself raises a soft limit to the hard one at start.
  // The script goes as $1, the node binary as $0: no quoting to get wrong.
  const r = spawnSync('sh', ['-c', 'ulimit -n 300 && exec "$0" -e "$1"', process.execPath, script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { before: number; after: number; got: { soft: number; hard: number } };
  assert.equal(out.before, 300);
  // Raising a hard limit takes CAP_SYS_RESOURCE, which root in a container
  // may lack: then the hard limit caps it, and what it reports is the truth.
  const capEff = BigInt(`0x${/CapEff:\s+([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]}`);
  const mayRaiseHard = (capEff & (1n << 24n)) !== 0n;
  assert.equal(out.after, mayRaiseHard ? 1000 : 300);
  assert.deepEqual(out.got, { soft: out.after, hard: out.after });
});

test('a flood of preface-only connections from one uid: root and the upcall handler keep working, the flood is refused past its cap and counted', async () => {
  const pid = daemon.process.pid!;
  // The handler: root, registered before the attack, answering "deny".
  const serve = client['Serve']!() as Duplex;
  serve.on('data', (q: { id: number }) => serve.write({ answer: { id: q.id, status: 0, payload: Buffer.from([0x08, 0x00]) } }));
  serve.on('error', () => undefined);
  serve.write({ register: { upcall: { name: 'authorize_exec' } } });
  await until('the handler registered', async () => ((await unary<{ upcallHandlers: number }>(client, 'GetStatus', {})).upcallHandlers === 1));

  await echoTimes(client, 20); // warm
  const quiet = median(await echoTimes(client, 40));
  const fdsBefore = fds(pid);

  const attack = Promise.all(Array.from({ length: ATTACKERS }, () => attacker(daemon.socket, EACH, FIRST_CALL_MS + 2000)));
  await until('the flood is refused', async () => {
    const c = (await unary<{ counters: { connectionsRefusedByUid: Record<string, string> } }>(client, 'GetStatus', {})).counters;
    return Number(c.connectionsRefusedByUid[String(NOBODY)] ?? 0) >= ATTACKERS * EACH - PER_UID - 50;
  }, 30_000);
  const during = median(await echoTimes(client, 40));
  const verdict = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'simulate_exec' }, payload: simulateExec });
  assert.deepEqual(verdict.payload, Buffer.from([0x10, 0x01]), 'the handler decided (deny), within the kext deadline, during the flood');
  const rss = rssMB(pid);
  const results = await attack;
  serve.cancel();

  const status = await unary<{ counters: { connectionsRefusedByUid: Record<string, string>; connectionsNoFirstCall: string } }>(client, 'GetStatus', {});
  const refused = Number(status.counters.connectionsRefusedByUid[String(NOBODY)]);
  assert.equal(results.reduce((n, r) => n + r.failed, 0), 0, 'every attacking connect reached the daemon');
  assert.equal(refused, ATTACKERS * EACH - PER_UID, `exactly the connections past nobody's cap of ${PER_UID} were refused`);
  assert.ok(results.reduce((n, r) => n + r.closedEarly, 0) >= ATTACKERS * EACH - PER_UID, 'the attackers saw their refused connections close');
  assert.ok(Number(status.counters.connectionsNoFirstCall) >= PER_UID, 'the admitted silent connections were closed for starting no call');
  assert.ok(during <= quiet * 3 + 5, `root's Call p50 ${during.toFixed(2)} ms during the flood, ${quiet.toFixed(2)} ms before`);
  assert.ok(rss <= 200, `daemon RSS ${rss.toFixed(0)} MB during the flood`);
  await until('descriptors back to the quiet figure', () => fds(pid) <= fdsBefore + 2, 10_000);
  // Logged, but not once per refusal.
  const lines = daemon.logs.filter((l) => l.includes('refused a connection'));
  assert.ok(lines.length >= 1 && lines.length <= 5, `${lines.length} log lines for ${refused} refusals`);
  console.log(`# quiet p50 ${quiet.toFixed(2)} ms, during ${during.toFixed(2)} ms; ${refused} refused; RSS ${rss.toFixed(0)} MB`);
});

test('thousands of streams on one connection: the daemon holds at most limits.maxStreamsPerConnection of them, and serves root meanwhile', async () => {
  const status = (): Promise<{ subscribers: number }> => unary(client, 'GetStatus', {});
  const watching = asNobody<{ errors: number }>(
    daemon.socket,
    `const c = new B('unix://' + socket, grpc.credentials.createInsecure());
     let errors = 0;
     const calls = [];
     for (let i = 0; i < 2000; i++) {
       const s = c.Subscribe({ topics: [{ name: 'heartbeat' }] });
       s.on('data', () => {});
       s.on('error', () => errors++);
       calls.push(s);
     }
     setTimeout(() => { for (const s of calls) s.cancel(); setTimeout(() => done({ errors }), 300); }, 2500);`,
  );
  // The most streams the daemon held at once, sampled (with a call to show
  // it still answers) until the child has cancelled them all.
  let most = 0;
  let over = false;
  const ended = watching.finally(() => (over = true));
  await until('the child to cancel its 2,000 streams', async () => {
    most = Math.max(most, (await status()).subscribers);
    await unary(client, 'Call', { command: { name: 'echo' }, payload: Buffer.from('hi') });
    return over;
  });
  await ended;
  assert.ok(most > 100, `${most} streams reached the daemon`);
  assert.ok(most <= 256, `${most} streams open at once on one connection (limit 256)`);
  await until('every stream to be gone from the daemon', async () => (await status()).subscribers === 0);
});

test('oversized metadata and messages, and rapid connect/disconnect: refused or closed, the daemon unaffected, its descriptors back', async () => {
  const pid = daemon.process.pid!;
  const before = fds(pid);
  const r = await asNobody<{ big: number; msg: number; cycles: number }>(
    daemon.socket,
    `const c = new B('unix://' + socket, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1, 'grpc.max_metadata_size': 4 << 20 });
     const md = new grpc.Metadata();
     md.set('x-big', 'a'.repeat(256 * 1024));
     c.Describe({}, md, { deadline: Date.now() + 5000 }, (e1) => {
       c.Call({ command: { name: 'echo' }, payload: Buffer.alloc(8 << 20) }, { deadline: Date.now() + 5000 }, (e2) => {
         let cycles = 0;
         const net = require('node:net');
         const next = () => {
           if (cycles === 2000) return done({ big: e1 ? e1.code : 0, msg: e2 ? e2.code : 0, cycles });
           const s = net.connect(socket, () => { s.destroy(); });
           s.on('error', () => {});
           s.on('close', () => { cycles++; next(); });
         };
         next();
       });
     });`,
  );
  assert.notEqual(r.big, 0, 'a 256 KiB header is refused');
  assert.equal(r.msg, 8, 'an 8 MiB message is RESOURCE_EXHAUSTED');
  assert.equal(r.cycles, 2000);
  const after = await unary<{ linkState: string; counters: { callsByStatus: Record<string, string> } }>(client, 'GetStatus', {});
  assert.equal(after.linkState, 'LINK_STATE_READY', 'the daemon still answers, its kext link up');
  assert.equal(daemon.process.exitCode, null);
  await until(() => `the daemon's descriptors back to ${before} + 2 (now ${fds(pid)})`, () => fds(pid) <= before + 2);
});
