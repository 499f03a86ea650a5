// The system under test: a real kextsim and the real daemon in front of
// it, in a private directory, plus the privileged client the benchmarks
// use to drive it (emit, status).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KextBridgeClient } from 'kextbridge/internal/client';
import type { EmitReply__Output } from '../../test/support/generated/kextbridge/example/v1/EmitReply';
import type { Counters__Output } from 'kextbridge/internal/generated/kextbridge/v1/Counters';
import { startDaemon, startKextsim, stop, type DaemonOptions } from './procs';
import { exampleStub } from '../../test/support/example';

export const EXEC_TOPIC = 1;

export interface Bridge {
  socket: string;
  daemon: ChildProcess;
  client: KextBridgeClient;
  stop(): Promise<void>;
}

// scrapeMetrics: the daemon serves metrics, scraped every second from here.
export async function startBridge(options: Omit<DaemonOptions, 'metricsSocket'> & { scrapeMetrics?: boolean } = {}): Promise<Bridge> {
  const dir = mkdtempSync(join(tmpdir(), 'kb-bench-'));
  const kextSocket = join(dir, 'kextsim.sock');
  const socket = join(dir, 'kextbridge.sock');
  const metricsSocket = join(dir, 'metrics.sock');
  const { scrapeMetrics, ...daemonOptions } = options;
  const kextsim = await startKextsim(kextSocket);
  const daemon = await startDaemon(socket, kextSocket, scrapeMetrics ? { ...daemonOptions, metricsSocket } : daemonOptions);
  const client = new KextBridgeClient({ socket, deadlineMs: 60_000 });
  const scraper = scrapeMetrics ? setInterval(() => scrape(metricsSocket), 1000) : undefined;
  return {
    socket,
    daemon,
    client,
    async stop() {
      clearInterval(scraper);
      client.close();
      // SIGTERM: the daemon drains and exits, which is when --cpu-prof writes.
      await stop(daemon, 'SIGTERM', 10_000);
      await stop(kextsim, 'SIGTERM', 5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// One scrape, as Prometheus makes it; a failure is the run's failure.
function scrape(socketPath: string): void {
  const req = request({ socketPath, path: '/metrics' }, (res) => {
    if (res.statusCode !== 200) throw new Error(`metrics scrape: HTTP ${res.statusCode}`);
    res.resume();
  });
  req.on('error', (err) => {
    throw new Error(`metrics scrape: ${err.message}`);
  });
  req.end();
}

// kextsim publishes count events of `size` bytes, ratePerSec a second
// (0: as fast as it can).
export function emit(client: KextBridgeClient, count: number, size: number, ratePerSec = 0): Promise<EmitReply__Output> {
  return new Promise((resolve, reject) => {
    exampleStub(client).Emit({ topic: EXEC_TOPIC, count, size, ratePerSec }, client.options(60_000), (err, reply) => (err ? reject(err) : resolve(reply!)));
  });
}

export async function counters(client: KextBridgeClient): Promise<Counters__Output> {
  return (await client.status()).counters!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Waits until the daemon has at least (or at most) n subscribers: only
// once it has them does SUBSCRIBE reach the kext ahead of an emit.
export async function waitForSubscribers(client: KextBridgeClient, n: number, timeoutMs: number, bound: 'at least' | 'at most' = 'at least'): Promise<void> {
  const until = Date.now() + timeoutMs;
  const reached = (count: number): boolean => (bound === 'at least' ? count >= n : count <= n);
  while (!reached((await client.status()).subscribers)) {
    if (Date.now() > until) throw new Error(`the daemon did not reach ${bound} ${n} subscribers within ${timeoutMs} ms`);
    await sleep(20);
  }
}
