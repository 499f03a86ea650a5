// A real Prometheus server (Debian's `prometheus`, installed by
// scripts/setup.sh) on loopback with a config and a data directory of its
// own, scraping the targets a test names every second, and its HTTP API.
// Under CI a missing prometheus fails the test; elsewhere the test says
// why it is skipped.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './nats-cluster';
import { until } from './wait';

export function prometheusPath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// The reason to skip a test that needs prometheus, or false to run it.
export function skipWithoutPrometheus(): string | false {
  if (prometheusPath() || process.env.CI === 'true') return false;
  return 'prometheus is not installed: scripts/setup.sh installs it (Debian: apt-get install prometheus)';
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface Prometheus {
  url: string;
  process: ChildProcess;
  // An instant query's vector.
  query(expr: string): Promise<Sample[]>;
  // The targets' health as Prometheus sees it, by job.
  targets(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startPrometheus(targets: Array<{ job: string; address: string }>): Promise<Prometheus> {
  const bin = prometheusPath();
  if (!bin) throw new Error('prometheus is not installed: scripts/setup.sh installs it (Debian: apt-get install prometheus)');
  const dir = mkdtempSync(join(tmpdir(), 'kb-prom-'));
  const config = ['global:', '  scrape_interval: 1s', '  scrape_timeout: 900ms', 'scrape_configs:'];
  for (const t of targets) config.push(`  - job_name: ${t.job}`, '    static_configs:', `      - targets: ['${t.address}']`);
  writeFileSync(join(dir, 'prometheus.yml'), `${config.join('\n')}\n`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const get = async (path: string): Promise<unknown> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: unknown; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  await until(() => `prometheus ready at ${url} (stderr: ${stderr})`, async () => {
    if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${stderr}`);
    return fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
  }, 30_000);
  return {
    url,
    process: child,
    async query(expr) {
      const data = (await get(`/api/v1/query?query=${encodeURIComponent(expr)}`)) as { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async targets() {
      const data = (await get('/api/v1/targets')) as { activeTargets: Array<{ labels: { job: string }; health: string; lastError: string }> };
      return Object.fromEntries(data.activeTargets.map((t) => [t.labels.job, t.health === 'up' ? 'up' : `${t.health}: ${t.lastError}`]));
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
