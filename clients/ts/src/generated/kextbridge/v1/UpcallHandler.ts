// Original file: proto/kextbridge/v1/bridge.proto

import type { Program as _kextbridge_v1_Program, Program__Output as _kextbridge_v1_Program__Output } from '../../kextbridge/v1/Program';
import type { Long } from '@grpc/proto-loader';

/**
 * One Serve stream. Every healthy handler of an upcall is asked each
 * question; docs/security.md has how their answers are decided.
 */
export interface UpcallHandler {
  'id'?: (number | string | Long);
  'upcall'?: (number);
  'uid'?: (number);
  'pid'?: (number);
  /**
   * Rank in the vote: 0 root, 1 the admin group, 2 any other granted user.
   */
  'standing'?: (number);
  /**
   * False while set aside for missing deadlines (asked only when no
   * healthy handler of the upcall is left).
   */
  'healthy'?: (boolean);
  'asked'?: (number | string | Long);
  'answered'?: (number | string | Long);
  'missed'?: (number | string | Long);
  'missedInARow'?: (number);
  /**
   * How long it remains set aside.
   */
  'restingMs'?: (number | string | Long);
  'sinceMs'?: (number | string | Long);
  /**
   * The program that opened its connection, as read at connect.
   */
  'program'?: (_kextbridge_v1_Program | null);
}

/**
 * One Serve stream. Every healthy handler of an upcall is asked each
 * question; docs/security.md has how their answers are decided.
 */
export interface UpcallHandler__Output {
  'id': (string);
  'upcall': (number);
  'uid': (number);
  'pid': (number);
  /**
   * Rank in the vote: 0 root, 1 the admin group, 2 any other granted user.
   */
  'standing': (number);
  /**
   * False while set aside for missing deadlines (asked only when no
   * healthy handler of the upcall is left).
   */
  'healthy': (boolean);
  'asked': (string);
  'answered': (string);
  'missed': (string);
  'missedInARow': (number);
  /**
   * How long it remains set aside.
   */
  'restingMs': (string);
  'sinceMs': (string);
  /**
   * The program that opened its connection, as read at connect.
   */
  'program': (_kextbridge_v1_Program__Output | null);
}
