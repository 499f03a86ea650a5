// What the abuse tests measure of the daemon: its descriptors and memory
// (the stack starter's, as the soak and the bench read them), and root's
// call latency, and what a Subscribe stream told of its seqs.
import { unary, type Client } from './daemon';

export { openFds as fds, rssMB } from '../../scripts/lib/processes';
export { SeqCoverage, type SubscribeBatch } from '../../scripts/lib/seq-coverage';

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

