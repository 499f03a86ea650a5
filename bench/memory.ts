// The daemon's memory under idle load: resident set size with many idle
// client connections, and with subscribers that never read while events
// keep coming (their queues, not the daemon, must be what fills).
// Each scenario gets a fresh daemon so one's heap does not carry over.
import { emit, sleep, startBridge, waitForSubscribers } from './lib/bridge';
import type { BenchConfig } from './lib/config';
import { rssMegabytes, startWorker, stop } from './lib/procs';
import type { Section } from './lib/table';

export interface MemorySamples {
  idle: number[];
  idleClients: number[];
  stalled: number[];
}

export function emptyMemorySamples(): MemorySamples {
  return { idle: [], idleClients: [], stalled: [] };
}

// Memory settles after a collection; give the daemon a moment.
const SETTLE_MS = 500;

export async function memoryRound(c: BenchConfig, s: MemorySamples): Promise<void> {
  const first = await startBridge();
  try {
    await sleep(SETTLE_MS);
    s.idle.push(rssMegabytes(first.daemon.pid!));
    const clients = await startWorker('idle-clients', { socket: first.socket, clients: c.idleClients }, 60_000);
    await sleep(SETTLE_MS);
    s.idleClients.push(rssMegabytes(first.daemon.pid!));
    await stop(clients);
  } finally {
    await first.stop();
  }
  const second = await startBridge();
  try {
    const stalled = await startWorker('stalled-subscribers', { socket: second.socket, subscribers: c.stalledSubscribers }, 30_000);
    await waitForSubscribers(second.client, c.stalledSubscribers, 30_000);
    await emit(second.client, c.stalledEvents, c.eventBytes);
    await sleep(SETTLE_MS);
    s.stalled.push(rssMegabytes(second.daemon.pid!));
    await stop(stalled);
  } finally {
    await second.stop();
  }
}

export function memorySection(c: BenchConfig, s: MemorySamples): Section {
  const limit = { on: 'value' as const, op: '<=' as const, limit: 150 };
  return {
    title: 'daemon memory (RSS)',
    rows: [
      { name: 'daemon, link ready, no clients', unit: 'MB', samples: s.idle },
      { name: `daemon, ${c.idleClients} idle clients`, unit: 'MB', samples: s.idleClients, goal: limit, note: 'each client its own connection, one GetStatus each, from 1 process' },
      {
        name: `daemon, ${c.stalledSubscribers} stalled subscribers`,
        unit: 'MB',
        samples: s.stalled,
        goal: limit,
        note: `subscribers that never read, after ${c.stalledEvents.toLocaleString('en-US')} events of ${c.eventBytes} B (default queue limit)`,
      },
    ],
  };
}
