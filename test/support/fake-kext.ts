// A KernelLink over a fake channel that has had its WELCOME: what unit
// tests of the session and the operations stand on. What the daemon sends
// is decoded back into frames.
import { EventEmitter } from 'node:events';

import { KernelLink, type DatagramChannel } from 'kextbridged/internal/link/kernel-link';
import { createLogger } from 'kextbridged/internal/log';
import { CatalogKind, ENTRY_PRIVILEGED, FrameType, ValueType, decodeDatagram, encodeFrame, type Frame } from 'kextbridged/internal/wire/index';
import { encodeWelcome } from './kext-wire';

export class FakeChannel extends EventEmitter implements DatagramChannel {
  sent: Frame[] = [];
  send(d: Uint8Array): boolean {
    this.sent.push(...decodeDatagram(Buffer.from(d)).frames);
    return true;
  }
  close(): void {}
  deliver(...frames: Uint8Array[]): void {
    this.emit('message', Buffer.concat(frames));
  }
  // Frames of one type the daemon sent, in order.
  sentOf(type: number): Frame[] {
    return this.sent.filter((f) => f.type === type);
  }
}

// echo (command 1), emit (command 3, privileged), exec (topic 1,
// privileged), heartbeat (topic 2), log_level (option 1, int64 0..4),
// authorize_exec (upcall 1, privileged).
export function readyLink(): { link: KernelLink; channel: FakeChannel } {
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
  const welcome = encodeWelcome({
    version: 1,
    maxDatagram: 65536,
    maxMessage: 65536,
    maxInflight: 8,
    identity: 'org.test',
    kextVersion: '1',
    entries: [
      { kind: CatalogKind.COMMAND, id: 1, name: 'echo' },
      { kind: CatalogKind.COMMAND, id: 3, name: 'emit', flags: ENTRY_PRIVILEGED },
      { kind: CatalogKind.TOPIC, id: 1, name: 'exec', flags: ENTRY_PRIVILEGED },
      { kind: CatalogKind.TOPIC, id: 2, name: 'heartbeat' },
      { kind: CatalogKind.OPTION, id: 1, name: 'log_level', valueType: ValueType.INT64, min: 0n, max: 4n },
      { kind: CatalogKind.UPCALL, id: 1, name: 'authorize_exec', flags: ENTRY_PRIVILEGED, timeoutMs: 500, defaultVerdict: 1 },
    ],
  });
  channel.deliver(encodeFrame(FrameType.WELCOME, 0, 0, 0, welcome));
  return { link, channel };
}
