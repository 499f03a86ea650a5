import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseListenAddress } from '@kextbridge/protocol';
import { validateConfig } from 'kextbridged/internal/config/validate';
import { daemonMetricList } from 'kextbridged/internal/server/metrics';
import { metricsList } from '../../../../scripts/lib/metrics-doc';
import { ROOT } from '../../../support/paths';

test('docs/operations.md lists the metrics the registries hold (npm run gen:docs)', () => {
  const doc = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
  assert.ok(doc.includes(metricsList()), 'docs/operations.md\'s metric list is stale: run npm run gen:docs');
});

test('the daemon serves A66 gRPC metrics, the bridge\'s own and the process defaults, and nothing else', () => {
  const names = daemonMetricList().map((m) => m.name);
  for (const n of ['grpc_server_call_started_total', 'grpc_server_call_duration_seconds', 'grpc_server_call_sent_total_compressed_message_size_bytes', 'grpc_server_call_rcvd_total_compressed_message_size_bytes', 'kextbridge_events_lost_total', 'kextbridge_kernel_round_trip_seconds', 'kextbridge_upcall_decision_seconds', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
    assert.ok(names.includes(n), n);
  }
  assert.deepEqual(names.filter((n) => !/^(grpc_server_|kextbridge_|process_|nodejs_)/.test(n)), []);
  // No label a client could fill in.
  const labels = new Set(daemonMetricList().flatMap((m) => m.labels));
  for (const l of ['uid', 'pid', 'gid', 'client', 'peer']) assert.ok(!labels.has(l), l);
});

test('metrics listen addresses: loopback host:port or an absolute path, nothing else', () => {
  assert.deepEqual(parseListenAddress('127.0.0.1:9464'), { kind: 'tcp', host: '127.0.0.1', port: 9464 });
  assert.deepEqual(parseListenAddress('[::1]:9464'), { kind: 'tcp', host: '::1', port: 9464 });
  assert.deepEqual(parseListenAddress('localhost:0'), { kind: 'tcp', host: 'localhost', port: 0 });
  assert.deepEqual(parseListenAddress('/run/kextbridge/metrics.sock'), { kind: 'unix', path: '/run/kextbridge/metrics.sock' });
  for (const [bad, why] of [
    ['0.0.0.0:9464', /not a loopback address/],
    ['192.168.1.10:9464', /not a loopback address/],
    ['[::]:9464', /not a loopback address/],
    ['example.com:9464', /not a loopback address/],
    ['127.0.0.1:99999', /out of range/],
    ['127.0.0.1', /host:port/],
    ['metrics.sock', /host:port/],
  ] as const) {
    const r = parseListenAddress(bad);
    assert.ok('error' in r, bad);
    assert.match(r.error, why, bad);
  }
});

test('metrics.listen is off by default and a bad value is an error naming the key', () => {
  const ok = validateConfig({});
  assert.ok(ok.ok);
  if (ok.ok) assert.equal(ok.config.metrics.listen, '');
  const bad = validateConfig({ metrics: { listen: '0.0.0.0:9464' } });
  assert.ok(!bad.ok);
  if (!bad.ok) assert.match(bad.errors.join('\n'), /metrics\.listen.*not a loopback address/);
});
