// kextbridge.v1.OverflowPolicy, spelled once: the enum's names (Subscribe
// requests, ListSubscribers), the short spelling of the typed watches'
// metadata and the CLI's --policy, and the one parse of either.

export const OVERFLOW_POLICY_NAMES = ['OVERFLOW_POLICY_DROP_OLDEST', 'OVERFLOW_POLICY_DROP_NEWEST', 'OVERFLOW_POLICY_DISCONNECT'] as const;
export type OverflowPolicyName = (typeof OVERFLOW_POLICY_NAMES)[number];

// The short spelling of each, as metadata values and flags take it.
export const OVERFLOW_POLICY_SHORT: Readonly<Record<string, OverflowPolicyName>> = {
  'drop-oldest': 'OVERFLOW_POLICY_DROP_OLDEST',
  'drop-newest': 'OVERFLOW_POLICY_DROP_NEWEST',
  disconnect: 'OVERFLOW_POLICY_DISCONNECT',
};

export const DEFAULT_OVERFLOW_POLICY: OverflowPolicyName = 'OVERFLOW_POLICY_DROP_OLDEST';

// The enum's number (1..3), its name, its short spelling; nothing, 0 and
// UNSPECIFIED mean the default. null for anything else: a caller refuses
// it, never falls back to a default.
export function overflowPolicyOf(value: string | number | undefined | null): OverflowPolicyName | null {
  if (value === undefined || value === null || value === '' || value === 0 || value === 'OVERFLOW_POLICY_UNSPECIFIED') return DEFAULT_OVERFLOW_POLICY;
  if (typeof value === 'number') return OVERFLOW_POLICY_NAMES[value - 1] ?? null;
  if ((OVERFLOW_POLICY_NAMES as readonly string[]).includes(value)) return value as OverflowPolicyName;
  // Own keys only: 'toString' is not a policy.
  return Object.hasOwn(OVERFLOW_POLICY_SHORT, value) ? OVERFLOW_POLICY_SHORT[value]! : null;
}

// What a refusal names as the choices.
export const OVERFLOW_POLICY_CHOICES = `${OVERFLOW_POLICY_NAMES.join(', ')} (or ${Object.keys(OVERFLOW_POLICY_SHORT).join(', ')})`;
