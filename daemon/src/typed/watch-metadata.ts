// A typed watch's request is the kext author's message, so the knobs the
// generic Subscribe has as fields travel as request metadata instead:
//
//   kextbridge-since-seq: 1234           resume from this seq (0: live only)
//   kextbridge-overflow:  drop-oldest | drop-newest | disconnect
//   kextbridge-queue-limit: 4096         events queued for this watch
import type { Metadata } from '@grpc/grpc-js';
import type { OverflowPolicy } from '../bridge/events';

export interface WatchSettings {
  sinceSeq: number;
  overflow: OverflowPolicy;
  queueLimit: number;
}

const POLICIES: Record<string, OverflowPolicy> = { 'drop-oldest': 'drop_oldest', 'drop-newest': 'drop_newest', disconnect: 'disconnect' };

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
  if (policy !== undefined && !(policy in POLICIES)) {
    throw new Error(`kextbridge-overflow must be one of ${Object.keys(POLICIES).join(', ')}, not "${policy}"`);
  }
  return {
    sinceSeq: count(md, 'kextbridge-since-seq'),
    overflow: policy === undefined ? 'drop_oldest' : POLICIES[policy]!,
    queueLimit: count(md, 'kextbridge-queue-limit'),
  };
}
