// Original file: proto/example/v1/example.proto

import type { Lost as _kextbridge_v1_Lost, Lost__Output as _kextbridge_v1_Lost__Output } from '../../../kextbridge/v1/Lost';
import type { Long } from '@grpc/proto-loader';

export interface Heartbeat {
  'count'?: (number | string | Long);
  'uptimeNs'?: (number | string | Long);
  /**
   * As in ExecEvent.
   */
  'lost'?: (_kextbridge_v1_Lost | null);
  'padding'?: (Buffer | Uint8Array | string);
}

export interface Heartbeat__Output {
  'count': (string);
  'uptimeNs': (string);
  /**
   * As in ExecEvent.
   */
  'lost': (_kextbridge_v1_Lost__Output | null);
  'padding': (Buffer);
}
