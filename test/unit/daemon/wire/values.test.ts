// Payload codecs: HELLO and negotiation, WELCOME and the catalog (many
// entries, every refusal with its offset), option values with int64
// bounds, EVENT/LOSS/UPCALL heads and SUBSCRIBE.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CatalogKind, ENTRY_PRIVILEGED, ENTRY_READONLY, ENTRY_SET_PRIVILEGED, FrameType, INT64_MAX, INT64_MIN, ValueType, checkWelcome, chooseVersion, decodeDatagram, decodeEvent, decodeLoss, decodeOptionValue, decodeUpcall, decodeWelcome, encodeFrame, encodeHello, encodeOptionValue, encodeSubscribe, eventData, eventSeq, eventTimeNs, type Hello, type OptionEntry, type PayloadErrorClass, type Result } from 'kextbridged/internal/wire/index';
import { decodeHello, decodeSubscribe, encodeEvent, encodeLoss, encodeUpcall, encodeWelcome, type EntrySpec, type WelcomeSpec } from '../../../support/kext-wire';

function failsWith<T>(r: Result<T>, cls: PayloadErrorClass, offset: number, what = ''): void {
  assert.equal(r.ok, false, `${what}: expected ${cls}`);
  if (!r.ok) assert.deepEqual({ class: r.error.class, offset: r.error.offset }, { class: cls, offset }, `${what}: ${r.error.message}`);
}

const hello: Hello = { versionMin: 1, versionMax: 1, maxDatagram: 65536, maxMessage: 1 << 20, name: 'kextbridged' };

test('HELLO round trip; name up to 63 bytes', () => {
  const h = decodeHello(encodeHello(hello));
  assert.deepEqual(h, { ok: true, value: hello });
  const long = { ...hello, name: 'é'.repeat(31) + 'x' };
  assert.equal(encodeHello(long).length, 12 + 63);
  assert.deepEqual(decodeHello(encodeHello(long)), { ok: true, value: long });
  assert.throws(() => encodeHello({ ...hello, name: 'x'.repeat(64) }), RangeError);
  assert.throws(() => encodeHello({ ...hello, maxDatagram: 1023 }), RangeError);
  assert.throws(() => encodeHello({ ...hello, versionMin: 2, versionMax: 1 }), RangeError);
  assert.throws(() => encodeHello({ ...hello, maxDatagram: 4096, maxMessage: 4000 }), RangeError);
});

test('HELLO refusals: short, long name, bad UTF-8', () => {
  const ok = encodeHello(hello);
  for (let n = 0; n < 12; n++) failsWith(decodeHello(ok.subarray(0, n)), 'TRUNCATED', n, `length ${n}`);
  failsWith(decodeHello(new Uint8Array(12 + 64)), 'BAD_VALUE', 12);
  const bad = Uint8Array.from([...ok.subarray(0, 12), 0xc3, 0x28]);
  failsWith(decodeHello(bad), 'BAD_VALUE', 12);
});

test('version choice: highest common, or none', () => {
  assert.equal(chooseVersion(1, 1), 1);
  assert.equal(chooseVersion(1, 5), 1);
  assert.equal(chooseVersion(0, 1), 1);
  assert.equal(chooseVersion(2, 3), null);
  assert.equal(chooseVersion(1, 0), null);
  assert.equal(chooseVersion(0, 0), null);
});

const spec: WelcomeSpec = {
  version: 1,
  maxDatagram: 2048,
  maxMessage: 65536,
  maxInflight: 64,
  identity: 'org.kextbridge.example',
  kextVersion: '1.0.0',
  entries: [
    { kind: CatalogKind.COMMAND, id: 1, name: 'echo' },
    { kind: CatalogKind.TOPIC, id: 1, name: 'exec', flags: ENTRY_PRIVILEGED },
    { kind: CatalogKind.OPTION, id: 1, name: 'log_level', flags: ENTRY_PRIVILEGED, valueType: ValueType.INT64, min: 0n, max: 4n },
    { kind: CatalogKind.OPTION, id: 2, name: 'ro', flags: ENTRY_READONLY, valueType: ValueType.BOOL, min: 0n, max: 1n },
    { kind: CatalogKind.UPCALL, id: 1, name: 'authorize_exec', flags: ENTRY_PRIVILEGED, timeoutMs: 5000, defaultVerdict: 1 },
  ],
};

test('WELCOME decodes into a typed catalog', () => {
  const w = decodeWelcome(encodeWelcome(spec));
  assert.ok(w.ok);
  const c = w.value.catalog;
  assert.equal(w.value.identity, 'org.kextbridge.example');
  assert.deepEqual([c.commands.size, c.topics.size, c.options.size, c.upcalls.size], [1, 1, 2, 1]);
  assert.deepEqual(c.options.get(1), { kind: CatalogKind.OPTION, id: 1, name: 'log_level', flags: 1, privileged: true, setPrivileged: false, readOnly: false, valueType: ValueType.INT64, min: 0n, max: 4n });
  assert.equal(c.options.get(2)?.readOnly, true);
  assert.deepEqual(c.upcalls.get(1), { kind: CatalogKind.UPCALL, id: 1, name: 'authorize_exec', flags: 1, privileged: true, setPrivileged: false, timeoutMs: 5000, defaultVerdict: 1 });
  assert.equal(c.commands.get(1)?.privileged, false);
  assert.deepEqual(c.entries.map((e) => e.kind), [1, 2, 3, 3, 4]);
  const s = checkWelcome(hello, w.value);
  assert.deepEqual(s, { ok: true, value: { version: 1, sendDatagram: 2048, sendMessage: 65536, receiveDatagram: 65536, receiveMessage: 1 << 20, maxInflight: 64 } });
});

test('an option may be "read open, set privileged"; no other kind carries that flag', () => {
  const option = { kind: CatalogKind.OPTION, id: 3, name: 'max_keys', flags: ENTRY_SET_PRIVILEGED, valueType: ValueType.INT64, min: 1n, max: 64n } as const;
  const w = decodeWelcome(encodeWelcome({ ...spec, entries: [option] }));
  assert.ok(w.ok);
  assert.deepEqual([w.value.catalog.options.get(3)?.privileged, w.value.catalog.options.get(3)?.setPrivileged], [false, true]);
  const bad = decodeWelcome(encodeWelcome({ ...spec, entries: [{ kind: CatalogKind.COMMAND, id: 1, name: 'echo', flags: ENTRY_SET_PRIVILEGED }] }));
  assert.ok(!bad.ok && /command entry 0 has the set-privileged flag, which only options may carry/.test(bad.error.message), JSON.stringify(bad));
});

test('WELCOME with 65535 entries (the u16 maximum) round-trips; 65536 is refused', () => {
  const entries: EntrySpec[] = [];
  for (let i = 0; i < 65535; i++) {
    const kind = ((i % 4) + 1) as EntrySpec['kind'];
    entries.push({ kind, id: i, name: `n${i}`, valueType: kind === CatalogKind.OPTION ? ValueType.INT64 : undefined, min: kind === CatalogKind.OPTION ? INT64_MIN : undefined, max: kind === CatalogKind.OPTION ? INT64_MAX : undefined, timeoutMs: kind === CatalogKind.UPCALL ? i + 1 : undefined });
  }
  const bytes = encodeWelcome({ ...spec, entries });
  const w = decodeWelcome(bytes);
  assert.ok(w.ok);
  assert.equal(w.value.catalog.entries.length, 65535);
  assert.equal(w.value.catalog.options.get(65534)?.min, INT64_MIN);
  assert.equal(w.value.catalog.options.get(65534)?.max, INT64_MAX);
  assert.equal(w.value.catalog.upcalls.get(65531)?.timeoutMs, 65532);
  assert.equal(w.value.catalog.commands.size, 16384);
  assert.deepEqual(encodeWelcome({ ...w.value, entries: w.value.catalog.entries }), bytes);
  assert.throws(() => encodeWelcome({ ...spec, entries: [...entries, { kind: CatalogKind.COMMAND, id: 70000, name: 'x' }] }), RangeError);
});

test('WELCOME ids are unique per kind, not across kinds', () => {
  const w = decodeWelcome(encodeWelcome(spec));
  assert.ok(w.ok, 'command 1, topic 1, option 1 and upcall 1 coexist');
  assert.throws(() => encodeWelcome({ ...spec, entries: [...spec.entries, { kind: CatalogKind.COMMAND, id: 1, name: 'again' }] }), RangeError);
  // Make the second option's id equal the first's by hand: the decoder must catch it.
  const b = encodeWelcome(spec);
  const second = 20 + 23 + 6 + (32 + 4) + (32 + 4) + (32 + 9);
  b[second + 4] = 1;
  failsWith(decodeWelcome(b), 'DUPLICATE', second + 4);
});

test('WELCOME refusals, each with the offset of the bad field', () => {
  const good = encodeWelcome(spec);
  const e0 = 20 + 23 + 6; // the first entry
  const mutate = (at: number, v: number): Uint8Array => {
    const b = Uint8Array.from(good);
    b[at] = v;
    return b;
  };
  failsWith(decodeWelcome(good.subarray(0, 19)), 'TRUNCATED', 19, 'head');
  failsWith(decodeWelcome(good.subarray(0, 20)), 'TRUNCATED', 20, 'identity length');
  failsWith(decodeWelcome(mutate(20, 0)), 'BAD_VALUE', 20, 'empty identity');
  failsWith(decodeWelcome(mutate(20, 64)), 'BAD_VALUE', 20, 'identity too long');
  failsWith(decodeWelcome(good.subarray(0, 30)), 'TRUNCATED', 21, 'identity cut');
  failsWith(decodeWelcome(mutate(21, 0xff)), 'BAD_VALUE', 21, 'identity not UTF-8');
  failsWith(decodeWelcome(mutate(43, 64)), 'BAD_VALUE', 43, 'version too long');
  failsWith(decodeWelcome(good.subarray(0, e0 + 31)), 'TRUNCATED', e0, 'entry cut');
  failsWith(decodeWelcome(mutate(e0, 0)), 'BAD_VALUE', e0, 'kind 0');
  failsWith(decodeWelcome(mutate(e0, 5)), 'BAD_VALUE', e0, 'kind 5');
  failsWith(decodeWelcome(mutate(e0 + 1, 4)), 'BAD_VALUE', e0 + 1, 'unknown flag');
  failsWith(decodeWelcome(mutate(e0 + 2, 2)), 'BAD_VALUE', e0 + 2, 'value type on a command');
  failsWith(decodeWelcome(mutate(e0 + 3, 0)), 'BAD_VALUE', e0 + 3, 'empty name');
  failsWith(decodeWelcome(mutate(e0 + 3, 64)), 'BAD_VALUE', e0 + 3, 'name too long');
  failsWith(decodeWelcome(mutate(e0 + 32, 0xc0)), 'BAD_VALUE', e0 + 32, 'name not UTF-8');
  const last = good.length - 14 - 32; // the upcall entry
  failsWith(decodeWelcome(good.subarray(0, good.length - 1)), 'TRUNCATED', last + 32, 'name cut');
  failsWith(decodeWelcome(Uint8Array.from([...good, 0])), 'TRAILING', good.length, 'trailing byte');
  const timeout0 = Uint8Array.from(good);
  timeout0.fill(0, last + 8, last + 12);
  failsWith(decodeWelcome(timeout0), 'BAD_VALUE', last + 8, 'upcall timeout 0');
  const opt = e0 + 36 + 36; // log_level
  failsWith(decodeWelcome(mutate(opt + 2, 0)), 'BAD_VALUE', opt + 2, 'option without a value type');
  failsWith(decodeWelcome(mutate(opt + 2, 5)), 'BAD_VALUE', opt + 2, 'option value type 5');
  failsWith(decodeWelcome(mutate(opt + 16, 5)), 'BAD_VALUE', opt + 16, 'int64 min above max');
  const bool = opt + 41; // ro, BOOL
  failsWith(decodeWelcome(mutate(bool + 24, 2)), 'BAD_VALUE', bool + 16, 'bool bounds 0..2');
  const count = Uint8Array.from(good);
  count[2] = 6;
  failsWith(decodeWelcome(count), 'TRUNCATED', good.length, 'entry_count too high');
  count[2] = 4;
  failsWith(decodeWelcome(count), 'TRAILING', good.length - 14 - 32, 'entry_count too low');
});

test('decodeWelcome never throws: every prefix and random corruption', () => {
  const good = encodeWelcome(spec);
  for (let n = 0; n < good.length; n++) assert.equal(decodeWelcome(good.subarray(0, n)).ok, false, `prefix ${n}`);
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  for (let i = 0; i < 5000; i++) {
    const b = Uint8Array.from(good);
    for (let k = 0; k < 1 + (rand() % 3); k++) b[rand() % b.length] = rand() & 255;
    const r = decodeWelcome(b);
    if (!r.ok) assert.ok(r.error.offset >= 0 && r.error.offset <= b.length);
  }
});

test('checkWelcome refuses versions not offered and impossible limits', () => {
  const w = decodeWelcome(encodeWelcome(spec));
  assert.ok(w.ok);
  failsWith(checkWelcome({ ...hello, versionMin: 2, versionMax: 3 }, w.value), 'BAD_VALUE', 0);
  failsWith(checkWelcome(hello, { ...w.value, maxDatagram: 1000 }), 'BAD_VALUE', 4);
  failsWith(checkWelcome(hello, { ...w.value, maxDatagram: 262145 }), 'BAD_VALUE', 4);
  failsWith(checkWelcome(hello, { ...w.value, maxMessage: 2000 }), 'BAD_VALUE', 8);
  failsWith(checkWelcome(hello, { ...w.value, maxMessage: (1 << 20) + 1 }), 'BAD_VALUE', 8);
  failsWith(checkWelcome(hello, { ...w.value, maxInflight: 0 }), 'BAD_VALUE', 12);
});

function option(valueType: OptionEntry['valueType'], min: bigint, max: bigint): OptionEntry {
  return { kind: CatalogKind.OPTION, id: 1, name: 'o', flags: 0, privileged: false, setPrivileged: false, readOnly: false, valueType, min, max };
}

test('INT64 values: bounds inclusive, full int64 range, exact size', () => {
  const full = option(ValueType.INT64, INT64_MIN, INT64_MAX);
  for (const v of [INT64_MIN, -1n, 0n, 1n, INT64_MAX]) {
    const e = encodeOptionValue(full, v);
    assert.ok(e.ok);
    assert.equal(e.value.length, 8);
    assert.deepEqual(decodeOptionValue(full, e.value), { ok: true, value: v });
  }
  assert.equal(Buffer.from((encodeOptionValue(full, -2n) as { value: Uint8Array }).value).toString('hex'), 'feffffffffffffff');
  const small = option(ValueType.INT64, -5n, 5n);
  assert.ok(encodeOptionValue(small, -5n).ok);
  assert.ok(encodeOptionValue(small, 5n).ok);
  failsWith(encodeOptionValue(small, -6n), 'OUT_OF_RANGE', 0);
  failsWith(encodeOptionValue(small, 6n), 'OUT_OF_RANGE', 0);
  failsWith(encodeOptionValue(small, 5 as unknown as bigint), 'WRONG_TYPE', 0);
  const six = new Uint8Array(8);
  six[0] = 6;
  failsWith(decodeOptionValue(small, six), 'OUT_OF_RANGE', 0);
  failsWith(decodeOptionValue(small, new Uint8Array(7)), 'TRUNCATED', 7);
  failsWith(decodeOptionValue(small, new Uint8Array(9)), 'TRAILING', 8);
});

test('BOOL, STRING and BYTES values', () => {
  const b = option(ValueType.BOOL, 0n, 1n);
  assert.deepEqual(encodeOptionValue(b, true), { ok: true, value: Uint8Array.of(1) });
  assert.deepEqual(decodeOptionValue(b, Uint8Array.of(0)), { ok: true, value: false });
  failsWith(decodeOptionValue(b, Uint8Array.of(2)), 'BAD_VALUE', 0);
  failsWith(decodeOptionValue(b, new Uint8Array(0)), 'TRUNCATED', 0);
  failsWith(encodeOptionValue(b, 1n), 'WRONG_TYPE', 0);
  const s = option(ValueType.STRING, 0n, 4n);
  assert.deepEqual(encodeOptionValue(s, 'héé'.slice(0, 2)), { ok: true, value: Uint8Array.of(0x68, 0xc3, 0xa9) });
  failsWith(encodeOptionValue(s, 'ééé'), 'OUT_OF_RANGE', 4);
  assert.deepEqual(decodeOptionValue(s, Uint8Array.of(0x61, 0x62)), { ok: true, value: 'ab' });
  failsWith(decodeOptionValue(s, Uint8Array.of(0xc3)), 'BAD_VALUE', 0);
  failsWith(decodeOptionValue(s, new Uint8Array(5)), 'OUT_OF_RANGE', 4);
  const y = option(ValueType.BYTES, 0n, 2n);
  assert.deepEqual(encodeOptionValue(y, Uint8Array.of(1, 2)), { ok: true, value: Uint8Array.of(1, 2) });
  failsWith(encodeOptionValue(y, Uint8Array.of(1, 2, 3)), 'OUT_OF_RANGE', 2);
  failsWith(encodeOptionValue(y, 'ab'), 'WRONG_TYPE', 0);
});

test('EVENT head: decode, the event-path readers, and refusals', () => {
  const p = encodeEvent(42, (1n << 60n) + 3n, Uint8Array.of(7, 8));
  assert.deepEqual(decodeEvent(p), { ok: true, value: { seq: 42, timeNs: (1n << 60n) + 3n, data: Uint8Array.of(7, 8) } });
  const [f] = decodeDatagram(encodeFrame(FrameType.EVENT, 0, 0, 1, p)).frames;
  assert.equal(eventSeq(f), 42);
  assert.equal(eventTimeNs(f), (1n << 60n) + 3n);
  assert.deepEqual(eventData(f), Uint8Array.of(7, 8));
  failsWith(decodeEvent(p.subarray(0, 15)), 'TRUNCATED', 15);
  const zero = Uint8Array.from(p);
  zero.fill(0, 0, 8);
  failsWith(decodeEvent(zero), 'BAD_VALUE', 0);
  const huge = Uint8Array.from(p);
  huge[6] = 0x20; // 2^53
  failsWith(decodeEvent(huge), 'BAD_VALUE', 0);
  assert.equal(eventSeq(decodeDatagram(encodeFrame(FrameType.EVENT, 0, 0, 1, huge)).frames[0]), -1);
  assert.equal(eventSeq(decodeDatagram(encodeFrame(FrameType.EVENT, 0, 0, 1, p.subarray(0, 10))).frames[0]), -1);
  const max = Uint8Array.from(p);
  max.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0], 0);
  assert.equal(eventSeq(decodeDatagram(encodeFrame(FrameType.EVENT, 0, 0, 1, max)).frames[0]), Number.MAX_SAFE_INTEGER);
});

test('LOSS: exact size and consistent numbers', () => {
  const l = { count: 2, firstSeq: 4, lastSeq: 6 };
  assert.deepEqual(decodeLoss(encodeLoss(l)), { ok: true, value: l });
  const p = encodeLoss(l);
  failsWith(decodeLoss(p.subarray(0, 23)), 'TRUNCATED', 23);
  failsWith(decodeLoss(Uint8Array.from([...p, 0])), 'TRAILING', 24);
  const set = (at: number, v: number): Uint8Array => {
    const b = Uint8Array.from(p);
    b.fill(0, at, at + 8);
    b[at] = v;
    return b;
  };
  failsWith(decodeLoss(set(0, 0)), 'BAD_VALUE', 0);
  failsWith(decodeLoss(set(0, 4)), 'BAD_VALUE', 0);
  failsWith(decodeLoss(set(8, 0)), 'BAD_VALUE', 8);
  failsWith(decodeLoss(set(16, 3)), 'BAD_VALUE', 16);
  assert.throws(() => encodeLoss({ count: 3, firstSeq: 4, lastSeq: 5 }), RangeError);
});

test('UPCALL head and SUBSCRIBE list', () => {
  assert.deepEqual(decodeUpcall(encodeUpcall(5000, 1, Uint8Array.of(9))), { ok: true, value: { timeoutMs: 5000, defaultVerdict: 1, question: Uint8Array.of(9) } });
  failsWith(decodeUpcall(new Uint8Array(7)), 'TRUNCATED', 7);
  assert.deepEqual(decodeSubscribe(encodeSubscribe(new Set([1, 0xffffffff]))), { ok: true, value: [1, 0xffffffff] });
  assert.deepEqual(decodeSubscribe(new Uint8Array(0)), { ok: true, value: [] });
  failsWith(decodeSubscribe(new Uint8Array(6)), 'TRAILING', 4);
  assert.throws(() => encodeSubscribe([-1]), RangeError);
});
