// Original file: proto/kextbridge/v1/bridge.proto

import type { Target as _kextbridge_v1_Target, Target__Output as _kextbridge_v1_Target__Output } from '../../kextbridge/v1/Target';

export interface CallRequest {
  'command'?: (_kextbridge_v1_Target | null);
  'payload'?: (Buffer | Uint8Array | string);
}

export interface CallRequest__Output {
  'command': (_kextbridge_v1_Target__Output | null);
  'payload': (Buffer);
}
