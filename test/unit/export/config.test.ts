import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaults, flagOptions, fromFlags, KEY_NAMES, KEYS, validate } from 'kextbridge-export/internal/config';
import { keysTable } from 'kextbridge-export/internal/config-doc';
import { ROOT } from '../../support/paths';

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

test('docs/export.md holds the table the key table makes (node export/dist/config-doc.js docs/export.md rewrites it)', () => {
  const doc = readFileSync(join(ROOT, 'docs/export.md'), 'utf8');
  assert.ok(doc.includes(keysTable()), 'docs/export.md\'s config table is stale: run node export/dist/config-doc.js docs/export.md');
  for (const key of KEY_NAMES) assert.ok(keysTable().includes(`| \`${key}\` |`), key);
});

test('each key has one flag of its own; flags become the keys\' values (digits as numbers, paths against the working directory), naming the flag for errors', () => {
  const names = KEY_NAMES.map((k) => KEYS[k].flag?.name);
  assert.equal(new Set(names).size, names.length);
  const { raw, origin } = fromFlags({ 'max-in-flight': '64', cursor: 'rel/cursor', topic: ['exec', 'heartbeat'], replicas: 'three' });
  assert.deepEqual(raw, { cursorFile: resolve('rel/cursor'), topics: ['exec', 'heartbeat'], maxInFlight: 64, replicas: 'three' });
  const r = validate(raw, '/', (k) => origin.get(k) ?? 'file');
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual(r.errors, ['--replicas: replicas must be an integer 1..5, got "three"']);
  assert.deepEqual(Object.keys(flagOptions()).sort(), names.sort());
  assert.equal(flagOptions()['topic']?.multiple, true);
  assert.equal(flagOptions()['stream']?.multiple, undefined);
});
