// Original file: proto/kextbridge/v1/bridge.proto

import type { OverflowPolicy as _kextbridge_v1_OverflowPolicy, OverflowPolicy__Output as _kextbridge_v1_OverflowPolicy__Output } from '../../kextbridge/v1/OverflowPolicy';
import type { Program as _kextbridge_v1_Program, Program__Output as _kextbridge_v1_Program__Output } from '../../kextbridge/v1/Program';
import type { Long } from '@grpc/proto-loader';

export interface Subscriber {
  'id'?: (number | string | Long);
  'uid'?: (number);
  'pid'?: (number);
  'topics'?: (number)[];
  'overflow'?: (_kextbridge_v1_OverflowPolicy);
  /**
   * Events queued for this subscriber now.
   */
  'queued'?: (number | string | Long);
  /**
   * Newest seq seen from the kernel minus newest seq sent to it.
   */
  'lag'?: (number | string | Long);
  'delivered'?: (number | string | Long);
  'lost'?: (number | string | Long);
  'sinceMs'?: (number | string | Long);
  /**
   * Bytes its queue keeps alive now (whole chunks of events: see
   * docs/daemon.md), and bytes written to its stream not yet taken by the
   * connection. Both count toward the queued-bytes budgets.
   */
  'queuedBytes'?: (number | string | Long);
  'inFlightBytes'?: (number | string | Long);
  /**
   * The program that opened its connection, as read at connect.
   */
  'program'?: (_kextbridge_v1_Program | null);
}

export interface Subscriber__Output {
  'id': (string);
  'uid': (number);
  'pid': (number);
  'topics': (number)[];
  'overflow': (_kextbridge_v1_OverflowPolicy__Output);
  /**
   * Events queued for this subscriber now.
   */
  'queued': (string);
  /**
   * Newest seq seen from the kernel minus newest seq sent to it.
   */
  'lag': (string);
  'delivered': (string);
  'lost': (string);
  'sinceMs': (string);
  /**
   * Bytes its queue keeps alive now (whole chunks of events: see
   * docs/daemon.md), and bytes written to its stream not yet taken by the
   * connection. Both count toward the queued-bytes budgets.
   */
  'queuedBytes': (string);
  'inFlightBytes': (string);
  /**
   * The program that opened its connection, as read at connect.
   */
  'program': (_kextbridge_v1_Program__Output | null);
}
