// Frame header codec: the only TypeScript that reads or writes the 16-byte
// header. Mirrors kb_frame_next / kb_frame_put (kext/lib/frame.c): the same
// checks in the same order, so both sides classify a bad frame alike.

import { getU16, getU32, isU32, putU16, putU32, EMPTY } from './bytes';
import { FLAGS_KNOWN, FRAME_HEADER_SIZE, FRAME_TYPE_MAX, MAGIC } from './constants';
import type { FrameError, FrameErrorClass } from './errors';

// One frame of a datagram. It keeps a reference to the datagram instead
// of copying: `payload` is a view made on first use, so a frame that is
// only routed by type and code costs one small object.
export class Frame {
  constructor(
    readonly type: number,
    readonly flags: number,
    readonly id: number,
    readonly code: number,
    readonly datagram: Uint8Array,
    // Offset of the payload within the datagram.
    readonly payloadOffset: number,
    readonly length: number,
  ) {}

  // A view into the datagram, valid as long as the datagram's bytes are.
  get payload(): Uint8Array {
    return this.datagram.subarray(this.payloadOffset, this.payloadOffset + this.length);
  }
}

export interface DecodedDatagram {
  // The well-formed frames before the first bad one, in order.
  readonly frames: Frame[];
  // The first malformed frame, or null. Nothing after it can be trusted:
  // the receiver drops the rest of the datagram and counts one malformed
  // frame.
  readonly error: FrameError | null;
}

// Splits a datagram into frames. Never throws and never reads past buf;
// a header is only trusted after magic, type and flags are checked, and a
// length is compared with what is left rather than added to an offset.
export function decodeDatagram(buf: Uint8Array): DecodedDatagram {
  const frames: Frame[] = [];
  let off = 0;
  while (off < buf.length) {
    const bad = frameProblem(buf, off);
    if (bad) return { frames, error: { class: bad, offset: off } };
    const length = getU32(buf, off + 12);
    frames.push(new Frame(buf[off + 2]!, buf[off + 3]!, getU32(buf, off + 4), getU32(buf, off + 8), buf, off + FRAME_HEADER_SIZE, length));
    off += FRAME_HEADER_SIZE + length;
  }
  return { frames, error: null };
}

// What is wrong with the frame whose header starts at buf[off], or null
// when it is whole and well-formed (its payload, length at off + 12, lies
// within buf). The one definition of the checks: decodeDatagram and the
// kernel link's allocation-free walk both use it.
export function frameProblem(buf: Uint8Array, off: number): FrameErrorClass | null {
  const left = buf.length - off;
  if (left < FRAME_HEADER_SIZE) return 'SHORT';
  if (getU16(buf, off) !== MAGIC) return 'BAD_MAGIC';
  const type = buf[off + 2]!;
  if (type === 0 || type > FRAME_TYPE_MAX) return 'BAD_TYPE';
  if ((buf[off + 3]! & ~FLAGS_KNOWN) !== 0) return 'BAD_FLAGS';
  if (getU32(buf, off + 12) > left - FRAME_HEADER_SIZE) return 'OVERRUN';
  return null;
}

function checkHeader(type: number, flags: number, id: number, code: number, length: number): void {
  if (!Number.isInteger(type) || type < 1 || type > FRAME_TYPE_MAX) throw new RangeError(`frame type ${type} is not 1..${FRAME_TYPE_MAX}`);
  if (!Number.isInteger(flags) || flags < 0 || (flags & ~FLAGS_KNOWN) !== 0) throw new RangeError(`frame flags 0x${flags.toString(16)} has unknown bits`);
  if (!isU32(id)) throw new RangeError(`frame id ${id} is not a u32`);
  if (!isU32(code)) throw new RangeError(`frame code ${code} is not a u32`);
  if (!isU32(length)) throw new RangeError(`frame payload of ${length} bytes is too long`);
}

// Writes a 16-byte header at out[off]; the caller has checked that it fits.
export function writeFrameHeader(out: Uint8Array, off: number, type: number, flags: number, id: number, code: number, length: number): void {
  putU16(out, off, MAGIC);
  out[off + 2] = type;
  out[off + 3] = flags;
  putU32(out, off + 4, id);
  putU32(out, off + 8, code);
  putU32(out, off + 12, length);
}

// Writes a whole frame at out[off] and returns the bytes written. Throws
// RangeError on a bad header field or when the frame does not fit.
export function writeFrame(out: Uint8Array, off: number, type: number, flags: number, id: number, code: number, payload: Uint8Array = EMPTY): number {
  checkHeader(type, flags, id, code, payload.length);
  const size = FRAME_HEADER_SIZE + payload.length;
  if (off < 0 || off > out.length || size > out.length - off) throw new RangeError(`frame of ${size} bytes does not fit at offset ${off} of ${out.length}`);
  writeFrameHeader(out, off, type, flags, id, code, payload.length);
  out.set(payload, off + FRAME_HEADER_SIZE);
  return size;
}

// One frame as its own buffer (tests, one-off control frames).
export function encodeFrame(type: number, flags: number, id: number, code: number, payload: Uint8Array = EMPTY): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_SIZE + payload.length);
  writeFrame(out, 0, type, flags, id, code, payload);
  return out;
}
