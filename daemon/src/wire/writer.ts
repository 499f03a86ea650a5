// Outgoing frames to datagrams. Frames are packed whole and in order into
// datagrams of at most maxDatagram bytes (coalescing); a payload larger
// than one datagram can carry goes out as MORE-continued frames. This is
// the packing kb_pump and kb_tx_message do in the engine, so both sides
// produce the same bytes for the same frames.

import { EMPTY } from './bytes';
import { FLAG_MORE, FRAME_HEADER_SIZE, MAX_DATAGRAM, MAX_MESSAGE, MIN_DATAGRAM } from './constants';
import { writeFrame } from './frame';

export interface FrameWriterOptions {
  // Largest datagram the peer accepts (negotiated).
  readonly maxDatagram: number;
  // Largest payload the peer reassembles (negotiated).
  readonly maxMessage: number;
}

interface PendingFrame {
  readonly type: number;
  readonly flags: number;
  readonly id: number;
  readonly code: number;
  readonly payload: Uint8Array;
}

// Collects frames and hands them out as datagrams. Payloads are referenced,
// not copied, until the datagram they belong to is sealed: callers must
// not change a payload's bytes before the next flush().
export class FrameWriter {
  readonly maxDatagram: number;
  readonly maxMessage: number;
  // Largest payload a single frame carries: a datagram less one header.
  readonly maxChunk: number;
  readonly #sealed: Uint8Array[] = [];
  #current: PendingFrame[] = [];
  #currentSize = 0;
  #queued = 0;

  constructor(options: FrameWriterOptions) {
    const { maxDatagram, maxMessage } = options;
    if (!Number.isInteger(maxDatagram) || maxDatagram < MIN_DATAGRAM || maxDatagram > MAX_DATAGRAM) {
      throw new RangeError(`maxDatagram ${maxDatagram} is not within ${MIN_DATAGRAM}..${MAX_DATAGRAM}`);
    }
    if (!Number.isInteger(maxMessage) || maxMessage < 0 || maxMessage > MAX_MESSAGE) {
      throw new RangeError(`maxMessage ${maxMessage} is not within 0..${MAX_MESSAGE}`);
    }
    this.maxDatagram = maxDatagram;
    this.maxMessage = maxMessage;
    this.maxChunk = maxDatagram - FRAME_HEADER_SIZE;
  }

  // Whether a message of this many payload bytes may be sent at all.
  fits(payloadLength: number): boolean {
    return payloadLength <= this.maxMessage;
  }

  // Frames a payload of this size takes: MORE splits at maxChunk.
  framesFor(payloadLength: number): number {
    return payloadLength === 0 ? 1 : Math.ceil(payloadLength / this.maxChunk);
  }

  // Queues one message: a single frame, or MORE-continued frames carrying
  // the same type, id and code when the payload exceeds maxChunk. Throws
  // RangeError when the payload exceeds maxMessage or a header field is
  // out of range; nothing is queued then.
  push(type: number, id: number, code: number, payload: Uint8Array = EMPTY): void {
    if (payload.length > this.maxMessage) {
      throw new RangeError(`message of ${payload.length} bytes exceeds the peer's limit of ${this.maxMessage}`);
    }
    // Validate the header once, before anything is queued.
    writeFrame(HEADER_PROBE, 0, type, 0, id, code);
    if (payload.length <= this.maxChunk) {
      this.#add({ type, flags: 0, id, code, payload });
      return;
    }
    for (let off = 0; off < payload.length; off += this.maxChunk) {
      const end = Math.min(off + this.maxChunk, payload.length);
      this.#add({ type, flags: end < payload.length ? FLAG_MORE : 0, id, code, payload: payload.subarray(off, end) });
    }
  }

  // Frames queued and not yet handed out by flush().
  get pendingFrames(): number {
    return this.#queued;
  }

  // Seals what is queued and returns every datagram, oldest first.
  flush(): Uint8Array[] {
    this.#seal();
    this.#queued = 0;
    return this.#sealed.splice(0, this.#sealed.length);
  }

  #add(frame: PendingFrame): void {
    const size = FRAME_HEADER_SIZE + frame.payload.length;
    if (size > this.maxDatagram - this.#currentSize) this.#seal();
    this.#current.push(frame);
    this.#currentSize += size;
    this.#queued++;
  }

  #seal(): void {
    if (this.#current.length === 0) return;
    // One allocation per datagram, exact size; every byte is written below.
    const out = Buffer.allocUnsafe(this.#currentSize);
    let off = 0;
    for (const f of this.#current) off += writeFrame(out, off, f.type, f.flags, f.id, f.code, f.payload);
    this.#sealed.push(out);
    this.#current = [];
    this.#currentSize = 0;
  }
}

const HEADER_PROBE = new Uint8Array(FRAME_HEADER_SIZE);
