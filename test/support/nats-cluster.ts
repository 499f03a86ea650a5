// A real NATS JetStream cluster on loopback for the export tests: n
// nats-server processes (Debian's), each with its own store directory and
// port, routed to each other. Nodes can be killed and started again on the
// same ports and stores. Under CI a missing nats-server fails the test.
// JetStream runs with the safest durability the installed server knows:
// `sync_interval: always` (an fsync per write) where the server accepts it;
// Debian's 2.9.10 does not have the setting (docs/export.md).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { sleep } from '@kextbridge/protocol';
import { startProcess, type Started } from '../../scripts/lib/processes';

export interface NatsCluster {
  urls: string[];
  // Stops node i (SIGKILL) or all of them.
  kill(i: number): Promise<void>;
  start(i: number): Promise<void>;
  // The running nodes' process ids (a benchmark reads their CPU time).
  pids(): number[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function natsServerPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nats-server is not installed: scripts/setup.sh installs it (Debian: apt-get install nats-server)');
  }
}

async function jetStreamAnswers(urls: string[], timeoutMs: number): Promise<void> {
  const nc = await connect({ servers: urls });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await nc.jetstreamManager({ timeout: 1000 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`the NATS cluster's JetStream did not answer within ${timeoutMs} ms: ${(err as Error).message}`);
        // A quick refusal (no responders yet) is not waited for by the request itself.
        await sleep(100);
      }
    }
  } finally {
    await nc.close();
  }
}

export interface NatsClusterOptions {
  // How often a server pings each client, and how many unanswered pings
  // close the connection (a client that sleeps is dropped after about
  // their product): nats-server's ping_interval and ping_max.
  pingIntervalS?: number;
  pingMax?: number;
}

// Whether this nats-server accepts `sync_interval: always` (2.10 and later
// do; an older one refuses the config as an unknown field).
export function knowsSyncAlways(bin: string, dir: string): boolean {
  const probe = join(dir, 'probe.conf');
  writeFileSync(probe, `jetstream { store_dir: "${join(dir, 'probe')}", sync_interval: always }\n`);
  return spawnSync(bin, ['-t', '-c', probe], { encoding: 'utf8' }).status === 0;
}

export async function startNatsCluster(size: number, options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const bin = natsServerPath();
  const dir = mkdtempSync(join(tmpdir(), 'kb-nats-'));
  const sync = knowsSyncAlways(bin, dir) ? ', sync_interval: always' : '';
  const clientPorts = await Promise.all(Array.from({ length: size }, freePort));
  const routePorts = await Promise.all(Array.from({ length: size }, freePort));
  const nodes: Array<Started | undefined> = [];
  const configs = clientPorts.map((port, i) => {
    const store = join(dir, `n${i}`);
    mkdirSync(store);
    const file = join(dir, `n${i}.conf`);
    const routes = routePorts.map((p) => `nats://127.0.0.1:${p}`).join(', ');
    writeFileSync(
      file,
      [
        `server_name: n${i}`,
        `listen: 127.0.0.1:${port}`,
        `jetstream { store_dir: "${store}"${sync} }`,
        options.pingIntervalS !== undefined ? `ping_interval: "${options.pingIntervalS}s"` : '',
        options.pingMax !== undefined ? `ping_max: ${options.pingMax}` : '',
        size > 1 ? `cluster { name: kb, listen: 127.0.0.1:${routePorts[i]}, routes: [${routes}] }` : '',
      ].join('\n'),
    );
    return file;
  });
  const start = async (i: number): Promise<void> => {
    const node = startProcess(bin, ['-c', configs[i]!], 'pipe');
    nodes[i] = node;
    // nats-server logs to stderr; ready once it listens for clients.
    const deadline = Date.now() + 15_000;
    while (!node.stderr.join('').includes('Server is ready')) {
      if (node.process.exitCode !== null) throw new Error(`nats-server n${i} exited: ${node.stderr.join('').slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`nats-server n${i} not ready in 15 s: ${node.stderr.join('').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    node.stderr.length = 0;
  };
  await Promise.all(configs.map((_, i) => start(i)));
  const urls = clientPorts.map((p) => `nats://127.0.0.1:${p}`);
  // A cluster answers JetStream's API only once it has a metadata leader
  // (about 5 s after a start here); a request before that is not answered
  // late, it is lost. Callers get a cluster that answers.
  if (size > 1) await jetStreamAnswers(urls, 30_000);
  return {
    urls,
    async kill(i) {
      await nodes[i]?.stop('SIGKILL');
      nodes[i] = undefined;
    },
    start,
    pids: () => nodes.flatMap((n) => (n?.process.pid !== undefined ? [n.process.pid] : [])),
    async stop() {
      await Promise.all(nodes.map((n) => n?.stop('SIGTERM', 5000)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
