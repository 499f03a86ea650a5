// The descriptors reflection serves, checked against protoc's own
// (`protoc --include_imports --descriptor_set_out`): for every file protoc
// emits, ours must decode to the same FileDescriptorProto, field by field.
// google/protobuf/descriptor.proto is the exception: the daemon serves
// protobufjs's newer copy (Debian's protoc cannot parse it), so only its
// identity and the types options extend are compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { FileDescriptorProto, FileDescriptorSet } from 'protobufjs/ext/descriptor';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { PROTO_ROOT, buildDescriptorSet } from '@kextbridge/protocol';
import { ROOT as REPO } from '../support/paths';

const FIXTURES = join(REPO, 'test/fixtures/descriptors');
const HEALTH_ROOT = resolve(dirname(healthProtoPath), '../..');

interface FileProto {
  name: string;
  messageType?: { name: string }[];
}

function protocSet(files: string[], includeDirs: string[]): FileProto[] {
  const dir = mkdtempSync(join(tmpdir(), 'kb-desc-'));
  try {
    const out = join(dir, 'set.pb');
    // Under CI a missing protoc fails here (scripts/setup.sh installs it).
    execFileSync('protoc', [...includeDirs.map((d) => `-I${d}`), '--include_imports', `--descriptor_set_out=${out}`, ...files]);
    const set = FileDescriptorSet.toObject(FileDescriptorSet.decode(readFileSync(out))) as { file: FileProto[] };
    return set.file;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compare(files: string[], includeDirs: string[]): void {
  const ours = buildDescriptorSet(files, includeDirs);
  const reference = protocSet(files, includeDirs);
  assert.ok(reference.length >= files.length);
  for (const expected of reference) {
    const mine = ours.files.get(expected.name);
    assert.ok(mine, `${expected.name} is served`);
    const actual = FileDescriptorProto.toObject(FileDescriptorProto.decode(mine.bytes)) as FileProto;
    if (expected.name === 'google/protobuf/descriptor.proto') {
      const names = (f: FileProto): string[] => (f.messageType ?? []).map((m) => m.name);
      for (const name of names(expected)) assert.ok(names(actual).includes(name), `descriptor.proto defines ${name}`);
      continue;
    }
    if (expected.name.startsWith('google/protobuf/')) {
      // Other well-known types come from protobufjs's bundled JSON, which
      // keeps no file options (java_package, go_package …): codegen needs
      // them, reflection clients do not.
      const { options: _ignored, ...rest } = expected as FileProto & { options?: unknown };
      assert.deepEqual(actual, rest, expected.name);
      continue;
    }
    assert.deepEqual(actual, expected, expected.name);
  }
  assert.deepEqual([...ours.files.keys()].sort(), reference.map((f) => f.name).sort(), 'the same files, no invented ones');
}

test('bridge, example, health: each file as protoc describes it', () => {
  compare(['kextbridge/v1/bridge.proto', 'example/v1/example.proto', 'health/v1/health.proto'], [PROTO_ROOT, HEALTH_ROOT]);
});

test('maps, proto3 optional, oneofs, nested types, reserved, proto2 defaults and extensions, well-known imports', () => {
  compare(['shapes/v1/shapes.proto', 'shapes/v1/legacy.proto'], [PROTO_ROOT, FIXTURES]);
});

test('an absolute path names the file relative to its include dir', () => {
  const set = buildDescriptorSet([join(PROTO_ROOT, 'example/v1/example.proto')], [PROTO_ROOT]);
  assert.ok(set.files.has('example/v1/example.proto'));
  assert.deepEqual(set.services, ['kextbridge.example.v1.Example']);
});

test('a missing import is an error naming the importer', () => {
  assert.throws(() => buildDescriptorSet(['shapes/v1/shapes.proto'], [FIXTURES]), /kextbridge\/v1\/options\.proto not found.*imported by shapes\/v1\/shapes\.proto/);
});

test("an absolute path outside every include dir is named by its base name, and the caller's include list stays as given", () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-desc-'));
  try {
    const file = join(dir, 'lone.proto');
    writeFileSync(file, 'syntax = "proto3";\npackage lone.v1;\nmessage M { int32 a = 1; }\n');
    const includeDirs = [PROTO_ROOT];
    const set = buildDescriptorSet([file], includeDirs);
    assert.ok(set.files.has('lone.proto'));
    assert.deepEqual(includeDirs, [PROTO_ROOT]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that does not parse is an error naming it and the line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-desc-'));
  try {
    writeFileSync(join(dir, 'broken.proto'), 'syntax = "proto3";\npackage broken.v1;\nmessage M { int32 a = 1 }\n');
    assert.throws(() => buildDescriptorSet(['broken.proto'], [dir]), /broken\.proto.*line 3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
