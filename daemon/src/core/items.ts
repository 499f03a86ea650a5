// What a subscriber is sent besides events (Lost, link changes), and the
// spans of seqs that loss is counted in. (OutItem, all three, is chunk.ts's.)
import type { LinkState, LossSource } from '@kextbridge/protocol';

export interface Lost {
  count: number;
  firstSeq: number;
  lastSeq: number;
  source: LossSource;
  topic: number;
  // Set when the count cannot be known (a since_seq from another daemon
  // run): count is then 0 and this says why.
  detail?: string;
}

// A count of events over a seq range: a Lost, or what a queue cut.
export interface SeqSpan {
  count: number;
  firstSeq: number;
  lastSeq: number;
}

// Folds another span into span: counts add, the range covers both.
export function widen(span: SeqSpan, more: SeqSpan): void {
  span.count += more.count;
  span.firstSeq = Math.min(span.firstSeq, more.firstSeq);
  span.lastSeq = Math.max(span.lastSeq, more.lastSeq);
}

export interface LinkInfo {
  state: LinkState;
  detail: string;
}
