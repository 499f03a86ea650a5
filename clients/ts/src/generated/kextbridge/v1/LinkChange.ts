// Original file: proto/kextbridge/v1/bridge.proto

import type { LinkState as _kextbridge_v1_LinkState, LinkState__Output as _kextbridge_v1_LinkState__Output } from '../../kextbridge/v1/LinkState';

export interface LinkChange {
  'state'?: (_kextbridge_v1_LinkState);
  'detail'?: (string);
}

export interface LinkChange__Output {
  'state': (_kextbridge_v1_LinkState__Output);
  'detail': (string);
}
