// kextbridged's Prometheus endpoint (metrics.listen): one prom-client
// registry holding the process's default metrics, gRPC's server metrics
// (grpc-metrics.ts) and the bridge's own (bridge-metrics.ts), served
// where the config says and nowhere else. Off, nothing is created.
import { Registry, collectDefaultMetrics } from 'prom-client';
import { metricList, serveRegistry, type MetricInfo, type MetricsEndpoint } from '@kextbridge/protocol';
import { defaultConfig } from '../config/keys';
import { KernelSession } from '../core/session';
import { KernelLink } from '../link/kernel-link';
import { createLogger, type Logger } from '../log';
import { registerBridgeMetrics, type BridgeMetricSources } from './bridge-metrics';
import { GrpcServerMetrics } from './grpc-metrics';

export interface DaemonMetrics {
  readonly registry: Registry;
  readonly grpc: GrpcServerMetrics;
}

// The registry and its metrics (no endpoint yet: the gRPC server takes
// `grpc` when it is made, the bridge's sources exist later).
export function createMetrics(): DaemonMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return { registry, grpc: new GrpcServerMetrics(registry) };
}

export function addBridgeMetrics(m: DaemonMetrics, sources: BridgeMetricSources): void {
  registerBridgeMetrics(m.registry, sources);
}

// Binds the endpoint at `listen` (validated by the config already).
export async function serveMetrics(m: DaemonMetrics, listen: string, log: Logger): Promise<MetricsEndpoint> {
  const endpoint = await serveRegistry(listen, m.registry, (err) => log.warn({ err: err.message }, 'metrics endpoint error')).catch((err: Error) => {
    throw new Error(`metrics.listen ${JSON.stringify(listen)} cannot be served: ${err.message} (another process has it? choose another address or path)`);
  });
  log.info({ metrics: endpoint.address }, 'serving metrics');
  return endpoint;
}

// Every metric the daemon serves, read from a registry built as main.ts
// builds it (over a link that is never started): docs/operations.md's
// list is generated from this, and a test holds the two together.
export function daemonMetricList(): MetricInfo[] {
  const log = createLogger({ level: 'silent' });
  const link = new KernelLink({
    target: '',
    open: () => {
      throw new Error('never opened');
    },
    log,
    name: 'metric list',
    maxDatagram: 65_536,
    maxMessage: 65_536,
    reconnectMinMs: 100,
    reconnectMaxMs: 100,
  });
  const session = new KernelSession(link, { limits: defaultConfig().limits, log });
  const m = createMetrics();
  addBridgeMetrics(m, { session, connections: () => 0, connectionsRefused: () => 0 });
  return metricList(m.registry);
}
