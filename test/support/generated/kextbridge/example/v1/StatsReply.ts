// Original file: proto/example/v1/example.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The engine's counters (struct kb_engine_stats).
 */
export interface StatsReply {
  'datagramsIn'?: (number | string | Long);
  'datagramsOut'?: (number | string | Long);
  'framesIn'?: (number | string | Long);
  'framesOut'?: (number | string | Long);
  'bytesIn'?: (number | string | Long);
  'bytesOut'?: (number | string | Long);
  'malformed'?: (number | string | Long);
  'connects'?: (number | string | Long);
  'refusedConnects'?: (number | string | Long);
  'disconnects'?: (number | string | Long);
  'requests'?: (number | string | Long);
  'responses'?: (number | string | Long);
  'cancels'?: (number | string | Long);
  'cancelsUnknown'?: (number | string | Long);
  'unknownCommands'?: (number | string | Long);
  'inflightRejected'?: (number | string | Long);
  'eventsPublished'?: (number | string | Long);
  'eventsUnwanted'?: (number | string | Long);
  'eventsLost'?: (number | string | Long);
  'lossFrames'?: (number | string | Long);
  'sendFull'?: (number | string | Long);
  'backlogBytes'?: (number | string | Long);
  'backlogHighWater'?: (number | string | Long);
  'upcalls'?: (number | string | Long);
  'upcallsAnswered'?: (number | string | Long);
  'upcallsDefaulted'?: (number | string | Long);
  'upcallRepliesUnknown'?: (number | string | Long);
  'optGets'?: (number | string | Long);
  'optSets'?: (number | string | Long);
  'optRejected'?: (number | string | Long);
  'reassemblyRefused'?: (number | string | Long);
  'unknownTopics'?: (number | string | Long);
  'outOfOrder'?: (number | string | Long);
  'pings'?: (number | string | Long);
}

/**
 * The engine's counters (struct kb_engine_stats).
 */
export interface StatsReply__Output {
  'datagramsIn': (string);
  'datagramsOut': (string);
  'framesIn': (string);
  'framesOut': (string);
  'bytesIn': (string);
  'bytesOut': (string);
  'malformed': (string);
  'connects': (string);
  'refusedConnects': (string);
  'disconnects': (string);
  'requests': (string);
  'responses': (string);
  'cancels': (string);
  'cancelsUnknown': (string);
  'unknownCommands': (string);
  'inflightRejected': (string);
  'eventsPublished': (string);
  'eventsUnwanted': (string);
  'eventsLost': (string);
  'lossFrames': (string);
  'sendFull': (string);
  'backlogBytes': (string);
  'backlogHighWater': (string);
  'upcalls': (string);
  'upcallsAnswered': (string);
  'upcallsDefaulted': (string);
  'upcallRepliesUnknown': (string);
  'optGets': (string);
  'optSets': (string);
  'optRejected': (string);
  'reassemblyRefused': (string);
  'unknownTopics': (string);
  'outOfOrder': (string);
  'pings': (string);
}
