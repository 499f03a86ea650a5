// Original file: proto/kextbridge/v1/bridge.proto

import type { Target as _kextbridge_v1_Target, Target__Output as _kextbridge_v1_Target__Output } from '../../kextbridge/v1/Target';
import type { OverflowPolicy as _kextbridge_v1_OverflowPolicy, OverflowPolicy__Output as _kextbridge_v1_OverflowPolicy__Output } from '../../kextbridge/v1/OverflowPolicy';
import type { Long } from '@grpc/proto-loader';

export interface SubscribeRequest {
  /**
   * At least one topic.
   */
  'topics'?: (_kextbridge_v1_Target)[];
  /**
   * Resume: deliver events with seq >= since_seq still in the daemon's
   * ring, then live ones; older ones are reported as Lost{DAEMON}.
   * 0 means live events only.
   */
  'sinceSeq'?: (number | string | Long);
  'overflow'?: (_kextbridge_v1_OverflowPolicy);
  /**
   * Events per batch the client would like at most; the daemon caps it.
   */
  'maxBatch'?: (number);
  /**
   * Events the daemon may queue for this subscriber; capped by config.
   */
  'queueLimit'?: (number);
  /**
   * Only events whose bytes contain this prefix at the start (cheap
   * filter applied before queuing). Empty means every event.
   */
  'payloadPrefix'?: (Buffer | Uint8Array | string);
  /**
   * The epoch since_seq belongs to (EventBatch.epoch or Status.epoch of
   * the daemon it came from). Another epoch's since_seq cannot be
   * resumed exactly: the daemon says so with a Lost{DAEMON} and replays
   * its own epoch from seq 1. 0: unknown.
   */
  'sinceEpoch'?: (number | string | Long);
}

export interface SubscribeRequest__Output {
  /**
   * At least one topic.
   */
  'topics': (_kextbridge_v1_Target__Output)[];
  /**
   * Resume: deliver events with seq >= since_seq still in the daemon's
   * ring, then live ones; older ones are reported as Lost{DAEMON}.
   * 0 means live events only.
   */
  'sinceSeq': (string);
  'overflow': (_kextbridge_v1_OverflowPolicy__Output);
  /**
   * Events per batch the client would like at most; the daemon caps it.
   */
  'maxBatch': (number);
  /**
   * Events the daemon may queue for this subscriber; capped by config.
   */
  'queueLimit': (number);
  /**
   * Only events whose bytes contain this prefix at the start (cheap
   * filter applied before queuing). Empty means every event.
   */
  'payloadPrefix': (Buffer);
  /**
   * The epoch since_seq belongs to (EventBatch.epoch or Status.epoch of
   * the daemon it came from). Another epoch's since_seq cannot be
   * resumed exactly: the daemon says so with a Lost{DAEMON} and replays
   * its own epoch from seq 1. 0: unknown.
   */
  'sinceEpoch': (string);
}
