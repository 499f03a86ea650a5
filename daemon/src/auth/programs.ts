// The programs a policy rule names, and whether a caller's program is one
// of them. On Linux a program is its executable's path and/or the SHA-256
// of its contents, both read by the daemon at accept; on macOS it is a
// code-signing requirement the caller's code must satisfy, asked of
// Security.framework through the connection's audit token.
import type { ProgramRule } from '../config/schema';
import type { ProgramIdentity } from './identity';
import { requirementOf } from './requirement';

export interface ProgramMatcher {
  // "/usr/libexec/agent (sha256 3a7bd3e2360a…)", for messages.
  text: string;
  // A rule on contents: the daemon hashes callers' executables at accept.
  needsHash: boolean;
  matches(program: ProgramIdentity | undefined): boolean;
}

function shortHash(hex: string): string {
  return `${hex.slice(0, 12)}…`;
}

export function compileProgram(rule: ProgramRule): ProgramMatcher {
  const requirement = requirementOf(rule);
  if (requirement !== undefined) {
    const signedBy = rule.requirement !== undefined ? `satisfying ${JSON.stringify(requirement)}` : describeSigned(rule);
    return { text: signedBy, needsHash: false, matches: (p) => p?.satisfies?.(requirement) === true };
  }
  const text = [rule.path, rule.sha256 !== undefined ? `(sha256 ${shortHash(rule.sha256)})` : undefined].filter((x) => x !== undefined).join(' ');
  return {
    text: rule.path === undefined ? `any executable with ${text.slice(1, -1)}` : text,
    needsHash: rule.sha256 !== undefined,
    matches: (p) => p !== undefined && (rule.path === undefined || p.path === rule.path) && (rule.sha256 === undefined || p.sha256 === rule.sha256),
  };
}

function describeSigned(rule: ProgramRule): string {
  const id = rule.identifier !== undefined ? `program ${rule.identifier}` : 'a program';
  return rule.teamId !== undefined ? `${id} signed by team ${rule.teamId}` : `${id} signed with an Apple-issued certificate`;
}

// The caller, for a denial: what was read of it at connect.
export function describeProgram(program: ProgramIdentity | undefined): string {
  if (program === undefined) return 'caller\'s program unknown (not read at connect)';
  const parts = [program.path ?? 'path unknown'];
  if (program.sha256 !== undefined) parts.push(`sha256 ${shortHash(program.sha256)}`);
  if (program.signature !== undefined) parts.push(program.signature);
  parts.push(`pid ${program.pid} at connect`);
  return `caller ${parts[0]} (${parts.slice(1).join(', ')})`;
}
