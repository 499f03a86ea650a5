// bench:export in a few seconds, so that it never rots: it must run to the
// end against a real nats-server, daemon and exporter and print its rows
// with figures, with --before (this build standing in for an earlier one)
// and with --allocations. No thresholds: these are cold seconds on a shared
// machine; docs/export.md has the measured figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { finished } from '../support/cli';
import { ROOT } from '../support/paths';

// stdout and stderr together: an error is as much the output as a row.
async function bench(args: string[]): Promise<{ code: number | null; out: string }> {
  const r = await finished(spawn(process.execPath, [join(ROOT, 'dist/bench/export.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] }), 90_000);
  return { code: r.code, out: r.stdout + r.stderr };
}

const FIGURES = String.raw`\d+ ev/s \(\d+–\d+\), CPU per event \d+\.\d µs`;

test('bench:export prints the bare publisher and both exporters with rates, CPU and ratios', { timeout: 120_000 }, async () => {
  const r = await bench(['--rounds', '1', '--replicas', '1', '--events', '3000', '--warmup', '500', '--rate', '20000', '--before', join(ROOT, 'export/dist/main.js')]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, new RegExp(`^R1: bare publisher ${FIGURES}, nats-server \\d+\\.\\d µs$`, 'm'));
  assert.match(r.out, new RegExp(`^R1: exporter --before ${FIGURES}, nats-server \\+ daemon \\d+\\.\\d µs; \\d\\.\\d\\d× bare`, 'm'));
  assert.match(r.out, new RegExp(`^R1: exporter ${FIGURES}, nats-server \\+ daemon \\d+\\.\\d µs; \\d\\.\\d\\d× bare`, 'm'));
});

test('bench:export --allocations counts the heap allocations per event of the exporter', { timeout: 120_000 }, async () => {
  const r = await bench(['--allocations', '--rounds', '1', '--replicas', '1', '--events', '1000', '--warmup', '200', '--rate', '10000']);
  assert.equal(r.code, 0, r.out);
  const m = /^R1: exporter: (\d+\.\d) \(/m.exec(r.out);
  assert.ok(m, r.out);
  assert.ok(Number(m[1]) > 1, `some allocations per event are counted: ${m[1]}`);
  assert.doesNotMatch(r.out, /ev\/s \(/, 'no rates in this mode');
});

test('bench:export --help says what each flag does; a bad value is refused by name', async () => {
  const help = await bench(['--help']);
  assert.equal(help.code, 0);
  for (const flag of ['--rounds', '--events', '--rate', '--in-flight', '--warmup', '--replicas', '--before', '--allocations', '--profile']) assert.ok(help.out.includes(flag), flag);
  const bad = await bench(['--rate', 'fast']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.out, /--rate fast: an integer ≥ 1/);
});
