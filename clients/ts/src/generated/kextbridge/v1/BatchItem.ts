// Original file: proto/kextbridge/v1/bridge.proto

import type { Event as _kextbridge_v1_Event, Event__Output as _kextbridge_v1_Event__Output } from '../../kextbridge/v1/Event';
import type { Lost as _kextbridge_v1_Lost, Lost__Output as _kextbridge_v1_Lost__Output } from '../../kextbridge/v1/Lost';
import type { LinkChange as _kextbridge_v1_LinkChange, LinkChange__Output as _kextbridge_v1_LinkChange__Output } from '../../kextbridge/v1/LinkChange';

export interface BatchItem {
  'event'?: (_kextbridge_v1_Event | null);
  'lost'?: (_kextbridge_v1_Lost | null);
  'link'?: (_kextbridge_v1_LinkChange | null);
  'item'?: "event"|"lost"|"link";
}

export interface BatchItem__Output {
  'event'?: (_kextbridge_v1_Event__Output | null);
  'lost'?: (_kextbridge_v1_Lost__Output | null);
  'link'?: (_kextbridge_v1_LinkChange__Output | null);
  'item'?: "event"|"lost"|"link";
}
