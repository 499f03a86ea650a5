// The config keys' table in docs/export.md, made from KEYS: the reference
// an administrator reads is the table the exporter validates with. A unit
// test fails when the checked-in table differs; running this file
// (node export/dist/config-doc.js docs/export.md) rewrites it.
import { readFileSync, writeFileSync } from 'node:fs';

import { KEY_NAMES, KEYS, type KeySpec } from './config';

export const BEGIN = '<!-- config keys: generated from export/src/config.ts by `node export/dist/config-doc.js docs/export.md`; a unit test fails when it is stale -->';
export const END = '<!-- end of config keys -->';

function shownDefault(spec: KeySpec): string {
  if (spec.shown) return spec.shown;
  const value = typeof spec.default === 'function' ? spec.default() : spec.default;
  return `\`${JSON.stringify(value)}\``;
}

function bounds(spec: KeySpec): string {
  return spec.type === 'integer' ? `${spec.min}..${spec.max}${spec.unit ? ` ${spec.unit}` : ''}` : '';
}

export function keysTable(): string {
  const rows = KEY_NAMES.map((k) => {
    const spec = KEYS[k];
    const flag = spec.flag ? `\`--${spec.flag.name} ${spec.flag.arg}\`` : '';
    return `| \`${k}\` | ${shownDefault(spec)} | ${bounds(spec)} | ${flag} | ${spec.doc.replace(/\|/g, '\\|')} |`;
  });
  return [BEGIN, '| key | default | bounds | flag | meaning |', '|---|---|---|---|---|', ...rows, END].join('\n');
}

// The document with its table replaced by the generated one.
export function withTable(doc: string): string {
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`the document has no block between ${BEGIN} and ${END}`);
  return doc.slice(0, from) + keysTable() + doc.slice(to + END.length);
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node export/dist/config-doc.js docs/export.md');
    process.exit(2);
  }
  writeFileSync(file, withTable(readFileSync(file, 'utf8')));
}
