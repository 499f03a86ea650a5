// KernelChannel: the one connection to the kext, as a typed EventEmitter.
// Same interface on Linux (kextsim over SEQPACKET) and macOS (PF_SYSTEM).
import { EventEmitter } from 'node:events';

import { binding, type NativeChannel } from './binding';

export interface CloseReason {
  // 'EOF' when the kext closed; an errno name otherwise.
  code: string;
  message: string;
}

export interface KernelChannelEvents {
  message: [datagram: Buffer];
  drain: [];
  close: [reason: CloseReason];
}

export interface OpenOptions {
  // Linux: kextsim's socket path. macOS: the kernel control's name.
  target: string;
  // Largest datagram the kext may send; larger ones close the channel.
  maxDatagram: number;
  // Read every wake's datagrams into one reused buffer: each 'message'
  // datagram is then valid only while its listeners run (copy what must
  // outlive them). Saves an ArrayBuffer per datagram.
  reuseBuffers?: boolean;
  // How much a reader thread may take from the kernel ahead of the event
  // loop (default 8 MiB, about 40 ms of 32 KB events at 6,000/s): while
  // the loop is busy, what comes waits here instead of in the kernel's
  // buffer, where an overflow is lost for every subscriber.
  readAheadBytes?: number;
}

export const DEFAULT_READ_AHEAD_BYTES = 8 << 20;
export const MAX_READ_AHEAD_BYTES = 1 << 30;

export class KernelChannel extends EventEmitter<KernelChannelEvents> {
  #native: NativeChannel | null;

  private constructor(native: (onEvent: (kind: string, value: unknown) => void) => NativeChannel) {
    super();
    this.#native = native((kind, value) => this.#onEvent(kind, value));
  }

  // Throws an Error with .code (ENOENT, ECONNREFUSED, EACCES, EPERM, ...)
  // and a sentence saying what to check.
  static open(options: OpenOptions): KernelChannel {
    const readAhead = options.readAheadBytes ?? DEFAULT_READ_AHEAD_BYTES;
    if (!Number.isSafeInteger(readAhead) || readAhead < 0 || readAhead > MAX_READ_AHEAD_BYTES) {
      throw new RangeError(`readAheadBytes ${readAhead} is not a whole number of bytes from 0 to ${MAX_READ_AHEAD_BYTES} (1 GiB)`);
    }
    const fd = binding.openKext(options.target);
    return new KernelChannel(
      (onEvent) =>
        new binding.Channel(fd, options.maxDatagram, onEvent, options.reuseBuffers === true, readAhead),
    );
  }

  get closed(): boolean {
    return this.#native === null;
  }

  // true when queued; false when the kext is full: wait for 'drain' and
  // send again. Throws EMSGSIZE for a datagram the kext cannot take, and
  // EPIPE once closed.
  send(datagram: Uint8Array): boolean {
    if (!this.#native) {
      const e = new Error('the kext channel is closed') as Error & { code: string };
      e.code = 'EPIPE';
      throw e;
    }
    return this.#native.send(datagram);
  }

  // Idempotent; no 'close' event follows an explicit close.
  close(): void {
    this.#native?.close();
    this.#native = null;
  }

  #onEvent(kind: string, value: unknown): void {
    switch (kind) {
      case 'messages':
        // Views of the reused buffer come as Uint8Arrays: Buffer views of them.
        for (const d of value as Uint8Array[]) this.emit('message', Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.byteLength));
        break;
      case 'drain':
        this.emit('drain');
        break;
      case 'close':
        this.#native = null;
        this.emit('close', value as CloseReason);
        break;
    }
  }
}
