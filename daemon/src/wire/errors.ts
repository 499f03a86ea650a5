// Error and result shapes shared by the decoders. Decoders never throw on
// bad input: they return one of these with the exact place it went wrong.
// Encoders throw RangeError, because bad arguments there are our own bugs.

// The malformed-frame classes of kext/include/kextbridge/frame.h.
export type FrameErrorClass = 'SHORT' | 'BAD_MAGIC' | 'BAD_TYPE' | 'BAD_FLAGS' | 'OVERRUN';

export interface FrameError {
  readonly class: FrameErrorClass;
  // Datagram offset of the header of the bad frame.
  readonly offset: number;
}

// TRUNCATED: the payload ends inside a field; TRAILING: bytes after the
// last field; BAD_VALUE: a field holds a value v1 does not allow;
// DUPLICATE: an id repeats within its catalog kind; OUT_OF_RANGE: an option
// value outside its bounds; WRONG_TYPE: a value of the wrong type for an
// option.
export type PayloadErrorClass =
  | 'TRUNCATED'
  | 'TRAILING'
  | 'BAD_VALUE'
  | 'DUPLICATE'
  | 'OUT_OF_RANGE'
  | 'WRONG_TYPE';

export interface PayloadError {
  readonly class: PayloadErrorClass;
  // Offset within the payload (the reassembled message) of the bad field.
  readonly offset: number;
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PayloadError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(cls: PayloadErrorClass, offset: number, message: string): Result<T> {
  return { ok: false, error: { class: cls, offset, message } };
}
