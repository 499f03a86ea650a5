// kextbridge-dev: one kext under test, served. Starts kextsim with the
// kext (any the build found) and kextbridged serving its .proto on a fresh
// socket, says where once serving, and stops both on SIGTERM/SIGINT or
// when its parent dies. With a command after `--` it runs that command
// with KEXTBRIDGE_SOCKET and KEXTBRIDGE_PROTO set, stops the stack and
// exits with the command's status: what a kext author's CI runs.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs as parseCli } from 'node:util';

import { findKext } from './lib/kexts';
import { killAll, ROOT, startDaemon, startKextsim, type Started } from './lib/processes';

const USAGE = `usage: kextbridge-dev --kext NAME [options] [-- COMMAND [ARG...]]

Starts kextsim with the kext NAME (a folder kext/NAME with a kext.mk, built
by npm run build) and kextbridged serving its .proto on a fresh unix
socket. Once serving it prints one line, KEXTBRIDGE_SOCKET=PATH, on stdout.
SIGTERM, SIGINT or the death of its parent stops both.

  --kext NAME          the kext to run (required)
  --proto FILE         the .proto to serve (default: the one kext/NAME/kext.mk names)
  --socket-file FILE   also write the socket's path to FILE once serving
  --dir DIR            put the sockets in DIR (default: a new directory
                       under the system's temporary one, removed at exit)
  --config FILE        kextbridged's config (a policy, limits)
  --root DIR           the checkout whose kext/ to use (default: this one)
  --sanitized          run kextsim built with ASan and UBSan
  --upcall-timeout-ms N  shorten the kext's upcall timeouts
  -- COMMAND ...       run COMMAND with KEXTBRIDGE_SOCKET and KEXTBRIDGE_PROTO
                       set, then stop; exit with its status
  --help               this text

example: kextbridge-dev --kext kv -- python3 -m unittest discover -s tests
`;

interface Args {
  kext: string;
  proto: string | undefined;
  socketFile: string | undefined;
  dir: string | undefined;
  config: string | undefined;
  root: string;
  sanitized: boolean;
  upcallTimeoutMs: string | undefined;
  command: string[];
}

function parseArgs(argv: string[]): Args {
  const { values: v, positionals } = parseCli({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      kext: { type: 'string' },
      proto: { type: 'string' },
      'socket-file': { type: 'string' },
      dir: { type: 'string' },
      config: { type: 'string' },
      root: { type: 'string' },
      sanitized: { type: 'boolean' },
      'upcall-timeout-ms': { type: 'string' },
    },
  });
  if (v.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (!v.kext) throw new Error('--kext NAME is required (see --help)');
  const timeout = v['upcall-timeout-ms'];
  if (timeout !== undefined && !/^[1-9][0-9]{0,5}$/.test(timeout)) throw new Error(`--upcall-timeout-ms needs 1..999999, got "${timeout}"`);
  // Everything after -- is the command; anything else bare is a mistake.
  const dashes = argv.indexOf('--');
  const command = dashes < 0 ? [] : argv.slice(dashes + 1);
  if (positionals.length !== command.length) throw new Error(`unexpected argument "${positionals[0]}" (a command goes after --; see --help)`);
  const path = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(p));
  return {
    kext: v.kext,
    proto: path(v.proto),
    socketFile: path(v['socket-file']),
    dir: path(v.dir),
    config: path(v.config),
    root: path(v.root) ?? ROOT,
    sanitized: v.sanitized === true,
    upcallTimeoutMs: timeout,
    command,
  };
}

async function main(): Promise<number> {
  let args: Args;
  let proto: string;
  try {
    args = parseArgs(process.argv.slice(2));
    proto = args.proto ?? findKext(args.kext, args.root).proto;
  } catch (err) {
    process.stderr.write(`kextbridge-dev: ${(err as Error).message}\n`);
    return 2;
  }
  const ownDir = !args.dir;
  const dir = args.dir ?? mkdtempSync(join(tmpdir(), `kb-dev-${args.kext}-`));
  // Clients run as other users must reach the socket.
  if (ownDir) chmodSync(dir, 0o755);
  const kextSocket = join(dir, 'kextsim.sock');
  const socket = join(dir, 'kextbridge.sock');
  const children: Started[] = [];
  let stopping: Promise<number> | null = null;
  const stop = (code: number): Promise<number> => {
    stopping ??= (async () => {
      // The daemon first: it says GOODBYE and closes, then kextsim ends cleanly.
      for (const c of [...children].reverse()) await c.stop('SIGTERM', 5000);
      // Any still starting when the signal came.
      killAll();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
      return code;
    })();
    return stopping;
  };
  const stopped = new Promise<number>((res) => {
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void stop(0).then(res));
    // The parent's death: we are re-parented (to init or a subreaper).
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) void stop(0).then(res);
    }, 200).unref();
  });
  try {
    const simArgs = ['--kext', args.kext, ...(args.upcallTimeoutMs ? ['--upcall-timeout-ms', args.upcallTimeoutMs] : [])];
    const sim = await startKextsim({ socket: kextSocket, args: simArgs, preferSanitized: args.sanitized, root: args.root, stderr: 'inherit' });
    children.push(sim);
    sim.forget();
    const daemonArgs = ['--proto', proto, ...(args.config ? ['--config', args.config] : [])];
    const daemon = await startDaemon({ socket, kextSocket, args: daemonArgs, logLevel: 'info', until: '"msg":"serving"', stderr: 'inherit' });
    children.push(daemon);
    daemon.forget();
    for (const [name, c] of [['kextsim', sim], ['kextbridged', daemon]] as const) {
      c.process.once('exit', (code, signal) => {
        if (stopping) return;
        process.stderr.write(`kextbridge-dev: ${name} exited (${signal ?? code}); stopping\n`);
        void stop(1).then((c2) => process.exit(c2));
      });
    }
  } catch (err) {
    process.stderr.write(`kextbridge-dev: ${(err as Error).message}\n`);
    killAll();
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    return 1;
  }
  if (args.socketFile) writeFileSync(args.socketFile, `${socket}\n`);
  process.stdout.write(`KEXTBRIDGE_SOCKET=${socket}\n`);
  if (args.command.length === 0) return stopped;
  const [cmd, ...cmdArgs] = args.command;
  const child = spawn(cmd!, cmdArgs, { stdio: 'inherit', env: { ...process.env, KEXTBRIDGE_SOCKET: socket, KEXTBRIDGE_PROTO: proto } });
  const status = await new Promise<number>((res) => {
    child.once('error', (err) => {
      process.stderr.write(`kextbridge-dev: cannot run ${cmd}: ${err.message}\n`);
      res(127);
    });
    child.once('exit', (code, signal) => res(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    void stopped.then(() => child.kill('SIGTERM'));
  });
  return stop(status);
}

void main().then((code) => process.exit(code));
