// Load for unary calls: `concurrency` loops, each issuing its next call as
// the last one returns, for durationMs after warmupMs. Reports calls/s and
// latency quantiles. It runs in its own process so the load generator
// never shares an event loop with what it measures.
import { KextBridgeClient } from 'kextbridge/internal/client';
import { quantileOfSorted } from '../lib/stats';
import { report, workerArgs } from '../lib/worker';
import { exampleStub } from '../../test/support/example';

export interface UnaryLoadArgs {
  socket: string;
  // 'call': Bridge.Call of the echo command; 'echo': the typed Example.Echo;
  // 'exec': the typed Example.SimulateExec, which asks authorize_exec (a
  // call not decided by a handler counts as an error).
  method: 'call' | 'echo' | 'exec';
  payloadBytes: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface UnaryLoadResult {
  calls: number;
  callsPerSec: number;
  p50Us: number;
  p99Us: number;
  errors: number;
}

const a = workerArgs<UnaryLoadArgs>();
const client = new KextBridgeClient({ socket: a.socket, deadlineMs: 10_000 });
const payload = Buffer.alloc(a.payloadBytes, 0x78);

function once(): Promise<void> {
  if (a.method === 'call') return client.call('echo', payload).then(() => undefined);
  if (a.method === 'exec') {
    return new Promise((resolve, reject) => {
      exampleStub(client).SimulateExec({ pid: 4242, uid: 501, path: '/usr/bin/true' }, client.options(), (err, reply) =>
        err ? reject(err) : reply?.decidedBy === 'DECIDER_HANDLER' ? resolve() : reject(new Error(`decided by ${reply?.decidedBy}`)),
      );
    });
  }
  return new Promise((resolve, reject) => {
    exampleStub(client).Echo({ data: payload }, client.options(), (err) => (err ? reject(err) : resolve()));
  });
}

async function loop(until: bigint, latenciesNs: number[] | null, counts: { calls: number; errors: number }): Promise<void> {
  while (process.hrtime.bigint() < until) {
    const t0 = process.hrtime.bigint();
    try {
      await once();
    } catch {
      counts.errors++;
      continue;
    }
    if (latenciesNs) {
      latenciesNs.push(Number(process.hrtime.bigint() - t0));
      counts.calls++;
    }
  }
}

async function phase(ms: number, measure: boolean): Promise<{ latenciesNs: number[]; calls: number; errors: number; seconds: number }> {
  const latenciesNs: number[] = [];
  const counts = { calls: 0, errors: 0 };
  const t0 = process.hrtime.bigint();
  const until = t0 + BigInt(ms) * 1_000_000n;
  await Promise.all(Array.from({ length: a.concurrency }, () => loop(until, measure ? latenciesNs : null, counts)));
  return { latenciesNs, calls: counts.calls, errors: counts.errors, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

async function main(): Promise<void> {
  await phase(a.warmupMs, false);
  const m = await phase(a.durationMs, true);
  const sorted = Float64Array.from(m.latenciesNs).sort();
  const result: UnaryLoadResult = {
    calls: m.calls,
    callsPerSec: m.calls / m.seconds,
    p50Us: quantileOfSorted(sorted, 0.5) / 1000,
    p99Us: quantileOfSorted(sorted, 0.99) / 1000,
    errors: m.errors,
  };
  report(result);
  client.close();
  process.exit(0);
}

void main();
