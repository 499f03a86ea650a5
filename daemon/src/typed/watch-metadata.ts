// A typed watch's request is the kext author's message, so the knobs the
// generic Subscribe has as fields travel as request metadata instead:
//
//   kextbridge-since-seq: 1234           resume from this seq (0: live only)
//   kextbridge-overflow:  drop-oldest | drop-newest | disconnect
//   kextbridge-queue-limit: 4096         events queued for this watch
//   kextbridge-since-epoch: 1234…        the epoch since-seq is from
//
// The daemon's epoch comes back in the response's initial metadata
// (kextbridge-epoch).
import type { Metadata } from '@grpc/grpc-js';
import { DEFAULT_OVERFLOW_POLICY, OVERFLOW_POLICY_SHORT, type OverflowPolicyName } from '@kextbridge/protocol';

export interface WatchSettings {
  sinceSeq: number;
  sinceEpoch: string;
  overflow: OverflowPolicyName;
  queueLimit: number;
}

const SPELLINGS = Object.keys(OVERFLOW_POLICY_SHORT);

function one(md: Metadata, key: string): string | undefined {
  const v = md.get(key);
  if (v.length > 1) throw new Error(`${key} is given ${v.length} times; give it once`);
  return v.length === 1 ? String(v[0]) : undefined;
}

function count(md: Metadata, key: string): number {
  const text = one(md, key);
  if (text === undefined) return 0;
  if (!/^\d{1,15}$/.test(text)) throw new Error(`${key} must be a whole number, not "${text}"`);
  return Number(text);
}

// Throws with a message naming the header when one is malformed.
export function watchSettings(md: Metadata): WatchSettings {
  const policy = one(md, 'kextbridge-overflow');
  // Only the short spellings: metadata is not the enum.
  if (policy !== undefined && !SPELLINGS.includes(policy)) {
    throw new Error(`kextbridge-overflow must be one of ${SPELLINGS.join(', ')}, not "${policy}"`);
  }
  const epoch = one(md, 'kextbridge-since-epoch') ?? '';
  if (epoch !== '' && !/^\d{1,20}$/.test(epoch)) throw new Error(`kextbridge-since-epoch must be a whole number, not "${epoch}"`);
  return {
    sinceSeq: count(md, 'kextbridge-since-seq'),
    sinceEpoch: epoch,
    overflow: policy === undefined ? DEFAULT_OVERFLOW_POLICY : OVERFLOW_POLICY_SHORT[policy]!,
    queueLimit: count(md, 'kextbridge-queue-limit'),
  };
}
