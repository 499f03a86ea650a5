// What the kext's C generator needs of a kext's .proto: its catalog (from
// the methods' (kextbridge.v1.kernel) options, read by the same bindService
// the daemon serves them with) and every message the kext sends or
// receives, each field with its C type and a bound on its encoded size.
// Whatever C cannot carry safely in a kernel (floats, unbounded repetition,
// recursion) is an error naming the field, never a silent omission.
import * as protobuf from 'protobufjs';
import { bindService, type ItemKind, type MethodBinding } from '../bindings';

export type Scalar = 'int32' | 'int64' | 'uint32' | 'uint64' | 'sint32' | 'sint64' | 'bool' | 'enum' | 'fixed32' | 'sfixed32' | 'fixed64' | 'sfixed64';

export interface CField {
  readonly name: string;
  readonly number: number;
  // 'bytes' covers string and bytes: a slice of the input, never a copy.
  readonly kind: Scalar | 'bytes' | 'message';
  readonly protoType: string;
  // proto3 `optional` scalars and every message field: a has_<name> flag.
  readonly hasFlag: boolean;
  // bytes: the longest value accepted or written.
  readonly maxLen: number;
  readonly message?: CMessage;
}

export interface CMessage {
  // '.kextbridge.counter.v1.AddRequest'
  readonly fullName: string;
  // 'AddRequest' (nested: 'Outer.Inner'), for messages to people.
  readonly protoName: string;
  // 'counter_AddRequest'
  readonly cName: string;
  readonly fields: CField[];
  // Largest encoding of any value the encoder accepts.
  maxSize: number;
}

export interface CEnum {
  readonly cName: string;
  readonly values: ReadonlyArray<{ readonly name: string; readonly value: number }>;
}

export const VALUE_TYPE = { BOOL: 1, INT64: 2, STRING: 3, BYTES: 4 } as const;

export interface CItem {
  readonly kind: ItemKind;
  readonly id: number;
  readonly name: string;
  readonly privileged: boolean;
  readonly readOnly: boolean;
  // Options: reading is open, setting privileged.
  readonly setPrivileged: boolean;
  // Commands: what the handler gets and answers with. Topics: the event.
  // Upcalls: request is the answer, response the question (as the method's
  // stream directions say: the client sends answers).
  readonly request?: CMessage;
  readonly response?: CMessage;
  readonly cancellable: boolean;
  readonly timeoutMs: number;
  readonly defaultVerdict: number;
  // Options.
  readonly valueType: number;
  readonly min: bigint;
  readonly max: bigint;
}

export interface KextModel {
  readonly prefix: string;
  readonly items: CItem[];
  readonly messages: CMessage[];
  readonly enums: CEnum[];
}

export interface ModelOptions {
  // C identifier prefix: the kext's name.
  readonly prefix: string;
  // Bound for string and bytes fields without (kextbridge.v1.field).max_len.
  readonly defaultMaxLen: number;
}

const LOST_TYPE = '.kextbridge.v1.Lost';
const MAX_NESTING = 8; // KB_PB_MAX_NESTING
const INT_RANGE: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  // The engine stores int64: a uint64 option tops out where int64 does.
  uint64: [0n, 2n ** 63n - 1n],
  fixed64: [0n, 2n ** 63n - 1n],
};
const SCALARS = new Set<string>(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool', 'fixed32', 'sfixed32', 'fixed64', 'sfixed64']);

export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function scalarMaxSize(kind: Scalar): number {
  switch (kind) {
    case 'bool':
      return 1;
    case 'uint32':
    case 'sint32':
      return 5;
    case 'fixed32':
    case 'sfixed32':
      return 4;
    case 'fixed64':
    case 'sfixed64':
      return 8;
    default:
      // int32 and enums: negative values take 10 bytes, as int64 does.
      return 10;
  }
}

function cIdent(s: string): string {
  return s.replace(/[^A-Za-z0-9_]/g, '_');
}

function optionObject(parsed: unknown, key: string): Record<string, unknown> | undefined {
  for (const o of (parsed as Array<Record<string, unknown>> | undefined) ?? []) {
    const v = o[key];
    if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
  }
  return undefined;
}

function kernelOption(m: protobuf.Method): Record<string, unknown> {
  return optionObject(m.parsedOptions, '(kextbridge.v1.kernel)') ?? {};
}

function bigintOf(v: unknown): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'object' && v !== null && 'low' in v && 'high' in v) {
    const l = v as { low: number; high: number };
    return (BigInt(l.high) << 32n) | BigInt(l.low >>> 0);
  }
  return BigInt(String(v));
}

export function buildModel(services: readonly protobuf.Service[], o: ModelOptions): { model: KextModel; errors: string[] } {
  const errors: string[] = [];
  const messages = new Map<string, CMessage>();
  const enums = new Map<string, CEnum>();
  const prefix = o.prefix;

  function messageOf(t: protobuf.Type, depth: number, path: readonly string[]): CMessage | undefined {
    const existing = messages.get(t.fullName);
    if (path.includes(t.fullName)) {
      errors.push(`${t.fullName.slice(1)}: recursive messages have no bound on their size; the kext's C cannot take them`);
      return undefined;
    }
    if (depth > MAX_NESTING) {
      errors.push(`${t.fullName.slice(1)}: nested more than ${MAX_NESTING} deep (the C writer's limit)`);
      return undefined;
    }
    if (existing) return existing;
    // The message's name below its package: Outer.Inner for nested types.
    let ns: protobuf.NamespaceBase | null = t.parent;
    const nesting = [t.name];
    while (ns instanceof protobuf.Type) {
      nesting.unshift(ns.name);
      ns = ns.parent;
    }
    const protoName = nesting.join('.');
    const msg: CMessage = { fullName: t.fullName, protoName, cName: `${prefix}_${nesting.join('_')}`, fields: [], maxSize: 0 };
    for (const f of t.fieldsArray) {
      const where = `${protoName}.${f.name}`;
      if (f.resolvedType?.fullName === LOST_TYPE) continue; // the daemon's alone: the kext never sends or reads it
      if (f.map || f.repeated) {
        errors.push(`${where}: ${f.map ? 'map' : 'repeated'} fields are not supported by the kext's C generator yet; use a bounded bytes field or one message per item`);
        continue;
      }
      const synthetic = f.partOf && f.options?.['proto3_optional'] === true;
      if (f.partOf && !synthetic) {
        errors.push(`${where}: oneof fields are not supported by the kext's C generator yet; use separate fields`);
        continue;
      }
      let kind: CField['kind'];
      let maxLen = 0;
      let sub: CMessage | undefined;
      if (f.type === 'string' || f.type === 'bytes') {
        kind = 'bytes';
        const bounds = optionObject(f.parsedOptions, '(kextbridge.v1.field)');
        const given = bounds?.['max_len'] ?? f.options?.['(kextbridge.v1.field).max_len'];
        maxLen = given === undefined ? o.defaultMaxLen : Number(given);
        if (!Number.isInteger(maxLen) || maxLen < 1 || maxLen > 16 * 1024 * 1024) {
          errors.push(`${where}: (kextbridge.v1.field).max_len must be 1..16777216, got ${String(given)}`);
          continue;
        }
      } else if (f.type === 'float' || f.type === 'double') {
        errors.push(`${where}: ${f.type}: kernel code may not use floating point (its state is not saved for it); use an integer in fixed units`);
        continue;
      } else if (SCALARS.has(f.type)) {
        kind = f.type as Scalar;
      } else if (f.resolvedType instanceof protobuf.Enum) {
        kind = 'enum';
        const e = f.resolvedType;
        if (!enums.has(e.fullName)) {
          let ens: protobuf.NamespaceBase | null = e.parent;
          const en = [e.name];
          while (ens instanceof protobuf.Type) {
            en.unshift(ens.name);
            ens = ens.parent;
          }
          enums.set(e.fullName, { cName: `${prefix}_${en.join('_')}`, values: Object.entries(e.values).map(([name, value]) => ({ name, value })) });
        }
      } else if (f.resolvedType instanceof protobuf.Type) {
        kind = 'message';
        sub = messageOf(f.resolvedType, depth + 1, [...path, t.fullName]);
        if (!sub) continue;
      } else {
        errors.push(`${where}: type ${f.type} is not supported by the kext's C generator`);
        continue;
      }
      msg.fields.push({ name: cIdent(f.name), number: f.id, kind, protoType: f.type, hasFlag: kind === 'message' || Boolean(synthetic), maxLen, ...(sub ? { message: sub } : {}) });
    }
    msg.maxSize = msg.fields.reduce((n, f) => {
      const tag = varintSize(f.number * 8);
      if (f.kind === 'bytes') return n + tag + varintSize(f.maxLen) + f.maxLen;
      if (f.kind === 'message') return n + tag + varintSize(f.message!.maxSize) + f.message!.maxSize;
      return n + tag + scalarMaxSize(f.kind);
    }, 0);
    messages.set(t.fullName, msg);
    return msg;
  }

  const items: CItem[] = [];
  const optionMethods = new Map<number, MethodBinding[]>();
  for (const service of services) {
    const bound = bindService(service);
    errors.push(...bound.errors);
    for (const b of bound.bindings) {
      if (!b.name) {
        errors.push(`${b.label}: (kextbridge.v1.kernel) needs a name: it is the catalog name the kext announces`);
        continue;
      }
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(b.name)) {
        errors.push(`${b.label}: catalog name "${b.name}" must be a C identifier of 1..63 characters (it names the handler)`);
        continue;
      }
      if (b.kind === 'option') {
        optionMethods.set(b.id, [...(optionMethods.get(b.id) ?? []), b]);
        continue;
      }
      const opt = methodOption(b);
      const same = items.find((i) => i.kind === b.kind && (i.id === b.id || i.name === b.name));
      if (same) {
        errors.push(`${b.label}: ${b.kind} ${b.id} "${b.name}" is bound twice (first as ${same.kind} ${same.id} "${same.name}")`);
        continue;
      }
      const timeoutMs = Number(opt['timeout_ms'] ?? 0);
      if (b.kind === 'upcall' && timeoutMs <= 0) {
        errors.push(`${b.label}: an upcall needs timeout_ms (> 0) in its (kextbridge.v1.kernel) option: how long the kext waits for an answer`);
        continue;
      }
      const defaultVerdict = Number(opt['default_verdict'] ?? 0);
      if (b.kind === 'upcall' && defaultVerdict !== 0) {
        const verdict = b.request.fields['1'] ?? b.request.fieldsArray.find((f) => f.id === 1);
        if (!verdict || verdict.repeated || !(SCALARS.has(verdict.type) || verdict.resolvedType instanceof protobuf.Enum)) {
          errors.push(`${b.label}: default_verdict ${defaultVerdict} is the value of the answer's field 1 when no answer comes, so ${b.request.name} needs a field 1 of type bool, an integer or an enum`);
          continue;
        }
      }
      const request = b.kind === 'topic' ? undefined : messageOf(b.request, 1, []);
      const response = messageOf(b.response, 1, []);
      items.push({
        kind: b.kind,
        id: b.id,
        name: b.name,
        privileged: opt['privileged'] === true,
        readOnly: false,
        setPrivileged: false,
        ...(request ? { request } : {}),
        ...(response ? { response } : {}),
        cancellable: opt['cancellable'] === true,
        timeoutMs,
        defaultVerdict,
        valueType: 0,
        min: 0n,
        max: 0n,
      });
    }
  }
  for (const [id, methods] of optionMethods) {
    const item = optionItem(id, methods, o.defaultMaxLen, errors);
    if (item) items.push(item);
  }
  return { model: { prefix, items, messages: [...messages.values()], enums: [...enums.values()] }, errors };
}

// An option's get and set methods describe one catalog item: they must agree.
function optionItem(id: number, methods: MethodBinding[], defaultMaxLen: number, errors: string[]): CItem | undefined {
  const first = methods[0]!;
  const labels = methods.map((m) => m.label).join(', ');
  if (methods.some((m) => m.name !== first.name)) {
    errors.push(`${labels}: option ${id} is named differently (${methods.map((m) => `"${m.name}"`).join(', ')})`);
    return undefined;
  }
  const flags = methods.map((m) => methodOption(m));
  const flag = (key: string): boolean | undefined => {
    const set = [...new Set(flags.map((f) => f[key] === true))];
    if (set.length > 1) {
      errors.push(`${labels}: option "${first.name}" says ${key} on one method and not the other; say it on both`);
      return undefined;
    }
    return set[0];
  };
  const privileged = flag('privileged');
  const readOnly = flag('read_only');
  const setPrivileged = flag('set_privileged');
  if (privileged === undefined || readOnly === undefined || setPrivileged === undefined) return undefined;
  const value = methods.map((m) => (m.access === 'set' ? m.request.fieldsArray[0]! : m.response.fieldsArray[0]!));
  const types = [...new Set(value.map((f) => f.type))];
  if (types.length > 1) {
    errors.push(`${labels}: option "${first.name}" has values of different types (${types.join(', ')})`);
    return undefined;
  }
  const type = types[0]!;
  let valueType: number;
  let min = 0n;
  let max = 0n;
  if (type === 'bool') {
    valueType = VALUE_TYPE.BOOL;
    max = 1n;
  } else if (type === 'string' || type === 'bytes') {
    valueType = type === 'string' ? VALUE_TYPE.STRING : VALUE_TYPE.BYTES;
    const lens = value.map((f) => optionObject(f.parsedOptions, '(kextbridge.v1.field)')?.['max_len']).filter((v) => v !== undefined);
    max = BigInt(Number(lens[0] ?? defaultMaxLen));
  } else if (INT_RANGE[type]) {
    valueType = VALUE_TYPE.INT64;
    const given = flags.filter((f) => f['min'] !== undefined || f['max'] !== undefined).map((f) => [bigintOf(f['min']), bigintOf(f['max'])] as const);
    const distinct = [...new Set(given.map(([a, b]) => `${a}..${b}`))];
    if (distinct.length > 1) {
      errors.push(`${labels}: option "${first.name}" has different bounds (${distinct.join(', ')}); say them once or the same on both`);
      return undefined;
    }
    const [lo, hi] = INT_RANGE[type]!;
    [min, max] = given[0] && (given[0][0] !== 0n || given[0][1] !== 0n) ? given[0] : [lo, hi];
    if (min < lo || max > hi || min > max) {
      errors.push(`${labels}: option "${first.name}" bounds ${min}..${max} do not fit its ${type} value (${lo}..${hi})`);
      return undefined;
    }
  } else {
    errors.push(`${labels}: option "${first.name}" has a value of type ${type}; an option holds bool, an integer, string or bytes`);
    return undefined;
  }
  return { kind: 'option', id, name: first.name, privileged, readOnly, setPrivileged, cancellable: false, timeoutMs: 0, defaultVerdict: 0, valueType, min, max };
}

function methodOption(b: MethodBinding): Record<string, unknown> {
  const service = b.path.split('/')[1]!;
  const method = b.path.split('/')[2]!;
  const root = b.request.root;
  const s = root.lookupService(service);
  return kernelOption(s.methods[method]!);
}
