// Original file: proto/kextbridge/v1/bridge.proto

import type { Target as _kextbridge_v1_Target, Target__Output as _kextbridge_v1_Target__Output } from '../../kextbridge/v1/Target';

export interface GetOptionRequest {
  'option'?: (_kextbridge_v1_Target | null);
}

export interface GetOptionRequest__Output {
  'option': (_kextbridge_v1_Target__Output | null);
}
