// What serving metrics costs: two daemons in the same run, one with
// metrics off and one with metrics.listen on and scraped every second
// from this process (as a Prometheus would, more often than its usual
// 15 s), measured alternately in each round: Call throughput at c=64 and
// paced event delivery to one client, with the daemon's CPU per event.
import type { Bridge } from './lib/bridge';
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
  loss: string[];
  unbalanced: number;
}

export function emptyMetricsSamples(): MetricsSamples {
  return { callsOff: emptyLoad(), callsOn: emptyLoad(), pacedOff: [], pacedOn: [], cpuOff: [], cpuOn: [], loss: [], unbalanced: 0 };
}

export async function metricsRound(c: BenchConfig, round: number, off: Bridge, on: Bridge, s: MetricsSamples): Promise<void> {
  const paced = async (b: Bridge, rates: number[], cpu: number[]): Promise<void> => {
    const r = await viaBridge(c, b, 1, 1, s.loss, GOAL_ONE);
    rates.push(r.rate);
    cpu.push(r.cpuUs);
    if (!r.balanced) s.unbalanced++;
  };
  // Alternate who goes first, so neither side always meets a warmer machine.
  const calls = [() => measure(c, off.socket, 'call', s.callsOff), () => measure(c, on.socket, 'call', s.callsOn)];
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
      { name: 'daemon CPU per event, metrics on', unit: 'µs', samples: s.cpuOn, ratio: { samples: ratios(s.cpuOn, s.cpuOff), to: 'off' } },
    ],
  };
}
