// Original file: proto/kextbridge/v1/bridge.proto

import type { Subscriber as _kextbridge_v1_Subscriber, Subscriber__Output as _kextbridge_v1_Subscriber__Output } from '../../kextbridge/v1/Subscriber';
import type { UpcallHandler as _kextbridge_v1_UpcallHandler, UpcallHandler__Output as _kextbridge_v1_UpcallHandler__Output } from '../../kextbridge/v1/UpcallHandler';

export interface ListSubscribersResponse {
  'subscribers'?: (_kextbridge_v1_Subscriber)[];
  'upcallHandlers'?: (_kextbridge_v1_UpcallHandler)[];
}

export interface ListSubscribersResponse__Output {
  'subscribers': (_kextbridge_v1_Subscriber__Output)[];
  'upcallHandlers': (_kextbridge_v1_UpcallHandler__Output)[];
}
