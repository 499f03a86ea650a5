// FrameWriter (coalescing, MORE split, limits) and Reassembler (MORE
// continuation, its limit, interleaving, abandonment).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { FLAG_MORE, FRAME_HEADER_SIZE, FrameType, FrameWriter, Reassembler, decodeDatagram, type Frame, type Message } from 'kextbridged/internal/wire/index';

function bytesOf(n: number, salt = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 13 + salt) & 255);
}

/** Datagrams are Buffers, expectations plain Uint8Arrays: compare the bytes. */
function sameBytes(a: Uint8Array, b: Uint8Array, what?: string): void {
  assert.deepEqual(Buffer.from(a), Buffer.from(b), what);
}

function framesOf(datagrams: Uint8Array[]): Frame[] {
  return datagrams.flatMap((d) => {
    const r = decodeDatagram(d);
    assert.equal(r.error, null);
    return r.frames;
  });
}

test('frames coalesce until the next one would pass maxDatagram, in order', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 4096 });
  // 4 frames of 256 bytes fill 1024 exactly; the fifth starts a datagram.
  for (let i = 0; i < 5; i++) w.push(FrameType.EVENT, 0, i, bytesOf(256 - FRAME_HEADER_SIZE, i));
  assert.equal(w.pendingFrames, 5);
  const out = w.flush();
  assert.deepEqual(out.map((d) => d.length), [1024, 256]);
  assert.deepEqual(framesOf(out).map((f) => f.code), [0, 1, 2, 3, 4]);
  assert.deepEqual(w.flush(), [], 'flush empties the writer');
  assert.equal(w.pendingFrames, 0);
});

test('one byte more than fits starts a new datagram', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 4096 });
  w.push(FrameType.EVENT, 0, 1, bytesOf(500));
  w.push(FrameType.EVENT, 0, 2, bytesOf(1024 - 516 - FRAME_HEADER_SIZE + 1));
  assert.deepEqual(w.flush().map((d) => d.length), [516, 509]);
});

test('many small frames: every datagram within the limit, nothing lost or reordered', () => {
  const w = new FrameWriter({ maxDatagram: 2048, maxMessage: 65536 });
  for (let i = 0; i < 1000; i++) w.push(FrameType.REQUEST, i, 1, bytesOf(i % 97, i));
  const out = w.flush();
  for (const d of out) assert.ok(d.length <= 2048);
  const frames = framesOf(out);
  assert.deepEqual(frames.map((f) => f.id), Array.from({ length: 1000 }, (_, i) => i));
  frames.forEach((f, i) => sameBytes(f.payload, bytesOf(i % 97, i)));
  assert.ok(out.length < 60, `${out.length} datagrams: frames were coalesced`);
});

test('MORE split at maxDatagram - 16: boundaries', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 1 << 20 });
  const chunk = 1024 - FRAME_HEADER_SIZE;
  assert.equal(w.maxChunk, chunk);
  const shape = (len: number): Array<[number, number]> => {
    w.push(FrameType.RESPONSE, 7, 0, bytesOf(len));
    return framesOf(w.flush()).map((f) => [f.flags, f.length]);
  };
  assert.deepEqual(shape(0), [[0, 0]]);
  assert.deepEqual(shape(chunk), [[0, chunk]]);
  assert.deepEqual(shape(chunk + 1), [[FLAG_MORE, chunk], [0, 1]]);
  assert.deepEqual(shape(3 * chunk), [[FLAG_MORE, chunk], [FLAG_MORE, chunk], [0, chunk]]);
  assert.equal(w.framesFor(0), 1);
  assert.equal(w.framesFor(3 * chunk + 1), 4);
});

test('split frames repeat type, id and code, each in its own datagram', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 1 << 20 });
  w.push(FrameType.PING, 1, 0);
  w.push(FrameType.RESPONSE, 42, 3, bytesOf(5000));
  const out = w.flush();
  const frames = framesOf(out);
  assert.deepEqual(frames.slice(1).map((f) => [f.type, f.id, f.code]), frames.slice(1).map(() => [FrameType.RESPONSE, 42, 3]));
  assert.equal(out.length, 6, 'the PING, then 5 chunks that each fill a datagram (the first cannot join the PING)');
});

test('a message over maxMessage or a bad header throws and queues nothing', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 2000 });
  w.push(FrameType.PING, 1, 0);
  assert.equal(w.fits(2000), true);
  assert.equal(w.fits(2001), false);
  assert.throws(() => w.push(FrameType.REQUEST, 1, 1, bytesOf(2001)), RangeError);
  assert.throws(() => w.push(0, 1, 1, bytesOf(10)), RangeError);
  assert.throws(() => w.push(FrameType.REQUEST, -1, 1, bytesOf(1500)), RangeError);
  assert.equal(w.pendingFrames, 1);
  assert.equal(framesOf(w.flush()).length, 1);
  assert.throws(() => new FrameWriter({ maxDatagram: 1023, maxMessage: 2000 }), RangeError);
  assert.throws(() => new FrameWriter({ maxDatagram: 256 * 1024 + 1, maxMessage: 2000 }), RangeError);
  assert.throws(() => new FrameWriter({ maxDatagram: 1024, maxMessage: (1 << 20) + 1 }), RangeError);
});

function reassembleAll(r: Reassembler, frames: Frame[]): Message[] {
  const out: Message[] = [];
  for (const f of frames) {
    const res = r.push(f);
    assert.notEqual(res.kind, 'refused');
    if (res.kind === 'message') out.push(res.message);
  }
  return out;
}

test('writer split and reassembler join give back every payload, sizes 0..5000', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 1 << 20 });
  const sizes = [0, 1, 1007, 1008, 1009, 2016, 2017, 5000];
  sizes.forEach((n, i) => w.push(FrameType.RESPONSE, i, 0, bytesOf(n, i)));
  const got = reassembleAll(new Reassembler(1 << 20), framesOf(w.flush()));
  assert.deepEqual(got.map((m) => m.id), sizes.map((_, i) => i));
  got.forEach((m, i) => sameBytes(m.payload, bytesOf(sizes[i], i)));
});

test('a reassembled payload is a copy: the datagrams may be reused afterwards', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 1 << 20 });
  w.push(FrameType.RESPONSE, 1, 0, bytesOf(3000));
  const datagrams = w.flush();
  const [m] = reassembleAll(new Reassembler(1 << 20), framesOf(datagrams));
  for (const d of datagrams) d.fill(0);
  sameBytes(m.payload, bytesOf(3000));
});

test('the limit: exactly at it is delivered, one byte over is refused whole', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 1 << 20 });
  w.push(FrameType.RESPONSE, 1, 0, bytesOf(3000));
  w.push(FrameType.RESPONSE, 2, 5, bytesOf(3001));
  w.push(FrameType.RESPONSE, 3, 0, bytesOf(10));
  const r = new Reassembler(3000);
  const results = framesOf(w.flush()).map((f) => r.push(f)).filter((x) => x.kind !== 'pending');
  assert.equal(results.length, 3);
  assert.equal(results[0].kind === 'message' && results[0].message.payload.length, 3000);
  assert.deepEqual(results[1], { kind: 'refused', refused: { type: FrameType.RESPONSE, id: 2, code: 5, bytes: 3001, reason: 'TOO_LARGE' } });
  assert.ok(results[2].kind === 'message' && results[2].message.id === 3, 'the next message is unaffected');
});

test('whole frames of another type or id pass between continuation frames', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 1 << 20 });
  w.push(FrameType.RESPONSE, 1, 0, bytesOf(2500));
  const [a, b, c] = framesOf(w.flush());
  w.push(FrameType.EVENT, 0, 1, bytesOf(20));
  const [event] = framesOf(w.flush());
  const r = new Reassembler(1 << 20);
  assert.equal(r.push(a).kind, 'pending');
  assert.equal(r.inProgress, true);
  assert.equal(r.passesThrough(event), true);
  const ev = r.push(event);
  assert.ok(ev.kind === 'message' && ev.message.type === FrameType.EVENT);
  assert.equal(r.passesThrough(b), false, 'a continuation frame does not pass through');
  assert.equal(r.push(b).kind, 'pending');
  const done = r.push(c);
  assert.ok(done.kind === 'message');
  sameBytes(done.message.payload, bytesOf(2500));
  assert.equal(r.inProgress, false);
});

test('a MORE frame of another id abandons the message in progress', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 1 << 20 });
  w.push(FrameType.RESPONSE, 1, 0, bytesOf(2000));
  w.push(FrameType.RESPONSE, 2, 0, bytesOf(2000, 1));
  const [a1, , b1, b2] = framesOf(w.flush());
  const r = new Reassembler(1 << 20);
  r.push(a1);
  assert.deepEqual(r.push(b1), { kind: 'refused', refused: { type: FrameType.RESPONSE, id: 1, code: 0, bytes: 1008, reason: 'ABANDONED' } });
  const done = r.push(b2);
  assert.ok(done.kind === 'message' && done.message.id === 2);
  sameBytes(done.message.payload, bytesOf(2000, 1));
});

test('reset forgets a message in progress', () => {
  const w = new FrameWriter({ maxDatagram: 1024, maxMessage: 1 << 20 });
  w.push(FrameType.RESPONSE, 1, 0, bytesOf(2000));
  const [a, b] = framesOf(w.flush());
  const r = new Reassembler(1 << 20);
  r.push(a);
  r.reset();
  assert.equal(r.inProgress, false);
  const res = r.push(b);
  assert.ok(res.kind === 'message' && res.message.payload.length === b.length, 'the tail alone is a whole message now');
});
