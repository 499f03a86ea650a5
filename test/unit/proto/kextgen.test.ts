// The kext's C generator's model: what a .proto gives the C (catalog flags,
// option bounds and types, upcall defaults, field bounds, encoded sizes),
// and a precise error for everything the C cannot carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadSchema, typedServices } from '@kextbridge/protocol';
import { buildModel } from '@kextbridge/protocol/internal/kextgen/model';
import { emitHeader, emitSource } from '@kextbridge/protocol/internal/kextgen/emit-c';

function model(body: string, messages: string, defaultMaxLen = 4096) {
  const dir = mkdtempSync(join(tmpdir(), 'kb-kextgen-'));
  try {
    const file = join(dir, 't.proto');
    writeFileSync(file, `syntax = "proto3";\npackage t.v1;\nimport "kextbridge/v1/options.proto";\nservice T {\n${body}\n}\n${messages}\n`);
    const root = loadSchema([file], [], true);
    return buildModel(typedServices(root), { prefix: 't', defaultMaxLen });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const K = (o: string) => `option (kextbridge.v1.kernel) = { ${o} };`;

test('catalog flags, option bounds and type, upcall timeout and default come from the .proto', () => {
  const { model: m, errors } = model(
    [
      `rpc Put(PutRequest) returns (Empty) { ${K('command: 1, name: "put", privileged: true, cancellable: true')} }`,
      `rpc Ask(stream Verdict) returns (stream Question) { ${K('upcall: 2, name: "ask", timeout_ms: 1500, default_verdict: 3')} }`,
      `rpc GetMax(Empty) returns (Max) { ${K('option: 1, name: "max_keys", privileged: true, min: 1, max: 64')} }`,
      `rpc SetMax(Max) returns (Max) { ${K('option: 1, name: "max_keys", privileged: true')} }`,
      `rpc GetName(Empty) returns (Name) { ${K('option: 2, name: "label", read_only: true')} }`,
      `rpc GetLimit(Empty) returns (Max) { ${K('option: 3, name: "limit", set_privileged: true')} }`,
    ].join('\n'),
    'message Empty {} message PutRequest { string key = 1 [(kextbridge.v1.field).max_len = 64]; bytes value = 2; } message Verdict { bool allow = 1; } message Question { uint32 pid = 1; } message Max { uint32 n = 1; } message Name { string s = 1 [(kextbridge.v1.field).max_len = 32]; }',
    100,
  );
  assert.deepEqual(errors, []);
  const put = m.items.find((i) => i.name === 'put')!;
  assert.equal(put.privileged, true);
  assert.equal(put.cancellable, true);
  assert.deepEqual(put.request!.fields.map((f) => [f.name, f.maxLen]), [['key', 64], ['value', 100]]);
  // tag + length + bytes, twice.
  assert.equal(put.request!.maxSize, 1 + 1 + 64 + 1 + 1 + 100);
  const ask = m.items.find((i) => i.name === 'ask')!;
  assert.deepEqual([ask.timeoutMs, ask.defaultVerdict, ask.request!.protoName, ask.response!.protoName], [1500, 3, 'Verdict', 'Question']);
  const max = m.items.find((i) => i.name === 'max_keys')!;
  assert.deepEqual([max.valueType, max.min, max.max, max.privileged], [2, 1n, 64n, true]);
  const label = m.items.find((i) => i.name === 'label')!;
  assert.deepEqual([label.valueType, label.max, label.readOnly], [3, 32n, true]);
  const limit = m.items.find((i) => i.name === 'limit')!;
  assert.deepEqual([limit.privileged, limit.setPrivileged], [false, true]);
  // An integer option without bounds takes its field type's range.
  const open = model(`rpc G(Empty) returns (Max) { ${K('option: 1, name: "n"')} }`, 'message Empty {} message Max { uint32 n = 1; }');
  assert.deepEqual([open.model.items[0]!.min, open.model.items[0]!.max], [0n, 4294967295n]);
});

test('what the C cannot carry is refused, naming the field or method', () => {
  const cases: Array<[string, string, RegExp]> = [
    [`rpc A(R) returns (R) { ${K('command: 1, name: "a"')} }`, 'message R { double x = 1; }', /R\.x: double: kernel code may not use floating point/],
    [`rpc A(R) returns (R) { ${K('command: 1, name: "a"')} }`, 'message R { repeated uint32 x = 1; }', /R\.x: repeated fields are not supported/],
    [`rpc A(R) returns (R) { ${K('command: 1, name: "a"')} }`, 'message R { oneof o { uint32 x = 1; uint32 y = 2; } }', /R\.x: oneof fields are not supported/],
    [`rpc A(R) returns (R) { ${K('command: 1, name: "a"')} }`, 'message R { R next = 1; }', /t\.v1\.R: recursive messages have no bound/],
    [`rpc A(R) returns (R) { ${K('command: 1, name: "a"')} }`, 'message R { bytes x = 1 [(kextbridge.v1.field).max_len = 0]; }', /R\.x: \(kextbridge\.v1\.field\)\.max_len must be 1\.\.16777216/],
    [`rpc A(R) returns (R) { ${K('command: 1')} }`, 'message R {}', /t\.v1\.T\.A: \(kextbridge\.v1\.kernel\) needs a name/],
    [`rpc A(R) returns (R) { ${K('command: 1, name: "a-b"')} }`, 'message R {}', /catalog name "a-b" must be a C identifier/],
    [`rpc A(stream R) returns (stream R) { ${K('upcall: 1, name: "a"')} }`, 'message R {}', /t\.v1\.T\.A: an upcall needs timeout_ms/],
    [`rpc A(R) returns (R) { ${K('command: 1, name: "a"')} }\nrpc B(R) returns (R) { ${K('command: 1, name: "b"')} }`, 'message R {}', /t\.v1\.T\.B: command 1 "b" is bound twice/],
    [
      `rpc G(E) returns (V) { ${K('option: 1, name: "o", privileged: true')} }\nrpc S(V) returns (V) { ${K('option: 1, name: "o"')} }`,
      'message E {} message V { int64 v = 1; }',
      /option "o" says privileged on one method and not the other/,
    ],
    [
      `rpc G(E) returns (V) { ${K('option: 1, name: "o", min: 5, max: 1')} }`,
      'message E {} message V { int64 v = 1; }',
      /option "o" bounds 5\.\.1 do not fit/,
    ],
  ];
  for (const [body, messages, want] of cases) {
    const { errors } = model(body, messages);
    assert.ok(errors.some((e) => want.test(e)), `${want}: got ${JSON.stringify(errors)}`);
  }
});

test('the C names every field by its .proto name and checks each bound in both directions', () => {
  const { model: m } = model(`rpc A(Req) returns (Req) { ${K('command: 1, name: "a"')} }`, 'message Req { string file_path = 3 [(kextbridge.v1.field).max_len = 9]; optional sint32 delta_x = 4; Inner inner = 5; } message Inner { fixed64 at = 1; }');
  const opts = { protoLabel: 'proto/t.proto', identity: 'com.example.t', version: '1.0', stackMax: 1536 };
  const h = emitHeader(m, opts);
  const c = emitSource(m, opts, 't.pb.h');
  assert.match(h, /struct kb_pb_bytes file_path; \/\* at most 9 bytes \*\//);
  assert.match(h, /bool has_delta_x;\n\tint32_t delta_x;/);
  assert.match(h, /bool has_inner;\n\tt_Inner inner;/);
  assert.match(h, /void t_a\(struct kb_engine \*e, void \*arg, const struct kb_call \*call, const t_Req \*req\);/);
  assert.match(c, /if \(f\.len > 9u\)\n\t\t\t\treturn fail\(why, "Req\.file_path is longer than 9 bytes", KB_PB_OVERFLOW\);/);
  assert.match(c, /if \(m->file_path\.len > 9u\)\n\t\tkb_pb_fail\(w, KB_PB_OVERFLOW\);/);
  // The same model gives the same bytes: CI compares checked-in copies.
  assert.equal(emitSource(m, opts, 't.pb.h'), c);
});
