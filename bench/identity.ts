// What reading a connection's identity costs at accept, against a bare
// accept in the same process: connect, accept, close, with nothing read
// (bare); with SO_PEERCRED (credentials); and with the program as well,
// pinned by SO_PEERPIDFD or by pidfd_open plus the start-time check, and
// with the executable's hash looked up in the cache (a sha256 rule on).
// Prints medians over rounds and each one's ratio to bare.
//
//   npm run bench:identity [-- --rounds 5 --connections 500]
import { closeSync, mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { binding } from '@kextbridge/native/internal/binding';
import { socketFd } from '@kextbridge/native/internal/peer';
import { ProgramIdentities } from '@kextbridge/native/internal/program';
import { quantile } from './lib/stats';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, connections: { type: 'string', default: '500' } } });
const rounds = Number(values.rounds);
const connections = Number(values.connections);
if (![rounds, connections].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('bench/identity: --rounds and --connections must be positive integers');
  process.exit(2);
}
if (!binding.peerProgram) {
  console.error('bench/identity: program identity is read on Linux only');
  process.exit(2);
}
const peerProgram = binding.peerProgram;

const programs = new ProgramIdentities();
type Read = (socket: net.Socket) => unknown;
const variants: Record<string, Read> = {
  bare: () => undefined,
  credentials: (s) => binding.peerCredentials(socketFd(s), false),
  'program, SO_PEERPIDFD': (s) => closeSync(peerProgram(socketFd(s), false).exeFd),
  'program, pidfd_open': (s) => closeSync(peerProgram(socketFd(s), true).exeFd),
  'program + cached sha256': (s) => programs.of(s, true),
};

const dir = mkdtempSync(join(tmpdir(), 'kb-bench-identity-'));

// ns per connection: connect, accept and read, close; one at a time.
async function run(read: Read, path: string): Promise<number> {
  const server = net.createServer((s) => {
    const r = read(s);
    if (r instanceof Promise) void r.then(() => s.destroy());
    else s.destroy();
  });
  await new Promise<void>((res) => server.listen(path, res));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < connections; i++) {
    await new Promise<void>((res, rej) => {
      const c = net.connect(path);
      c.once('close', () => res());
      c.once('error', rej);
    });
  }
  const ns = Number(process.hrtime.bigint() - t0) / connections;
  await new Promise<void>((res) => server.close(() => res()));
  return ns;
}

async function main(): Promise<void> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  // The hash of this node binary, taken once before any timing.
  await run(variants['program + cached sha256']!, join(dir, 'warm.sock'));
  const names = Object.keys(variants);
  for (let r = 0; r < rounds; r++) {
    // Rotate the order so no variant always runs on a warmer machine.
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length]!;
      samples[name]!.push(await run(variants[name]!, join(dir, `${r}-${i}.sock`)));
    }
  }
  const bare = samples.bare!;
  console.log(`machine: ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`);
  console.log(`connect + accept + close, ${connections} connections x ${rounds} rounds, median per connection (ratio to bare, same round):`);
  for (const name of names) {
    const xs = samples[name]!;
    const ratio = quantile(xs.map((x, i) => x / bare[i]!), 0.5);
    console.log(`  ${name.padEnd(26)} ${(quantile(xs, 0.5) / 1000).toFixed(1).padStart(7)} us  ${ratio.toFixed(2)}x`);
  }
  console.log(`  executables hashed: ${programs.hashed} (once, before timing)`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(`bench/identity: ${(err as Error).message}`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
