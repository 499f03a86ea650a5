// Original file: proto/kextbridge/v1/bridge.proto

import type { LinkState as _kextbridge_v1_LinkState, LinkState__Output as _kextbridge_v1_LinkState__Output } from '../../kextbridge/v1/LinkState';
import type { Counters as _kextbridge_v1_Counters, Counters__Output as _kextbridge_v1_Counters__Output } from '../../kextbridge/v1/Counters';
import type { Long } from '@grpc/proto-loader';

export interface Status {
  'linkState'?: (_kextbridge_v1_LinkState);
  /**
   * Why the link is not ready, for a person.
   */
  'linkDetail'?: (string);
  /**
   * Times the link became ready since the daemon started.
   */
  'linkGeneration'?: (number | string | Long);
  'uptimeMs'?: (number | string | Long);
  'counters'?: (_kextbridge_v1_Counters | null);
  'clients'?: (number);
  'subscribers'?: (number);
  'upcallHandlers'?: (number);
  /**
   * This daemon run's id, random at each start: seqs are numbered per
   * epoch, so a since_seq means something only with the epoch it is from.
   */
  'epoch'?: (number | string | Long);
  /**
   * Of upcall_handlers, those set aside for missing their deadlines.
   */
  'upcallHandlersUnhealthy'?: (number);
}

export interface Status__Output {
  'linkState': (_kextbridge_v1_LinkState__Output);
  /**
   * Why the link is not ready, for a person.
   */
  'linkDetail': (string);
  /**
   * Times the link became ready since the daemon started.
   */
  'linkGeneration': (string);
  'uptimeMs': (string);
  'counters': (_kextbridge_v1_Counters__Output | null);
  'clients': (number);
  'subscribers': (number);
  'upcallHandlers': (number);
  /**
   * This daemon run's id, random at each start: seqs are numbered per
   * epoch, so a since_seq means something only with the epoch it is from.
   */
  'epoch': (string);
  /**
   * Of upcall_handlers, those set aside for missing their deadlines.
   */
  'upcallHandlersUnhealthy': (number);
}
