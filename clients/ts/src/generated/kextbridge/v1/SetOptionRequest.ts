// Original file: proto/kextbridge/v1/bridge.proto

import type { Target as _kextbridge_v1_Target, Target__Output as _kextbridge_v1_Target__Output } from '../../kextbridge/v1/Target';
import type { OptionValue as _kextbridge_v1_OptionValue, OptionValue__Output as _kextbridge_v1_OptionValue__Output } from '../../kextbridge/v1/OptionValue';

export interface SetOptionRequest {
  'option'?: (_kextbridge_v1_Target | null);
  'value'?: (_kextbridge_v1_OptionValue | null);
}

export interface SetOptionRequest__Output {
  'option': (_kextbridge_v1_Target__Output | null);
  'value': (_kextbridge_v1_OptionValue__Output | null);
}
