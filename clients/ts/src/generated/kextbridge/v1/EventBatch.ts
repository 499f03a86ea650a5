// Original file: proto/kextbridge/v1/bridge.proto

import type { BatchItem as _kextbridge_v1_BatchItem, BatchItem__Output as _kextbridge_v1_BatchItem__Output } from '../../kextbridge/v1/BatchItem';

export interface EventBatch {
  'items'?: (_kextbridge_v1_BatchItem)[];
}

export interface EventBatch__Output {
  'items': (_kextbridge_v1_BatchItem__Output)[];
}
