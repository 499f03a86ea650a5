// The addon's KernelChannel round trip against a raw C SEQPACKET round
// trip through the same echo peer, measured in the same run. Prints
// medians over rounds with min-max and the ratio (goal <= 1.5x).
//
//   npm run bench:channel [-- --rounds 5 --trips 20000 --size 64]
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { KernelChannel } from '@kextbridge/native/internal/channel';
import { killAll, stop } from './lib/procs';
import { buildRawSeqpacket, echoPeer, rawRoundTripNs } from './lib/raw-seqpacket';
import { quantile } from './lib/stats';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, trips: { type: 'string', default: '20000' }, size: { type: 'string', default: '64' } },
});
const rounds = Number(values.rounds);
const trips = Number(values.trips);
const size = Number(values.size);
if (![rounds, trips, size].every((n) => Number.isInteger(n) && n > 0) || size > 65536) {
  console.error('bench/channel: --rounds, --trips and --size must be positive integers (size <= 65536)');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'kb-bench-'));
const bin = buildRawSeqpacket(dir);
const rawRoundTrip = (path: string): number => rawRoundTripNs(bin, path, trips, size);

function channelRoundTrip(path: string): Promise<number> {
  const ch = KernelChannel.open({ target: path, maxDatagram: 65536 });
  const buf = Buffer.alloc(size, 'x');
  let left = trips;
  const t0 = process.hrtime.bigint();
  return new Promise((res) => {
    ch.on('message', () => {
      if (--left === 0) {
        const ns = Number(process.hrtime.bigint() - t0) / trips;
        ch.close();
        res(ns);
      } else ch.send(buf);
    });
    ch.send(buf);
  });
}

const median = (xs: number[]): number => quantile(xs, 0.5);

async function main(): Promise<void> {
  const raw: number[] = [];
  const chan: number[] = [];
  const deadline = Date.now() + 20_000;
  for (let r = 0; r < rounds && Date.now() < deadline; r++) {
    const path = join(dir, `echo-${r}.sock`);
    const peer = await echoPeer(bin, path);
    // Alternate the order so neither side always runs on a warmer machine.
    if (r % 2 === 0) {
      raw.push(rawRoundTrip(path));
      chan.push(await channelRoundTrip(path));
    } else {
      chan.push(await channelRoundTrip(path));
      raw.push(rawRoundTrip(path));
    }
    await stop(peer);
  }
  const fmt = (xs: number[]): string => `${(median(xs) / 1000).toFixed(2)} us (min ${(Math.min(...xs) / 1000).toFixed(2)}, max ${(Math.max(...xs) / 1000).toFixed(2)})`;
  console.log(`machine: ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`);
  console.log(`round trip of ${size}-byte datagrams, ${trips} trips x ${raw.length} rounds, medians:`);
  console.log(`  raw C SEQPACKET      ${fmt(raw)}`);
  console.log(`  KernelChannel (JS)   ${fmt(chan)}`);
  const ratios = raw.map((r, i) => chan[i]! / r);
  console.log(`  ratio channel/raw    ${median(ratios).toFixed(2)}x (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)}); goal <= 1.50x`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(`bench/channel: ${(err as Error).message}`);
  killAll();
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
