import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headers as natsHeaders } from 'nats';
import { MessageHeaders, SharedHeaders } from 'kextbridge-export/internal/headers';
import { TopicEnvelope } from 'kextbridge-export/internal/envelope';

// nats.js's own encoding, through the method its publish() calls.
function natsEncoding(pairs: ReadonlyArray<readonly [string, string]>): Buffer {
  const h = natsHeaders();
  for (const [k, v] of pairs) h.append(k, v);
  return Buffer.from((h as unknown as { encode(): Uint8Array }).encode());
}

const pairs: Array<readonly [string, string]> = [['Kb-Host', 'mac-042'], ['Kb-Kext', 'org.kextbridge.example'], ['Kb-Type', 'kextbridge.example.v1.ExecEvent'], ['Kb-Seq', '9'], ['Nats-Msg-Id', 'mac-042/77/9']];

test('the bytes sent are the bytes nats.js would send for the same headers', () => {
  assert.deepEqual(Buffer.from(MessageHeaders.of(pairs).encode()), natsEncoding(pairs));
  assert.deepEqual(Buffer.from(new SharedHeaders(pairs).bytes), natsEncoding(pairs).subarray(0, -2), 'the shared part: the block without its blank line');
});

test("an event's block, written as bytes by its topic's envelope, is what nats.js would send for its headers", () => {
  const src = { host: 'mac-042', kext: 'org.kextbridge.example' };
  const h = new TopicEnvelope(src, '18446744073709551615', 'exec', 'kextbridge.example.v1.ExecEvent').event('123456', '1764380000123456789', new Uint8Array(0)).headers;
  const expected: Array<readonly [string, string]> = [
    ['Kb-Host', 'mac-042'],
    ['Kb-Kext', 'org.kextbridge.example'],
    ['Kb-Epoch', '18446744073709551615'],
    ['Kb-Topic', 'exec'],
    ['Kb-Type', 'kextbridge.example.v1.ExecEvent'],
    ['Kb-Seq', '123456'],
    ['Kb-Time-Ns', '1764380000123456789'],
    ['Nats-Msg-Id', 'mac-042/18446744073709551615/123456'],
  ];
  assert.deepEqual(Buffer.from(h.encode()), natsEncoding(expected));
  assert.deepEqual([...h], expected.map(([k, v]) => [k, [v]]), 'and read back as pairs');
});

test('read as any MsgHdrs: get, last, has, keys, values, iteration', () => {
  const h = MessageHeaders.of([...pairs, ['Kb-Seq', '10']]);
  assert.equal(h.get('Kb-Host'), 'mac-042');
  assert.equal(h.get('Kb-Seq'), '9');
  assert.equal(h.last('Kb-Seq'), '10');
  assert.deepEqual(h.values('Kb-Seq'), ['9', '10']);
  assert.equal(h.has('Nats-Msg-Id'), true);
  assert.equal(h.has('Missing'), false);
  assert.equal(h.get('Missing'), '');
  assert.deepEqual(h.keys(), ['Kb-Host', 'Kb-Kext', 'Kb-Type', 'Kb-Seq', 'Nats-Msg-Id']);
  assert.deepEqual([...h].find(([k]) => k === 'Kb-Seq'), ['Kb-Seq', ['9', '10']]);
  assert.equal(h.hasError, false);
});

test('a change is in what is sent next, for a block written as bytes too', () => {
  const h = MessageHeaders.encoded(natsEncoding(pairs));
  h.encode();
  h.set('Kb-Host', 'other');
  h.delete('Kb-Seq');
  h.append('Extra', ' padded ');
  const expected = natsEncoding([['Kb-Kext', 'org.kextbridge.example'], ['Kb-Type', 'kextbridge.example.v1.ExecEvent'], ['Nats-Msg-Id', 'mac-042/77/9'], ['Kb-Host', 'other'], ['Extra', 'padded']]);
  assert.deepEqual(Buffer.from(h.encode()), expected);
});

test('keys and values the protocol cannot carry are refused, as nats.js refuses them', () => {
  assert.throws(() => new SharedHeaders([['Bad:Key', 'v']]), /header key "Bad:Key"/);
  assert.throws(() => MessageHeaders.of([['Kb-Kext', 'a\r\nInjected: 1']]), /Kb-Kext: the value may not hold CR or LF/);
  assert.throws(() => MessageHeaders.of([]).append('K', 'x\ny'), /CR or LF/);
  assert.throws(() => natsHeaders().append('Bad:Key', 'v'));
});
