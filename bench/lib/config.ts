// How much a run measures: the full run (`npm run bench`), --quick, and
// --smoke (CI: seconds, no thresholds), each overridable flag by flag.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

export interface BenchConfig {
  mode: 'full' | 'quick' | 'smoke';
  rounds: number;
  // Unary load: warm-up and measured time per figure.
  warmupMs: number;
  callMs: number;
  payloadBytes: number;
  throughputConcurrency: number;
  // Unary load processes for the concurrency-64 figures.
  callProcesses: number;
  rawTrips: number;
  // Events: per round, for one subscriber and for each of several.
  eventBytes: number;
  // Events the bare server streams to one client.
  events: number;
  // How long kextsim floods the daemon, per figure.
  floodMs: number;
  fanoutSubscribers: number;
  fanoutEvents: number;
  // Subscriber processes the fan-out subscribers are spread over.
  subscriberProcesses: number;
  idleClients: number;
  stalledSubscribers: number;
  stalledEvents: number;
  memoryRounds: number;
  // The whole run stops itself after this.
  limitMs: number;
  // Profile the daemon (node --cpu-prof) into this directory.
  profileDir: string | undefined;
  // Another build's daemon/dist/main.js, measured beside this one by the
  // upcalls benchmark (before and after a change, in the same run).
  baselineDaemon: string | undefined;
  only: string[];
  // How subscribers decode: the client's numbers-and-bigint API
  // (subscribeNumeric) or its proto-loader-shaped strings (subscribeBatches).
  decode: 'number' | 'string';
}

// Events per Subscribe message, bridge (the daemon's default max_batch)
// and bare baseline alike.
export const EVENT_BATCH = 1024;

const PRESETS: Record<BenchConfig['mode'], Omit<BenchConfig, 'mode' | 'profileDir' | 'baselineDaemon' | 'only' | 'decode'>> = {
  full: {
    rounds: 5,
    warmupMs: 300,
    callMs: 1500,
    payloadBytes: 64,
    throughputConcurrency: 64,
    callProcesses: 1,
    rawTrips: 20_000,
    eventBytes: 64,
    events: 1_000_000,
    floodMs: 2000,
    fanoutSubscribers: 8,
    fanoutEvents: 250_000,
    subscriberProcesses: Math.min(8, availableParallelism()),
    idleClients: 1000,
    stalledSubscribers: 100,
    stalledEvents: 500_000,
    memoryRounds: 2,
    limitMs: 300_000,
  },
  quick: {
    rounds: 3,
    warmupMs: 200,
    callMs: 700,
    payloadBytes: 64,
    throughputConcurrency: 64,
    callProcesses: 1,
    rawTrips: 10_000,
    eventBytes: 64,
    events: 400_000,
    floodMs: 1000,
    fanoutSubscribers: 8,
    fanoutEvents: 100_000,
    subscriberProcesses: Math.min(8, availableParallelism()),
    idleClients: 1000,
    stalledSubscribers: 100,
    stalledEvents: 200_000,
    memoryRounds: 1,
    limitMs: 150_000,
  },
  smoke: {
    rounds: 1,
    warmupMs: 50,
    callMs: 150,
    payloadBytes: 64,
    throughputConcurrency: 64,
    callProcesses: 1,
    rawTrips: 1000,
    eventBytes: 64,
    events: 20_000,
    floodMs: 200,
    fanoutSubscribers: 8,
    fanoutEvents: 5_000,
    subscriberProcesses: 2,
    idleClients: 50,
    stalledSubscribers: 10,
    stalledEvents: 20_000,
    memoryRounds: 1,
    limitMs: 60_000,
  },
};

export const USAGE = `usage: npm run bench -- [--smoke | --quick] [--rounds N] [--events N] [--call-ms N] [--flood-ms N]
                     [--call-processes N] [--subscriber-processes N] [--profile DIR] [--only calls,events,memory,upcalls,metrics]
                     [--decode number|string] [--baseline-daemon OTHER_TREE/daemon/dist/main.js]`;

function positive(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, not ${v}`);
  return n;
}

export function parseConfig(argv: string[]): BenchConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean' },
      quick: { type: 'boolean' },
      rounds: { type: 'string' },
      events: { type: 'string' },
      'call-ms': { type: 'string' },
      'flood-ms': { type: 'string' },
      'call-processes': { type: 'string' },
      'subscriber-processes': { type: 'string' },
      profile: { type: 'string' },
      only: { type: 'string' },
      decode: { type: 'string' },
      'baseline-daemon': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new Error(USAGE);
  const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const p = PRESETS[mode];
  const benchmarks = ['calls', 'events', 'memory', 'upcalls', 'metrics'];
  // metrics (the cost of serving metrics) runs when asked for by --only.
  const only = values.only ? values.only.split(',') : benchmarks.filter((b) => b !== 'metrics');
  for (const o of only) if (!benchmarks.includes(o)) throw new Error(`--only: unknown benchmark ${o}; choose from ${benchmarks.join(', ')}`);
  const baseline = values['baseline-daemon'];
  if (baseline !== undefined && !existsSync(baseline)) throw new Error(`--baseline-daemon: no such file ${baseline} (another tree's daemon/dist/main.js, built)`);
  return {
    ...p,
    mode,
    rounds: positive('rounds', values.rounds, p.rounds),
    events: positive('events', values.events, p.events),
    callMs: positive('call-ms', values['call-ms'], p.callMs),
    floodMs: positive('flood-ms', values['flood-ms'], p.floodMs),
    callProcesses: positive('call-processes', values['call-processes'], p.callProcesses),
    subscriberProcesses: positive('subscriber-processes', values['subscriber-processes'], p.subscriberProcesses),
    profileDir: values.profile,
    baselineDaemon: baseline,
    only,
    decode: decodeMode(values.decode),
  };
}

function decodeMode(v: string | undefined): 'number' | 'string' {
  if (v === undefined || v === 'number' || v === 'string') return v ?? 'number';
  throw new Error(`--decode must be number or string, not ${v}`);
}
