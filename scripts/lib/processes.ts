// Starting the stack's processes (kextsim, kextbridged, helpers) for the
// tests, the benchmarks and `npm start`: spawn, wait for a ready line
// within a bound, keep the output lines, stop by pid (politely, then for
// sure), and kill whatever is still running when the starter exits.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

// The checkout's root: this file runs from dist/scripts/lib.
export const ROOT = resolve(__dirname, '../../..');
export const DAEMON_MAIN = join(ROOT, 'daemon/dist/main.js');
export const EXAMPLE_PROTO = join(ROOT, 'proto/example/v1/example.proto');

export interface Started {
  readonly process: ChildProcess;
  // Every stdout line so far (until forget() is called), in order.
  readonly lines: string[];
  // stderr, when it was piped.
  readonly stderr: string[];
  // The first line after the last one a wait took that satisfies accept.
  waitForLine(accept: (line: string) => boolean, timeoutMs: number, what: string): Promise<string>;
  // Stop keeping lines (a long benchmark's daemon log); stdout is still drained.
  forget(): void;
  // SIGTERM (or signal), SIGKILL after graceMs; resolves with the exit code.
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

const live = new Set<ChildProcess>();
let exitHook = false;

export function killAll(): void {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  live.clear();
}

export function startProcess(command: string, args: readonly string[], stderr: 'pipe' | 'inherit' | 'ignore' = 'pipe', env?: NodeJS.ProcessEnv): Started {
  if (!exitHook) {
    process.once('exit', killAll);
    exitHook = true;
  }
  const stdio: StdioOptions = ['ignore', 'pipe', stderr];
  const child = spawn(command, args, { stdio, ...(env ? { env } : {}) });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const lines: string[] = [];
  const errLines: string[] = [];
  const listeners = new Set<() => void>();
  let keep = true;
  let taken = 0;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (keep || listeners.size > 0) lines.push(line);
    for (const l of [...listeners]) l();
  });
  child.stderr?.on('data', (d: Buffer) => errLines.push(d.toString()));
  // 'close' (all output read), not 'exit': a process that prints its last
  // line and exits at once must not be seen to end before that line.
  const closed = new Promise<number | null>((res) => child.once('close', (code) => res(code)));
  return {
    process: child,
    lines,
    stderr: errLines,
    waitForLine(accept, timeoutMs, what) {
      return new Promise((res, rej) => {
        let done = false;
        const timer = setTimeout(() => finish(new Error(`${what}: not ready within ${timeoutMs} ms${tail()}`)), timeoutMs);
        function tail(): string {
          const out = [...lines.slice(-20), ...errLines].join('\n').slice(-2000);
          return out ? `:\n${out}` : '';
        }
        function finish(err: Error | null, line?: string): void {
          if (done) return;
          done = true;
          clearTimeout(timer);
          listeners.delete(check);
          if (err) rej(err);
          else res(line!);
        }
        function check(): void {
          while (!done && taken < lines.length) {
            const line = lines[taken++]!;
            if (accept(line)) finish(null, line);
          }
          if (!keep && taken === lines.length) {
            lines.length = 0;
            taken = 0;
          }
        }
        listeners.add(check);
        closed.then((code) => {
          check();
          finish(new Error(`${what} exited (${code ?? child.signalCode}) before it was ready${tail()}`));
        });
        check();
      });
    },
    forget() {
      keep = false;
      lines.length = 0;
      taken = 0;
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await closed;
      clearTimeout(timer);
      return code;
    },
  };
}

// A running process's resident memory in MB and its open descriptors
// (Linux /proc; they throw once the process is gone).
export function rssMB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

// CPU seconds a process has used so far, user + system (NaN once gone).
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
// USER_HZ: what /proc/<pid>/stat counts in on Linux.
const CLOCK_TICKS = 100;

// The kextsim binary: the sanitizer build when there is one and it is wanted.
// root: the checkout whose kext/build to look in.
export function kextsimBinary(preferSanitized: boolean, root = ROOT): string {
  const names = preferSanitized ? ['kextsim-asan', 'kextsim'] : ['kextsim'];
  const bin = names.map((n) => join(root, 'kext/build', n)).find((p) => existsSync(p));
  if (!bin) throw new Error(`kextsim is not built (looked in ${join(root, 'kext/build')}): run \`npm run build:c\``);
  return bin;
}

export interface KextsimStart {
  socket: string;
  args?: readonly string[];
  preferSanitized?: boolean;
  // The checkout whose build to run (default: this one).
  root?: string;
  stderr?: 'pipe' | 'inherit' | 'ignore';
  timeoutMs?: number;
}

export async function startKextsim(o: KextsimStart): Promise<Started> {
  const sim = startProcess(kextsimBinary(o.preferSanitized ?? false, o.root), ['--socket', o.socket, ...(o.args ?? [])], o.stderr ?? 'pipe');
  await readyOrKilled(sim, (l) => l.startsWith('KEXTSIM READY '), o.timeoutMs ?? 10_000, 'kextsim');
  return sim;
}

export interface DaemonStart {
  socket: string;
  kextSocket: string;
  // Flags after the daemon's own (--config, --proto, ...).
  args?: readonly string[];
  logLevel?: string | null;
  // Ready when a stdout line contains this (default: the kext link is up).
  until?: string;
  // Flags for node itself (--cpu-prof ...).
  nodeArgs?: readonly string[];
  stderr?: 'pipe' | 'inherit' | 'ignore';
  timeoutMs?: number;
  // Another build's daemon/dist/main.js (a benchmark's baseline); this tree's by default.
  main?: string;
}

export async function startDaemon(o: DaemonStart): Promise<Started> {
  const args = [...(o.nodeArgs ?? []), o.main ?? DAEMON_MAIN, '--socket', o.socket, '--kext-socket', o.kextSocket, ...(o.logLevel ? ['--log-level', o.logLevel] : []), ...(o.args ?? [])];
  const daemon = startProcess(process.execPath, args, o.stderr ?? 'pipe');
  const until = o.until ?? '"msg":"kext link ready"';
  await readyOrKilled(daemon, (l) => l.includes(until), o.timeoutMs ?? 15_000, 'kextbridged');
  return daemon;
}

async function readyOrKilled(p: Started, accept: (line: string) => boolean, timeoutMs: number, what: string): Promise<void> {
  try {
    await p.waitForLine(accept, timeoutMs, what);
  } catch (err) {
    await p.stop('SIGKILL');
    throw err;
  }
}
