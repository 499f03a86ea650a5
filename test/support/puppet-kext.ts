// Drives test/support/puppet-kext.py: a SEQPACKET "kext" that sends only
// what the test tells it to, for the bytes kextsim would never produce.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { CatalogKind, FrameType, decodeDatagram, encodeFrame } from 'kextbridged/internal/wire/index';
import { encodeWelcome, type EntrySpec } from './kext-wire';
import { ROOT as root } from './paths';

// Debian's python, not whichever is first on PATH: stdlib only, but pinned.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export const PUPPET_CATALOG: readonly EntrySpec[] = [
  { kind: CatalogKind.COMMAND, id: 1, name: 'echo' },
  { kind: CatalogKind.TOPIC, id: 1, name: 'exec' },
];

export function welcomeDatagram({ version = 1, maxInflight = 8, entries = PUPPET_CATALOG }: { version?: number; maxInflight?: number; entries?: readonly EntrySpec[] } = {}): Buffer {
  const welcome = encodeWelcome({ version, maxDatagram: 65536, maxMessage: 65536, maxInflight, identity: 'org.test.puppet', kextVersion: '1', entries });
  return Buffer.from(encodeFrame(FrameType.WELCOME, 0, 0, 0, welcome));
}

export interface Puppet {
  socket: string;
  process: ChildProcess;
  // The next line of this kind ('accept', 'recv', 'closed'); its argument.
  next(kind: string, timeoutMs?: number): Promise<string>;
  send(datagram: Uint8Array): void;
  // Waits for the daemon to connect and say HELLO, and answers WELCOME.
  handshake(welcome?: Buffer): Promise<void>;
  // Frame types of the next datagram the daemon sends.
  nextFrames(timeoutMs?: number): Promise<Array<{ type: number; id: number; code: number }>>;
  stop(): Promise<void>;
}

// at: listen there (a kext back where the daemon expects it); its
// directory stays the caller's.
export async function startPuppet(at?: string): Promise<Puppet> {
  const dir = at ? undefined : mkdtempSync(join(tmpdir(), 'kb-puppet-'));
  const socket = at ?? join(dir!, 'kext.sock');
  const child = spawn(PYTHON, [join(root, 'test/support/puppet-kext.py'), socket], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    wake?.();
  });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));

  async function next(kind: string, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = lines.findIndex((l) => l === kind || l.startsWith(kind + ' '));
      if (at >= 0) {
        const [line] = lines.splice(0, at + 1).slice(-1);
        return line!.slice(kind.length + 1);
      }
      if (child.exitCode !== null) throw new Error(`puppet kext exited before "${kind}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`puppet kext: no "${kind}" within ${timeoutMs} ms; saw ${JSON.stringify(lines)}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        wake = () => {
          clearTimeout(t);
          res();
        };
      });
      wake = null;
    }
  }
  const send = (d: Uint8Array): void => void child.stdin!.write(`send ${Buffer.from(d).toString('hex')}\n`);
  await next('ready');
  return {
    socket,
    process: child,
    next,
    send,
    async handshake(welcome = welcomeDatagram()) {
      await next('accept');
      const hello = decodeDatagram(Buffer.from(await next('recv'), 'hex'));
      if (hello.error || hello.frames[0]?.type !== FrameType.HELLO) throw new Error('the daemon did not open with HELLO');
      send(welcome);
    },
    async nextFrames(timeoutMs) {
      const d = decodeDatagram(Buffer.from(await next('recv', timeoutMs), 'hex'));
      if (d.error) throw new Error(`malformed datagram from the daemon: ${d.error.class}`);
      return d.frames.map((f) => ({ type: f.type, id: f.id, code: f.code }));
    },
    async stop() {
      child.stdin!.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
