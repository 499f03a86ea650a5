// Runs the compiled kextbridge CLI as a child process (as another uid if
// asked) and gives back what a shell would see.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const main = resolve(__dirname, '../../clients/ts/src/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startCli(socket: string, args: string[], uid?: number): ChildProcess {
  return spawn(process.execPath, [main, '--socket', socket, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
}

export function cli(socket: string, args: string[], uid?: number, timeoutMs = 15_000): Promise<CliResult> {
  const child = startCli(socket, args, uid);
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
