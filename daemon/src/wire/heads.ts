// Fixed heads of EVENT, LOSS and UPCALL payloads, and the SUBSCRIBE topic
// list. Seqs and counts are numbers: exact below 2^53, which a connection
// cannot reach at any real event rate, and no bigint on the event path.
// time_ns stays a bigint: monotonic nanoseconds pass 2^53 after 104 days.

import { getU32, getU64, getU64Safe, isU32, putU32, putU64, EMPTY } from './bytes.js';
import { EVENT_HEAD_SIZE, LOSS_SIZE, UPCALL_HEAD_SIZE } from './constants.js';
import { fail, ok, type Result } from './errors.js';
import type { Frame } from './frame.js';

export interface EventHead {
  /** Contiguous per connection across all topics, from 1. */
  readonly seq: number;
  readonly timeNs: bigint;
  readonly data: Uint8Array;
}

export function decodeEvent(p: Uint8Array): Result<EventHead> {
  if (p.length < EVENT_HEAD_SIZE) return fail('TRUNCATED', p.length, `EVENT payload is ${p.length} bytes, needs ${EVENT_HEAD_SIZE}`);
  const seq = getU64Safe(p, 0);
  if (seq < 1) return fail('BAD_VALUE', 0, `EVENT seq ${getU64(p, 0)} is 0 or beyond 2^53`);
  return ok({ seq, timeNs: getU64(p, 8), data: p.subarray(EVENT_HEAD_SIZE) });
}

/**
 * The event path's reader: the seq straight from the datagram, no objects.
 * -1 when the payload is too short for the head or the seq is 0 or past 2^53.
 */
export function eventSeq(f: Frame): number {
  if (f.length < EVENT_HEAD_SIZE) return -1;
  const seq = getU64Safe(f.datagram, f.payloadOffset);
  return seq < 1 ? -1 : seq;
}

/** Event bytes after the head; check eventSeq(f) !== -1 first. */
export function eventData(f: Frame): Uint8Array {
  return f.datagram.subarray(f.payloadOffset + EVENT_HEAD_SIZE, f.payloadOffset + f.length);
}

export function eventTimeNs(f: Frame): bigint {
  return getU64(f.datagram, f.payloadOffset + 8);
}

export function encodeEvent(seq: number, timeNs: bigint, data: Uint8Array = EMPTY): Uint8Array {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`event seq ${seq} is not 1..2^53-1`);
  const out = new Uint8Array(EVENT_HEAD_SIZE + data.length);
  putU64(out, 0, BigInt(seq));
  putU64(out, 8, timeNs);
  out.set(data, EVENT_HEAD_SIZE);
  return out;
}

export interface Loss {
  /** Events of the frame's topic that were produced but not enqueued. */
  readonly count: number;
  readonly firstSeq: number;
  /** Lost seqs of other topics may lie between firstSeq and lastSeq. */
  readonly lastSeq: number;
}

export function decodeLoss(p: Uint8Array): Result<Loss> {
  if (p.length < LOSS_SIZE) return fail('TRUNCATED', p.length, `LOSS payload is ${p.length} bytes, needs ${LOSS_SIZE}`);
  if (p.length > LOSS_SIZE) return fail('TRAILING', LOSS_SIZE, `LOSS payload is ${p.length} bytes, needs ${LOSS_SIZE}`);
  const count = getU64Safe(p, 0);
  const firstSeq = getU64Safe(p, 8);
  const lastSeq = getU64Safe(p, 16);
  if (count < 1) return fail('BAD_VALUE', 0, 'LOSS count is 0 or beyond 2^53');
  if (firstSeq < 1) return fail('BAD_VALUE', 8, 'LOSS first_seq is 0 or beyond 2^53');
  if (lastSeq < firstSeq) return fail('BAD_VALUE', 16, `LOSS last_seq ${getU64(p, 16)} is below first_seq ${firstSeq}`);
  if (count > lastSeq - firstSeq + 1) return fail('BAD_VALUE', 0, `LOSS count ${count} exceeds the seq range ${firstSeq}..${lastSeq}`);
  return ok({ count, firstSeq, lastSeq });
}

export function encodeLoss(l: Loss): Uint8Array {
  if (!Number.isSafeInteger(l.count) || l.count < 1 || !Number.isSafeInteger(l.firstSeq) || l.firstSeq < 1 ||
      !Number.isSafeInteger(l.lastSeq) || l.lastSeq < l.firstSeq || l.count > l.lastSeq - l.firstSeq + 1) {
    throw new RangeError(`LOSS ${l.count} in ${l.firstSeq}..${l.lastSeq} is not a valid loss`);
  }
  const out = new Uint8Array(LOSS_SIZE);
  putU64(out, 0, BigInt(l.count));
  putU64(out, 8, BigInt(l.firstSeq));
  putU64(out, 16, BigInt(l.lastSeq));
  return out;
}

export interface UpcallHead {
  /** What remains of the kext's wait when it sent the upcall. */
  readonly timeoutMs: number;
  /** What the kext decides without an OK answer. */
  readonly defaultVerdict: number;
  readonly question: Uint8Array;
}

export function decodeUpcall(p: Uint8Array): Result<UpcallHead> {
  if (p.length < UPCALL_HEAD_SIZE) return fail('TRUNCATED', p.length, `UPCALL payload is ${p.length} bytes, needs ${UPCALL_HEAD_SIZE}`);
  return ok({ timeoutMs: getU32(p, 0), defaultVerdict: getU32(p, 4), question: p.subarray(UPCALL_HEAD_SIZE) });
}

export function encodeUpcall(timeoutMs: number, defaultVerdict: number, question: Uint8Array = EMPTY): Uint8Array {
  if (!isU32(timeoutMs) || !isU32(defaultVerdict)) throw new RangeError('upcall timeout and verdict are u32');
  const out = new Uint8Array(UPCALL_HEAD_SIZE + question.length);
  putU32(out, 0, timeoutMs);
  putU32(out, 4, defaultVerdict);
  out.set(question, UPCALL_HEAD_SIZE);
  return out;
}

/** SUBSCRIBE payload: the whole wanted set of topic ids, u32 each. */
export function encodeSubscribe(topics: Iterable<number>): Uint8Array {
  const ids = [...topics];
  const out = new Uint8Array(ids.length * 4);
  ids.forEach((id, i) => {
    if (!isU32(id)) throw new RangeError(`topic id ${id} is not a u32`);
    putU32(out, i * 4, id);
  });
  return out;
}

export function decodeSubscribe(p: Uint8Array): Result<number[]> {
  if (p.length % 4 !== 0) return fail('TRAILING', p.length - (p.length % 4), `SUBSCRIBE payload of ${p.length} bytes is not whole u32s`);
  const ids: number[] = [];
  for (let at = 0; at < p.length; at += 4) ids.push(getU32(p, at));
  return ok(ids);
}
