// The processes a run starts: kextsim, the daemon, the bare baseline
// server and load workers. Every one is tracked so that a run that ends
// any way (done, error, time limit, Ctrl-C) leaves nothing behind, and
// every wait for a process is bounded.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { EXAMPLE_PROTO, killAll, rssMB, startDaemon as launchDaemon, startKextsim as launchKextsim, startProcess, type Started } from '../../scripts/lib/processes';
import { WORKERS } from './paths';

export { killAll };

// The benchmark speaks of child processes; the starter's handle of each.
const started = new WeakMap<ChildProcess, Started>();

function handle(child: ChildProcess): Started {
  const s = started.get(child);
  if (!s) throw new Error(`process ${child.pid} was not started by bench/lib/procs`);
  return s;
}

function remember(s: Started): ChildProcess {
  started.set(s.process, s);
  return s.process;
}

export function track(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): ChildProcess {
  return remember(startProcess(command, args, 'pipe', env));
}

// The first stdout line not yet taken that satisfies accept; rejects when
// the process ends first or the time is up.
export function waitForLine(child: ChildProcess, accept: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
  return handle(child).waitForLine(accept, timeoutMs, what);
}

// Stops a child politely, then for sure.
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  await handle(child).stop(signal, graceMs);
}

export async function startKextsim(socket: string): Promise<ChildProcess> {
  return remember(await launchKextsim({ socket }));
}

export interface DaemonOptions {
  // Write a V8 CPU profile here when the daemon exits (node --cpu-prof).
  cpuProfDir?: string;
  // Another build's daemon/dist/main.js; this tree's by default.
  main?: string;
  // Serve metrics at this unix socket path (metrics.listen).
  metricsSocket?: string;
}

// The real daemon as it ships (daemon/dist/main.js) serving the example
// kext's typed API, at log level info: debug logging would be measured
// along with the daemon.
export async function startDaemon(socket: string, kextSocket: string, options: DaemonOptions = {}): Promise<ChildProcess> {
  const nodeArgs = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
  const daemon = await launchDaemon({ socket, kextSocket, nodeArgs, logLevel: 'info', args: ['--proto', EXAMPLE_PROTO, ...(options.metricsSocket ? ['--metrics-listen', options.metricsSocket] : [])], ...(options.main ? { main: options.main } : {}) });
  // Its log is drained, not kept: a full pipe would block the daemon.
  daemon.forget();
  return remember(daemon);
}

// A long-lived worker (bench/workers/NAME.ts) that prints 'ready' when set up.
export async function startWorker(name: string, args: unknown, timeoutMs: number): Promise<ChildProcess> {
  const child = track(process.execPath, [join(WORKERS, `${name}.js`), JSON.stringify(args)]);
  await waitForLine(child, (l) => l === 'ready', timeoutMs, `worker ${name}`);
  return child;
}

// A worker that measures and prints one JSON line, its result.
export async function runWorker<T>(name: string, args: unknown, timeoutMs: number): Promise<T> {
  const child = track(process.execPath, [join(WORKERS, `${name}.js`), JSON.stringify(args)]);
  const line = await waitForLine(child, (l) => l.startsWith('{'), timeoutMs, `worker ${name}`);
  await stop(child, 'SIGTERM', 2000);
  return JSON.parse(line) as T;
}

// Resident set size of a process in MB (0 where unavailable).
export function rssMegabytes(pid: number): number {
  try {
    return rssMB(pid);
  } catch {
    return 0;
  }
}
