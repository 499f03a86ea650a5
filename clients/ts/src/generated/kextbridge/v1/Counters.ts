// Original file: proto/kextbridge/v1/bridge.proto

import type { Long } from '@grpc/proto-loader';

export interface Counters {
  /**
   * Kernel link.
   */
  'datagramsIn'?: (number | string | Long);
  'datagramsOut'?: (number | string | Long);
  'framesIn'?: (number | string | Long);
  'framesOut'?: (number | string | Long);
  'malformedFromKext'?: (number | string | Long);
  'linkResets'?: (number | string | Long);
  /**
   * Calls.
   */
  'callsStarted'?: (number | string | Long);
  'callsInflight'?: (number | string | Long);
  'callsQueued'?: (number | string | Long);
  'callsByStatus'?: ({[key: string]: number | string | Long});
  'responsesUnknownId'?: (number | string | Long);
  'cancelsSent'?: (number | string | Long);
  /**
   * Events.
   */
  'eventsFromKernel'?: (number | string | Long);
  'eventsDelivered'?: (number | string | Long);
  'lostKernel'?: (number | string | Long);
  'lostDaemon'?: (number | string | Long);
  'lostSubscriber'?: (number | string | Long);
  'lastSeq'?: (number | string | Long);
  /**
   * Published by the kext while the link was down, for topics wanted
   * before it dropped (told by the kext when the link is back).
   */
  'lostLink'?: (number | string | Long);
  /**
   * EVENT frames too short for their head, with seq 0, or whose seq is
   * not past the one before (a kext repeating or going back), dropped.
   */
  'malformedEvents'?: (number | string | Long);
  /**
   * Queued for a subscriber when its stream ended (it left, or was cut):
   * neither delivered nor lost. Delivered + lost_subscriber + abandoned is
   * every event each subscriber was given.
   */
  'eventsAbandoned'?: (number | string | Long);
  /**
   * events_from_kernel by the catalog's topic name ("other" for ids the
   * catalog does not list).
   */
  'eventsFromKernelByTopic'?: ({[key: string]: number | string | Long});
  /**
   * Upcalls.
   */
  'upcalls'?: (number | string | Long);
  'upcallsAnswered'?: (number | string | Long);
  'upcallsNoHandler'?: (number | string | Long);
  'upcallsLate'?: (number | string | Long);
  'upcallsHandlerGone'?: (number | string | Long);
  /**
   * Upcalls decided by a handler's deny (any_deny mode).
   */
  'upcallsDenied'?: (number | string | Long);
  /**
   * Questions a handler was asked and let pass their deadline, one per
   * handler and question.
   */
  'upcallAnswersMissed'?: (number | string | Long);
  /**
   * Times a handler was set aside for missing deadlines.
   */
  'upcallHandlersSetAside'?: (number | string | Long);
  /**
   * Answers refused: for a question the handler was not asked, or twice.
   */
  'upcallAnswersRefused'?: (number | string | Long);
  /**
   * Auth.
   */
  'denied'?: (number | string | Long);
  /**
   * Connections refused by the connection limits, in all and per uid.
   */
  'connectionsRefused'?: (number | string | Long);
  'connectionsRefusedByUid'?: ({[key: number]: number | string | Long});
  /**
   * Connections closed because they started no call in time.
   */
  'connectionsNoFirstCall'?: (number | string | Long);
  /**
   * Bytes all subscribers hold now, queued and written to their streams
   * but not yet taken by the connections (limits.queueBytesTotal bounds
   * it). A queued event counts as the whole chunk it keeps alive.
   */
  'queuedBytes'?: (number | string | Long);
  /**
   * Times a queue was cut because a uid's share or the daemon's budget of
   * queued bytes was exceeded (its events count in lost_subscriber).
   */
  'queueBudgetCuts'?: (number | string | Long);
  /**
   * Bytes the ring of recent events keeps alive (limits.ringBytes bounds it).
   */
  'ringBytes'?: (number | string | Long);
  /**
   * The daemon process's memory now: resident, V8's heap in use, and
   * memory outside the heap (buffers of events among it).
   */
  'rssBytes'?: (number | string | Long);
  'heapUsedBytes'?: (number | string | Long);
  'externalBytes'?: (number | string | Long);
}

export interface Counters__Output {
  /**
   * Kernel link.
   */
  'datagramsIn': (string);
  'datagramsOut': (string);
  'framesIn': (string);
  'framesOut': (string);
  'malformedFromKext': (string);
  'linkResets': (string);
  /**
   * Calls.
   */
  'callsStarted': (string);
  'callsInflight': (string);
  'callsQueued': (string);
  'callsByStatus': ({[key: string]: string});
  'responsesUnknownId': (string);
  'cancelsSent': (string);
  /**
   * Events.
   */
  'eventsFromKernel': (string);
  'eventsDelivered': (string);
  'lostKernel': (string);
  'lostDaemon': (string);
  'lostSubscriber': (string);
  'lastSeq': (string);
  /**
   * Published by the kext while the link was down, for topics wanted
   * before it dropped (told by the kext when the link is back).
   */
  'lostLink': (string);
  /**
   * EVENT frames too short for their head, with seq 0, or whose seq is
   * not past the one before (a kext repeating or going back), dropped.
   */
  'malformedEvents': (string);
  /**
   * Queued for a subscriber when its stream ended (it left, or was cut):
   * neither delivered nor lost. Delivered + lost_subscriber + abandoned is
   * every event each subscriber was given.
   */
  'eventsAbandoned': (string);
  /**
   * events_from_kernel by the catalog's topic name ("other" for ids the
   * catalog does not list).
   */
  'eventsFromKernelByTopic': ({[key: string]: string});
  /**
   * Upcalls.
   */
  'upcalls': (string);
  'upcallsAnswered': (string);
  'upcallsNoHandler': (string);
  'upcallsLate': (string);
  'upcallsHandlerGone': (string);
  /**
   * Upcalls decided by a handler's deny (any_deny mode).
   */
  'upcallsDenied': (string);
  /**
   * Questions a handler was asked and let pass their deadline, one per
   * handler and question.
   */
  'upcallAnswersMissed': (string);
  /**
   * Times a handler was set aside for missing deadlines.
   */
  'upcallHandlersSetAside': (string);
  /**
   * Answers refused: for a question the handler was not asked, or twice.
   */
  'upcallAnswersRefused': (string);
  /**
   * Auth.
   */
  'denied': (string);
  /**
   * Connections refused by the connection limits, in all and per uid.
   */
  'connectionsRefused': (string);
  'connectionsRefusedByUid': ({[key: number]: string});
  /**
   * Connections closed because they started no call in time.
   */
  'connectionsNoFirstCall': (string);
  /**
   * Bytes all subscribers hold now, queued and written to their streams
   * but not yet taken by the connections (limits.queueBytesTotal bounds
   * it). A queued event counts as the whole chunk it keeps alive.
   */
  'queuedBytes': (string);
  /**
   * Times a queue was cut because a uid's share or the daemon's budget of
   * queued bytes was exceeded (its events count in lost_subscriber).
   */
  'queueBudgetCuts': (string);
  /**
   * Bytes the ring of recent events keeps alive (limits.ringBytes bounds it).
   */
  'ringBytes': (string);
  /**
   * The daemon process's memory now: resident, V8's heap in use, and
   * memory outside the heap (buffers of events among it).
   */
  'rssBytes': (string);
  'heapUsedBytes': (string);
  'externalBytes': (string);
}
