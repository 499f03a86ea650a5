// The .proto against the catalog the kext sent in WELCOME: each typed
// method whose id is missing from the catalog, whose name disagrees, or
// whose value type cannot carry the option's, is a problem; such a method
// answers FAILED_PRECONDITION with that sentence until a kext arrives
// that agrees.
import { ValueType, type Catalog, type CatalogEntry, type OptionEntry } from '../wire';
import type { ItemKind, MethodBinding } from '@kextbridge/protocol';

const MAPS: Record<ItemKind, keyof Catalog> = { command: 'commands', topic: 'topics', option: 'options', upcall: 'upcalls' };

const INTEGER_TYPES = new Set(['int64', 'uint64', 'sint64', 'int32', 'uint32', 'sint32', 'fixed64', 'sfixed64', 'fixed32', 'sfixed32']);

function fits(fieldType: string, valueType: number): boolean {
  switch (valueType) {
    case ValueType.BOOL:
      return fieldType === 'bool';
    case ValueType.INT64:
      return INTEGER_TYPES.has(fieldType);
    case ValueType.STRING:
      return fieldType === 'string';
    default:
      return fieldType === 'bytes';
  }
}

// One binding against the catalog: null when they agree, else why not.
export function bindingProblem(b: MethodBinding, catalog: Catalog): string | null {
  const map = catalog[MAPS[b.kind]] as ReadonlyMap<number, CatalogEntry>;
  const e = map.get(b.id);
  const fix = 'the .proto and the kext disagree; rebuild one from the other';
  if (!e) return `${b.label} is bound to ${b.kind} ${b.id}${b.name ? ` (${b.name})` : ''}, which the connected kext does not have; ${fix}`;
  if (b.name && e.name !== b.name) return `${b.label} is bound to ${b.kind} ${b.id} named "${b.name}", but the kext's ${b.kind} ${b.id} is "${e.name}"; ${fix}`;
  if (b.kind === 'option') {
    const o = e as OptionEntry;
    if (b.access === 'set' && o.readOnly) return `${b.label} sets option ${o.name}, which the kext marks read-only`;
    const reply = b.response.fieldsArray[0]!;
    const sent = b.request.fieldsArray[0];
    for (const f of sent ? [reply, sent] : [reply]) {
      if (!fits(f.type, o.valueType)) return `${b.label}: field ${f.name} is ${f.type}, which cannot carry option ${o.name}'s value; ${fix}`;
    }
  }
  return null;
}

export function checkBindings(bindings: readonly MethodBinding[], catalog: Catalog): Map<string, string> {
  const problems = new Map<string, string>();
  for (const b of bindings) {
    const p = bindingProblem(b, catalog);
    if (p) problems.set(b.path, p);
  }
  return problems;
}
