// Frame header codec: every type round trip, every malformed class with its
// exact offset, bounds, and zero-copy payload views.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { FLAG_MORE, FRAME_HEADER_SIZE, FRAME_TYPE_MAX, FrameType, FRAME_TYPE_NAMES, decodeDatagram, encodeFrame, writeFrame } from 'kextbridged/internal/wire/index';

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

test('every frame type round-trips with extreme ids, codes and payload sizes', () => {
  for (let type = 1; type <= FRAME_TYPE_MAX; type++) {
    for (const [id, code] of [[0, 0], [0xffffffff, 0xffffffff], [1, 0x80000000]]) {
      for (const size of [0, 1, 1000]) {
        for (const flags of [0, FLAG_MORE]) {
          const payload = Uint8Array.from({ length: size }, (_, i) => (i * 31 + type) & 255);
          const buf = encodeFrame(type, flags, id, code, payload);
          assert.equal(buf.length, FRAME_HEADER_SIZE + size);
          const d = decodeDatagram(buf);
          assert.equal(d.error, null);
          assert.equal(d.frames.length, 1);
          const f = d.frames[0];
          assert.deepEqual([f.type, f.flags, f.id, f.code, f.length], [type, flags, id, code, size]);
          assert.deepEqual(f.payload, payload);
        }
      }
    }
  }
  assert.equal(FRAME_TYPE_NAMES[FrameType.EVENT], 'EVENT');
  assert.equal(FRAME_TYPE_NAMES[FrameType.GOODBYE], 'GOODBYE');
});

test('header layout is little-endian as wire.h says', () => {
  const b = encodeFrame(FrameType.REQUEST, FLAG_MORE, 0x01020304, 0x0a0b0c0d, Uint8Array.of(0x78, 0x79, 0x7a));
  assert.equal(Buffer.from(b).toString('hex'), '4b420301040302010d0c0b0a03000000' + '78797a');
});

test('an empty datagram holds no frames and no error', () => {
  assert.deepEqual(decodeDatagram(new Uint8Array(0)), { frames: [], error: null });
});

test('coalesced frames decode in order; payloads are views into the datagram', () => {
  const dg = concat(encodeFrame(FrameType.EVENT, 0, 0, 1, Uint8Array.of(1)), encodeFrame(FrameType.EVENT, 0, 0, 2, Uint8Array.of(2, 3)), encodeFrame(FrameType.PING, 0, 9, 0));
  const d = decodeDatagram(dg);
  assert.equal(d.error, null);
  assert.deepEqual(d.frames.map((f) => [f.type, f.code, f.payloadOffset, f.length]), [[9, 1, 16, 1], [9, 2, 33, 2], [13, 0, 51, 0]]);
  const p = d.frames[1].payload;
  assert.equal(p.buffer, dg.buffer, 'no copy');
  dg[34] = 0xee;
  assert.equal(p[1], 0xee);
});

test('SHORT: 1..15 bytes left, at the offset where the frame starts', () => {
  const ping = encodeFrame(FrameType.PING, 0, 1, 0);
  for (let n = 1; n < FRAME_HEADER_SIZE; n++) {
    assert.deepEqual(decodeDatagram(ping.subarray(0, n)), { frames: [], error: { class: 'SHORT', offset: 0 } });
    const d = decodeDatagram(concat(ping, ping.subarray(0, n)));
    assert.equal(d.frames.length, 1);
    assert.deepEqual(d.error, { class: 'SHORT', offset: 16 });
  }
});

test('BAD_MAGIC, BAD_TYPE, BAD_FLAGS: exact class and offset after good frames', () => {
  const good = encodeFrame(FrameType.REQUEST, 0, 1, 1, Uint8Array.of(1, 2, 3));
  const cases: Array<[number, number, 'BAD_MAGIC' | 'BAD_TYPE' | 'BAD_FLAGS']> = [
    [0, 0x42, 'BAD_MAGIC'],
    [1, 0x4b, 'BAD_MAGIC'],
    [2, 0, 'BAD_TYPE'],
    [2, FRAME_TYPE_MAX + 1, 'BAD_TYPE'],
    [2, 0xff, 'BAD_TYPE'],
    [3, 0x02, 'BAD_FLAGS'],
    [3, 0x80 | FLAG_MORE, 'BAD_FLAGS'],
  ];
  for (const [at, value, cls] of cases) {
    const bad = Uint8Array.from(good);
    bad[at] = value;
    const d = decodeDatagram(concat(good, good, bad, good));
    assert.equal(d.frames.length, 2, `${cls} at byte ${at}`);
    assert.deepEqual(d.error, { class: cls, offset: 2 * good.length });
  }
});

test('OVERRUN: payload cut short, and a huge length that must not wrap', () => {
  const good = encodeFrame(FrameType.REQUEST, 0, 1, 1, Uint8Array.of(1, 2, 3));
  for (let n = FRAME_HEADER_SIZE; n < good.length; n++) {
    assert.deepEqual(decodeDatagram(good.subarray(0, n)).error, { class: 'OVERRUN', offset: 0 });
  }
  const huge = Uint8Array.from(good);
  huge.set([0xff, 0xff, 0xff, 0xff], 12);
  const d = decodeDatagram(concat(good, huge));
  assert.equal(d.frames.length, 1);
  assert.deepEqual(d.error, { class: 'OVERRUN', offset: 19 });
});

test('checks run in wire.h order: magic, type, flags, length', () => {
  const all = Uint8Array.from([0x4b, 0x43, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0]);
  assert.equal(decodeDatagram(all).error?.class, 'BAD_MAGIC');
  all[1] = 0x42;
  assert.equal(decodeDatagram(all).error?.class, 'BAD_TYPE');
  all[2] = 3;
  assert.equal(decodeDatagram(all).error?.class, 'BAD_FLAGS');
  all[3] = 0;
  assert.equal(decodeDatagram(all).error?.class, 'OVERRUN');
});

test('a datagram that is a subarray is never read past its end', () => {
  // The frame claims 4 payload bytes; the backing buffer has them, the view does not.
  const backing = concat(encodeFrame(FrameType.RESPONSE, 0, 1, 0, Uint8Array.of(9, 9, 9, 9)), new Uint8Array(8));
  const view = backing.subarray(0, 18);
  assert.deepEqual(decodeDatagram(view).error, { class: 'OVERRUN', offset: 0 });
  const inner = backing.subarray(0, 20);
  const d = decodeDatagram(inner);
  assert.equal(d.error, null);
  assert.equal(d.frames[0].payload.length, 4);
});

test('decodeDatagram never throws on random bytes and accounts for every byte it accepts', () => {
  let seed = 12345;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  for (let i = 0; i < 3000; i++) {
    const len = rand() % 80;
    const b = Uint8Array.from({ length: len }, () => rand() & 255);
    if (len >= 2 && rand() % 2) b.set([0x4b, 0x42]);
    if (len >= 4 && rand() % 2) b[3] = rand() % 2;
    if (len >= 3 && rand() % 2) b[2] = 1 + (rand() % 15);
    const d = decodeDatagram(b);
    let end = 0;
    for (const f of d.frames) end = f.payloadOffset + f.length;
    if (d.error) assert.equal(d.error.offset, end);
    else assert.equal(end, len);
  }
});

test('encoders refuse header fields v1 does not allow', () => {
  assert.throws(() => encodeFrame(0, 0, 0, 0), RangeError);
  assert.throws(() => encodeFrame(FRAME_TYPE_MAX + 1, 0, 0, 0), RangeError);
  assert.throws(() => encodeFrame(FrameType.PING, 2, 0, 0), RangeError);
  assert.throws(() => encodeFrame(FrameType.PING, 0, -1, 0), RangeError);
  assert.throws(() => encodeFrame(FrameType.PING, 0, 2 ** 32, 0), RangeError);
  assert.throws(() => encodeFrame(FrameType.PING, 0, 0, 1.5), RangeError);
  const out = new Uint8Array(18);
  assert.throws(() => writeFrame(out, 0, FrameType.PING, 0, 0, 0, Uint8Array.of(1, 2, 3)), RangeError);
  assert.equal(writeFrame(out, 0, FrameType.PING, 0, 0, 0, Uint8Array.of(1, 2)), 18);
  assert.throws(() => writeFrame(out, 3, FrameType.PING, 0, 0, 0), RangeError);
});
