import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerValue, lossPublication, subjectToken, TopicEnvelope } from 'kextbridge-export/internal/envelope';

const src = { host: 'mac-042', kext: 'org.kextbridge.example' };

test('an event: its subject, a message id JetStream dedups on, headers naming source and type, the payload untouched', () => {
  const payload = Uint8Array.of(0x08, 0x2a);
  const p = new TopicEnvelope(src, '77', 'exec', 'kextbridge.example.v1.ExecEvent').event('9', '123456', payload);
  assert.equal(p.subject, 'kextbridge.mac-042.exec');
  assert.equal(p.headers.get('Nats-Msg-Id'), 'mac-042/77/9');
  assert.deepEqual(Buffer.from(p.data), Buffer.from(payload));
  for (const [k, v] of [['Kb-Host', 'mac-042'], ['Kb-Kext', 'org.kextbridge.example'], ['Kb-Epoch', '77'], ['Kb-Seq', '9'], ['Kb-Time-Ns', '123456'], ['Kb-Topic', 'exec'], ['Kb-Type', 'kextbridge.example.v1.ExecEvent'], ['Nats-Msg-Id', 'mac-042/77/9']]) {
    assert.equal(p.headers.get(k!), v, k);
  }
});

test('a loss: a record on _lost with the range, keyed so a replay of it is dropped too; one the daemon could not size is keyed by epoch', () => {
  const p = lossPublication(src, { epoch: '77', count: 3, firstSeq: 10, lastSeq: 14, source: 'LOSS_SOURCE_SUBSCRIBER', detail: '' });
  assert.equal(p.subject, 'kextbridge.mac-042._lost');
  assert.equal(p.headers.get('Nats-Msg-Id'), 'mac-042/77/lost/10-14');
  assert.deepEqual(JSON.parse(Buffer.from(p.data).toString()), { count: 3, firstSeq: 10, lastSeq: 14, source: 'LOSS_SOURCE_SUBSCRIBER', detail: '' });
  assert.equal(p.headers.get('Kb-Lost-Count'), '3');
  const unsized = lossPublication(src, { epoch: '78', count: 0, firstSeq: 0, lastSeq: 0, source: 'LOSS_SOURCE_DAEMON', detail: 'restarted' });
  assert.equal(unsized.headers.get('Nats-Msg-Id'), 'mac-042/78/lost/unsized');
});

test('one envelope serves every event of its topic: each message has its own seq, time and id', () => {
  const topic = new TopicEnvelope(src, '77', 'exec', undefined);
  const a = topic.event('1', '10', new Uint8Array(0));
  const b = topic.event('2', '9223372036854775808', new Uint8Array(0));
  assert.equal(a.headers.get('Kb-Seq'), '1');
  assert.equal(b.headers.get('Kb-Seq'), '2');
  assert.equal(b.headers.get('Kb-Time-Ns'), '9223372036854775808');
  assert.equal(b.headers.get('Nats-Msg-Id'), 'mac-042/77/2');
  assert.equal(a.headers.has('Kb-Type'), false, 'no type header when the .proto is not known');
});

test('an epoch that is not a decimal number is refused before it reaches a subject or an id', () => {
  assert.throws(() => new TopicEnvelope(src, '7/7', 'exec', undefined), /epoch "7\/7": expected a decimal number/);
});

test('a catalog name is any UTF-8: as a subject token it cannot split the subject, make a wildcard or take the loss records\' token', () => {
  assert.equal(subjectToken('exec'), 'exec');
  assert.equal(subjectToken('file-open_v2'), 'file-open_v2');
  assert.equal(subjectToken('a.b c*>'), 'a%2Eb%20c%2A%3E');
  assert.equal(subjectToken('_lost'), '%5Flost');
  assert.equal(subjectToken('é'), '%C3%A9');
  const p = new TopicEnvelope(src, '7', 'net.connect', undefined).event('1', '1', new Uint8Array(0));
  assert.equal(p.subject, 'kextbridge.mac-042.net%2Econnect');
  assert.equal(p.headers.get('Kb-Topic'), 'net.connect', 'the header keeps the name');
});

test("a kext identity or topic with control characters reaches the headers percent-encoded, not as a header of its own", () => {
  assert.equal(headerValue('org.example'), 'org.example');
  assert.equal(headerValue('evil\r\nNats-Msg-Id: forged'), 'evil%0D%0ANats-Msg-Id: forged');
  assert.equal(headerValue('100%'), '100%25');
  const p = new TopicEnvelope({ host: 'h', kext: 'evil\r\nNats-Msg-Id: forged' }, '7', 'exec', undefined).event('3', '1', new Uint8Array(0));
  assert.equal(p.headers.get('Kb-Kext'), 'evil%0D%0ANats-Msg-Id: forged');
  assert.deepEqual(p.headers.values('Nats-Msg-Id'), ['h/7/3']);
});
