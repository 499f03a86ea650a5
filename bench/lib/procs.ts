// The processes a run starts: kextsim, the daemon, the bare baseline
// server and load workers. Every one is tracked so that a run that ends
// any way (done, error, time limit, Ctrl-C) leaves nothing behind, and
// every wait for a process is bounded.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { DAEMON_MAIN, KEXTSIM, WORKERS } from './paths';

const live = new Set<ChildProcess>();

export function killAll(): void {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  live.clear();
}

export function track(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

// Each child's stdout is read by one line reader for its whole life, and
// every line kept until someone has waited for it: a worker that prints
// 'ready' and its result in one write must not have the second line read
// by the first wait and lost to the next one.
const readers = new WeakMap<ChildProcess, { lines: string[]; listeners: Set<() => void> }>();

function reader(child: ChildProcess): { lines: string[]; listeners: Set<() => void> } {
  let r = readers.get(child);
  if (!r) {
    const state = { lines: [] as string[], listeners: new Set<() => void>() };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      state.lines.push(line);
      // Nobody waiting (a daemon's log): keep only the newest.
      if (state.listeners.size === 0 && state.lines.length > 1000) state.lines.shift();
      for (const l of [...state.listeners]) l();
    });
    readers.set(child, state);
    r = state;
  }
  return r;
}

// Resolves with the first stdout line not yet taken that satisfies
// accept (taking it and the lines before it); rejects when the process
// ends first or the time is up.
export function waitForLine(child: ChildProcess, accept: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stderr: string[] = [];
    child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
    const r = reader(child);
    const timer = setTimeout(() => finish(new Error(`${what}: not ready within ${timeoutMs} ms`)), timeoutMs);
    // 'close', not 'exit': a worker that reports and exits at once can be
    // seen to exit before its last line has been read.
    const onExit = (code: number | null): void => {
      check();
      finish(new Error(`${what} exited (${code}) before it was ready: ${stderr.join('').slice(-2000)}`));
    };
    let done = false;
    function finish(err: Error | null, line?: string): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      r.listeners.delete(check);
      child.off('close', onExit);
      if (err) reject(err);
      else resolve(line!);
    }
    function check(): void {
      while (!done && r.lines.length > 0) {
        const line = r.lines.shift()!;
        if (accept(line)) finish(null, line);
      }
    }
    r.listeners.add(check);
    child.once('close', onExit);
    check();
  });
}

// Stops a child politely, then for sure.
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function startKextsim(socket: string): Promise<ChildProcess> {
  const child = track(KEXTSIM, ['--socket', socket]);
  await waitForLine(child, (l) => l.startsWith('KEXTSIM READY '), 10_000, 'kextsim');
  return child;
}

export interface DaemonOptions {
  // Write a V8 CPU profile here when the daemon exits (node --cpu-prof).
  cpuProfDir?: string;
}

// The real daemon as it ships (dist/daemon/src/main.js), at log level info:
// debug logging would be measured along with the daemon.
export async function startDaemon(socket: string, kextSocket: string, options: DaemonOptions = {}): Promise<ChildProcess> {
  const nodeArgs = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
  const child = track(process.execPath, [...nodeArgs, DAEMON_MAIN, '--socket', socket, '--kext-socket', kextSocket, '--log-level', 'info']);
  await waitForLine(child, (l) => l.includes('"msg":"kext link ready"'), 15_000, 'kextbridged');
  // Keep its log pipe drained: a full pipe would block the daemon.
  child.stdout!.resume();
  return child;
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

// Resident set size of a process in MB (Linux /proc; 0 where unavailable).
export function rssMegabytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
