// The benchmark's smoke mode, so `npm run bench` never rots: it must run
// to the end and print every row of its table with numeric figures. No
// thresholds: smoke figures are seconds of cold code on a shared machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { callSection, emptyCallSamples } from '../../bench/calls';
import { emptyEventSamples, eventSection } from '../../bench/events';
import { emptyMemorySamples, memorySection } from '../../bench/memory';
import { emptyMetricsSamples, metricsSection } from '../../bench/metrics';
import { parseConfig } from '../../bench/lib/config';
import type { Section } from '../../bench/lib/table';
import { emptyUpcallSamples, upcallSection } from '../../bench/upcalls';
import { finished, type CliResult } from '../support/cli';
import { ROOT as root } from '../support/paths';


function runSmoke(extra: string[] = []): Promise<CliResult> {
  return finished(spawn(process.execPath, [join(root, 'dist/bench/run.js'), '--smoke', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] }), 60_000);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Every row has a numeric figure (median and min–max), and a ratio where it has a baseline.
function assertRows(stdout: string, rows: Section['rows']): void {
  for (const row of rows) {
    const figure = new RegExp(`^\\s+${escape(row.name)}\\s+[\\d,.]+ ${escape(row.unit)} \\([\\d,.]+–[\\d,.]+\\)`, 'm');
    assert.match(stdout, figure, `row "${row.name}" has no numeric figure:\n${stdout}`);
    if (row.ratio) assert.match(stdout, new RegExp(`^\\s+${escape(row.name)}\\s.*\\s[\\d.]+× \\(`, 'm'), `row "${row.name}" has no ratio`);
  }
}

test('npm run bench -- --smoke prints the machine and every row with figures', { timeout: 90_000 }, async () => {
  const r = await runSmoke();
  assert.equal(r.code, 0, `bench --smoke failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^machine: \d+ cores .*node v\d+.*@grpc\/grpc-js \d+\.\d+\.\d+/m);
  const c = parseConfig(['--smoke']);
  const rows = [callSection(c, emptyCallSamples()), eventSection(c, emptyEventSamples()), memorySection(c, emptyMemorySamples()), upcallSection(c, emptyUpcallSamples())].flatMap((s) => s.rows);
  assertRows(r.stdout, rows);
});

test('npm run bench -- --smoke --only metrics prints every row of the metrics on/off comparison with figures', { timeout: 90_000 }, async () => {
  const r = await runSmoke(['--only', 'metrics']);
  assert.equal(r.code, 0, `bench --smoke --only metrics failed:\n${r.stdout}\n${r.stderr}`);
  assertRows(r.stdout, metricsSection(parseConfig(['--smoke']), emptyMetricsSamples()).rows);
});
