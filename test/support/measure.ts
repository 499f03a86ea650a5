// What the abuse and soak tests measure of the daemon: its descriptors and
// memory (Linux /proc), and root's call latency.
import { readdirSync, readFileSync } from 'node:fs';
import { unary, type Client } from './daemon';

export function fds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export function rssMB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Milliseconds of each of n echo calls, one after another.
export async function echoTimes(client: Client, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await unary(client, 'Call', { command: { name: 'echo' }, payload: Buffer.from('hi') });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}
