// Descriptors read back (what a client does with reflection's answers)
// give the same bindings as the .proto they were built from; and where a
// local .proto differs from the served one, each field is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FileDescriptorProto } from 'protobufjs/ext/descriptor';
import { PROTO_ROOT, bindService, bindingDisagreements, buildDescriptorSet, loadSchema, schemaFromDescriptors, typedServices, type MethodBinding } from '@kextbridge/protocol';

const SIDES = { served: 'the daemon', local: '--proto' };

function bindingsOf(root: ReturnType<typeof loadSchema>): MethodBinding[] {
  return typedServices(root).flatMap((s) => bindService(s).bindings);
}

// Every field, nested messages' too, with its resolved type.
function fields(type: MethodBinding['request'], seen = new Set<string>()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (seen.has(type.fullName)) return out;
  seen.add(type.fullName);
  for (const f of type.fieldsArray) {
    const nested = f.resolvedType && 'fieldsArray' in f.resolvedType ? fields(f.resolvedType as MethodBinding['request'], seen) : undefined;
    out[f.name] = { id: f.id, repeated: f.repeated, optional: Boolean(f.options?.['proto3_optional']), oneof: f.partOf?.name, type: f.resolvedType?.fullName ?? f.type, nested };
  }
  return out;
}

function served(files: string[], includeDirs: string[] = []): MethodBinding[] {
  const set = buildDescriptorSet(files, [PROTO_ROOT, ...includeDirs]);
  return bindingsOf(schemaFromDescriptors([...set.files.values()].map((f) => f.bytes)));
}

for (const file of ['example/v1/example.proto', 'counter/v1/counter.proto']) {
  test(`${file}: bindings from its descriptors equal those from the file`, () => {
    const fromFile = bindingsOf(loadSchema([file]));
    const fromDescriptors = served([file]);
    assert.ok(fromFile.length >= 5);
    const shape = (b: MethodBinding): unknown => ({ path: b.path, kind: b.kind, id: b.id, name: b.name, access: b.access, lost: b.lostField?.name, req: fields(b.request), res: fields(b.response) });
    assert.deepEqual(fromDescriptors.map(shape), fromFile.map(shape));
    assert.deepEqual(bindingDisagreements(fromDescriptors, fromFile, SIDES), []);
  });
}

test('a decoded message round-trips through types read from descriptors: camelCase fields, 64-bit as strings', () => {
  const counter = served(['counter/v1/counter.proto']);
  const change = counter.find((b) => b.kind === 'topic')!.response;
  const bytes = change.encode(change.fromObject({ value: '5', delta: '-2' })).finish();
  const local = loadSchema(['counter/v1/counter.proto']).lookupType('kextbridge.counter.v1.CounterChange');
  assert.deepEqual(local.toObject(local.decode(bytes), { longs: String }), { value: '5', delta: '-2' });
  const heartbeat = served(['example/v1/example.proto']).find((b) => b.name === 'heartbeat')!.response;
  assert.ok(heartbeat.fields['uptimeNs'], 'uptime_ns reads as uptimeNs, as loadSchema names it');
});

test('a local .proto that drifted: every differing field named with both sides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-drift-'));
  try {
    const text = readFileSync(join(PROTO_ROOT, 'counter/v1/counter.proto'), 'utf8')
      .replace('int64 delta = 1;', 'int32 delta = 2;')
      .replace('message CounterValue {\n  int64 value = 1;', 'message CounterValue {\n  int64 value = 1;\n  string why = 3;')
      .replace(/\n {2}rpc Get\(GetRequest\)[\s\S]*?\n {2}\}\n/, '\n');
    mkdirSync(join(dir, 'counter/v1'), { recursive: true });
    writeFileSync(join(dir, 'counter/v1/counter.proto'), text);
    const local = bindingsOf(loadSchema([join(dir, 'counter/v1/counter.proto')]));
    const lines = bindingDisagreements(served(['counter/v1/counter.proto']), local, SIDES);
    assert.deepEqual(lines.sort(), [
      'kextbridge.counter.v1.AddRequest.delta: field 1 int64 in the daemon, field 2 int32 in --proto',
      'command 2 "get": kextbridge.counter.v1.Counter.Get in the daemon, no method bound to it in --proto',
      'kextbridge.counter.v1.CounterValue.why: field 3 string in --proto, missing in the daemon',
    ].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bytes that are not a sound descriptor: an Error or a schema, never anything else, and no name becomes a key it should not', () => {
  const set = buildDescriptorSet(['counter/v1/counter.proto'], [PROTO_ROOT]);
  const files = [...set.files.values()].map((f) => f.bytes);
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  let errors = 0;
  for (let i = 0; i < 1000; i++) {
    const mutated = files.map((f) => Buffer.from(f));
    const target = mutated[random(mutated.length)]!;
    for (let k = 0; k < 1 + random(4); k++) target[random(target.length)] = random(256);
    try {
      schemaFromDescriptors(mutated);
    } catch (err) {
      assert.ok(err instanceof Error, String(err));
      errors++;
    }
  }
  assert.ok(errors > 0, 'some mutations are refused');
  // A message named __proto__ would make the tree write into Object.prototype.
  const hostile = FileDescriptorProto.encode({ name: 'x/v1/x.proto', package: 'x.v1', syntax: 'proto3', messageType: [{ name: '__proto__', field: [{ name: 'nested', number: 1, label: 1, type: 9 }] }] }).finish();
  assert.throws(() => schemaFromDescriptors([hostile]), /x\/v1\/x\.proto: "__proto__" cannot be used as a name here/);
  assert.equal(({} as Record<string, unknown>)['nested'], undefined);
});
