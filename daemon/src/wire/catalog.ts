// WELCOME (kext -> daemon): negotiated limits, the kext's identity and its
// catalog of commands, topics, options and upcalls. decodeWelcome checks
// every field the daemon will later trust (names, flags, value types,
// option bounds, id uniqueness) so the rest of the daemon need not.

import { getI64, getU16, getU32, utf8OrNull } from './bytes';
import {
  CatalogKind,
  ENTRY_FLAGS_KNOWN,
  ENTRY_PRIVILEGED,
  ENTRY_READONLY,
  ENTRY_SET_PRIVILEGED,
  ENTRY_SIZE,
  MAX_MESSAGE,
  MAX_NAME,
  ValueType,
  WELCOME_SIZE,
} from './constants';
import { fail, ok, type Result } from './errors';

interface EntryBase {
  readonly id: number;
  readonly name: string;
  // ENTRY_* bits as sent; privileged, setPrivileged and readOnly spell them out.
  readonly flags: number;
  readonly privileged: boolean;
  // Options: setting is privileged, reading is not (false for other kinds).
  readonly setPrivileged: boolean;
}

export interface CommandEntry extends EntryBase {
  readonly kind: typeof CatalogKind.COMMAND;
}

export interface TopicEntry extends EntryBase {
  readonly kind: typeof CatalogKind.TOPIC;
}

export interface OptionEntry extends EntryBase {
  readonly kind: typeof CatalogKind.OPTION;
  // OPT_SET is refused.
  readonly readOnly: boolean;
  readonly valueType: Exclude<ValueType, typeof ValueType.NONE>;
  // INT64: bounds; BOOL: 0 and 1; STRING/BYTES: 0 and the longest value in bytes.
  readonly min: bigint;
  readonly max: bigint;
}

export interface UpcallEntry extends EntryBase {
  readonly kind: typeof CatalogKind.UPCALL;
  // How long the kext waits for an answer.
  readonly timeoutMs: number;
  // What the kext decides without an OK answer (kext-defined).
  readonly defaultVerdict: number;
}

export type CatalogEntry = CommandEntry | TopicEntry | OptionEntry | UpcallEntry;

// A CatalogKind by name: how every layer above the wire names the kinds.
export type { ItemKind } from '@kextbridge/protocol';

export interface Catalog {
  // Every entry in wire order.
  readonly entries: readonly CatalogEntry[];
  readonly commands: ReadonlyMap<number, CommandEntry>;
  readonly topics: ReadonlyMap<number, TopicEntry>;
  readonly options: ReadonlyMap<number, OptionEntry>;
  readonly upcalls: ReadonlyMap<number, UpcallEntry>;
}

export interface Welcome {
  readonly version: number;
  // Largest datagram the kext accepts from the daemon.
  readonly maxDatagram: number;
  // Largest reassembled message the kext accepts.
  readonly maxMessage: number;
  // Requests the kext holds pending at once.
  readonly maxInflight: number;
  // Reserved: v1 senders write 0 and v1 receivers ignore it.
  readonly flags: number;
  // Reverse DNS, e.g. "org.kextbridge.example".
  readonly identity: string;
  readonly kextVersion: string;
  readonly catalog: Catalog;
}

export const KIND_NAMES = ['', 'command', 'topic', 'option', 'upcall'] as const;

export function optionBoundsProblem(type: number, min: bigint, max: bigint): string | null {
  switch (type) {
    case ValueType.BOOL:
      return min === 0n && max === 1n ? null : 'bool option bounds must be 0..1';
    case ValueType.INT64:
      return min <= max ? null : `int64 option min ${min} is above max ${max}`;
    case ValueType.STRING:
    case ValueType.BYTES:
      return min === 0n && max >= 0n && max <= BigInt(MAX_MESSAGE) ? null : `string/bytes option bounds must be 0..n with n <= ${MAX_MESSAGE}`;
    default:
      return `unknown option value type ${type}`;
  }
}

// Reads a u8-length-prefixed string at p[at].
function readStr8(p: Uint8Array, at: number, what: string, minLen: number): Result<{ value: string; next: number }> {
  if (at >= p.length) return fail('TRUNCATED', at, `WELCOME ends before the ${what} length`);
  const n = p[at];
  if (n < minLen || n > MAX_NAME) return fail('BAD_VALUE', at, `${what} is ${n} bytes, must be ${minLen}..${MAX_NAME}`);
  if (n > p.length - at - 1) return fail('TRUNCATED', at + 1, `${what} runs past the end of WELCOME`);
  const value = utf8OrNull(p.subarray(at + 1, at + 1 + n));
  if (value === null) return fail('BAD_VALUE', at + 1, `${what} is not UTF-8`);
  return ok({ value, next: at + 1 + n });
}

// Decodes a whole (reassembled) WELCOME payload. Never throws.
export function decodeWelcome(p: Uint8Array): Result<Welcome> {
  if (p.length < WELCOME_SIZE) return fail('TRUNCATED', p.length, `WELCOME payload is ${p.length} bytes, needs at least ${WELCOME_SIZE}`);
  const count = getU16(p, 2);
  const identity = readStr8(p, WELCOME_SIZE, 'kext identity', 1);
  if (!identity.ok) return identity;
  const version = readStr8(p, identity.value.next, 'kext version', 0);
  if (!version.ok) return version;

  const entries: CatalogEntry[] = [];
  const commands = new Map<number, CommandEntry>();
  const topics = new Map<number, TopicEntry>();
  const options = new Map<number, OptionEntry>();
  const upcalls = new Map<number, UpcallEntry>();
  let at = version.value.next;
  for (let i = 0; i < count; i++) {
    if (p.length - at < ENTRY_SIZE) return fail('TRUNCATED', at, `catalog entry ${i} of ${count} runs past the end of WELCOME`);
    const kind = p[at];
    const flags = p[at + 1];
    const valueType = p[at + 2];
    const nameLen = p[at + 3];
    const id = getU32(p, at + 4);
    if (kind < CatalogKind.COMMAND || kind > CatalogKind.UPCALL) return fail('BAD_VALUE', at, `catalog entry ${i} has unknown kind ${kind}`);
    if ((flags & ~ENTRY_FLAGS_KNOWN) !== 0) return fail('BAD_VALUE', at + 1, `catalog entry ${i} has unknown flags 0x${flags.toString(16)}`);
    if (kind !== CatalogKind.OPTION && valueType !== ValueType.NONE) return fail('BAD_VALUE', at + 2, `${KIND_NAMES[kind]} entry ${i} has value type ${valueType}, must be 0`);
    if (nameLen === 0 || nameLen > MAX_NAME) return fail('BAD_VALUE', at + 3, `catalog entry ${i} name is ${nameLen} bytes, must be 1..${MAX_NAME}`);
    if (nameLen > p.length - at - ENTRY_SIZE) return fail('TRUNCATED', at + ENTRY_SIZE, `catalog entry ${i} name runs past the end of WELCOME`);
    const name = utf8OrNull(p.subarray(at + ENTRY_SIZE, at + ENTRY_SIZE + nameLen));
    if (name === null) return fail('BAD_VALUE', at + ENTRY_SIZE, `catalog entry ${i} name is not UTF-8`);
    if ((flags & ENTRY_SET_PRIVILEGED) !== 0 && kind !== CatalogKind.OPTION) return fail('BAD_VALUE', at + 1, `${KIND_NAMES[kind]} entry ${i} has the set-privileged flag, which only options may carry`);
    const base = { id, name, flags, privileged: (flags & ENTRY_PRIVILEGED) !== 0, setPrivileged: (flags & ENTRY_SET_PRIVILEGED) !== 0 };
    let entry: CatalogEntry;
    let table: Map<number, CatalogEntry>;
    switch (kind) {
      case CatalogKind.COMMAND:
        entry = { kind, ...base };
        table = commands as Map<number, CatalogEntry>;
        break;
      case CatalogKind.TOPIC:
        entry = { kind, ...base };
        table = topics as Map<number, CatalogEntry>;
        break;
      case CatalogKind.OPTION: {
        const min = getI64(p, at + 16);
        const max = getI64(p, at + 24);
        const problem = optionBoundsProblem(valueType, min, max);
        if (problem !== null) return fail('BAD_VALUE', valueType >= ValueType.BOOL && valueType <= ValueType.BYTES ? at + 16 : at + 2, `option ${name}: ${problem}`);
        entry = { kind, ...base, readOnly: (flags & ENTRY_READONLY) !== 0, valueType: valueType as OptionEntry['valueType'], min, max };
        table = options as Map<number, CatalogEntry>;
        break;
      }
      default: {
        const timeoutMs = getU32(p, at + 8);
        if (timeoutMs === 0) return fail('BAD_VALUE', at + 8, `upcall ${name} has a timeout of 0 ms`);
        entry = { kind: CatalogKind.UPCALL, ...base, timeoutMs, defaultVerdict: getU32(p, at + 12) };
        table = upcalls as Map<number, CatalogEntry>;
        break;
      }
    }
    if (table.has(id)) return fail('DUPLICATE', at + 4, `${KIND_NAMES[kind]} id ${id} appears twice`);
    table.set(id, entry);
    entries.push(entry);
    at += ENTRY_SIZE + nameLen;
  }
  if (at !== p.length) return fail('TRAILING', at, `${p.length - at} bytes after the last catalog entry`);
  return ok({
    version: getU16(p, 0),
    maxDatagram: getU32(p, 4),
    maxMessage: getU32(p, 8),
    maxInflight: getU32(p, 12),
    flags: getU32(p, 16),
    identity: identity.value.value,
    kextVersion: version.value.value,
    catalog: { entries, commands, topics, options, upcalls },
  });
}

