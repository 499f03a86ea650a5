import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaults, validate } from 'kextbridge-export/internal/config';

const fromFile = (): string => 'export.json';

test('a valid config keeps what it sets and the defaults for the rest; relative paths are the file\'s', () => {
  const r = validate({ topics: ['exec'], servers: ['nats://a:4222', 'nats://b:4222'], replicas: 3, cursorFile: 'state/cursor' }, '/etc/kb', fromFile);
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  assert.deepEqual(r.config.servers, ['nats://a:4222', 'nats://b:4222']);
  assert.equal(r.config.cursorFile, '/etc/kb/state/cursor');
  assert.equal(r.config.stream, defaults().stream);
  assert.equal(r.config.maxInFlight, 1024);
});

test('every bad value is reported at once, naming the key, where it came from and what was given', () => {
  const r = validate({ topics: [], replicas: 7, servers: ['http://x'], host: 'a.b', maxInFlight: 0 }, '/', (k) => (k === 'replicas' ? '--replicas' : 'export.json'));
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.errors, [
    'export.json: topics must be a non-empty array of topic names or ids, got []',
    '--replicas: replicas must be an integer 1..5, got 7',
    'export.json: servers must be a non-empty array of nats://host:port URLs, got ["http://x"]',
    'export.json: host must be 1..64 letters, digits, _ or - (it is a NATS subject token), got "a.b"',
    'export.json: maxInFlight must be an integer 1..65536, got 0',
  ]);
});

test('an unknown key names the closest known one', () => {
  const r = validate({ topcs: ['exec'] }, '/', fromFile);
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual(r.errors, ['export.json: unknown key "topcs"; did you mean "topics"?']);
});
