// The TypeScript wire constants against kext/include/kextbridge/wire.h,
// value for value: every #define and enum member of the header that the
// daemon mirrors must agree, and every scalar the daemon exports must have
// its counterpart in the header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as wire from 'kextbridged/internal/wire/constants';
import { ROOT } from '../../../support/paths';

// The header's names and values: #defines (integers, products, ors of
// earlier names) and enum members, with the enum's tag.
function headerValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  const evaluate = (expr: string): number | undefined => {
    const js = expr.replace(/\b(0x[0-9a-fA-F]+|\d+)u\b/g, '$1').replace(/\bKB_[A-Z0-9_]+\b/g, (n) => String(values.get(n) ?? NaN));
    if (!/^[\s\d()*|+<x0-9a-fA-FN]+$/.test(js) || js.includes('NaN')) return undefined;
    return Function(`return (${js});`)() as number;
  };
  for (const m of text.matchAll(/^#define\s+(KB_[A-Z0-9_]+)\s+(.+?)\s*(?:\/\*.*)?$/gm)) {
    const v = evaluate(m[2]!);
    if (v !== undefined) values.set(m[1]!, v);
  }
  for (const m of text.matchAll(/^\s*(KB_[A-Z0-9_]+)\s*=\s*(\d+)\s*,/gm)) values.set(m[1]!, Number(m[2]));
  return values;
}

// The daemon's name for each header name it mirrors.
function daemonValues(): Map<string, number> {
  const out = new Map<string, number>();
  const enums: Array<[Record<string, number>, string]> = [
    [wire.FrameType, 'KB_'],
    [wire.Status, 'KB_'],
    [wire.GoodbyeReason, 'KB_BYE_'],
    [wire.CatalogKind, 'KB_KIND_'],
    [wire.ValueType, 'KB_VALUE_'],
  ];
  for (const [e, prefix] of enums) for (const [name, value] of Object.entries(e)) out.set(`${prefix}${name}`, value);
  for (const [name, value] of Object.entries(wire)) if (typeof value === 'number') out.set(`KB_${name}`, value);
  return out;
}

function mismatches(header: Map<string, number>, daemon: Map<string, number>): string[] {
  const bad: string[] = [];
  for (const [name, value] of daemon) {
    if (!header.has(name)) bad.push(`${name}: the daemon has ${value}, wire.h has no such name`);
    else if (header.get(name) !== value) bad.push(`${name}: the daemon has ${value}, wire.h has ${header.get(name)}`);
  }
  return bad;
}

const headerText = readFileSync(join(ROOT, 'kext/include/kextbridge/wire.h'), 'utf8');

test('every wire constant of the daemon is wire.h\'s, value for value', () => {
  const header = headerValues(headerText);
  const daemon = daemonValues();
  assert.ok(daemon.size >= 60, `compared ${daemon.size} names`);
  assert.equal(header.get('KB_MAX_MESSAGE'), 1024 * 1024, 'products are evaluated');
  assert.equal(header.get('KB_ENTRY_FLAGS_KNOWN'), 7, 'ors of earlier names are evaluated (PRIVILEGED | READONLY | SET_PRIVILEGED)');
  assert.deepEqual(mismatches(header, daemon), []);
});

test('the check sees a drifted value and a name the header lacks', () => {
  const drifted = headerValues(headerText.replace(/^#define KB_MAX_NAME\s+63u/m, '#define KB_MAX_NAME 64u').replace(/^\s*KB_PONG\s*=\s*14,.*$/m, ''));
  const bad = mismatches(drifted, daemonValues());
  assert.deepEqual(bad.sort(), ['KB_MAX_NAME: the daemon has 63, wire.h has 64', 'KB_PONG: the daemon has 14, wire.h has no such name']);
});
