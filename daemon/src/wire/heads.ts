// Fixed heads of EVENT, LOSS and UPCALL payloads, and the SUBSCRIBE topic
// list. Seqs and counts are numbers: exact below 2^53, which a connection
// cannot reach at any real event rate, and no bigint on the event path.
// time_ns stays a bigint: monotonic nanoseconds pass 2^53 after 104 days.

import { getU32, getU64, getU64Safe, isU32, putU32 } from './bytes';
import { EVENT_HEAD_SIZE, LOSS_SIZE, UPCALL_HEAD_SIZE } from './constants';
import { fail, ok, type Result } from './errors';
import type { Frame } from './frame';

export interface EventHead {
  // Contiguous per connection across all topics, from 1.
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

// The event path's reader: the seq straight from the datagram, no objects.
// -1 when the payload is too short for the head or the seq is 0 or past 2^53.
export function eventSeq(f: Frame): number {
  if (f.length < EVENT_HEAD_SIZE) return -1;
  const seq = getU64Safe(f.datagram, f.payloadOffset);
  return seq < 1 ? -1 : seq;
}

// Event bytes after the head; check eventSeq(f) !== -1 first.
export function eventData(f: Frame): Uint8Array {
  return f.datagram.subarray(f.payloadOffset + EVENT_HEAD_SIZE, f.payloadOffset + f.length);
}

export function eventTimeNs(f: Frame): bigint {
  return getU64(f.datagram, f.payloadOffset + 8);
}

export interface Loss {
  // Events of the frame's topic that were produced but not enqueued.
  readonly count: number;
  readonly firstSeq: number;
  // Lost seqs of other topics may lie between firstSeq and lastSeq.
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

export interface UpcallHead {
  // What remains of the kext's wait when it sent the upcall.
  readonly timeoutMs: number;
  // What the kext decides without an OK answer.
  readonly defaultVerdict: number;
  readonly question: Uint8Array;
}

export function decodeUpcall(p: Uint8Array): Result<UpcallHead> {
  if (p.length < UPCALL_HEAD_SIZE) return fail('TRUNCATED', p.length, `UPCALL payload is ${p.length} bytes, needs ${UPCALL_HEAD_SIZE}`);
  return ok({ timeoutMs: getU32(p, 0), defaultVerdict: getU32(p, 4), question: p.subarray(UPCALL_HEAD_SIZE) });
}

// SUBSCRIBE payload: the whole wanted set of topic ids, u32 each.
export function encodeSubscribe(topics: Iterable<number>): Uint8Array {
  const ids = [...topics];
  const out = new Uint8Array(ids.length * 4);
  ids.forEach((id, i) => {
    if (!isU32(id)) throw new RangeError(`topic id ${id} is not a u32`);
    putU32(out, i * 4, id);
  });
  return out;
}

