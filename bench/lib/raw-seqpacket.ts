// The C SEQPACKET baseline (bench/raw_seqpacket.c): compiled once per run,
// an echo peer, and a plain C client that ping-pongs through it.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { RAW_SEQPACKET_SOURCE } from './paths';
import { track, waitForLine } from './procs';

// Compiles into dir; returns the binary's path.
export function buildRawSeqpacket(dir: string): string {
  const bin = join(dir, 'raw_seqpacket');
  execFileSync('cc', ['-O2', '-o', bin, RAW_SEQPACKET_SOURCE]);
  return bin;
}

export async function echoPeer(bin: string, socket: string): Promise<ChildProcess> {
  const peer = track(bin, ['server', socket]);
  await waitForLine(peer, (l) => l === 'ready', 5000, 'raw_seqpacket server');
  return peer;
}

// Nanoseconds per round trip of `size`-byte datagrams, over `trips`.
export function rawRoundTripNs(bin: string, socket: string, trips: number, size: number): number {
  return Number(execFileSync(bin, ['client', socket, String(trips), String(size)], { timeout: 60_000 }).toString());
}
