// Where two views of a kext's typed API disagree: a local .proto (a
// client's --proto) against what the daemon serves. Bindings are matched
// by catalog item (kind and id); their messages are compared field by
// field, nested messages included, by field name: number, type and
// repeated-ness. Each difference is one line naming the field.
import type * as protobuf from 'protobufjs';

import type { MethodBinding } from './bindings';

export interface Sides {
  // How each side is named in the messages: 'the daemon', '--proto'.
  served: string;
  local: string;
}

function fieldShape(f: protobuf.Field): string {
  const type = f.resolvedType ? f.resolvedType.fullName.replace(/^\./, '') : f.type;
  const map = f as protobuf.Field & { keyType?: string; map?: boolean };
  if (map.map) return `field ${f.id} map<${map.keyType}, ${type}>`;
  return `field ${f.id} ${f.repeated ? 'repeated ' : ''}${type}`;
}

function compareTypes(served: protobuf.Type, local: protobuf.Type, sides: Sides, seen: Set<string>, out: string[]): void {
  const key = `${served.fullName} ${local.fullName}`;
  if (seen.has(key)) return;
  seen.add(key);
  const name = served.fullName.replace(/^\./, '');
  for (const f of served.fieldsArray) {
    const g = local.fields[f.name];
    if (!g) {
      out.push(`${name}.${f.name}: ${fieldShape(f)} in ${sides.served}, missing in ${sides.local}`);
      continue;
    }
    if (fieldShape(f) !== fieldShape(g)) {
      out.push(`${name}.${f.name}: ${fieldShape(f)} in ${sides.served}, ${fieldShape(g)} in ${sides.local}`);
      continue;
    }
    if (f.resolvedType && g.resolvedType && 'fieldsArray' in f.resolvedType && 'fieldsArray' in g.resolvedType) {
      compareTypes(f.resolvedType as protobuf.Type, g.resolvedType as protobuf.Type, sides, seen, out);
    }
  }
  for (const g of local.fieldsArray) {
    if (!served.fields[g.name]) out.push(`${name}.${g.name}: ${fieldShape(g)} in ${sides.local}, missing in ${sides.served}`);
  }
}

function item(b: MethodBinding): string {
  return `${b.kind} ${b.id}${b.name ? ` "${b.name}"` : ''}`;
}

// Option items have a get and a set method under one id.
function matchKey(b: MethodBinding): string {
  return `${b.kind} ${b.id} ${b.access ?? ''}`;
}

export function bindingDisagreements(served: readonly MethodBinding[], local: readonly MethodBinding[], sides: Sides): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const locals = new Map(local.map((b) => [matchKey(b), b]));
  for (const s of served) {
    const l = locals.get(matchKey(s));
    locals.delete(matchKey(s));
    if (!l) {
      out.push(`${item(s)}: ${s.label} in ${sides.served}, no method bound to it in ${sides.local}`);
      continue;
    }
    if (s.name !== l.name) out.push(`${item(s)}: named "${s.name}" in ${sides.served}, "${l.name}" in ${sides.local}`);
    for (const [role, a, b] of [['request', s.request, l.request], ['reply', s.response, l.response]] as const) {
      if (a.fullName !== b.fullName) out.push(`${item(s)}: ${role} ${a.fullName.slice(1)} in ${sides.served}, ${b.fullName.slice(1)} in ${sides.local}`);
      compareTypes(a, b, sides, seen, out);
    }
  }
  for (const l of locals.values()) out.push(`${item(l)}: ${l.label} in ${sides.local}, not served by ${sides.served}`);
  return out;
}
