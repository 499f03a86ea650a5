// Where a kextbridge process serves its Prometheus metrics (the daemon's
// and the exporter's `metrics.listen`): parsing the address, and the one
// HTTP endpoint, GET /metrics, bound there and nowhere else.
import { createServer, type Server } from 'node:http';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { isIPv4, isIPv6 } from 'node:net';

export type ListenAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]]+)):([0-9]{1,5})$/;

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  return isIPv6(host) && (host === '::1' || host === '0:0:0:0:0:0:0:1');
}

// A loopback "host:port" or an absolute unix socket path; an error
// sentence otherwise. Metrics say how busy the bridge is and which topics
// flow, so they are not served beyond the machine.
export function parseListenAddress(text: string): ListenAddress | { error: string } {
  if (isAbsolute(text)) return { kind: 'unix', path: text };
  const m = HOST_PORT.exec(text);
  if (!m) return { error: `must be a loopback "host:port" (e.g. "127.0.0.1:9464", "[::1]:9464") or an absolute unix socket path, got ${JSON.stringify(text)}` };
  const host = m[1] ?? m[2]!;
  const port = Number(m[3]);
  if (port > 65_535) return { error: `port ${port} is out of range 0..65535 (0: any free port, logged at start)` };
  if (!isLoopback(host)) return { error: `${JSON.stringify(host)} is not a loopback address (127.0.0.0/8, ::1 or localhost): metrics are served on this machine only; scrape them through a local agent or a tunnel` };
  return { kind: 'tcp', host, port };
}

export interface Exposition {
  contentType: string;
  body: string;
}

export interface MetricsEndpoint {
  // Where it is bound: "host:port" (the real port when 0 was asked) or the path.
  readonly address: string;
  close(): Promise<void>;
}

// Serves GET /metrics (and / as the same) from `render`; anything else is
// 404, any method but GET and HEAD 405. A unix socket is created mode 0660
// in place of a stale socket (never of another kind of file).
export async function listenMetrics(at: ListenAddress, render: () => Promise<Exposition>, onError: (err: Error) => void): Promise<MetricsEndpoint> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' && path !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('only GET /metrics\n');
      return;
    }
    render().then(
      (e) => res.writeHead(200, { 'content-type': e.contentType }).end(req.method === 'HEAD' ? undefined : e.body),
      (err: unknown) => {
        onError(err as Error);
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(err as Error).message}\n`);
      },
    );
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  if (at.kind === 'unix') removeStaleSocket(at.path);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (at.kind === 'unix') server.listen({ path: at.path }, resolve);
    else server.listen({ host: at.host, port: at.port, exclusive: true }, resolve);
  });
  server.on('error', onError);
  if (at.kind === 'unix') chmodSync(at.path, 0o660);
  const bound = server.address();
  const address = typeof bound === 'string' || bound === null ? (at.kind === 'unix' ? at.path : '') : `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function removeStaleSocket(path: string): void {
  try {
    const st = lstatSync(path);
    if (!st.isSocket()) throw new Error(`${path} exists and is not a socket; refusing to replace it`);
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

// A prom-client registry (or anything that renders like one) served at
// `listen`, a metrics.listen value the config has validated.
export async function serveRegistry(listen: string, registry: { contentType: string; metrics(): Promise<string> }, onError: (err: Error) => void): Promise<MetricsEndpoint> {
  const at = parseListenAddress(listen);
  if ('error' in at) throw new Error(`metrics listen address ${at.error}`);
  return listenMetrics(at, async () => ({ contentType: registry.contentType, body: await registry.metrics() }), onError);
}

export interface MetricInfo {
  name: string;
  type: string;
  help: string;
  labels: string[];
}

// What a prom-client registry holds, without scraping it (for the docs).
export function metricList(registry: { getMetricsAsArray(): object[] }): MetricInfo[] {
  return registry.getMetricsAsArray().map((metric) => {
    const x = metric as { name: string; type: string; help: string; labelNames?: readonly string[] };
    return { name: x.name, type: x.type, help: x.help, labels: [...(x.labelNames ?? [])] };
  });
}
