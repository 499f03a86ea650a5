// What a subscription does when its queue holds more than it may (its own
// bounds, or its share of a budget of queued bytes): the client's choice
// of kextbridge.v1.OverflowPolicy, one class each.
import type { OverflowPolicyName } from '@kextbridge/protocol';

import type { Cut } from './queue';

// What a policy may do to the subscription it belongs to.
export interface Overflowing {
  readonly limit: number;
  // Cuts the oldest or the newest events until at most limit events and
  // maxBytes bytes are held.
  dropOldest(maxBytes: number): Cut | null;
  dropNewest(maxBytes: number): Cut | null;
  // Tells the loss: ahead of what is queued (older events were dropped),
  // or at the tail (newer ones were).
  lostAhead(cut: Cut): void;
  lostAtTail(cut: Cut): void;
  // Ends the stream with RESOURCE_EXHAUSTED; what did not fit is lost.
  disconnect(details: string, lost: number): void;
  readonly byteLimit: number;
  // Events held, for the disconnect message.
  readonly queuedEvents: number;
}

export interface OverflowPolicy {
  readonly name: OverflowPolicyName;
  // The queue is past a bound and its stream is not taking writes: it keeps
  // at most maxBytes (and its event limit). why: the budget it is over, or
  // null for its own bounds.
  giveWay(s: Overflowing, maxBytes: number, why: string | null): void;
}

const READ_FASTER = 'read faster, or choose drop_oldest / drop_newest';

class DropOldest implements OverflowPolicy {
  readonly name = 'OVERFLOW_POLICY_DROP_OLDEST';
  giveWay(s: Overflowing, maxBytes: number): void {
    const cut = s.dropOldest(maxBytes);
    if (cut) s.lostAhead(cut);
  }
}

class DropNewest implements OverflowPolicy {
  readonly name = 'OVERFLOW_POLICY_DROP_NEWEST';
  giveWay(s: Overflowing, maxBytes: number): void {
    const cut = s.dropNewest(maxBytes);
    if (cut) s.lostAtTail(cut);
  }
}

class Disconnect implements OverflowPolicy {
  readonly name = 'OVERFLOW_POLICY_DISCONNECT';
  giveWay(s: Overflowing, maxBytes: number, why: string | null): void {
    const overEvents = s.queuedEvents > s.limit;
    // What did not fit is lost; what did is abandoned with the stream.
    const excess = s.dropNewest(maxBytes)?.count ?? 0;
    s.disconnect(
      why
        ? `${why}; your queue was the largest: ${READ_FASTER}`
        : overEvents
          ? `your queue of ${s.limit} events overflowed; read faster, raise queue_limit, or choose drop_oldest / drop_newest`
          : `your queue reached its ${s.byteLimit}-byte bound; ${READ_FASTER}`,
      excess,
    );
  }
}

export const OVERFLOW_POLICIES: Readonly<Record<OverflowPolicyName, OverflowPolicy>> = {
  OVERFLOW_POLICY_DROP_OLDEST: new DropOldest(),
  OVERFLOW_POLICY_DROP_NEWEST: new DropNewest(),
  OVERFLOW_POLICY_DISCONNECT: new Disconnect(),
};
