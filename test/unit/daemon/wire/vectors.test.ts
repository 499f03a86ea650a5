// The golden vectors against the TypeScript codec, and docs/protocol.md
// against the vectors: every hex dump in the doc must be a vector datagram
// byte for byte, so the spec's examples cannot drift from what is tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { FrameWriter, Reassembler, decodeDatagram, decodeEvent, decodeLoss, decodeUpcall, decodeWelcome, encodeHello, eventSeq, writeFrame, type Frame, type Message } from 'kextbridged/internal/wire/index';
import { decodeHello, decodeSubscribe, encodeWelcome } from '../../../support/kext-wire';
import { big, bytes, hexToBytes, loadVectors, num, str, vectorNamed, type VectorFrame } from '../../../support/wire-vectors-file.js';

const file = loadVectors();

test('the vectors file holds vectors and malformed cases of every class', () => {
  assert.ok(file.vectors.length >= 30, `${file.vectors.length} vectors`);
  const classes = new Set(file.malformed.map((m) => m.class));
  assert.deepEqual([...classes].sort(), ['BAD_FLAGS', 'BAD_MAGIC', 'BAD_TYPE', 'OVERRUN', 'SHORT']);
  const types = new Set(file.vectors.flatMap((v) => v.datagrams.flatMap((d) => d.frames.map((f) => f.type))));
  assert.equal(types.size, 15, 'every frame type appears in some vector');
});

function sameFrame(got: Frame, want: VectorFrame, where: string): void {
  assert.deepEqual(
    { type: got.type, flags: got.flags, id: got.id, code: got.code, payload: Buffer.from(got.payload).toString('hex') },
    { type: want.type, flags: want.flags, id: want.id, code: want.code, payload: Buffer.from(want.payload).toString('hex') },
    where,
  );
}

for (const v of file.vectors) {
  test(`vector ${v.name}: frames, re-encoding, reassembly and payloads`, () => {
    const reassembler = new Reassembler(1 << 20);
    const multiFrame: Message[] = [];
    let framesInMessage = 0;
    v.datagrams.forEach((dg, d) => {
      const decoded = decodeDatagram(dg.bytes);
      assert.equal(decoded.error, null, `${v.name} datagram ${d}`);
      assert.equal(decoded.frames.length, dg.frames.length, `${v.name} datagram ${d}: frame count`);
      decoded.frames.forEach((f, i) => sameFrame(f, dg.frames[i], `${v.name} datagram ${d} frame ${i}`));

      const rebuilt = new Uint8Array(dg.bytes.length);
      let off = 0;
      for (const f of dg.frames) off += writeFrame(rebuilt, off, f.type, f.flags, f.id, f.code, f.payload);
      assert.equal(off, dg.bytes.length);
      assert.deepEqual(rebuilt, dg.bytes, `${v.name} datagram ${d}: re-encoded byte for byte`);

      decoded.frames.forEach((f, i) => {
        framesInMessage++;
        const r = reassembler.push(f);
        if (r.kind === 'message' && framesInMessage > 1) multiFrame.push(r.message);
        if (r.kind !== 'pending') framesInMessage = 0;
        assert.notEqual(r.kind, 'refused');
        checkRecords(dg.frames[i].records, f.payload, `${v.name} frame ${i}`);
      });
    });
    assert.equal(reassembler.inProgress, false, 'every MORE chain ends');
    assert.equal(multiFrame.length, v.messages.length, 'reassembled messages as listed');
    v.messages.forEach((m, i) => {
      const got = multiFrame[i];
      assert.deepEqual({ type: got.type, id: got.id, code: got.code }, { type: m.type, id: m.id, code: m.code });
      assert.deepEqual(Buffer.from(got.payload), Buffer.from(m.payload));
      checkRecords(m.records, got.payload, `${v.name} message ${i}`);
    });
  });
}

function checkRecords(records: VectorFrame['records'], payload: Uint8Array, where: string): void {
  for (let i = 0; i < records.length; i++) {
    const { kind, fields: f } = records[i];
    switch (kind) {
      case 'hello': {
        const h = decodeHello(payload);
        assert.ok(h.ok, where);
        const want = { versionMin: num(f, 'version_min'), versionMax: num(f, 'version_max'), maxDatagram: num(f, 'max_datagram'), maxMessage: num(f, 'max_message'), name: str(f, 'name') };
        assert.deepEqual(h.value, want, where);
        assert.deepEqual(encodeHello(want), payload, `${where}: encodeHello gives the bytes back`);
        break;
      }
      case 'welcome': {
        const w = decodeWelcome(payload);
        assert.ok(w.ok, `${where}: ${w.ok ? '' : w.error.message}`);
        const entries = records.slice(i + 1).filter((r) => r.kind === 'entry');
        assert.deepEqual(
          { version: w.value.version, maxDatagram: w.value.maxDatagram, maxMessage: w.value.maxMessage, maxInflight: w.value.maxInflight, flags: w.value.flags, identity: w.value.identity, kextVersion: w.value.kextVersion, entries: w.value.catalog.entries.length },
          { version: num(f, 'version'), maxDatagram: num(f, 'max_datagram'), maxMessage: num(f, 'max_message'), maxInflight: num(f, 'max_inflight'), flags: num(f, 'flags'), identity: str(f, 'identity'), kextVersion: str(f, 'kext_version'), entries: num(f, 'entries') },
          where,
        );
        assert.equal(entries.length, num(f, 'entries'));
        entries.forEach((e, k) => {
          const got = w.value.catalog.entries[k];
          const g = got as { valueType?: number; min?: bigint; max?: bigint; timeoutMs?: number; defaultVerdict?: number };
          assert.deepEqual(
            { kind: got.kind, flags: got.flags, valueType: g.valueType ?? 0, id: got.id, timeoutMs: g.timeoutMs ?? 0, defaultVerdict: g.defaultVerdict ?? 0, min: g.min ?? 0n, max: g.max ?? 0n, name: got.name },
            { kind: num(e.fields, 'kind'), flags: num(e.fields, 'flags'), valueType: num(e.fields, 'value_type'), id: num(e.fields, 'id'), timeoutMs: num(e.fields, 'timeout_ms'), defaultVerdict: num(e.fields, 'default_verdict'), min: big(e.fields, 'min'), max: big(e.fields, 'max'), name: str(e.fields, 'name') },
            `${where} entry ${k}`,
          );
        });
        assert.deepEqual(encodeWelcome({ ...w.value, entries: w.value.catalog.entries }), payload, `${where}: encodeWelcome gives the bytes back`);
        break;
      }
      case 'entry':
        break; // checked with their welcome
      case 'event': {
        const e = decodeEvent(payload);
        assert.ok(e.ok, where);
        assert.deepEqual({ seq: e.value.seq, timeNs: e.value.timeNs, data: Buffer.from(e.value.data) }, { seq: num(f, 'seq'), timeNs: big(f, 'time_ns'), data: Buffer.from(bytes(f, 'data')) }, where);
        break;
      }
      case 'loss': {
        const l = decodeLoss(payload);
        assert.ok(l.ok, where);
        assert.deepEqual(l.value, { count: num(f, 'count'), firstSeq: num(f, 'first_seq'), lastSeq: num(f, 'last_seq') }, where);
        break;
      }
      case 'upcall': {
        const u = decodeUpcall(payload);
        assert.ok(u.ok, where);
        assert.deepEqual({ timeoutMs: u.value.timeoutMs, defaultVerdict: u.value.defaultVerdict, question: Buffer.from(u.value.question) }, { timeoutMs: num(f, 'timeout_ms'), defaultVerdict: num(f, 'default_verdict'), question: Buffer.from(bytes(f, 'question')) }, where);
        break;
      }
      case 'subscribe': {
        const s = decodeSubscribe(payload);
        assert.ok(s.ok, where);
        const list = str(f, 'topics');
        assert.deepEqual(s.value, list === '-' ? [] : list.split(',').map(Number), where);
        break;
      }
      default:
        assert.fail(`${where}: no check for record ${kind}`);
    }
  }
}

test('malformed vectors: exact class, offset and the good frames before', () => {
  for (const m of file.malformed) {
    const d = decodeDatagram(m.bytes);
    assert.deepEqual(d.error, { class: m.class, offset: m.offset }, m.name);
    assert.equal(d.frames.length, m.frames, m.name);
  }
});

test('the event path reader agrees with decodeEvent on every EVENT vector', () => {
  let events = 0;
  for (const v of file.vectors) {
    for (const dg of v.datagrams) {
      for (const f of decodeDatagram(dg.bytes).frames) {
        if (f.type !== 9) continue;
        const e = decodeEvent(f.payload);
        assert.ok(e.ok);
        assert.equal(eventSeq(f), e.value.seq);
        events++;
      }
    }
  }
  assert.ok(events >= 4);
});

// What senders produce: the FrameWriter must pack these exactly as listed.
for (const [name, maxDatagram] of [['events-coalesced', 65536], ['loss-then-event', 65536], ['d2k-coalesced', 2048], ['response-1100-split', 1024], ['request', 2048], ['welcome', 65536]] as const) {
  test(`FrameWriter at max datagram ${maxDatagram} sends vector ${name} byte for byte`, () => {
    const v = vectorNamed(file, name);
    const w = new FrameWriter({ maxDatagram, maxMessage: 1 << 20 });
    const r = new Reassembler(1 << 20);
    for (const dg of v.datagrams) {
      for (const f of decodeDatagram(dg.bytes).frames) {
        const res = r.push(f);
        if (res.kind === 'message') w.push(res.message.type, res.message.id, res.message.code, res.message.payload);
      }
    }
    assert.deepEqual(w.flush().map((b) => Buffer.from(b).toString('hex')), v.datagrams.map((d) => Buffer.from(d.bytes).toString('hex')));
  });
}

interface DocBlock {
  readonly vector: string;
  readonly datagram: number;
  readonly bytes: Uint8Array;
  readonly line: number;
}

/** ```wire blocks: "# vector <name>, datagram <n>" then "<hex bytes> | note" lines. */
function docBlocks(md: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```wire') continue;
    const start = i + 1;
    const head = /^# vector (\S+), datagram (\d+)$/.exec(lines[start] ?? '');
    assert.ok(head, `docs/protocol.md:${start + 1}: a wire block starts with "# vector <name>, datagram <n>"`);
    let hex = '';
    for (i = start + 1; i < lines.length && lines[i].trim() !== '```'; i++) {
      const data = lines[i].split('|')[0].trim();
      assert.match(data, /^([0-9a-f]{2}( +|$))*$/, `docs/protocol.md:${i + 1}: hex bytes, then "| note"`);
      hex += data.replace(/ +/g, '');
    }
    blocks.push({ vector: head[1], datagram: Number(head[2]), bytes: hexToBytes(hex), line: start });
  }
  return blocks;
}

test('every hex dump in docs/protocol.md is a vector datagram, byte for byte', () => {
  const blocks = docBlocks(readFileSync('docs/protocol.md', 'utf8'));
  assert.ok(blocks.length >= 12, `${blocks.length} wire blocks in the doc`);
  for (const b of blocks) {
    const v = vectorNamed(file, b.vector);
    const dg = v.datagrams[b.datagram - 1];
    assert.ok(dg, `docs/protocol.md:${b.line}: ${b.vector} has a datagram ${b.datagram}`);
    assert.deepEqual(Buffer.from(b.bytes).toString('hex'), Buffer.from(dg.bytes).toString('hex'), `docs/protocol.md:${b.line}: ${b.vector} datagram ${b.datagram}`);
  }
  const shown = new Set(blocks.map((b) => b.vector));
  for (const name of ['hello', 'welcome', 'request', 'response', 'events-coalesced', 'more-response']) assert.ok(shown.has(name), `the doc shows ${name}`);
});
