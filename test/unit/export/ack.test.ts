import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pubAckOutcome } from 'kextbridge-export/internal/ack';

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

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
