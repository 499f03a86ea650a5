// Original file: proto/kextbridge/v1/bridge.proto

import type { ServeRegister as _kextbridge_v1_ServeRegister, ServeRegister__Output as _kextbridge_v1_ServeRegister__Output } from '../../kextbridge/v1/ServeRegister';
import type { UpcallAnswer as _kextbridge_v1_UpcallAnswer, UpcallAnswer__Output as _kextbridge_v1_UpcallAnswer__Output } from '../../kextbridge/v1/UpcallAnswer';

export interface ServeRequest {
  /**
   * First message: which upcall this stream serves.
   */
  'register'?: (_kextbridge_v1_ServeRegister | null);
  'answer'?: (_kextbridge_v1_UpcallAnswer | null);
  'msg'?: "register"|"answer";
}

export interface ServeRequest__Output {
  /**
   * First message: which upcall this stream serves.
   */
  'register'?: (_kextbridge_v1_ServeRegister__Output | null);
  'answer'?: (_kextbridge_v1_UpcallAnswer__Output | null);
  'msg'?: "register"|"answer";
}
