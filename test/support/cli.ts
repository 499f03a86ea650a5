// Runs the compiled kextbridge CLI as a child process (as another uid if
// asked) and gives back what a shell would see.
import { spawn, type ChildProcess } from 'node:child_process';

import { CLI_MAIN } from './paths';

// A user with no .proto: the CLI reads the kext's types from the daemon.
const { KEXTBRIDGE_PROTO: _none, ...ENV } = process.env;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// env: variables over the default ones (none sets KEXTBRIDGE_PROTO).
export function startCli(socket: string, args: string[], uid?: number, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [CLI_MAIN, '--socket', socket, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...ENV, ...env },
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
}

export function cli(socket: string, args: string[], uid?: number, timeoutMs = 15_000, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = startCli(socket, args, uid, env);
  return finished(child, timeoutMs);
}

export function finished(child: ChildProcess, timeoutMs = 15_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

// JSON lines of stdout.
export function jsonLines(r: CliResult): Array<Record<string, unknown>> {
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
