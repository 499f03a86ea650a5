// The metrics endpoints against the real kextsim, daemon, exporter, NATS
// and a real Prometheus: off unless configured and bound only where
// configured; label sets that a client cannot grow; and what Prometheus
// scrapes agrees with GetStatus and with the calls the test made.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';

import { loadSchema } from '@kextbridge/protocol';

import { bridgeClient, unary, type Client } from '../support/daemon';
import { startExporter, startExportWorld, type ExporterRun, type ExportWorld } from '../support/export-harness';
import { skipWithoutPrometheus, startPrometheus, type Prometheus } from '../support/prometheus';
import { startStack, type Stack } from '../support/stack';
import { DAEMON_MAIN, EXAMPLE_PROTO } from '../support/paths';
import { until } from '../support/wait';

const EmitRequest = loadSchema([EXAMPLE_PROTO]).lookupType('kextbridge.example.v1.EmitRequest');

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

// Where a process said it serves metrics ("serving metrics" log line).
function servedAt(log: string): string | undefined {
  return /"metrics":"([^"]+)","msg":"serving metrics"/.exec(log)?.[1];
}

async function daemonMetricsAddress(stack: Stack): Promise<string> {
  let at: string | undefined;
  await until('the daemon logs where it serves metrics', () => (at = servedAt(stack.daemon.logs.join('\n'))) !== undefined);
  return at!;
}

// The TCP and UDP sockets a process listens on, from /proc: its socket
// inodes, then the kernel's tables.
function listeningInet(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const out: string[] = [];
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      const listening = table.startsWith('udp') || f[3] === '0A';
      if (listening && inodes.has(f[9]!)) out.push(`${table} ${hexAddress(f[1]!)}`);
    }
  }
  return out;
}

function hexAddress(hex: string): string {
  const [addr, port] = hex.split(':') as [string, string];
  if (addr.length === 8) return `${[3, 2, 1, 0].map((i) => parseInt(addr.slice(i * 2, i * 2 + 2), 16)).join('.')}:${parseInt(port, 16)}`;
  return `[${addr}]:${parseInt(port, 16)}`;
}

function get(target: { host: string; port: number } | { socketPath: string }, path = '/metrics'): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const tcp = (address: string): { host: string; port: number } => {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
};

// The series of one metric family in a text exposition: name{labels} -> value.
function series(text: string, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

const echo = (client: Client, text: string): Promise<unknown> => unary(client, 'Call', { command: { name: 'echo' }, payload: Buffer.concat([Buffer.from([0x0a, text.length]), Buffer.from(text)]) });

test('without metrics.listen the daemon serves no metrics and listens on no inet socket', async () => {
  const stack = await startStack();
  cleanups.push(() => stack.stop());
  assert.ok(!stack.daemon.logs.some((l) => l.includes('serving metrics')), 'no metrics endpoint logged');
  assert.deepEqual(listeningInet(stack.daemon.process.pid!), []);
});

test('a metrics address that cannot be bound fails the start, naming it, before the gRPC socket exists', async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => taken.close(() => r())));
  const port = (taken.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'kb-metrics-busy-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const socket = join(dir, 'kextbridge.sock');
  const r = spawnSync(process.execPath, [DAEMON_MAIN, '--socket', socket, '--kext-socket', join(dir, 'none.sock'), '--metrics-listen', `127.0.0.1:${port}`], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /metrics.listen .*127\.0\.0\.1:\d+.* cannot be served: .*EADDRINUSE/);
  assert.ok(!existsSync(socket), 'no gRPC socket was created');
  const bad = spawnSync(process.execPath, [DAEMON_MAIN, '--socket', socket, '--metrics-listen', '0.0.0.0:9464', '--check'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /metrics\.listen.*not a loopback address/);
});

test('a unix socket path serves /metrics there and binds no inet socket', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-metrics-unix-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'metrics.sock');
  const stack = await startStack({ metrics: { listen: path } });
  cleanups.push(() => stack.stop());
  const at = await daemonMetricsAddress(stack);
  assert.equal(at, path);
  assert.deepEqual(listeningInet(stack.daemon.process.pid!), []);
  const r = await get({ socketPath: at });
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/plain; version=0\.0\.4/);
  assert.match(r.body, /^kextbridge_link_up 1$/m);
  assert.equal((await get({ socketPath: at }, '/other')).status, 404);
});

test('a loopback address binds there alone; 10,000 unknown methods stay under grpc_method="other" and add no series', async () => {
  const stack = await startStack({ metrics: { listen: '127.0.0.1:0' } });
  cleanups.push(() => stack.stop());
  const at = await daemonMetricsAddress(stack);
  assert.deepEqual(listeningInet(stack.daemon.process.pid!), [`tcp ${at}`]);
  await echo(stack.client, 'hello');
  const before = (await get(tcp(at))).body;
  const grpcBefore = series(before, 'grpc_server_');
  const client = new grpc.Client(`unix://${stack.daemon.socket}`, grpc.credentials.createInsecure());
  cleanups.push(async () => client.close());
  const N = 10_000;
  let unimplemented = 0;
  for (let i = 0; i < N; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, j) =>
        new Promise<void>((resolve) => {
          client.makeUnaryRequest(`/attacker.v${i + j}.Service/Method${i + j}`, (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (err) => {
            if (err?.code === grpc.status.UNIMPLEMENTED) unimplemented++;
            resolve();
          });
        }),
      ),
    );
  }
  assert.equal(unimplemented, N);
  const afterText = (await get(tcp(at))).body;
  const grpcAfter = series(afterText, 'grpc_server_');
  const newSeries = [...grpcAfter.keys()].filter((k) => !grpcBefore.has(k) && !k.includes('grpc_method="other"'));
  assert.deepEqual(newSeries, [], 'no series but "other" ones appear');
  assert.ok(!afterText.includes('attacker'), 'no method name a client sent is a label value');
  const other = [...grpcAfter.keys()].filter((k) => k.includes('grpc_method="other"'));
  assert.ok(other.length > 0 && other.length < 100, `"other" is a bounded set of series (${other.length})`);
  assert.equal(grpcAfter.get('grpc_server_call_started_total{grpc_method="other"}'), N);
  assert.equal(grpcAfter.get('grpc_server_call_duration_seconds_count{grpc_method="other",grpc_status="UNIMPLEMENTED"}'), N);
  assert.equal(grpcAfter.get('grpc_server_call_duration_seconds_count{grpc_method="kextbridge.v1.Bridge/Call",grpc_status="OK"}'), 1);
  // The echo's request and reply, measured: a CallRequest naming "echo" with 7 payload bytes, a CallResponse with them.
  assert.ok(grpcAfter.get('grpc_server_call_rcvd_total_compressed_message_size_bytes_sum{grpc_method="kextbridge.v1.Bridge/Call",grpc_status="OK"}')! >= 13);
  assert.ok(grpcAfter.get('grpc_server_call_sent_total_compressed_message_size_bytes_sum{grpc_method="kextbridge.v1.Bridge/Call",grpc_status="OK"}')! >= 7);
});

test('Prometheus scraping the daemon and the exporter while kextsim emits: delivery rate, loss by source as GetStatus, the calls the test made', { skip: skipWithoutPrometheus(), timeout: 180_000 }, async () => {
  const world: ExportWorld = await startExportWorld(1, {}, 'kb-metrics-', { metrics: { listen: '127.0.0.1:0' } });
  let exporter: ExporterRun | undefined;
  cleanups.push(() => world.stop({ exporter }));
  const { stack } = world;
  const daemonAt = await daemonMetricsAddress(stack);
  exporter = startExporter({ stack, nats: world.nats, work: world.work, stream: 'KBMETRICS', replicas: 1, config: { metricsListen: '127.0.0.1:0' } });
  let exporterAt: string | undefined;
  await until(() => `the exporter logs where it serves metrics; its log: ${exporter!.log().slice(-2000)}`, () => (exporterAt = servedAt(exporter!.log())) !== undefined, 30_000);

  const prom: Prometheus = await startPrometheus([
    { job: 'kextbridged', address: daemonAt },
    { job: 'kextbridge-export', address: exporterAt! },
  ]);
  cleanups.push(() => prom.stop());
  let targets: Record<string, string> = {};
  await until(() => `both targets up: ${JSON.stringify(targets)}`, async () => {
    targets = await prom.targets();
    return targets['kextbridged'] === 'up' && targets['kextbridge-export'] === 'up';
  }, 30_000);

  // A subscriber that reads nothing, with a small queue, on a connection
  // of its own: whatever it loses counts as SUBSCRIBER loss, compared below.
  const stalledClient = bridgeClient(stack.daemon.socket, true);
  const stalled = stalledClient['Subscribe']!({ topics: [{ name: 'exec' }], queueLimit: 16 }) as NodeJS.EventEmitter & { pause(): void; cancel(): void };
  stalled.on('error', () => undefined);
  stalled.pause();
  cleanups.push(async () => {
    stalled.cancel();
    stalledClient.close();
  });
  await until('two subscribers (the exporter and the stalled one)', async () => (await unary<{ subscribers: unknown[] }>(stack.client, 'ListSubscribers', {})).subscribers.length === 2);

  const EVENTS = 24_000;
  const payload = Buffer.from(EmitRequest.encode({ topic: 1, count: EVENTS, size: 256, ratePerSec: 2_000 }).finish());
  const flow = unary(stack.client, 'Call', { command: { name: 'emit' }, payload }, 120_000);
  const CALLS = 40;
  for (let i = 0; i < CALLS; i++) {
    await echo(stack.client, `call ${i}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await until('Prometheus sees events delivered at a rate above zero', async () => {
    const r = await prom.query('sum(rate(kextbridge_events_delivered_total{job="kextbridged"}[10s]))');
    return r.length === 1 && r[0]!.value > 0;
  }, 20_000);
  const exported = await prom.query('rate(kextbridge_export_published_total[10s])');
  await flow;

  // A burst flat out, far past what the daemon reads: the kext counts
  // what it cannot enqueue (KERNEL loss, told by LOSS frames).
  const burst = Buffer.from(EmitRequest.encode({ topic: 1, count: 300_000, size: 16, ratePerSec: 0 }).finish());
  await unary(stack.client, 'Call', { command: { name: 'emit' }, payload: burst }, 120_000);

  // GetStatus and Prometheus's latest scrape, until they agree (the
  // counters settle once the burst is through).
  const lossOf = (c: Record<string, string>): Record<string, number> => ({ KERNEL: Number(c['lostKernel']), LINK: Number(c['lostLink']), DAEMON: Number(c['lostDaemon']), SUBSCRIBER: Number(c['lostSubscriber']) });
  let want: Record<string, number> = {};
  let seen: Record<string, number> = {};
  await until(() => `Prometheus's kextbridge_events_lost_total by source equals GetStatus's ${JSON.stringify(want)} (saw ${JSON.stringify(seen)})`, async () => {
    want = lossOf((await unary<{ counters: Record<string, string> }>(stack.client, 'GetStatus', {})).counters);
    const r = await prom.query('kextbridge_events_lost_total{job="kextbridged"}');
    seen = Object.fromEntries(r.map((x) => [x.metric['source']!, x.value]));
    return Object.entries(want).every(([k, v]) => seen[k] === v);
  }, 30_000);
  assert.ok(want['KERNEL']! > 0, `the burst lost events in the kext (${JSON.stringify(want)})`);
  const CALLS_MADE = CALLS + 2;

  // Every Call the test made (the echoes and the two emits) in the A66 histogram, answered OK.
  let calls = -1;
  await until(() => `the A66 duration histogram counts ${CALLS_MADE} OK Calls (saw ${calls})`, async () => {
    const r = await prom.query('grpc_server_call_duration_seconds_count{job="kextbridged",grpc_method="kextbridge.v1.Bridge/Call",grpc_status="OK"}');
    calls = r[0]?.value ?? -1;
    return calls === CALLS_MADE;
  }, 15_000);
  const started = await prom.query('grpc_server_call_started_total{job="kextbridged",grpc_method="kextbridge.v1.Bridge/Call"}');
  assert.equal(started[0]?.value, CALLS_MADE);
  const p99 = await prom.query('histogram_quantile(0.99, sum by (le) (rate(grpc_server_call_duration_seconds_bucket{grpc_method="kextbridge.v1.Bridge/Call"}[1m])))');
  assert.ok(p99.length === 1 && p99[0]!.value > 0, `a p99 call duration (${JSON.stringify(p99)})`);
  const rtt = await prom.query('kextbridge_kernel_round_trip_seconds_count{status="OK"}');
  assert.equal(rtt[0]?.value, CALLS_MADE, 'each Call is one kernel round trip');
  const fromKernel = await prom.query('kextbridge_events_from_kernel_total{topic="exec"}');
  assert.ok((fromKernel[0]?.value ?? 0) >= EVENTS, `events from the kernel by topic: ${JSON.stringify(fromKernel)}`);

  // The exporter's side.
  assert.ok(exported.length === 1 && exported[0]!.value > 0, `the exporter's publish rate was above zero (${JSON.stringify(exported)})`);
  await until('the exporter reports NATS connected and a publish-to-ack latency', async () => {
    const [nats, ack] = await Promise.all([prom.query('kextbridge_export_nats_connected'), prom.query('kextbridge_export_publish_ack_seconds_count')]);
    return nats[0]?.value === 1 && (ack[0]?.value ?? 0) > 0;
  }, 15_000);
});
