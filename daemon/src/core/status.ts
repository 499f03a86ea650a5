// One snapshot of every pipeline stage's counters (GetStatus, WatchStatus,
// kextbridge status), in the shape of kextbridge.v1.Status.

import type { Authorizer } from '../auth/authorizer';
import { STATUS_NAMES } from '../wire/constants';
import type { KernelLink } from '../link/kernel-link';
import type { EventHub } from './events';
import type { Requests } from './requests';
import { countsByName } from './topic-tally';
import type { UpcallRouter } from './upcalls';

export interface StatusSources {
  link: KernelLink;
  requests: Requests;
  events: EventHub;
  upcalls: UpcallRouter;
  auth: Authorizer;
  startedAt: number;
  connections: () => number;
  // What the connection limits refused, per uid, and the connections
  // closed for starting no call.
  connectionStats?: () => { refusedByUid: ReadonlyMap<number, number>; noFirstCall: number };
}

export function statusSnapshot(d: StatusSources): Record<string, unknown> {
  const l = d.link.counters;
  const r = d.requests.counters;
  const ev = d.events.counters;
  const u = d.upcalls.counters;
  return {
    linkState: `LINK_STATE_${d.link.state.toUpperCase()}`,
    linkDetail: d.link.detail,
    linkGeneration: d.link.generation,
    uptimeMs: Date.now() - d.startedAt,
    counters: {
      datagramsIn: l.datagramsIn,
      datagramsOut: l.datagramsOut,
      framesIn: l.framesIn,
      framesOut: l.framesOut,
      malformedFromKext: l.malformed,
      linkResets: l.resets,
      callsStarted: r.started,
      callsInflight: d.requests.inflight,
      callsQueued: d.requests.queued,
      callsByStatus: Object.fromEntries([...r.byStatus].map(([k, v]) => [STATUS_NAMES[k] ?? String(k), v])),
      responsesUnknownId: r.unknownResponses,
      cancelsSent: r.cancelsSent,
      eventsFromKernel: ev.fromKernel,
      eventsDelivered: ev.delivered,
      lostKernel: ev.lostKernel,
      lostDaemon: ev.lostDaemon,
      lostSubscriber: ev.lostSubscriber,
      lostLink: ev.lostLink,
      lastSeq: ev.lastSeq,
      malformedEvents: ev.malformed,
      eventsAbandoned: ev.abandoned,
      eventsFromKernelByTopic: Object.fromEntries(countsByName(d.events.fromKernelByTopic, (id) => d.link.welcome?.catalog.topics.get(id)?.name)),
      queuedBytes: d.events.queuedBytes,
      queueBudgetCuts: ev.budgetCuts,
      ringBytes: d.events.ringBytes,
      ...memoryCounters(),
      upcalls: u.upcalls,
      upcallsAnswered: u.answered,
      upcallsNoHandler: u.noHandler,
      upcallsLate: u.late,
      upcallsHandlerGone: u.handlerGone,
      upcallsDenied: u.denied,
      upcallAnswersMissed: u.missed,
      upcallHandlersSetAside: u.setAside,
      upcallAnswersRefused: u.refusedAnswers,
      denied: d.auth.denied,
      ...connectionCounters(d),
    },
    clients: d.connections(),
    subscribers: d.events.size,
    upcallHandlers: d.upcalls.handlerCount,
    upcallHandlersUnhealthy: d.upcalls.unhealthyCount,
    epoch: d.events.epoch,
  };
}

function memoryCounters(): Record<string, number> {
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed, externalBytes: m.external };
}

function connectionCounters(d: StatusSources): Record<string, unknown> {
  const c = d.connectionStats?.();
  if (!c) return {};
  let refused = 0;
  for (const n of c.refusedByUid.values()) refused += n;
  return { connectionsRefused: refused, connectionsRefusedByUid: Object.fromEntries(c.refusedByUid), connectionsNoFirstCall: c.noFirstCall };
}
