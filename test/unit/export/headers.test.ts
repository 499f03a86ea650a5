import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headers as natsHeaders } from 'nats';
import { MessageHeaders, SharedHeaders } from 'kextbridge-export/internal/headers';

// nats.js's own encoding, through the method its publish() calls.
function natsEncoding(pairs: ReadonlyArray<readonly [string, string]>): Buffer {
  const h = natsHeaders();
  for (const [k, v] of pairs) h.append(k, v);
  return Buffer.from((h as unknown as { encode(): Uint8Array }).encode());
}

const shared: Array<readonly [string, string]> = [['Kb-Host', 'mac-042'], ['Kb-Kext', 'org.kextbridge.example'], ['Kb-Type', 'kextbridge.example.v1.ExecEvent']];
const own: Array<readonly [string, string]> = [['Kb-Seq', '9'], ['Nats-Msg-Id', 'mac-042/77/9']];
const ownLines = (pairs: ReadonlyArray<readonly [string, string]>): string => pairs.map(([k, v]) => `${k}: ${v}\r\n`).join('');

test('the bytes sent are the bytes nats.js would send for the same headers', () => {
  const h = new MessageHeaders(new SharedHeaders(shared), ownLines(own));
  assert.deepEqual(Buffer.from(h.encode()), natsEncoding([...shared, ...own]));
  assert.deepEqual(Buffer.from(new MessageHeaders(new SharedHeaders([]), ownLines(own)).encode()), natsEncoding(own));
});

test('read as any MsgHdrs: get, has, keys, values, iteration', () => {
  const h = new MessageHeaders(new SharedHeaders(shared), ownLines([...own, ['Kb-Seq', '10']]));
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

test('a change, to a shared header too, is in what is sent next; the shared part is left as it was', () => {
  const s = new SharedHeaders(shared);
  const h = new MessageHeaders(s, ownLines(own));
  h.encode();
  h.set('Kb-Host', 'other');
  h.delete('Kb-Seq');
  h.append('Extra', ' padded ');
  const expected = natsEncoding([['Kb-Kext', 'org.kextbridge.example'], ['Kb-Type', 'kextbridge.example.v1.ExecEvent'], ['Nats-Msg-Id', 'mac-042/77/9'], ['Kb-Host', 'other'], ['Extra', 'padded']]);
  assert.deepEqual(Buffer.from(h.encode()), expected);
  assert.deepEqual(Buffer.from(new MessageHeaders(s, '').encode()), natsEncoding(shared), 'another message of the same shared part');
});

test('keys and values the protocol cannot carry are refused, as nats.js refuses them', () => {
  assert.throws(() => new SharedHeaders([['Bad:Key', 'v']]), /header key "Bad:Key"/);
  assert.throws(() => new SharedHeaders([['Kb-Kext', 'a\r\nInjected: 1']]), /Kb-Kext: the value may not hold CR or LF/);
  assert.throws(() => new MessageHeaders(new SharedHeaders([]), '').append('K', 'x\ny'), /CR or LF/);
  assert.throws(() => natsHeaders().append('Bad:Key', 'v'));
});
