// The kext's side of the wire, for tests and fakes of a kext: encoders of
// what only a kext sends (WELCOME, EVENT, LOSS, UPCALL) and decoders of
// what only it receives (HELLO, SUBSCRIBE). The daemon has no use for
// them, so they live here, beside the daemon's own codec they are
// checked against (test/unit/daemon/wire, the golden vectors).
import { EMPTY, getU16, getU32, isU16, isU32, putU16, putU32, putU64, utf8Encode, utf8OrNull } from 'kextbridged/internal/wire/bytes';
import { KIND_NAMES, optionBoundsProblem } from 'kextbridged/internal/wire/catalog';
import {
  CatalogKind,
  ENTRY_FLAGS_KNOWN,
  ENTRY_SIZE,
  EVENT_HEAD_SIZE,
  HELLO_SIZE,
  INT64_MAX,
  INT64_MIN,
  LOSS_SIZE,
  MAX_NAME,
  UPCALL_HEAD_SIZE,
  ValueType,
  WELCOME_SIZE,
} from 'kextbridged/internal/wire/constants';
import { fail, ok, type Result } from 'kextbridged/internal/wire/errors';
import type { Loss } from 'kextbridged/internal/wire/heads';
import type { Hello } from 'kextbridged/internal/wire/hello';

export function encodeEvent(seq: number, timeNs: bigint, data: Uint8Array = EMPTY): Uint8Array {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`event seq ${seq} is not 1..2^53-1`);
  const out = new Uint8Array(EVENT_HEAD_SIZE + data.length);
  putU64(out, 0, BigInt(seq));
  putU64(out, 8, timeNs);
  out.set(data, EVENT_HEAD_SIZE);
  return out;
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


export function encodeUpcall(timeoutMs: number, defaultVerdict: number, question: Uint8Array = EMPTY): Uint8Array {
  if (!isU32(timeoutMs) || !isU32(defaultVerdict)) throw new RangeError('upcall timeout and verdict are u32');
  const out = new Uint8Array(UPCALL_HEAD_SIZE + question.length);
  putU32(out, 0, timeoutMs);
  putU32(out, 4, defaultVerdict);
  out.set(question, UPCALL_HEAD_SIZE);
  return out;
}


export function decodeSubscribe(p: Uint8Array): Result<number[]> {
  if (p.length % 4 !== 0) return fail('TRAILING', p.length - (p.length % 4), `SUBSCRIBE payload of ${p.length} bytes is not whole u32s`);
  const ids: number[] = [];
  for (let at = 0; at < p.length; at += 4) ids.push(getU32(p, at));
  return ok(ids);
}

// The HELLO payload's fields. Only the layout is checked here; whether the
// values are acceptable is negotiation (chooseVersion, the engine's rules).
export function decodeHello(p: Uint8Array): Result<Hello> {
  if (p.length < HELLO_SIZE) return fail('TRUNCATED', p.length, `HELLO payload is ${p.length} bytes, needs ${HELLO_SIZE}`);
  if (p.length - HELLO_SIZE > MAX_NAME) return fail('BAD_VALUE', HELLO_SIZE, `daemon name is ${p.length - HELLO_SIZE} bytes, more than ${MAX_NAME}`);
  const name = utf8OrNull(p.subarray(HELLO_SIZE));
  if (name === null) return fail('BAD_VALUE', HELLO_SIZE, 'daemon name is not UTF-8');
  return ok({ versionMin: getU16(p, 0), versionMax: getU16(p, 2), maxDatagram: getU32(p, 4), maxMessage: getU32(p, 8), name });
}


// What encodeWelcome needs of an entry; decoded entries qualify as they are.
export interface EntrySpec {
  readonly kind: CatalogKind;
  readonly id: number;
  readonly name: string;
  readonly flags?: number;
  readonly valueType?: ValueType;
  readonly min?: bigint;
  readonly max?: bigint;
  readonly timeoutMs?: number;
  readonly defaultVerdict?: number;
}


export interface WelcomeSpec {
  readonly version: number;
  readonly maxDatagram: number;
  readonly maxMessage: number;
  readonly maxInflight: number;
  readonly flags?: number;
  readonly identity: string;
  readonly kextVersion: string;
  readonly entries: readonly EntrySpec[];
}


function str8(s: string, what: string, minLen: number): Uint8Array {
  const b = utf8Encode(s);
  if (b.length < minLen || b.length > MAX_NAME) throw new RangeError(`${what} "${s}" is ${b.length} bytes, must be ${minLen}..${MAX_NAME}`);
  return b;
}


// The WELCOME payload for a catalog, as the engine builds it. The daemon
// never sends one; tests and fakes of the kext do. Throws RangeError on
// values decodeWelcome would refuse.
export function encodeWelcome(w: WelcomeSpec): Uint8Array {
  if (!isU16(w.version)) throw new RangeError(`version ${w.version} is not a u16`);
  if (w.entries.length > 0xffff) throw new RangeError(`${w.entries.length} catalog entries, at most 65535`);
  for (const v of [w.maxDatagram, w.maxMessage, w.maxInflight, w.flags ?? 0]) {
    if (!isU32(v)) throw new RangeError(`WELCOME field ${v} is not a u32`);
  }
  const identity = str8(w.identity, 'kext identity', 1);
  const version = str8(w.kextVersion, 'kext version', 0);
  const seen = new Set<string>();
  for (const e of w.entries) {
    const key = `${e.kind}:${e.id}`;
    if (seen.has(key)) throw new RangeError(`${KIND_NAMES[e.kind] ?? 'entry'} id ${e.id} appears twice`);
    seen.add(key);
  }
  const names = w.entries.map((e) => str8(e.name, `${KIND_NAMES[e.kind] ?? 'entry'} name`, 1));
  let size = WELCOME_SIZE + 1 + identity.length + 1 + version.length;
  for (const n of names) size += ENTRY_SIZE + n.length;
  const out = new Uint8Array(size);
  putU16(out, 0, w.version);
  putU16(out, 2, w.entries.length);
  putU32(out, 4, w.maxDatagram);
  putU32(out, 8, w.maxMessage);
  putU32(out, 12, w.maxInflight);
  putU32(out, 16, w.flags ?? 0);
  let at = WELCOME_SIZE;
  out[at++] = identity.length;
  out.set(identity, at);
  at += identity.length;
  out[at++] = version.length;
  out.set(version, at);
  at += version.length;
  w.entries.forEach((e, i) => {
    const flags = e.flags ?? 0;
    if (e.kind < CatalogKind.COMMAND || e.kind > CatalogKind.UPCALL) throw new RangeError(`entry ${i} has unknown kind ${e.kind}`);
    if (!isU32(e.id)) throw new RangeError(`entry ${i} id ${e.id} is not a u32`);
    if ((flags & ~ENTRY_FLAGS_KNOWN) !== 0 || flags < 0) throw new RangeError(`entry ${i} has unknown flags ${flags}`);
    const isOption = e.kind === CatalogKind.OPTION;
    const isUpcall = e.kind === CatalogKind.UPCALL;
    const valueType = isOption ? (e.valueType ?? ValueType.NONE) : ValueType.NONE;
    const min = isOption ? (e.min ?? 0n) : 0n;
    const max = isOption ? (e.max ?? 0n) : 0n;
    const timeoutMs = isUpcall ? (e.timeoutMs ?? 0) : 0;
    const verdict = isUpcall ? (e.defaultVerdict ?? 0) : 0;
    if (isOption) {
      const problem = optionBoundsProblem(valueType, min, max);
      if (problem !== null) throw new RangeError(`option ${e.name}: ${problem}`);
    }
    if (min < INT64_MIN || max > INT64_MAX) throw new RangeError(`option ${e.name} bounds are not int64`);
    if (isUpcall && (timeoutMs === 0 || !isU32(timeoutMs) || !isU32(verdict))) throw new RangeError(`upcall ${e.name} needs a u32 timeout >= 1 and a u32 verdict`);
    const name = names[i];
    out[at] = e.kind;
    out[at + 1] = flags;
    out[at + 2] = valueType;
    out[at + 3] = name.length;
    putU32(out, at + 4, e.id);
    putU32(out, at + 8, timeoutMs);
    putU32(out, at + 12, verdict);
    putU64(out, at + 16, min);
    putU64(out, at + 24, max);
    out.set(name, at + ENTRY_SIZE);
    at += ENTRY_SIZE + name.length;
  });
  return out;
}
