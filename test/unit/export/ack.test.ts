import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPubAck, type PubAck } from 'kextbridge-export/internal/ack';

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
const into: PubAck = { outcome: 'failed', seq: -1 };
const pubAckOutcome = (d: Uint8Array): string => readPubAck(d, into).outcome;

test("JetStream's answers as nats-server writes them: stored, duplicate (with its space), with a domain", () => {
  assert.equal(pubAckOutcome(bytes('{"stream":"KB","seq":12}')), 'stored');
  assert.equal(pubAckOutcome(bytes('{"stream":"KB","seq":12,"duplicate": true}')), 'duplicate');
  assert.equal(pubAckOutcome(bytes('{"stream":"KB","seq":12,"duplicate":true}')), 'duplicate');
  assert.equal(pubAckOutcome(bytes('{"stream":"KB","domain":"hub","seq":12}')), 'stored');
  assert.equal(pubAckOutcome(bytes('{"stream":"KB","seq":12,"duplicate": false}')), 'stored');
});

test('an error, an empty answer or anything unknown fails the publish (it is sent again)', () => {
  assert.equal(pubAckOutcome(bytes('{"error":{"code":503,"err_code":10077,"description":"JetStream system temporarily unavailable"}}')), 'failed');
  assert.equal(pubAckOutcome(bytes('{"stream":"KB","error":{"code":400,"description":"bad"}}')), 'failed');
  assert.equal(pubAckOutcome(new Uint8Array(0)), 'failed');
  assert.equal(pubAckOutcome(bytes('{"strea')), 'failed');
  assert.equal(pubAckOutcome(bytes('+OK')), 'failed');
});

test('a view into a larger buffer is read from its own offset', () => {
  const whole = Buffer.from('xxxx{"stream":"KB","seq":1,"duplicate": true}yyyy');
  assert.equal(pubAckOutcome(whole.subarray(4, whole.length - 4)), 'duplicate');
});

test('the stream sequence is read from the answer: the new message\'s, or the earlier one a duplicate names', () => {
  assert.deepEqual({ ...readPubAck(bytes('{"stream":"KB","seq":1234567}'), into) }, { outcome: 'stored', seq: 1234567 });
  assert.deepEqual({ ...readPubAck(bytes('{"stream":"KB","domain":"hub","seq":9,"duplicate": true}'), into) }, { outcome: 'duplicate', seq: 9 });
  assert.deepEqual({ ...readPubAck(bytes('{"stream":"KB","seq": 0}'), into) }, { outcome: 'stored', seq: 0 });
  assert.deepEqual({ ...readPubAck(bytes('{"stream":"KB"}'), into) }, { outcome: 'failed', seq: -1 }, 'no seq: not an answer to trust');
  assert.deepEqual({ ...readPubAck(bytes('{"stream":"KB","seq":"x"}'), into) }, { outcome: 'failed', seq: -1 });
  assert.deepEqual({ ...readPubAck(bytes('{"error":{"code":503}}'), into) }, { outcome: 'failed', seq: -1 });
});
