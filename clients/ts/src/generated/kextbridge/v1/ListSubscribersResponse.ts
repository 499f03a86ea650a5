// Original file: proto/kextbridge/v1/bridge.proto

import type { Subscriber as _kextbridge_v1_Subscriber, Subscriber__Output as _kextbridge_v1_Subscriber__Output } from '../../kextbridge/v1/Subscriber';

export interface ListSubscribersResponse {
  'subscribers'?: (_kextbridge_v1_Subscriber)[];
}

export interface ListSubscribersResponse__Output {
  'subscribers': (_kextbridge_v1_Subscriber__Output)[];
}
