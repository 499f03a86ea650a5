// Starts the real kextsim (sanitizer build) for integration tests, plus the
// few raw frame helpers tests need to speak to it directly.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

export interface Kextsim {
  socket: string;
  process: ChildProcess;
  // keepDir: leave the socket's directory for a successor.
  stop(keepDir?: boolean): Promise<number | null>;
}

// at: listen on this path (its directory is then the caller's to remove,
// unless ownDir): how a test brings a kext back where the daemon expects it.
export async function startKextsim(args: string[], at?: { socket: string; ownDir: boolean }): Promise<Kextsim> {
  const bin = ['kext/build/kextsim-asan', 'kext/build/kextsim'].map((p) => join(root, p)).find((p) => existsSync(p));
  if (!bin) throw new Error('kextsim is not built: run `npm run build:c`');
  const dir = at ? dirname(at.socket) : mkdtempSync(join(tmpdir(), 'kb-sim-'));
  const ownDir = at ? at.ownDir : true;
  // Unprivileged test clients must reach the socket to be refused by it.
  chmodSync(dir, 0o755);
  const socket = at ? at.socket : join(dir, 'kextsim.sock');
  const child = spawn(bin, ['--socket', socket, ...args], { stdio: ['ignore', 'pipe', process.env.KB_TEST_VERBOSE ? 'inherit' : 'ignore'] });
  const ready = await new Promise<boolean>((res) => {
    const timer = setTimeout(() => res(false), 10_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      res(line.startsWith('KEXTSIM READY '));
    });
    child.once('exit', () => res(false));
  });
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`kextsim did not start (${bin})`);
  }
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return {
    socket,
    process: child,
    async stop(keepDir = false) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      if (ownDir && !keepDir) rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export function frameBytes(type: number, id: number, code: number, payload: Buffer, flags = 0): Buffer {
  const b = Buffer.alloc(16 + payload.length);
  b.writeUInt16LE(0x424b, 0);
  b[2] = type;
  b[3] = flags;
  b.writeUInt32LE(id, 4);
  b.writeUInt32LE(code, 8);
  b.writeUInt32LE(payload.length, 12);
  payload.copy(b, 16);
  return b;
}

export function helloDatagram(maxDatagram = 65536, maxMessage = 1 << 20): Buffer {
  const p = Buffer.alloc(12);
  p.writeUInt16LE(1, 0);
  p.writeUInt16LE(1, 2);
  p.writeUInt32LE(maxDatagram, 4);
  p.writeUInt32LE(maxMessage, 8);
  return frameBytes(1, 0, 0, p);
}

export interface RawFrame {
  type: number;
  flags: number;
  id: number;
  code: number;
  payload: Buffer;
}

export function frames(d: Buffer): RawFrame[] {
  const out: RawFrame[] = [];
  for (let off = 0; off + 16 <= d.length; ) {
    const len = d.readUInt32LE(off + 12);
    out.push({ type: d[off + 2]!, flags: d[off + 3]!, id: d.readUInt32LE(off + 4), code: d.readUInt32LE(off + 8), payload: d.subarray(off + 16, off + 16 + len) });
    off += 16 + len;
  }
  return out;
}
