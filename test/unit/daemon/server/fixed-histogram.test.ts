import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { FixedHistogram } from 'kextbridged/internal/server/fixed-histogram';

test('a FixedHistogram renders through the registry as a Prometheus histogram: cumulative buckets, +Inf, sum, count', async () => {
  const registry = new Registry();
  const h = new FixedHistogram({ name: 'rtt_seconds', help: 'Round trips.', labelNames: ['status'], buckets: [0.01, 0.001, 0.1], registers: [registry] });
  const ok = h.series({ status: 'OK' });
  for (const v of [0.0005, 0.001, 0.002, 0.05, 5]) ok.observe(v);
  h.series({ status: 'NOT_FOUND' }).observe(0.02);
  assert.equal(h.series({ status: 'OK' }), ok, 'one series per label set');
  const text = await registry.metrics();
  assert.match(text, /^# TYPE rtt_seconds histogram$/m);
  const lines = text.split('\n').filter((l) => l.startsWith('rtt_seconds'));
  assert.deepEqual(lines, [
    'rtt_seconds_bucket{status="OK",le="0.001"} 2',
    'rtt_seconds_bucket{status="OK",le="0.01"} 3',
    'rtt_seconds_bucket{status="OK",le="0.1"} 4',
    'rtt_seconds_bucket{status="OK",le="+Inf"} 5',
    'rtt_seconds_sum{status="OK"} 5.0535',
    'rtt_seconds_count{status="OK"} 5',
    'rtt_seconds_bucket{status="NOT_FOUND",le="0.001"} 0',
    'rtt_seconds_bucket{status="NOT_FOUND",le="0.01"} 0',
    'rtt_seconds_bucket{status="NOT_FOUND",le="0.1"} 1',
    'rtt_seconds_bucket{status="NOT_FOUND",le="+Inf"} 1',
    'rtt_seconds_sum{status="NOT_FOUND"} 0.02',
    'rtt_seconds_count{status="NOT_FOUND"} 1',
  ]);
});
