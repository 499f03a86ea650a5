// Unary calls: the C SEQPACKET round trip (the floor under everything),
// bare grpc-js echoing the same message over a unix socket, Call through
// daemon + kextsim, and the typed Example.Echo through the same daemon.
// Latency at concurrency 1, throughput at concurrency 64; load comes from
// worker processes, never from this one.
import { join } from 'node:path';

import { bareServer } from './lib/bare';
import type { Bridge } from './lib/bridge';
import type { BenchConfig } from './lib/config';
import { runWorker, stop } from './lib/procs';
import { echoPeer, rawRoundTripNs } from './lib/raw-seqpacket';
import { ratios } from './lib/stats';
import type { Section } from './lib/table';
import type { UnaryLoadArgs, UnaryLoadResult } from './workers/unary-load';

export interface CallSamples {
  rawUs: number[];
  bare: LoadSamples;
  call: LoadSamples;
  echo: LoadSamples;
}

export interface LoadSamples {
  p50Us: number[];
  p99Us: number[];
  callsPerSec: number[];
}

export function emptyLoad(): LoadSamples {
  return { p50Us: [], p99Us: [], callsPerSec: [] };
}

export function emptyCallSamples(): CallSamples {
  return { rawUs: [], bare: emptyLoad(), call: emptyLoad(), echo: emptyLoad() };
}

// Latency with one loop in one process; throughput with `concurrency`
// loops spread over callProcesses processes, their rates summed.
export async function measure(c: BenchConfig, socket: string, method: UnaryLoadArgs['method'], into: LoadSamples): Promise<void> {
  const base = { socket, method, payloadBytes: c.payloadBytes, warmupMs: c.warmupMs, durationMs: c.callMs };
  const timeout = c.warmupMs + c.callMs + 20_000;
  const latency = await runWorker<UnaryLoadResult>('unary-load', { ...base, concurrency: 1 }, timeout);
  const per = Math.ceil(c.throughputConcurrency / c.callProcesses);
  const loads = await Promise.all(
    Array.from({ length: c.callProcesses }, () => runWorker<UnaryLoadResult>('unary-load', { ...base, concurrency: per }, timeout)),
  );
  into.p50Us.push(latency.p50Us);
  into.p99Us.push(latency.p99Us);
  into.callsPerSec.push(loads.reduce((sum, l) => sum + l.callsPerSec, 0));
  const errors = latency.errors + loads.reduce((sum, l) => sum + l.errors, 0);
  if (errors > 0) throw new Error(`${method} against ${socket}: ${errors} calls failed`);
}

export async function callRound(c: BenchConfig, round: number, bridge: Bridge, rawBin: string, dir: string, s: CallSamples): Promise<void> {
  const rawSocket = join(dir, `raw-${round}.sock`);
  const peer = await echoPeer(rawBin, rawSocket);
  s.rawUs.push(rawRoundTripNs(rawBin, rawSocket, c.rawTrips, c.payloadBytes) / 1000);
  await stop(peer);
  const bare = await bareServer(join(dir, `bare-calls-${round}.sock`), { eventsPerStream: 0, eventBytes: c.eventBytes });
  // Alternate who goes first, so neither side always meets a warmer machine.
  const steps = [() => measure(c, bare.socket, 'call', s.bare), () => measure(c, bridge.socket, 'call', s.call)];
  if (round % 2 === 1) steps.reverse();
  for (const step of steps) await step();
  await stop(bare.process);
  await measure(c, bridge.socket, 'echo', s.echo);
}

export function callSection(c: BenchConfig, s: CallSamples): Section {
  const size = `${c.payloadBytes} B`;
  const conc = `c=${c.throughputConcurrency}`;
  const processes = `${c.callProcesses} client process${c.callProcesses > 1 ? 'es' : ''}`;
  return {
    title: `calls, ${size} payload`,
    rows: [
      { name: 'raw SEQPACKET ping-pong (C)', unit: 'µs', samples: s.rawUs, note: `${c.rawTrips} round trips through bench/raw_seqpacket.c: the floor` },
      { name: 'bare grpc-js Call p50 (c=1)', unit: 'µs', samples: s.bare.p50Us, note: 'grpc-js server echoing the payload, same Bridge definition, unix socket' },
      { name: 'bare grpc-js Call p99 (c=1)', unit: 'µs', samples: s.bare.p99Us },
      { name: `bare grpc-js Call throughput (${conc})`, unit: 'calls/s', samples: s.bare.callsPerSec, note: processes },
      {
        name: 'bridge Call p50 (c=1)',
        unit: 'µs',
        samples: s.call.p50Us,
        ratio: { samples: ratios(s.call.p50Us, s.bare.p50Us), to: 'bare' },
        goal: { on: 'ratio', op: '<=', limit: 1.15 },
        note: 'Call{echo} through kextbridged and kextsim',
      },
      { name: 'bridge Call p99 (c=1)', unit: 'µs', samples: s.call.p99Us, ratio: { samples: ratios(s.call.p99Us, s.bare.p99Us), to: 'bare' } },
      {
        name: `bridge Call throughput (${conc})`,
        unit: 'calls/s',
        samples: s.call.callsPerSec,
        ratio: { samples: ratios(s.call.callsPerSec, s.bare.callsPerSec), to: 'bare' },
        goal: { on: 'ratio', op: '>=', limit: 0.85 },
        note: processes,
      },
      { name: 'typed Echo p50 (c=1)', unit: 'µs', samples: s.echo.p50Us, ratio: { samples: ratios(s.echo.p50Us, s.call.p50Us), to: 'Call' } },
      {
        name: `typed Echo throughput (${conc})`,
        unit: 'calls/s',
        samples: s.echo.callsPerSec,
        ratio: { samples: ratios(s.echo.callsPerSec, s.call.callsPerSec), to: 'Call' },
        note: 'Example.Echo, the typed proxy: decode, re-encode, same kernel command',
      },
    ],
  };
}
