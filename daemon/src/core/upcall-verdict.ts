// How the daemon reads a handler's answer to an upcall: the answer bytes
// are the kext's own, so which answers are a deny is stated per upcall in
// the config (upcallDecisions: a varint field of the answer message and
// the value that means deny). With no rule the daemon cannot tell a deny
// from an allow, and only compares answers.
import { Reader } from 'protobufjs';

import type { DenyRule, UpcallDecision } from '../config/schema';

// The rule's shapes are the configuration's (config/schema.ts).
export type { DecisionMode, DenyRule, UpcallDecision } from '../config/schema';

export type Verdict = 'deny' | 'allow' | 'unknown' | 'malformed';

// The verdict an answer's bytes carry by the rule; 'malformed' when they
// do not decode as protobuf, 'unknown' with no rule.
export function verdictOf(payload: Uint8Array, rule: DenyRule | undefined): Verdict {
  if (!rule) return 'unknown';
  let value = 0;
  try {
    const r = Reader.create(payload);
    while (r.pos < r.len) {
      const tag = r.uint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 0) return 'malformed';
      if (field === rule.field && wire === 0) value = Number(r.uint64().toString());
      else r.skipType(wire);
    }
  } catch {
    return 'malformed';
  }
  return value === rule.equals ? 'deny' : 'allow';
}

// The decision rule of an upcall from the config's map (keyed by catalog
// name, catalog id or '*'); any_deny with no rule when none is configured.
export function decisionFor(map: Readonly<Record<string, UpcallDecision>>, name: string, id: number): UpcallDecision {
  return map[name] ?? map[String(id)] ?? map['*'] ?? { mode: 'any_deny' };
}

// Keys of the config's map that name no upcall of this catalog: a typo
// there would otherwise leave that upcall on the default rule unnoticed.
export function unmatchedDecisions(map: Readonly<Record<string, UpcallDecision>>, upcalls: Iterable<{ id: number; name: string }>): string[] {
  const known = new Set<string>(['*']);
  for (const u of upcalls) {
    known.add(u.name);
    known.add(String(u.id));
  }
  return Object.keys(map).filter((k) => !known.has(k));
}
