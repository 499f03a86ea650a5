// Reading (kextbridge.v1.kernel) options, and checking them against a
// kext's catalog: every way a .proto can be wrong has its own message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bindService } from '@kextbridge/protocol';
import { checkBindings } from 'kextbridged/internal/typed/drift';
import { loadSchema, typedServices } from '@kextbridge/protocol';
import { watchSettings } from 'kextbridged/internal/typed/watch-metadata';
import { CatalogKind, decodeWelcome, ENTRY_READONLY, ValueType } from 'kextbridged/internal/wire/index';
import { encodeWelcome } from '../../support/kext-wire';
import { Metadata } from '@grpc/grpc-js';
import { ROOT as root } from '../../support/paths';


function bind(body: string, messages = 'message Req {} message Rep { bytes data = 1; }') {
  const dir = mkdtempSync(join(tmpdir(), 'kb-proto-'));
  try {
    const file = join(dir, 't.proto');
    writeFileSync(file, `syntax = "proto3"; package t.v1; import "kextbridge/v1/options.proto"; import "kextbridge/v1/loss.proto";\n${messages}\nservice S {\n${body}\n}`);
    const [service] = typedServices(loadSchema([file]));
    return bindService(service!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the example proto binds every method, with its kind, id and name', () => {
  const services = typedServices(loadSchema([join(root, 'proto/example/v1/example.proto')]));
  assert.deepEqual(services.map((s) => s.fullName), ['.kextbridge.example.v1.Example']);
  const { bindings, errors } = bindService(services[0]!);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    bindings.map((b) => [b.path, b.kind, b.id, b.name, b.access ?? '', b.lostField?.name ?? '']),
    [
      ['/kextbridge.example.v1.Example/Echo', 'command', 1, 'echo', '', ''],
      ['/kextbridge.example.v1.Example/Stats', 'command', 2, 'stats', '', ''],
      ['/kextbridge.example.v1.Example/Emit', 'command', 3, 'emit', '', ''],
      ['/kextbridge.example.v1.Example/SimulateExec', 'command', 4, 'simulate_exec', '', ''],
      ['/kextbridge.example.v1.Example/WatchExec', 'topic', 1, 'exec', '', 'lost'],
      ['/kextbridge.example.v1.Example/WatchHeartbeat', 'topic', 2, 'heartbeat', '', 'lost'],
      ['/kextbridge.example.v1.Example/ServeAuthorizeExec', 'upcall', 1, 'authorize_exec', '', ''],
      ['/kextbridge.example.v1.Example/GetLogLevel', 'option', 1, 'log_level', 'get', ''],
      ['/kextbridge.example.v1.Example/SetLogLevel', 'option', 1, 'log_level', 'set', ''],
      ['/kextbridge.example.v1.Example/GetMaxEventRate', 'option', 2, 'max_event_rate', 'get', ''],
      ['/kextbridge.example.v1.Example/SetMaxEventRate', 'option', 2, 'max_event_rate', 'set', ''],
    ],
  );
});

test('a method without the option, or of the wrong shape, is an error naming it', () => {
  const cases: Array<[string, RegExp]> = [
    ['rpc A(Req) returns (Rep);', /t\.v1\.S\.A: no \(kextbridge\.v1\.kernel\) option/],
    ['rpc A(Req) returns (stream Rep) { option (kextbridge.v1.kernel) = { command: 1 }; }', /t\.v1\.S\.A: bound to command 1, so it must be unary/],
    ['rpc A(Req) returns (Rep) { option (kextbridge.v1.kernel) = { topic: 1 }; }', /bound to topic 1, so it must be server-streaming/],
    ['rpc A(Req) returns (Rep) { option (kextbridge.v1.kernel) = { upcall: 1 }; }', /bound to upcall 1, so it must be bidirectional/],
    ['rpc A(Req) returns (Rep) { option (kextbridge.v1.kernel) = { name: "x" }; }', /must set exactly one of command, topic, upcall, option/],
    ['rpc A(Req) returns (Rep) { option (kextbridge.v1.kernel) = { command: 0 }; }', /command id 0 is not a catalog id/],
    ['rpc A(Req) returns (Req) { option (kextbridge.v1.kernel) = { option: 1 }; }', /the reply Req needs a scalar value field/],
  ];
  for (const [body, message] of cases) {
    const { bindings, errors } = bind(body);
    assert.equal(bindings.length, 0, body);
    assert.equal(errors.length, 1, body);
    assert.match(errors[0]!, message);
  }
});

const welcome = decodeWelcome(
  encodeWelcome({
    version: 1,
    maxDatagram: 65536,
    maxMessage: 65536,
    maxInflight: 8,
    identity: 't',
    kextVersion: '1',
    entries: [
      { kind: CatalogKind.COMMAND, id: 1, name: 'echo' },
      { kind: CatalogKind.TOPIC, id: 1, name: 'exec' },
      { kind: CatalogKind.OPTION, id: 1, name: 'level', flags: ENTRY_READONLY, valueType: ValueType.INT64, min: 0n, max: 4n },
    ],
  }),
);

test('drift: a missing id, a name that disagrees, a value type that cannot fit, a read-only set', () => {
  assert.ok(welcome.ok, 'test catalog decodes');
  const catalog = welcome.ok ? welcome.value.catalog : (undefined as never);
  const { bindings } = bind(
    `rpc Ok(Req) returns (Rep) { option (kextbridge.v1.kernel) = { command: 1, name: "echo" }; }
     rpc Missing(Req) returns (Rep) { option (kextbridge.v1.kernel) = { command: 9, name: "nine" }; }
     rpc Renamed(Req) returns (stream Rep) { option (kextbridge.v1.kernel) = { topic: 1, name: "exit" }; }
     rpc GetLevel(Req) returns (Text) { option (kextbridge.v1.kernel) = { option: 1 }; }
     rpc SetLevel(Level) returns (Level) { option (kextbridge.v1.kernel) = { option: 1 }; }`,
    'message Req {} message Rep { bytes data = 1; } message Text { string t = 1; } message Level { int64 level = 1; }',
  );
  const problems = checkBindings(bindings, catalog);
  assert.equal(problems.has('/t.v1.S/Ok'), false);
  assert.match(problems.get('/t.v1.S/Missing')!, /bound to command 9 \(nine\), which the connected kext does not have/);
  assert.match(problems.get('/t.v1.S/Renamed')!, /topic 1 named "exit", but the kext's topic 1 is "exec"/);
  assert.match(problems.get('/t.v1.S/GetLevel')!, /field t is string, which cannot carry option level's value/);
  assert.match(problems.get('/t.v1.S/SetLevel')!, /sets option level, which the kext marks read-only/);
});

test('typed watch settings come from metadata and bad ones are named', () => {
  const md = new Metadata();
  assert.deepEqual(watchSettings(md), { sinceSeq: 0, sinceEpoch: '', overflow: 'OVERFLOW_POLICY_DROP_OLDEST', queueLimit: 0 });
  md.set('kextbridge-since-seq', '42');
  md.set('kextbridge-since-epoch', '18446744073709551615');
  md.set('kextbridge-overflow', 'disconnect');
  md.set('kextbridge-queue-limit', '7');
  assert.deepEqual(watchSettings(md), { sinceSeq: 42, sinceEpoch: '18446744073709551615', overflow: 'OVERFLOW_POLICY_DISCONNECT', queueLimit: 7 });
  // The enum's own names are the generic API's, not this header's.
  md.set('kextbridge-overflow', 'OVERFLOW_POLICY_DISCONNECT');
  assert.throws(() => watchSettings(md), /kextbridge-overflow must be one of drop-oldest, drop-newest, disconnect, not "OVERFLOW_POLICY_DISCONNECT"/);
  md.set('kextbridge-overflow', '');
  assert.throws(() => watchSettings(md), /kextbridge-overflow must be one of/);
  md.set('kextbridge-overflow', 'disconnect');
  md.set('kextbridge-since-epoch', 'x1');
  assert.throws(() => watchSettings(md), /kextbridge-since-epoch must be a whole number, not "x1"/);
  md.remove('kextbridge-since-epoch');
  md.set('kextbridge-overflow', 'drop-everything');
  assert.throws(() => watchSettings(md), /kextbridge-overflow must be one of drop-oldest, drop-newest, disconnect, not "drop-everything"/);
  md.set('kextbridge-overflow', 'drop-newest');
  md.set('kextbridge-since-seq', '-1');
  assert.throws(() => watchSettings(md), /kextbridge-since-seq must be a whole number, not "-1"/);
});

test('a truncated .proto is named as such, with its file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-proto-'));
  try {
    const whole = 'syntax = "proto3"; package t.v1; message A { bytes data = 1; }';
    // Cut between blocks and inside one: protobufjs fails differently.
    for (const cut of [whole.indexOf('message'), whole.indexOf('bytes'), whole.length - 1]) {
      const file = join(dir, `cut${cut}.proto`);
      writeFileSync(file, whole.slice(0, cut) + 'message');
      assert.throws(() => loadSchema([file]), (err: Error) => err.message.startsWith('unexpected end of file (is it truncated?)') && err.message.includes(file), `cut at ${cut}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
