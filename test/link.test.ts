// KernelLink with a fake channel: frames in, events and messages out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';

import { KernelLink, type DatagramChannel } from '../daemon/src/link/kernel-link';
import { createLogger } from '../daemon/src/log';
import { FLAG_MORE, FrameType, encodeEvent, encodeFrame, encodeWelcome, eventData, eventSeq, type Frame } from '../daemon/src/wire';

class FakeChannel extends EventEmitter implements DatagramChannel {
  sent: Uint8Array[] = [];
  send(d: Uint8Array): boolean {
    this.sent.push(d);
    return true;
  }
  close(): void {}
  deliver(...frames: Uint8Array[]): void {
    this.emit('message', Buffer.concat(frames));
  }
}

function readyLink(): { link: KernelLink; channel: FakeChannel } {
  const channel = new FakeChannel();
  const link = new KernelLink({
    target: 'fake',
    open: () => channel,
    log: createLogger({ level: 'silent' }),
    name: 'test',
    maxDatagram: 65536,
    maxMessage: 1 << 20,
    reconnectMinMs: 10,
    reconnectMaxMs: 100,
  });
  link.start();
  const welcome = encodeWelcome({ version: 1, maxDatagram: 4096, maxMessage: 65536, maxInflight: 8, identity: 'org.test', kextVersion: '1', entries: [] });
  channel.deliver(encodeFrame(FrameType.WELCOME, 0, 0, 0, welcome));
  assert.equal(link.state, 'ready');
  return { link, channel };
}

test('an EVENT continued with MORE is handed on whole, once', () => {
  const { link, channel } = readyLink();
  const seen: Frame[] = [];
  link.on('event', (f) => seen.push(f));
  const data = Buffer.alloc(3000, 7);
  const event = encodeEvent(5, 123n, data);
  channel.deliver(encodeFrame(FrameType.EVENT, FLAG_MORE, 0, 2, event.subarray(0, 1000)));
  assert.equal(seen.length, 0, 'nothing before the last piece');
  channel.deliver(encodeFrame(FrameType.EVENT, 0, 0, 2, event.subarray(1000)));
  assert.equal(seen.length, 1);
  const f = seen[0]!;
  assert.equal(f.code, 2, 'topic kept');
  assert.equal(eventSeq(f), 5, 'seq read from the reassembled head');
  assert.deepEqual(Buffer.from(eventData(f)), data, 'every byte of the event');
  link.stop();
});

test('a whole EVENT passes through without reassembly', () => {
  const { link, channel } = readyLink();
  const seen: Frame[] = [];
  link.on('event', (f) => seen.push(f));
  channel.deliver(encodeFrame(FrameType.EVENT, 0, 0, 1, encodeEvent(1, 1n, Buffer.from('a'))), encodeFrame(FrameType.EVENT, 0, 0, 1, encodeEvent(2, 2n, Buffer.from('b'))));
  assert.deepEqual(seen.map((f) => [eventSeq(f), Buffer.from(eventData(f)).toString()]), [[1, 'a'], [2, 'b']]);
  link.stop();
});
