// kextbridge-export's Prometheus metrics (metricsListen), read at scrape
// time from what the status line reports: lag, published, duplicates,
// recovered, loss records, in flight, NATS connected; plus publish-to-ack
// latency, sampled by the publisher. Off, nothing is created.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { metricList, serveRegistry, type MetricInfo, type MetricsEndpoint } from '@kextbridge/protocol';

import type { Logger } from './log';
import type { ExportStatus } from './status';

const ACK_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ExportMetrics {
  readonly registry = new Registry();
  readonly #ack: Histogram;

  // read: the status as the status line has it (one read per scrape).
  constructor(read: () => Promise<ExportStatus>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // One status read serves every metric of a scrape.
    let pending: Promise<ExportStatus> | null = null;
    const status = (): Promise<ExportStatus> => (pending ??= read().finally(() => setImmediate(() => (pending = null))));
    const gauge = (name: string, help: string, value: (s: ExportStatus) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.set(value(await status()));
        },
      });
    };
    const counter = (name: string, help: string, value: (s: ExportStatus) => number): void => {
      new Counter({
        name,
        help,
        registers,
        async collect() {
          const v = value(await status());
          this.reset();
          this.inc(v);
        },
      });
    };
    gauge('kextbridge_export_lag_events', "Daemon events (same epoch) not yet stored in the stream; -1 while unknown (no cursor yet, or another epoch).", (s) => s.lag);
    counter('kextbridge_export_published_total', 'Events and loss records JetStream stored.', (s) => s.published);
    counter('kextbridge_export_duplicates_total', 'Publishes JetStream dropped as replays of an id it remembered.', (s) => s.duplicates);
    counter('kextbridge_export_recovered_total', 'Items a read-back found in the stream already, so not sent again.', (s) => s.recovered);
    counter('kextbridge_export_loss_records_total', 'Loss records published (events the stream will not have).', (s) => s.lossRecords);
    gauge('kextbridge_export_in_flight', 'Publishes awaiting an ack.', (s) => s.inFlight);
    gauge('kextbridge_export_nats_connected', 'Whether NATS is connected (1) or not (0).', (s) => (s.natsConnected ? 1 : 0));
    this.#ack = new Histogram({ name: 'kextbridge_export_publish_ack_seconds', help: 'Publish to JetStream ack, one publish sampled every 250 ms.', buckets: ACK_BUCKETS, registers });
  }

  ackLatency(seconds: number): void {
    this.#ack.observe(seconds);
  }

  async serve(listen: string, log: Logger): Promise<MetricsEndpoint> {
    const endpoint = await serveRegistry(listen, this.registry, (err) => log.warn({ err: err.message }, 'metrics endpoint error'));
    log.info({ metrics: endpoint.address }, 'serving metrics');
    return endpoint;
  }
}

// Every metric the exporter serves, for docs/operations.md.
export function exportMetricList(): MetricInfo[] {
  return metricList(new ExportMetrics(() => Promise.reject(new Error('not scraped'))).registry);
}
