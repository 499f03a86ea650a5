// KernelLink with a fake channel: frames in, runs of events and messages
// out to its consumer.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { FrameConsumer } from 'kextbridged/internal/link/kernel-link';
import { FLAG_MORE, FrameType, decodeEvent, encodeFrame, type Message } from 'kextbridged/internal/wire/index';
import { encodeEvent, encodeLoss } from '../../../support/kext-wire';
import { readyLink } from '../../../support/fake-kext';

// What the consumer was handed, in order.
class Recorder implements FrameConsumer {
  seen: string[] = [];
  messages: Message[] = [];
  wakes = 0;
  eventRun(datagram: Uint8Array, starts: Uint32Array, count: number): void {
    const seqs: number[] = [];
    for (let i = 0; i < count; i++) {
      const off = starts[i]!;
      const len = Buffer.from(datagram.buffer, datagram.byteOffset).readUInt32LE(off + 12);
      const e = decodeEvent(datagram.subarray(off + 16, off + 16 + len));
      if (e.ok) seqs.push(e.value.seq);
    }
    this.seen.push(`run ${seqs.join(',')}`);
  }
  message(m: Message): void {
    this.messages.push(m);
    this.seen.push(`message ${m.type}`);
  }
  wakeEnd(): void {
    this.wakes++;
  }
}

test('an EVENT continued with MORE is handed on whole, once', () => {
  const { link, channel } = readyLink();
  const r = new Recorder();
  link.attach(r);
  const data = Buffer.alloc(3000, 7);
  const event = encodeEvent(5, 123n, data);
  channel.deliver(encodeFrame(FrameType.EVENT, FLAG_MORE, 0, 2, event.subarray(0, 1000)));
  assert.equal(r.messages.length, 0, 'nothing before the last piece');
  channel.deliver(encodeFrame(FrameType.EVENT, 0, 0, 2, event.subarray(1000)));
  assert.equal(r.messages.length, 1);
  const m = r.messages[0]!;
  assert.equal(m.code, 2, 'topic kept');
  const e = decodeEvent(m.payload);
  assert.ok(e.ok);
  assert.equal(e.value.seq, 5, 'seq read from the reassembled head');
  assert.deepEqual(Buffer.from(e.value.data), data, 'every byte of the event');
  assert.deepEqual(r.seen, ['message 9'], 'the last piece is not taken for a whole event');
  link.stop();
});

test('whole EVENTs pass as one run per stretch between other frames, in order, and a wake ends once', async () => {
  const { link, channel } = readyLink();
  const r = new Recorder();
  link.attach(r);
  const ev = (seq: number): Uint8Array => encodeFrame(FrameType.EVENT, 0, 0, 1, encodeEvent(seq, 1n, Buffer.from('a')));
  channel.deliver(ev(1), ev(2), encodeFrame(FrameType.LOSS, 0, 0, 1, encodeLoss({ count: 1, firstSeq: 3, lastSeq: 3 })), ev(4));
  channel.deliver(ev(5));
  assert.deepEqual(r.seen, ['run 1,2', 'message 10', 'run 4', 'run 5']);
  assert.equal(r.wakes, 0, 'the wake ends after everything it brought');
  await Promise.resolve();
  assert.equal(r.wakes, 1);
  link.stop();
});

test('a malformed frame after good ones: the good ones are handed on, then the link resets', () => {
  const { link, channel } = readyLink();
  const r = new Recorder();
  link.attach(r);
  const good = encodeFrame(FrameType.EVENT, 0, 0, 1, encodeEvent(1, 1n, Buffer.from('a')));
  const bad = Buffer.from(encodeFrame(FrameType.EVENT, 0, 0, 1, encodeEvent(2, 1n, Buffer.from('b'))));
  bad[0] = 0;
  channel.deliver(good, bad);
  assert.deepEqual(r.seen, ['run 1']);
  assert.equal(link.counters.malformed, 1);
  assert.notEqual(link.state, 'ready');
  link.stop();
});
