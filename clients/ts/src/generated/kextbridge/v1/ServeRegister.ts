// Original file: proto/kextbridge/v1/bridge.proto

import type { Target as _kextbridge_v1_Target, Target__Output as _kextbridge_v1_Target__Output } from '../../kextbridge/v1/Target';

export interface ServeRegister {
  'upcall'?: (_kextbridge_v1_Target | null);
}

export interface ServeRegister__Output {
  'upcall': (_kextbridge_v1_Target__Output | null);
}
