// Event consumers: `subscribers` subscriptions to the exec topic through
// the client library (subscribeBatches, its API for high rates), each
// decoding every item. Each one is done when it
// has `expected` events, when its stream ends, or after idleMs without an
// event; its rate is counted from the arrival of its first event's batch
// to the last event decoded, so the wait for the end does not count.
import { KextBridgeClient } from 'kextbridge/internal/client';
import { ready, report, workerArgs } from '../lib/worker';

export interface SubscriberArgs {
  socket: string;
  subscribers: number;
  expected: number;
  queueLimit: number;
  maxBatch: number;
  decode: 'number' | 'string';
  idleMs: number;
  timeoutMs: number;
}

export interface SubscriberResult {
  events: number;
  lost: number;
  eventsPerSec: number;
}

const a = workerArgs<SubscriberArgs>();

async function consume(client: KextBridgeClient, stop: AbortSignal): Promise<SubscriberResult> {
  let events = 0;
  let lost = 0;
  let first = 0n;
  let last = 0n;
  let idle: NodeJS.Timeout | undefined;
  const done = new AbortController();
  stop.addEventListener('abort', () => done.abort(), { once: true });
  const options = { topics: ['exec'], queueLimit: a.queueLimit, maxBatch: a.maxBatch, reconnect: false, signal: done.signal };
  const batches: AsyncIterable<ReadonlyArray<{ item?: string; event?: unknown; lost?: { count: string | number } | null }>> =
    a.decode === 'number' ? client.subscribeNumeric(options) : client.subscribeBatches(options);
  consuming: for await (const items of batches) {
    // Timed per batch: a clock read per event would cost more than a
    // tenth of what is measured. From the first batch with an event
    // arriving to the last one decoded.
    const arrived = process.hrtime.bigint();
    const before = events;
    for (const item of items) {
      if (item.event) {
        if (++events >= a.expected) break;
      } else if (item.lost) lost += Number(item.lost.count);
    }
    if (events > before) {
      if (before === 0) first = arrived;
      last = process.hrtime.bigint();
    }
    if (events >= a.expected) break consuming;
    // Re-armed per batch, not per event: a timer per event would cost
    // more than the decoding measured.
    clearTimeout(idle);
    idle = setTimeout(() => done.abort(), a.idleMs);
  }
  clearTimeout(idle);
  const seconds = Number(last - first) / 1e9;
  return { events, lost, eventsPerSec: seconds > 0 ? events / seconds : 0 };
}

async function main(): Promise<void> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), a.timeoutMs);
  const clients = Array.from({ length: a.subscribers }, () => new KextBridgeClient({ socket: a.socket }));
  const runs = clients.map((c) => consume(c, stop.signal));
  ready();
  const results = await Promise.all(runs);
  clearTimeout(timer);
  report(results);
  for (const c of clients) c.close();
  process.exit(0);
}

void main();
