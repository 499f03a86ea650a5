// Starts the real kextsim (sanitizer build) for integration tests, plus the
// few raw frame helpers tests need to speak to it directly.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { FrameType, decodeDatagram, encodeFrame, encodeHello } from '../../daemon/src/wire';

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

// Raw frames for tests that talk to kextsim directly, through the
// daemon's codec (itself checked against the golden vectors).
export function frameBytes(type: number, id: number, code: number, payload: Buffer, flags = 0): Buffer {
  return Buffer.from(encodeFrame(type, flags, id, code, payload));
}

export function helloDatagram(maxDatagram = 65536, maxMessage = 1 << 20): Buffer {
  return frameBytes(FrameType.HELLO, 0, 0, Buffer.from(encodeHello({ versionMin: 1, versionMax: 1, maxDatagram, maxMessage, name: 'test' })));
}

export interface RawFrame {
  type: number;
  flags: number;
  id: number;
  code: number;
  payload: Buffer;
}

// Every frame of a datagram; a malformed one fails the test.
export function frames(d: Buffer): RawFrame[] {
  const decoded = decodeDatagram(d);
  if (decoded.error) throw new Error(`malformed datagram from kextsim: ${decoded.error.class} at byte ${decoded.error.offset}`);
  return decoded.frames.map((f) => ({ type: f.type, flags: f.flags, id: f.id, code: f.code, payload: d.subarray(f.payloadOffset, f.payloadOffset + f.length) }));
}
