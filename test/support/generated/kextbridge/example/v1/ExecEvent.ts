// Original file: proto/example/v1/example.proto

import type { Lost as _kextbridge_v1_Lost, Lost__Output as _kextbridge_v1_Lost__Output } from '../../../kextbridge/v1/Lost';

export interface ExecEvent {
  'pid'?: (number);
  'ppid'?: (number);
  'uid'?: (number);
  'path'?: (string);
  /**
   * Set by the daemon alone, in a message of its own, where this watch
   * lost events (the kext never sends it).
   */
  'lost'?: (_kextbridge_v1_Lost | null);
  /**
   * Filler so load tests can choose the event size; empty otherwise.
   */
  'padding'?: (Buffer | Uint8Array | string);
}

export interface ExecEvent__Output {
  'pid': (number);
  'ppid': (number);
  'uid': (number);
  'path': (string);
  /**
   * Set by the daemon alone, in a message of its own, where this watch
   * lost events (the kext never sends it).
   */
  'lost': (_kextbridge_v1_Lost__Output | null);
  /**
   * Filler so load tests can choose the event size; empty otherwise.
   */
  'padding': (Buffer);
}
