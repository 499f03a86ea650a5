// Fuzzes the daemon's decoders of what a kext sends (frames, the WELCOME
// catalog, EVENT/LOSS/UPCALL heads, option values, MORE reassembly), and
// of two things a client sends (an upcall answer read by a deny rule, a
// grpc-timeout header), with mutations of the golden vectors, for a
// bounded time:
//   node dist/test/fuzz/wire.js [--seconds N] [--seed S]
// Coverage-guided JS fuzzers (Jazzer.js) ship no build for this machine's
// glibc, so this is a seeded mutational fuzzer: every input derives from
// the seed, and a failure prints the seed, the iteration and the input in
// hex to replay it. A decoder may refuse any input; what it must never do
// is throw, read past its input (a view past the end shows as a length
// that does not add up), or accept what breaks the invariants the rest of
// the daemon trusts.
import assert from 'node:assert/strict';
import { decodeWelcome } from 'kextbridged/internal/wire/catalog';
import { CatalogKind, FLAG_MORE, MAX_NAME, ValueType } from 'kextbridged/internal/wire/constants';
import { decodeDatagram, frameProblem } from 'kextbridged/internal/wire/frame';
import { decodeEvent, decodeLoss, decodeUpcall } from 'kextbridged/internal/wire/heads';
import { Reassembler } from 'kextbridged/internal/wire/reassembler';
import { decodeOptionValue } from 'kextbridged/internal/wire/values';
import type { OptionEntry } from 'kextbridged/internal/wire/catalog';
import { verdictOf } from 'kextbridged/internal/core/upcall-verdict';
import { MAX_TIMEOUT_MS, parseGrpcTimeout } from 'kextbridged/internal/server/deadline-header';
import { loadVectors } from '../support/wire-vectors-file';

function args(): { seconds: number; seed: number } {
  const a = process.argv.slice(2);
  const get = (name: string, fallback: number): number => {
    const i = a.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const v = Number(a[i + 1]);
    if (!Number.isInteger(v) || v < 0) {
      console.error(`fuzz: --${name} takes a whole number, not "${a[i + 1]}"`);
      process.exit(2);
    }
    return v;
  };
  return { seconds: get('seconds', 30), seed: get('seed', Date.now() % 2 ** 31) };
}

// xorshift32: the whole run follows from the seed.
function prng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

// One option of each value type: INT64 bounds -5..5, STRING and BYTES at
// most 8 bytes.
const OPTIONS: OptionEntry[] = (
  [
    [ValueType.BOOL, 0n, 1n],
    [ValueType.INT64, -5n, 5n],
    [ValueType.STRING, 0n, 8n],
    [ValueType.BYTES, 0n, 8n],
  ] as const
).map(([valueType, min, max], i) => ({ kind: CatalogKind.OPTION, id: i + 1, name: `o${i}`, privileged: false, readOnly: false, valueType, min, max }) as unknown as OptionEntry);

// Every decoder on one input; throws on a broken invariant.
function check(input: Uint8Array, reassembler: Reassembler): void {
  const d = decodeDatagram(input);
  let end = 0;
  for (const f of d.frames) {
    assert.ok(f.payloadOffset + f.length <= input.length, 'a frame ends within its datagram');
    assert.equal(f.payloadOffset, end + 16, 'frames follow one another');
    end = f.payloadOffset + f.length;
    assert.equal(frameProblem(input, f.payloadOffset - 16), null, 'the walk and the decoder agree');
    payloadDecoders(f.payload);
    const r = reassembler.push(f);
    if (r.kind === 'message') assert.ok(r.message.payload.length <= reassembler.limit || (f.flags & FLAG_MORE) === 0, 'a reassembled message stays within the limit');
  }
  if (d.error) assert.ok(d.error.offset === end && d.error.offset < input.length, 'the error is where the good frames end');
  else assert.equal(end, input.length, 'no byte is left unexplained');
  // Each payload decoder on the raw bytes too, framing or not.
  payloadDecoders(input);
}

function payloadDecoders(p: Uint8Array): void {
  const w = decodeWelcome(p);
  if (w.ok) {
    const seen = new Set<string>();
    for (const e of w.value.catalog.entries) {
      assert.ok(e.name.length >= 1 && Buffer.byteLength(e.name) <= MAX_NAME, 'catalog names are 1..63 bytes');
      const key = `${e.kind}:${e.id}`;
      assert.ok(!seen.has(key), 'catalog ids are unique per kind');
      seen.add(key);
    }
    assert.ok(w.value.identity.length >= 1);
  }
  const l = decodeLoss(p);
  if (l.ok) assert.ok(l.value.count >= 1 && l.value.firstSeq >= 1 && l.value.lastSeq >= l.value.firstSeq && l.value.count <= l.value.lastSeq - l.value.firstSeq + 1);
  const e = decodeEvent(p);
  if (e.ok) assert.ok(e.value.seq >= 1);
  const u = decodeUpcall(p);
  if (u.ok) assert.equal(u.value.question.length, p.length - 8);
  for (const o of OPTIONS) {
    const v = decodeOptionValue(o, p);
    if (!v.ok) continue;
    if (typeof v.value === 'bigint') assert.ok(v.value >= o.min && v.value <= o.max, 'an int64 value within its bounds');
    if (typeof v.value === 'string') assert.ok(Buffer.byteLength(v.value) <= Number(o.max), 'a string within its length');
    if (v.value instanceof Uint8Array) assert.ok(v.value.length <= Number(o.max), 'bytes within their length');
  }
  for (const field of [1, 2, 15]) assert.ok(['deny', 'allow', 'malformed'].includes(verdictOf(p, { field, equals: 0 })), 'an answer is read or refused');
  const header = Buffer.from(p.subarray(0, 12)).toString('latin1');
  const t = parseGrpcTimeout(header);
  if (t.kind !== 'malformed') assert.match(header, /^[0-9]{1,8}[HMSmun]$/, 'only what the spec allows is a timeout');
  if (t.kind === 'deadline') assert.ok(t.ms >= 1 && t.ms <= MAX_TIMEOUT_MS, 'a deadline a timer can hold');
}

function mutate(seedInputs: Uint8Array[], next: () => number): Uint8Array {
  let b = Buffer.from(seedInputs[next() % seedInputs.length]!);
  const rounds = 1 + (next() % 4);
  for (let r = 0; r < rounds; r++) {
    const at = b.length === 0 ? 0 : next() % b.length;
    switch (next() % 8) {
      case 0: // flip a bit
        if (b.length) b[at] = b[at]! ^ (1 << (next() % 8));
        break;
      case 1: // a random byte
        if (b.length) b[at] = next() & 0xff;
        break;
      case 2: // an interesting u32 (a length, a count, an id)
        if (b.length >= at + 4) b.writeUInt32LE([0, 1, 15, 16, 17, 63, 64, 0xffff, 0x10000, 0x7fffffff, 0xffffffff][next() % 11]!, at);
        break;
      case 3: // cut the tail
        b = b.subarray(0, at);
        break;
      case 4: // insert bytes
        b = Buffer.concat([b.subarray(0, at), Buffer.alloc(1 + (next() % 8), next() & 0xff), b.subarray(at)]);
        break;
      case 5: // splice another input's tail
        b = Buffer.concat([b.subarray(0, at), Buffer.from(seedInputs[next() % seedInputs.length]!).subarray(next() % 64)]);
        break;
      case 6: // duplicate a span (a second frame, a repeated entry)
        b = Buffer.concat([b, b.subarray(at, at + 1 + (next() % 48))]);
        break;
      default: // a small byte where counts and lengths live
        if (b.length) b[at] = next() % 4;
    }
  }
  return b;
}

function main(): void {
  const { seconds, seed } = args();
  const file = loadVectors();
  const seeds = [...file.vectors.flatMap((v) => v.datagrams.map((d) => d.bytes)), ...file.malformed.map((m) => m.bytes)];
  const next = prng(seed);
  const deadline = Date.now() + seconds * 1000;
  let runs = 0;
  let lastReport = Date.now();
  console.log(`fuzz wire: ${seeds.length} seed inputs from the golden vectors, seed ${seed}, ${seconds} s`);
  const reassembler = new Reassembler(64 * 1024);
  while (Date.now() < deadline) {
    for (let i = 0; i < 256; i++) {
      const input = mutate(seeds, next);
      try {
        check(input, reassembler);
      } catch (err) {
        console.error(`fuzz wire: FAILED at run ${runs} (seed ${seed}): ${(err as Error).stack}\ninput: ${Buffer.from(input).toString('hex')}`);
        process.exit(1);
      }
      runs++;
    }
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      console.log(`fuzz wire: ${runs} inputs, ${Math.round((deadline - Date.now()) / 1000)} s left`);
    }
  }
  console.log(`fuzz wire: ${runs} inputs, no failure (seed ${seed})`);
}

main();
