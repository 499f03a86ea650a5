// grpc-timeout parsing by the gRPC spec (server/deadline-header.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { MAX_TIMEOUT_MS, parseGrpcTimeout } from 'kextbridged/internal/server/deadline-header';

test('1 to 8 digits and a unit: a deadline in ms, capped at the longest timer', () => {
  assert.deepEqual(parseGrpcTimeout('1S'), { kind: 'deadline', ms: 1000 });
  assert.deepEqual(parseGrpcTimeout('250m'), { kind: 'deadline', ms: 250 });
  assert.deepEqual(parseGrpcTimeout('2M'), { kind: 'deadline', ms: 120_000 });
  assert.deepEqual(parseGrpcTimeout('1H'), { kind: 'deadline', ms: 3_600_000 });
  assert.deepEqual(parseGrpcTimeout('1500u'), { kind: 'deadline', ms: 1.5 });
  assert.deepEqual(parseGrpcTimeout('00000001m'), { kind: 'deadline', ms: 1 });
  assert.deepEqual(parseGrpcTimeout('99999999H'), { kind: 'deadline', ms: MAX_TIMEOUT_MS });
});

test('zero, or under a millisecond, is already past', () => {
  for (const v of ['0n', '0H', '00000000S', '999999n', '999u']) assert.deepEqual(parseGrpcTimeout(v), { kind: 'past' }, v);
});

test('anything else is malformed, and says what the spec allows', () => {
  for (const v of ['', '-5S', '-0n', '+5S', '123456789S', '5', 'S', '5s', '5 S', ' 5S', '5S ', '5SS', '1.5S', '0x10m', '1e3m', '５S', '5S,5S']) {
    const t = parseGrpcTimeout(v);
    assert.equal(t.kind, 'malformed', v);
    if (t.kind === 'malformed') assert.match(t.reason, /^grpc-timeout ".*" is malformed: the gRPC spec allows 1 to 8 ASCII digits then one unit of H, M, S, m, u, n/);
  }
});
