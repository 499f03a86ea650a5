// Upcalls: Example.SimulateExec with one authorize_exec handler (its own
// process) answering at once, against Call{echo} through the same daemon
// in the same round: what the kext's question, the vote and the answer
// add to a call. With --baseline-daemon, the same against another build
// of the daemon (e.g. main's) in the same rounds: before and after.
import type { Bridge } from './lib/bridge';
import type { BenchConfig } from './lib/config';
import { runWorker, startWorker, stop } from './lib/procs';
import { ratios } from './lib/stats';
import type { Section } from './lib/table';
import type { UnaryLoadArgs, UnaryLoadResult } from './workers/unary-load';

export interface UpcallSamples {
  callP50Us: number[];
  execP50Us: number[];
  execP99Us: number[];
  baselineCallP50Us: number[];
  baselineExecP50Us: number[];
}

export function emptyUpcallSamples(): UpcallSamples {
  return { callP50Us: [], execP50Us: [], execP99Us: [], baselineCallP50Us: [], baselineExecP50Us: [] };
}

async function p50(c: BenchConfig, socket: string, method: UnaryLoadArgs['method']): Promise<UnaryLoadResult> {
  const args: UnaryLoadArgs = { socket, method, payloadBytes: c.payloadBytes, concurrency: 1, warmupMs: c.warmupMs, durationMs: c.callMs };
  const r = await runWorker<UnaryLoadResult>('unary-load', args, c.warmupMs + c.callMs + 20_000);
  if (r.errors > 0) throw new Error(`${method} against ${socket}: ${r.errors} calls failed (or were not decided by the handler)`);
  return r;
}

// Call then SimulateExec with one prompt handler, on one daemon.
async function pair(c: BenchConfig, bridge: Bridge): Promise<{ call: UnaryLoadResult; exec: UnaryLoadResult }> {
  const call = await p50(c, bridge.socket, 'call');
  const handler = await startWorker('upcall-handler', { socket: bridge.socket }, 15_000);
  try {
    return { call, exec: await p50(c, bridge.socket, 'exec') };
  } finally {
    await stop(handler);
  }
}

export async function upcallRound(c: BenchConfig, round: number, bridge: Bridge, baseline: Bridge | undefined, s: UpcallSamples): Promise<void> {
  const ours = async (): Promise<void> => {
    const r = await pair(c, bridge);
    s.callP50Us.push(r.call.p50Us);
    s.execP50Us.push(r.exec.p50Us);
    s.execP99Us.push(r.exec.p99Us);
  };
  const theirs = async (): Promise<void> => {
    if (!baseline) return;
    const r = await pair(c, baseline);
    s.baselineCallP50Us.push(r.call.p50Us);
    s.baselineExecP50Us.push(r.exec.p50Us);
  };
  // Alternate who goes first, so neither side always meets a warmer machine.
  const steps = round % 2 === 0 ? [ours, theirs] : [theirs, ours];
  for (const step of steps) await step();
}

export function upcallSection(c: BenchConfig, s: UpcallSamples): Section {
  const rows: Section['rows'] = [
    { name: 'bridge Call p50 (c=1)', unit: 'µs', samples: s.callP50Us, note: 'Call{echo}, measured in the same round as the row below' },
    {
      name: 'SimulateExec p50, 1 handler (c=1)',
      unit: 'µs',
      samples: s.execP50Us,
      ratio: { samples: ratios(s.execP50Us, s.callP50Us), to: 'Call' },
      note: 'a REQUEST, an UPCALL to the daemon, the question to a handler process answering at once, the verdict back, the RESPONSE',
    },
    { name: 'SimulateExec p99, 1 handler (c=1)', unit: 'µs', samples: s.execP99Us },
  ];
  if (s.baselineExecP50Us.length > 0) {
    rows.push(
      { name: 'baseline daemon: Call p50 (c=1)', unit: 'µs', samples: s.baselineCallP50Us, note: c.baselineDaemon ?? '' },
      {
        name: 'baseline daemon: SimulateExec p50 (c=1)',
        unit: 'µs',
        samples: s.baselineExecP50Us,
        ratio: { samples: ratios(s.baselineExecP50Us, s.baselineCallP50Us), to: 'its Call' },
      },
      {
        name: 'SimulateExec p50: this build / baseline',
        unit: '×',
        samples: ratios(s.execP50Us, s.baselineExecP50Us),
        note: 'per-round ratio of the two SimulateExec p50s (below 1: faster than the baseline)',
      },
    );
  }
  return { title: `upcalls, ${c.callMs} ms per figure`, rows };
}
