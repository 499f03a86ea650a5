// Little-endian field access on plain Uint8Arrays. No DataView: creating
// one per datagram costs more than these few shifts, and callers hand us
// subarrays at arbitrary offsets. Callers check bounds before reading.

export function getU16(b: Uint8Array, off: number): number {
  return b[off] | (b[off + 1] << 8);
}

export function getU32(b: Uint8Array, off: number): number {
  // `>>> 0` keeps the top bit from turning the result negative.
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
}

export function getU64(b: Uint8Array, off: number): bigint {
  return BigInt(getU32(b, off)) | (BigInt(getU32(b, off + 4)) << 32n);
}

export function getI64(b: Uint8Array, off: number): bigint {
  return BigInt.asIntN(64, getU64(b, off));
}

// A u64 as a number when it is a safe integer (below 2^53), else -1. Seqs
// and counts use this: exact for centuries at any real event rate, and no
// bigint allocation on the event path.
export function getU64Safe(b: Uint8Array, off: number): number {
  const hi = getU32(b, off + 4);
  if (hi >= 0x200000) return -1;
  return hi * 0x100000000 + getU32(b, off);
}

export function putU16(b: Uint8Array, off: number, v: number): void {
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
}

export function putU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
  b[off + 2] = (v >>> 16) & 0xff;
  b[off + 3] = (v >>> 24) & 0xff;
}

// Writes the low 64 bits of v (two's complement for negatives).
export function putU64(b: Uint8Array, off: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  putU32(b, off, Number(u & 0xffffffffn));
  putU32(b, off + 4, Number(u >> 32n));
}

export function isU32(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

export function isU16(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xffff;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

// Strict UTF-8 decode: null when the bytes are not valid UTF-8.
export function utf8OrNull(b: Uint8Array): string | null {
  try {
    return utf8Strict.decode(b);
  } catch {
    return null;
  }
}

// For messages meant for people (RESPONSE errors, GOODBYE): never fails.
export function utf8Lossy(b: Uint8Array): string {
  return utf8Lenient.decode(b);
}

export function utf8Encode(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

export const EMPTY: Uint8Array = new Uint8Array(0);
