// What serving metrics costs: two daemons in the same run, one with
// metrics off and one with metrics.listen on and scraped every second
// from this process (as a Prometheus would, more often than its usual
// 15 s), measured alternately in each round: Call throughput at c=64 and
// paced event delivery to one client, with the daemon's CPU per event.
import { counters, type Bridge } from './lib/bridge';
import { cpuSeconds } from '../scripts/lib/processes';
import type { BenchConfig } from './lib/config';
import { emptyLoad, measure, type LoadSamples } from './calls';
import { GOAL_ONE, viaBridge } from './events';
import { ratios } from './lib/stats';
import type { Section } from './lib/table';

export interface MetricsSamples {
  callsOff: LoadSamples;
  callsOn: LoadSamples;
  pacedOff: number[];
  pacedOn: number[];
  cpuOff: number[];
  cpuOn: number[];
  // Daemon CPU per call (µs) over the call measurements: user + system
  // time over the calls it started, less noisy than a rate on a busy machine.
  callCpuOff: number[];
  callCpuOn: number[];
  loss: string[];
  unbalanced: number;
}

export function emptyMetricsSamples(): MetricsSamples {
  return { callsOff: emptyLoad(), callsOn: emptyLoad(), pacedOff: [], pacedOn: [], cpuOff: [], cpuOn: [], callCpuOff: [], callCpuOn: [], loss: [], unbalanced: 0 };
}

export async function metricsRound(c: BenchConfig, round: number, off: Bridge, on: Bridge, s: MetricsSamples): Promise<void> {
  const paced = async (b: Bridge, rates: number[], cpu: number[]): Promise<void> => {
    const r = await viaBridge(c, b, 1, 1, s.loss, GOAL_ONE);
    rates.push(r.rate);
    cpu.push(r.cpuUs);
    if (!r.balanced) s.unbalanced++;
  };
  const calls1 = async (b: Bridge, into: MetricsSamples['callsOff'], cpuPerCall: number[]): Promise<void> => {
    const started0 = Number((await counters(b.client)).callsStarted);
    const cpu0 = cpuSeconds(b.daemon.pid!);
    await measure(c, b.socket, 'call', into);
    const cpu1 = cpuSeconds(b.daemon.pid!);
    const started = Number((await counters(b.client)).callsStarted) - started0;
    cpuPerCall.push(((cpu1 - cpu0) / started) * 1e6);
  };
  // Alternate who goes first, so neither side always meets a warmer machine.
  const calls = [() => calls1(off, s.callsOff, s.callCpuOff), () => calls1(on, s.callsOn, s.callCpuOn)];
  const events = [() => paced(off, s.pacedOff, s.cpuOff), () => paced(on, s.pacedOn, s.cpuOn)];
  if (round % 2 === 1) {
    calls.reverse();
    events.reverse();
  }
  for (const step of [...calls, ...events]) await step();
}

export function metricsSection(c: BenchConfig, s: MetricsSamples): Section {
  const conc = `c=${c.throughputConcurrency}`;
  const pacedName = `paced ${GOAL_ONE.toLocaleString('en-US')}/s → 1 client`;
  return {
    title: 'metrics on (scraped every second) against off, same run',
    rows: [
      { name: `Call throughput (${conc}), metrics off`, unit: 'calls/s', samples: s.callsOff.callsPerSec },
      {
        name: `Call throughput (${conc}), metrics on`,
        unit: 'calls/s',
        samples: s.callsOn.callsPerSec,
        ratio: { samples: ratios(s.callsOn.callsPerSec, s.callsOff.callsPerSec), to: 'off' },
        goal: { on: 'ratio', op: '>=', limit: 0.95 },
      },
      { name: 'daemon CPU per call, metrics off', unit: 'µs', samples: s.callCpuOff, note: 'user + system time of the daemon over the calls it started (latency and throughput runs, warm-up included)' },
      { name: 'daemon CPU per call, metrics on', unit: 'µs', samples: s.callCpuOn, ratio: { samples: ratios(s.callCpuOn, s.callCpuOff), to: 'off' }, goal: { on: 'ratio', op: '<=', limit: 1.05 } },
      { name: 'Call p50 (c=1), metrics off', unit: 'µs', samples: s.callsOff.p50Us },
      { name: 'Call p50 (c=1), metrics on', unit: 'µs', samples: s.callsOn.p50Us, ratio: { samples: ratios(s.callsOn.p50Us, s.callsOff.p50Us), to: 'off' } },
      { name: `${pacedName}, metrics off`, unit: 'ev/s', samples: s.pacedOff },
      {
        name: `${pacedName}, metrics on`,
        unit: 'ev/s',
        samples: s.pacedOn,
        ratio: { samples: ratios(s.pacedOn, s.pacedOff), to: 'off' },
        goal: { on: 'ratio', op: '>=', limit: 0.95 },
        note: `lost per run: ${s.loss.join('; ')}`,
      },
      { name: 'daemon CPU per event, metrics off', unit: 'µs', samples: s.cpuOff },
      { name: 'daemon CPU per event, metrics on', unit: 'µs', samples: s.cpuOn, ratio: { samples: ratios(s.cpuOn, s.cpuOff), to: 'off' }, goal: { on: 'ratio', op: '<=', limit: 1.05 } },
    ],
  };
}
