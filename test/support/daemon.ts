// Starts the real kextbridged (compiled) against a kextsim for integration
// tests, and makes Bridge clients, in this process or as another uid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { startDaemon as launchDaemon } from '../../scripts/lib/processes';
import { EXAMPLE_PROTO, ROOT as root } from './paths';

export interface Daemon {
  socket: string;
  process: ChildProcess;
  logs: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface DaemonStart {
  // Resolve once a log line contains this (default: the kext link is ready).
  until?: string;
  // --log-level flag; null leaves the level to the config file.
  logLevel?: string | null;
  // Listen here (its directory is the caller's): how a test restarts a
  // daemon where its clients expect it.
  socket?: string;
}

export async function startDaemon(kextSocket: string, extra: string[] = [], { until = '"msg":"kext link ready"', logLevel = 'debug', socket: at }: DaemonStart = {}): Promise<Daemon> {
  const dir = at ? null : mkdtempSync(join(tmpdir(), 'kb-d-'));
  // Unprivileged clients in the tests must reach the socket.
  if (dir) chmodSync(dir, 0o755);
  const socket = at ?? join(dir!, 'kextbridge.sock');
  // kextsim runs the example kext: serve its typed API unless told otherwise.
  const protos = extra.includes('--proto') || extra.includes('--config') ? [] : ['--proto', EXAMPLE_PROTO];
  const daemon = await launchDaemon({ socket, kextSocket, args: [...protos, ...extra], logLevel, until });
  return {
    socket,
    process: daemon.process,
    logs: daemon.lines,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const code = await daemon.stop(signal, 15_000);
      if (dir) rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

const definition = protoLoader.loadSync(['kextbridge/v1/bridge.proto', 'health/v1/health.proto'], {
  includeDirs: [join(root, 'proto'), join(root, 'node_modules/grpc-health-check/proto')],
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
const pkg = grpc.loadPackageDefinition(definition) as unknown as {
  kextbridge: { v1: { Bridge: grpc.ServiceClientConstructor } };
  grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
};

// An untyped client: tests check field values as the wire gives them.
export type Client = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

// own: a connection of its own (grpc-js otherwise shares one per target),
// so one client's flow control cannot hold up another's.
export function bridgeClient(socket: string, own = false): Client {
  const options = own ? { 'grpc.use_local_subchannel_pool': 1 } : {};
  return new pkg.kextbridge.v1.Bridge(`unix://${socket}`, grpc.credentials.createInsecure(), options) as unknown as Client;
}

export function healthClient(socket: string): Client {
  return new pkg.grpc.health.v1.Health(`unix://${socket}`, grpc.credentials.createInsecure()) as unknown as Client;
}

// The first log line from index `from` on that contains text, waited for
// up to 2 s: how a test sees the daemon react to a signal or a call.
export async function loggedLine(daemon: Daemon, text: string, from: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const hit = daemon.logs.slice(from).find((l) => l.includes(text));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the daemon never logged ${text}`);
}

export function unary<T>(client: Client, method: string, request: unknown, deadlineMs = 5000): Promise<T> {
  return new Promise((res, rej) => {
    client[method]!(request, { deadline: Date.now() + deadlineMs }, (err: grpc.ServiceError | null, reply: T) => (err ? rej(err) : res(reply)));
  });
}

// A service for unaryAs: a .proto under proto/ and the service's full name.
export interface ServiceRef {
  proto: string;
  service: string;
}

const BRIDGE: ServiceRef = { proto: 'kextbridge/v1/bridge.proto', service: 'kextbridge.v1.Bridge' };

// A node -e script with `grpc`, the service's stub class `B` and `socket`
// in scope, then body: what runs a client as another uid.
export function stubScript(socket: string, body: string, service: ServiceRef = BRIDGE): string {
  return `
    const grpc = require(${JSON.stringify(join(root, 'node_modules/@grpc/grpc-js'))});
    const pl = require(${JSON.stringify(join(root, 'node_modules/@grpc/proto-loader'))});
    const def = pl.loadSync(${JSON.stringify(service.proto)}, { includeDirs: [${JSON.stringify(join(root, 'proto'))}], longs: String, enums: String, defaults: true, oneofs: true });
    const B = ${JSON.stringify(service.service)}.split('.').reduce((o, k) => o[k], grpc.loadPackageDefinition(def));
    const socket = ${JSON.stringify(socket)};
    ${body}`;
}

// Runs one unary call in a child process under another uid; returns
// { code, details, reply } as the child saw them. service: Bridge unless given.
export function unaryAs(uid: number, socket: string, method: string, request: unknown, service: ServiceRef = BRIDGE): { code: number; details: string; reply: unknown } {
  const script = stubScript(
    socket,
    `const c = new B('unix://' + socket, grpc.credentials.createInsecure());
    c[${JSON.stringify(method)}](${JSON.stringify(request)}, { deadline: Date.now() + 5000 }, (e, r) => {
      process.stdout.write(JSON.stringify({ code: e ? e.code : 0, details: e ? e.details : '', reply: r ?? null }));
      process.exit(0);
    });`,
    service,
  );
  const r = spawnSync(process.execPath, ['-e', script], { uid, gid: uid, encoding: 'utf8', timeout: 15_000 });
  if (r.status !== 0) throw new Error(`client as uid ${uid} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { code: number; details: string; reply: unknown };
}

// Runs a node -e script (stubScript's) as uid; resolves once it prints
// "ready". spawned gets the child at once, so that a test can kill it
// whatever happens next (a live child keeps the test run from ending).
export function scriptReadyAs(uid: number, script: string, what: string, ms: number, spawned: (child: ChildProcess) => void): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', script], { uid, gid: uid, stdio: ['ignore', 'pipe', 'inherit'] });
  spawned(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not open in ${ms / 1000} s`)), ms);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l === 'ready') {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code})`)));
  });
}
