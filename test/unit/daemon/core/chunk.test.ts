// The event path's chunks (core/chunk.ts, core/event-run.ts) and their
// encoder (core/batch-encoder.ts) against protobufjs: the chunk the daemon
// builds straight from kernel datagrams must decode to the same EventBatch
// the generated serializer makes, and be byte-identical to it whenever
// every field is set; a slice of a chunk must itself be a batch; a chunk is
// encoded only when first taken, and reads the same before.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { encodeEpoch, encodeLink, encodeLost } from 'kextbridged/internal/core/batch-encoder';
import { EventFilter } from 'kextbridged/internal/core/chunk';
import { EventRun } from 'kextbridged/internal/core/event-run';
import { loadApi } from 'kextbridged/internal/server/protos';
import { chunkOf, eventDatagram, type SynthEvent } from '../../../support/event-frames';

const api = loadApi([]);
const subscribe = api.packageDefinition['kextbridge.v1.Bridge'] as unknown as Record<string, { responseDeserialize: (b: Buffer) => unknown }>;
const decode = (b: Buffer): { items: Array<{ event: { seq: string; timeNs: string; topic: number; payload: Buffer } }> } =>
  subscribe['Subscribe']!.responseDeserialize(b) as never;

function generated(events: readonly SynthEvent[]): Buffer {
  return api.serializeBatch({
    items: events.map((e) => ({ event: { seq: String(e.seq), timeNs: (e.timeNs ?? 0n).toString(), topic: e.topic, payload: Buffer.from(e.payload) } })),
  });
}

// A small deterministic generator: the same cases on every run.
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

function randomEvents(rnd: () => number, n: number, firstSeq: number, allSet: boolean): SynthEvent[] {
  const out: SynthEvent[] = [];
  let seq = firstSeq;
  for (let i = 0; i < n; i++) {
    const widths = [0, 1, 127, 128, 16_383, 16_384, 300, 70_000];
    const len = allSet ? 1 + Math.floor(rnd() * 400) : widths[Math.floor(rnd() * widths.length)]!;
    const payload = new Uint8Array(len);
    for (let k = 0; k < len; k++) payload[k] = Math.floor(rnd() * 256);
    const hi = BigInt(Math.floor(rnd() * 0x100000000));
    const lo = BigInt(Math.floor(rnd() * 0x100000000));
    const timeNs = allSet ? (hi << 32n) | lo | 1n : rnd() < 0.3 ? 0n : (hi << 32n) | lo;
    const topics = allSet ? [1, 2, 300, 0xffffffff] : [0, 1, 2, 300, 0xffffffff];
    out.push({ seq, topic: topics[Math.floor(rnd() * topics.length)]!, payload, timeNs });
    seq += 1;
  }
  return out;
}

test('chunks decode as the generated serializer encodes, over random events and batch sizes', () => {
  const rnd = random(7);
  for (let round = 0; round < 300; round++) {
    const n = 1 + Math.floor(rnd() * 40);
    const first = [1, 127, 128, 2 ** 31 + 5, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER - 64][round % 6]!;
    const events = randomEvents(rnd, n, first, false);
    const c = chunkOf(events);
    assert.deepEqual(decode(c.bytes()), decode(generated(events)), `round ${round}`);
    assert.equal(c.count, n);
    for (let i = 0; i < n; i++) {
      assert.equal(c.seq(i), events[i]!.seq);
      assert.deepEqual(Buffer.from(c.payload(i)), Buffer.from(events[i]!.payload));
    }
  }
});

test('with every field set, the bytes are the generated serializer\'s, byte for byte', () => {
  const rnd = random(11);
  for (let round = 0; round < 200; round++) {
    const events = randomEvents(rnd, 1 + Math.floor(rnd() * 20), 1 + Math.floor(rnd() * 1e12), true);
    assert.deepEqual(chunkOf(events).bytes(), generated(events), `round ${round}`);
  }
});

test('any slice of a chunk is an EventBatch of exactly those events', () => {
  const rnd = random(3);
  const events = randomEvents(rnd, 30, 1000, false);
  const c = chunkOf(events);
  for (let from = 0; from < 30; from += 7) {
    for (let to = from + 1; to <= 30; to += 5) {
      assert.deepEqual(decode(c.bytesOf(from, to)), decode(generated(events.slice(from, to))));
      assert.equal(c.sizeOf(from, to), c.bytesOf(from, to).length);
    }
  }
});

test('a filter cuts the matching events out of a run, and out of a chunk the same way', () => {
  const events: SynthEvent[] = [1, 2, 3, 4, 5, 6].map((seq) => ({ seq, topic: seq % 3, payload: Uint8Array.of(seq % 2, seq) }));
  const f = new EventFilter(new Set([1, 2]), Uint8Array.of(1));
  const { datagram, starts } = eventDatagram(events);
  const r = new EventRun();
  r.read(datagram, starts, starts.length);
  const cut = r.captureFiltered(0, r.count, f)!;
  const want = events.filter((e) => (e.topic === 1 || e.topic === 2) && e.payload[0] === 1);
  assert.deepEqual(decode(cut.bytes()), decode(generated(want)));
  const raw = chunkOf(events);
  const fromRaw = raw.copy(0, 6, f)!;
  assert.deepEqual(fromRaw.bytes(), cut.bytes(), 'cut from a chunk not yet encoded');
  raw.bytes();
  const fromChunk = raw.copy(0, 6, f)!;
  assert.deepEqual(fromChunk.bytes(), cut.bytes(), 'cut from an encoded chunk');
  assert.deepEqual(Buffer.from(fromChunk.payload(0)), Buffer.from(want[0]!.payload));
  assert.equal(r.captureFiltered(0, r.count, new EventFilter(new Set([9]), null)), null, 'nothing matches: no chunk');
});

test('the daemon\'s seq offset (after a link reset) is applied as the run is read, past 2^32', () => {
  const { datagram, starts } = eventDatagram([{ seq: 5, topic: 1, payload: Uint8Array.of(1) }]);
  const r = new EventRun();
  r.read(datagram, starts, 1, 2 ** 32 + 10);
  const c = r.capture(0, 1);
  assert.equal(c.seq(0), 2 ** 32 + 15);
  assert.equal(decode(c.bytes()).items[0]!.event.seq, String(2 ** 32 + 15));
});

test('a chunk is encoded when first taken, not before, and reads the same either way', () => {
  const rnd = random(5);
  const events = randomEvents(rnd, 12, 40, false);
  const c = chunkOf(events);
  assert.equal(c.encoded, false);
  const before = events.map((_, i) => ({ seq: c.seq(i), topic: c.topic(i), payload: Buffer.from(c.payload(i)), size: c.sizeOf(i, i + 1) }));
  const f = new EventFilter(new Set([1, 2]), null);
  const matchedBefore = events.map((_, i) => c.matches(f, i));
  assert.equal(c.size, c.bytes().length, 'the size known up front is the encoding\'s');
  assert.equal(c.encoded, true);
  const after = events.map((_, i) => ({ seq: c.seq(i), topic: c.topic(i), payload: Buffer.from(c.payload(i)), size: c.sizeOf(i, i + 1) }));
  assert.deepEqual(after, before);
  assert.deepEqual(events.map((_, i) => c.matches(f, i)), matchedBefore);
  assert.strictEqual(c.bytes(), c.bytes(), 'encoded once');
});

test('Lost, link and epoch batches are the generated serializer\'s, byte for byte', () => {
  const lost = { count: 3, firstSeq: 2 ** 40, lastSeq: 2 ** 40 + 2, source: 3 as const, topic: 7, detail: 'ünïcode detail' };
  assert.deepEqual(encodeLost(lost), api.serializeBatch({ items: [{ lost: { ...lost, count: '3', firstSeq: String(2 ** 40), lastSeq: String(2 ** 40 + 2) } }] }));
  assert.deepEqual(encodeLost({ count: 0, firstSeq: 0, lastSeq: 0, source: 2, topic: 0 }), api.serializeBatch({ items: [{ lost: { source: 2 } }] }));
  assert.deepEqual(encodeLink({ state: 3, detail: 'kext link ready' }), api.serializeBatch({ items: [{ link: { state: 3, detail: 'kext link ready' } }] }));
  assert.deepEqual(encodeEpoch('18446744073709551615'), api.serializeBatch({ items: [], epoch: '18446744073709551615' } as never));
});

test('the encoding is written over the kernel\'s copy unless a payload view of it was handed out', () => {
  const events = randomEvents(random(9), 8, 77, false);
  const plain = chunkOf(events);
  const viewed = chunkOf(events);
  const view = viewed.payload(3);
  const before = Buffer.from(view);
  assert.deepEqual(decode(plain.bytes()), decode(generated(events)));
  assert.deepEqual(decode(viewed.bytes()), decode(generated(events)));
  assert.deepEqual(Buffer.from(view), before, 'a view handed out still reads its payload');
});

test('a range from the middle of a run reads the same captured lazily, eagerly, and copied out of either', () => {
  const rnd = random(13);
  for (let round = 0; round < 60; round++) {
    const events = randomEvents(rnd, 2 + Math.floor(rnd() * 30), [1, 2 ** 32 + 3][round % 2]!, false);
    const { datagram, starts } = eventDatagram(events);
    const run = new EventRun();
    run.read(datagram, starts, starts.length);
    const from = 1 + Math.floor(rnd() * (events.length - 1));
    const to = from + 1 + Math.floor(rnd() * (events.length - from));
    const want = decode(generated(events.slice(from, to)));
    const lazy = run.capture(from, to);
    const eager = run.capture(from, to, true);
    // Encoded over its own copy: no payload view of it is handed out.
    const inPlace = run.capture(from, to);
    assert.deepEqual(inPlace.bytes(), eager.bytes(), `round ${round}: encoded over the kernel's copy`);
    assert.equal(lazy.encoded, false);
    assert.equal(eager.encoded, true);
    assert.equal(lazy.size, run.sizeOf(from, to), `round ${round}: size known before encoding`);
    const copied = lazy.copy(0, to - from)!;
    for (let i = 0; i < to - from; i++) {
      const e = events[from + i]!;
      for (const c of [lazy, eager, copied]) {
        assert.equal(c.seq(i), e.seq);
        assert.equal(c.topic(i), e.topic);
        assert.deepEqual(Buffer.from(c.payload(i)), Buffer.from(e.payload), `round ${round}, event ${i}`);
      }
    }
    assert.deepEqual(decode(copied.bytes()), want, `round ${round}: copied out before encoding`);
    assert.deepEqual(decode(lazy.bytes()), want, `round ${round}: encoded when taken`);
    assert.deepEqual(eager.bytes(), lazy.bytes(), `round ${round}: both ways, the same bytes`);
    assert.deepEqual([...lazy.meta], [...eager.meta], `round ${round}: the same metadata`);
  }
});
