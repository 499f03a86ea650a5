// Starts the real kextsim (sanitizer build) for integration tests, plus the
// few raw frame helpers tests need to speak to it directly.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { FrameType, decodeDatagram, encodeFrame, encodeHello } from 'kextbridged/internal/wire/index';
import { startKextsim as startSim } from '../../scripts/lib/processes';

export interface Kextsim {
  socket: string;
  process: ChildProcess;
  // keepDir: leave the socket's directory for a successor.
  stop(keepDir?: boolean): Promise<number | null>;
}

// at: listen on this path (its directory is then the caller's to remove,
// unless ownDir): how a test brings a kext back where the daemon expects it.
export async function startKextsim(args: string[], at?: { socket: string; ownDir: boolean }): Promise<Kextsim> {
  const dir = at ? dirname(at.socket) : mkdtempSync(join(tmpdir(), 'kb-sim-'));
  const ownDir = at ? at.ownDir : true;
  // Unprivileged test clients must reach the socket to be refused by it.
  chmodSync(dir, 0o755);
  const socket = at ? at.socket : join(dir, 'kextsim.sock');
  const sim = await startSim({ socket, args, preferSanitized: true, stderr: process.env.KB_TEST_VERBOSE ? 'inherit' : 'ignore' });
  return {
    socket,
    process: sim.process,
    async stop(keepDir = false) {
      const code = await sim.stop();
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
