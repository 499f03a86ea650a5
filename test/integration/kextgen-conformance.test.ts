// The kext generator's C against protobufjs, field kind by field kind:
// random messages of every kind it supports (negative int32 and enums in
// ten bytes, zigzag, fixed, nested messages, proto3 optional, a five-byte
// tag) are encoded by protobufjs, decoded and encoded again by the
// generated C (built here under ASan+UBSan), and decoded by protobufjs to
// the same values. Strings and bytes over their bound are refused, naming
// the field.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadSchema } from '@kextbridge/protocol';
import { ROOT as root } from '../support/paths';

const fixtures = join(root, 'test/fixtures/kextgen');
const dir = mkdtempSync(join(tmpdir(), 'kb-kextgen-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const Everything = loadSchema([join(fixtures, 'all.proto')]).lookupType('allt.v1.Everything');

function build(): string {
  const gen = spawnSync(process.execPath, [join(root, 'proto/dist/kextgen/main.js'), '--proto', join(fixtures, 'all.proto'), '--name', 'allt', '--identity', 'com.example.allt', '--kext-version', '1', '--out', dir], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const kext = join(root, 'kext');
  const libs = ['engine.c', 'engine_rx.c', 'engine_tx.c', 'engine_upcall.c', 'frame.c', 'pb.c'].map((f) => join(kext, 'lib', f));
  const exe = join(dir, 'codec');
  const flags = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', `-I${join(kext, 'include')}`, `-I${join(kext, 'lib')}`, `-I${dir}`];
  // The generated C is held to -Wconversion as xnu-check holds it; the engine is not.
  const obj = join(dir, 'allt.pb.o');
  const gen2 = spawnSync('cc', [...flags, '-Wconversion', '-Wsign-conversion', '-c', '-o', obj, join(dir, 'allt.pb.c')], { encoding: 'utf8' });
  assert.equal(gen2.status, 0, gen2.stderr);
  const cc = spawnSync('cc', [...flags, '-o', exe, join(fixtures, 'codec-main.c'), obj, ...libs], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  return exe;
}

function frame(bufs: Uint8Array[]): Buffer {
  return Buffer.concat(bufs.flatMap((b) => {
    const head = Buffer.alloc(4);
    head.writeUInt32LE(b.length);
    return [head, Buffer.from(b)];
  }));
}

// The C's answers: an encoding, or the decoder's reason.
function run(exe: string, inputs: Uint8Array[]): Array<Buffer | string> {
  const r = spawnSync(exe, [], { input: frame(inputs), maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr.toString());
  const out: Array<Buffer | string> = [];
  let at = 0;
  while (at < r.stdout.length) {
    const kind = String.fromCharCode(r.stdout[at++]!);
    if (kind === 'E') {
      const nl = r.stdout.indexOf(10, at);
      out.push(r.stdout.subarray(at, nl).toString());
      at = nl + 1;
    } else {
      assert.equal(kind, 'O');
      const n = r.stdout.readUInt32LE(at);
      out.push(r.stdout.subarray(at + 4, at + 4 + n));
      at += 4 + n;
    }
  }
  return out;
}

// A seeded generator, so a failure can be replayed.
let seed = 0x2545f491;
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const big = (bits: number, signed: boolean): string => {
  const edges = signed ? [0n, 1n, -1n, 2n ** BigInt(bits - 1) - 1n, -(2n ** BigInt(bits - 1))] : [0n, 1n, 127n, 128n, 2n ** BigInt(bits) - 1n];
  if (rand() < 0.5) return String(pick(edges));
  const v = BigInt(Math.floor(rand() * 2 ** 32)) * BigInt(Math.floor(rand() * 2 ** 32)) % 2n ** BigInt(bits);
  return String(signed ? v - 2n ** BigInt(bits - 1) : v);
};
const text = (max: number): string => 'abcdefghijklmnopqrstuvwxyz'.slice(0, Math.floor(rand() * (max + 1)));

function randomMessage(): Record<string, unknown> {
  const m: Record<string, unknown> = {
    i32: Number(big(32, true)), i64: big(64, true), u32: Number(big(32, false)), u64: big(64, false),
    s32: Number(big(32, true)), s64: big(64, true), b: rand() < 0.5, color: pick([0, 1, -1]),
    f32: Number(big(32, false)), sf32: Number(big(32, true)), f64: big(64, false), sf64: big(64, true),
    s: text(16), data: Buffer.from(text(16)), farTag: Number(big(32, false)),
  };
  if (rand() < 0.7) m['inner'] = { at: big(64, false), label: text(8), ...(rand() < 0.5 ? { deeper: { n: big(64, true) } } : {}) };
  if (rand() < 0.5) m['maybe'] = pick([0, 1, 4294967295]);
  return m;
}

const view = (b: Uint8Array): unknown => Everything.toObject(Everything.decode(b), { longs: String, bytes: String, defaults: true });

test('random messages of every kind round-trip through the generated C unchanged', () => {
  const exe = build();
  const inputs = Array.from({ length: 500 }, () => Everything.encode(Everything.fromObject(randomMessage())).finish());
  const outputs = run(exe, inputs);
  assert.equal(outputs.length, inputs.length);
  for (const [i, input] of inputs.entries()) {
    const out = outputs[i]!;
    assert.ok(Buffer.isBuffer(out), `message ${i} refused: ${String(out)}`);
    assert.deepEqual(view(out), view(input), `message ${i}`);
  }
  // proto3 optional: an explicit 0 is kept (has_maybe), unlike a plain scalar.
  const zero = Everything.encode(Everything.fromObject({ maybe: 0 })).finish();
  const [kept] = run(exe, [zero]);
  assert.ok(Buffer.isBuffer(kept) && Everything.decode(kept).hasOwnProperty('maybe'), 'an explicit optional 0 survives');
});

test('values over their bounds are refused, naming the field', () => {
  const exe = build();
  const [longString, longBytes, longLabel, wrongWire] = run(exe, [
    Everything.encode(Everything.fromObject({ s: 'x'.repeat(17) })).finish(),
    Everything.encode(Everything.fromObject({ data: Buffer.alloc(17) })).finish(),
    Everything.encode(Everything.fromObject({ inner: { label: 'x'.repeat(9) } })).finish(),
    Uint8Array.of(0x0a, 0x01, 0x00), // i32 (field 1) as a length-delimited field
  ]);
  assert.equal(longString, 'Everything.s is longer than 16 bytes');
  assert.equal(longBytes, 'Everything.data is longer than 16 bytes');
  assert.equal(longLabel, 'Inner.label is longer than 8 bytes');
  assert.equal(wrongWire, 'Everything.i32 has the wrong wire type (is the kext built from this .proto?)');
});
