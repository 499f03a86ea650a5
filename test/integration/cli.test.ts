// The kextbridge CLI, every command, against the real daemon and kextsim:
// human and --json output, exit statuses, a plain user's view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { startKextsim, type Kextsim } from '../support/kextsim';
import { startDaemon, type Daemon } from '../support/daemon';
import { cli, finished, jsonLines, startCli } from '../support/cli';
import { EXAMPLE_PROTO } from '../support/paths';
import { until } from '../support/wait';

const NOBODY = 65534;
let sim: Kextsim;
let daemon: Daemon;
let work: string;

before(async () => {
  sim = await startKextsim([]);
  daemon = await startDaemon(sim.socket);
  work = mkdtempSync(join(tmpdir(), 'kb-cli-'));
  chmodSync(work, 0o777);
});

after(async () => {
  await daemon.stop();
  await sim.stop();
  rmSync(work, { recursive: true, force: true });
});

test('status and describe, human and --json', async () => {
  const human = await cli(daemon.socket, ['status']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^link\s+ready: org\.kextbridge\.example/m);
  assert.match(human.stdout, /, epoch [1-9]\d*$/m, 'the daemon epoch is shown');
  const json = await cli(daemon.socket, ['status', '--json']);
  const s = jsonLines(json)[0]!;
  assert.equal(s['linkState'], 'LINK_STATE_READY');
  assert.ok(Number((s['counters'] as Record<string, string>)['framesIn']) > 0);
  const d = jsonLines(await cli(daemon.socket, ['describe', '--json'], NOBODY))[0]!;
  assert.deepEqual(
    (d['commands'] as Array<{ name: string }>).map((c) => c.name),
    ['echo', 'stats', 'emit', 'simulate_exec'],
  );
  assert.match((await cli(daemon.socket, ['describe'])).stdout, /^\s+1\s+log_level\s+int64 0\.\.4\s+privileged$/m);
});

test('health: SERVING exits 0; an unreachable daemon exits 3 and says where it looked', async () => {
  const h = await cli(daemon.socket, ['health', 'kextbridge.example.v1.Example']);
  assert.equal(h.code, 0);
  assert.equal(h.stdout.trim(), 'SERVING');
  const gone = await cli(join(work, 'nobody-here.sock'), ['health']);
  assert.equal(gone.code, 3);
  assert.match(gone.stderr, /UNAVAILABLE.*is kextbridged running on .*nobody-here\.sock/);
});

test('call: typed JSON in and out as a plain user; raw bytes by --hex; errors map to exit statuses', async () => {
  const typed = await cli(daemon.socket, ['call', 'echo', '--json', '{"data": "aGVsbG8="}'], NOBODY);
  assert.equal(typed.code, 0, typed.stderr);
  assert.deepEqual(jsonLines(typed)[0]!['reply'], { data: 'aGVsbG8=' });
  const hex = await cli(daemon.socket, ['call', '1', '--hex', '0a026869']);
  assert.equal(hex.code, 0, hex.stderr);
  assert.match(hex.stdout, /"data": "aGk="/);
  const denied = await cli(daemon.socket, ['call', 'emit'], NOBODY);
  assert.equal(denied.code, 4);
  assert.match(denied.stderr, /PERMISSION_DENIED: .*emit/);
  const unknown = await cli(daemon.socket, ['call', 'nope']);
  assert.equal(unknown.code, 5);
  assert.match(unknown.stderr, /no command "nope".*it has: echo \(1\)/);
  const badHex = await cli(daemon.socket, ['call', 'echo', '--hex', 'zz']);
  assert.equal(badHex.code, 2);
  assert.match(badHex.stderr, /--hex: "zz" is not an even number of hex digits/);
  const badJson = await cli(daemon.socket, ['call', 'echo', '--json', '{"dta": 1}']);
  assert.equal(badJson.code, 2);
  assert.match(badJson.stderr, /EchoRequest has no field "dta"; it has: data/);
  const malformed = await cli(daemon.socket, ['call', 'echo', '--hex', '0a09']);
  assert.equal(malformed.code, 6, 'the kext refuses a malformed EchoRequest');
});

test('with no .proto anywhere, as a plain user: the example kext\'s types come from the daemon; --proto that agrees warns of nothing', async () => {
  const typed = await cli(daemon.socket, ['call', 'echo', '{"data": "aGk="}'], NOBODY);
  assert.equal(typed.code, 0, typed.stderr);
  assert.deepEqual(JSON.parse(typed.stdout), { data: 'aGk=' }, 'a JSON payload is the typed request, without --json too');
  const described = await cli(daemon.socket, ['describe'], NOBODY);
  assert.match(described.stdout, /^\s+1\s+echo\s+EchoRequest -> EchoReply$/m);
  assert.match(described.stdout, /^\s+1\s+authorize_exec\s+.*asks ExecAuthorization, answered by ExecVerdict {2}privileged$/m);
  const watch = await cli(daemon.socket, ['watch', 'heartbeat', '--json', '--count', '1'], NOBODY);
  assert.equal(watch.code, 0, watch.stderr);
  const line = jsonLines(watch)[0]!;
  assert.equal(line['topic'], 'heartbeat');
  assert.ok('uptimeNs' in (line['event'] as object), 'decoded as a Heartbeat');
  const agreeing = await cli(daemon.socket, ['call', 'echo', '{"data": "aGk="}', '--proto', EXAMPLE_PROTO], NOBODY);
  assert.equal(agreeing.code, 0, agreeing.stderr);
  assert.equal(agreeing.stderr, '');
});

test('get and set an option, with type and range checked', async () => {
  const set = await cli(daemon.socket, ['set', 'log_level', '3', '--json']);
  assert.equal(set.code, 0, set.stderr);
  assert.deepEqual(jsonLines(set)[0], { id: 1, name: 'log_level', value: '3', message: { level: '3' } }, 'the value, and as the typed LogLevel');
  const get = await cli(daemon.socket, ['get', 'log_level']);
  assert.equal(get.stdout.trim(), 'log_level = 3');
  const range = await cli(daemon.socket, ['set', 'log_level', '9']);
  assert.equal(range.code, 6);
  assert.match(range.stderr, /OUT_OF_RANGE: .*9 is outside 0\.\.4/);
  const notInt = await cli(daemon.socket, ['set', 'log_level', 'loud']);
  assert.equal(notInt.code, 2);
  assert.match(notInt.stderr, /log_level is an integer \(0\.\.4\), not "loud"/);
  const asNobody = await cli(daemon.socket, ['get', 'log_level'], NOBODY);
  assert.equal(asNobody.code, 4, 'log_level is privileged');
});

test('watch: one JSON line per decoded event, --count stops it, and subscribers lists a live watch', async () => {
  const watching = startCli(daemon.socket, ['watch', 'heartbeat', '--json', '--count', '2'], NOBODY);
  const done = finished(watching, 10_000);
  // While it runs, the subscriber list (root only) shows it.
  let listed: Array<Record<string, unknown>> = [];
  await until('the watch in the subscriber list', async () => {
    listed = jsonLines(await cli(daemon.socket, ['subscribers', '--json']))[0] as unknown as Array<Record<string, unknown>>;
    return listed.length > 0;
  });
  assert.equal(listed[0]?.['uid'], NOBODY);
  assert.deepEqual(listed[0]?.['topics'], [2]);
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  const events = jsonLines(r).filter((l) => 'event' in l);
  assert.equal(events.length, 2);
  assert.equal(events[0]!['topic'], 'heartbeat');
  assert.ok(Number(events[1]!['seq']) > Number(events[0]!['seq']));
  assert.ok('count' in (events[0]!['event'] as object), 'decoded as a Heartbeat');
  const denied = await cli(daemon.socket, ['watch', 'exec', '--count', '1'], NOBODY);
  assert.equal(denied.code, 4);
  const badPolicy = await cli(daemon.socket, ['watch', 'heartbeat', '--policy', 'keep-all']);
  assert.equal(badPolicy.code, 2);
  assert.match(badPolicy.stderr, /--policy must be one of drop-oldest, drop-newest, disconnect/);
});

test('watch ends cleanly on Ctrl-C (SIGINT) with exit 0', async () => {
  const child = startCli(daemon.socket, ['watch', 'heartbeat']);
  const done = finished(child, 10_000);
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  // Human lines show what the event set, not every default of its type.
  assert.match(line, /^\d+ heartbeat \{"count":"\d+","uptimeNs":"\d+"\}$/);
  const t0 = Date.now();
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Date.now() - t0 < 2000, 'it stops promptly');
});

test('serve answers upcalls by running a program with the question as JSON', async () => {
  const seen = join(work, 'question.json');
  const server = startCli(daemon.socket, ['serve', 'authorize_exec', '--', 'sh', '-c', `cat > ${seen}; echo '{"allow": false}'`]);
  const done = finished(server, 15_000);
  // Registered once the daemon counts a handler.
  await until('the daemon to count the handler', async () => jsonLines(await cli(daemon.socket, ['status', '--json']))[0]!['upcallHandlers'] === 1);
  const r = await cli(daemon.socket, ['call', 'simulate_exec', '--json', '{"pid": 7, "uid": 501, "path": "/bin/true"}']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(jsonLines(r)[0]!['reply'], { allowed: false, decidedBy: 'DECIDER_HANDLER' });
  assert.deepEqual(JSON.parse(readFileSync(seen, 'utf8')), { pid: 7, uid: 501, path: '/bin/true' });
  server.kill('SIGINT');
  const end = await done;
  assert.equal(end.code, 0, end.stderr);
  assert.match(end.stderr, /upcall \d+: answered \[1 answered, 0 defaulted\]/);
});

test('every command has --help with an example; bad usage exits 2', async () => {
  for (const c of ['status', 'describe', 'health', 'call', 'watch', 'get', 'set', 'serve', 'subscribers']) {
    const h = await cli(daemon.socket, [c, '--help']);
    assert.equal(h.code, 0, c);
    assert.match(h.stdout, new RegExp(`^usage: kextbridge ${c}`), c);
    assert.match(h.stdout, /example/, c);
  }
  assert.equal((await cli(daemon.socket, ['frobnicate'])).code, 2);
  const stray = await cli(daemon.socket, ['status', '--since', '3']);
  assert.equal(stray.code, 2);
  assert.match(stray.stderr, /--since is not a flag of status/);
});
