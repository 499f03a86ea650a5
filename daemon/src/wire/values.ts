// Option values (OPT_GET replies, OPT_SET payloads) by the option's type,
// with the bounds the catalog announced. Values come from clients, so bad
// ones are results, not exceptions.

import { getI64, putU64, utf8Encode, utf8OrNull } from './bytes';
import { ValueType } from './constants';
import { fail, ok, type Result } from './errors';
import type { OptionEntry } from './catalog';

// BOOL: boolean; INT64: bigint; STRING: string; BYTES: Uint8Array.
export type OptionValue = boolean | bigint | string | Uint8Array;

// The wire bytes of a value for an option; checks type and bounds.
export function encodeOptionValue(opt: OptionEntry, v: OptionValue): Result<Uint8Array> {
  switch (opt.valueType) {
    case ValueType.BOOL:
      if (typeof v !== 'boolean') return fail('WRONG_TYPE', 0, `option ${opt.name} takes a bool`);
      return ok(Uint8Array.of(v ? 1 : 0));
    case ValueType.INT64: {
      if (typeof v !== 'bigint') return fail('WRONG_TYPE', 0, `option ${opt.name} takes an int64 (bigint)`);
      if (v < opt.min || v > opt.max) return fail('OUT_OF_RANGE', 0, `option ${opt.name}: ${v} is outside ${opt.min}..${opt.max}`);
      const out = new Uint8Array(8);
      putU64(out, 0, v);
      return ok(out);
    }
    case ValueType.STRING: {
      if (typeof v !== 'string') return fail('WRONG_TYPE', 0, `option ${opt.name} takes a string`);
      const out = utf8Encode(v);
      if (BigInt(out.length) > opt.max) return fail('OUT_OF_RANGE', Number(opt.max), `option ${opt.name}: ${out.length} bytes, at most ${opt.max}`);
      return ok(out);
    }
    default:
      if (!(v instanceof Uint8Array)) return fail('WRONG_TYPE', 0, `option ${opt.name} takes bytes`);
      if (BigInt(v.length) > opt.max) return fail('OUT_OF_RANGE', Number(opt.max), `option ${opt.name}: ${v.length} bytes, at most ${opt.max}`);
      return ok(v);
  }
}

function exactLength(opt: OptionEntry, b: Uint8Array, n: number): Result<never> | null {
  if (b.length < n) return fail('TRUNCATED', b.length, `option ${opt.name} value is ${b.length} bytes, needs ${n}`);
  if (b.length > n) return fail('TRAILING', n, `option ${opt.name} value is ${b.length} bytes, needs ${n}`);
  return null;
}

// A value read from the wire (an OPT_GET reply), checked like an OPT_SET.
export function decodeOptionValue(opt: OptionEntry, b: Uint8Array): Result<OptionValue> {
  switch (opt.valueType) {
    case ValueType.BOOL: {
      const bad = exactLength(opt, b, 1);
      if (bad) return bad;
      if (b[0] > 1) return fail('BAD_VALUE', 0, `option ${opt.name}: bool byte ${b[0]}, must be 0 or 1`);
      return ok(b[0] === 1);
    }
    case ValueType.INT64: {
      const bad = exactLength(opt, b, 8);
      if (bad) return bad;
      const v = getI64(b, 0);
      if (v < opt.min || v > opt.max) return fail('OUT_OF_RANGE', 0, `option ${opt.name}: ${v} is outside ${opt.min}..${opt.max}`);
      return ok(v);
    }
    case ValueType.STRING: {
      if (BigInt(b.length) > opt.max) return fail('OUT_OF_RANGE', Number(opt.max), `option ${opt.name}: ${b.length} bytes, at most ${opt.max}`);
      const s = utf8OrNull(b);
      if (s === null) return fail('BAD_VALUE', 0, `option ${opt.name}: value is not UTF-8`);
      return ok(s);
    }
    default:
      if (BigInt(b.length) > opt.max) return fail('OUT_OF_RANGE', Number(opt.max), `option ${opt.name}: ${b.length} bytes, at most ${opt.max}`);
      return ok(b);
  }
}
