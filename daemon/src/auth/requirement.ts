// The code-signing requirement (csreq(1) language) a macOS program rule
// stands for, checked by Security.framework against the caller's audit
// token. Built here, in one place, so what a rule means can be tested on
// any system; the strings only ever hold characters the config validation
// let through (Team IDs: A-Z0-9; identifiers: letters, digits, . _ -), so
// nothing needs escaping.
import type { ProgramRule } from '../config/schema';

// "anchor apple generic": signed with a certificate Apple issued (a
// Developer ID or App Store certificate, or Apple's own). The leaf
// certificate's subject OU is the Team ID of the developer it was issued to.
export function requirementOf(rule: ProgramRule): string | undefined {
  if (rule.requirement !== undefined) return rule.requirement;
  const parts: string[] = [];
  if (rule.teamId !== undefined) parts.push(`certificate leaf[subject.OU] = "${rule.teamId}"`);
  if (rule.identifier !== undefined) parts.push(`identifier "${rule.identifier}"`);
  if (parts.length === 0) return undefined;
  return ['anchor apple generic', ...parts].join(' and ');
}
