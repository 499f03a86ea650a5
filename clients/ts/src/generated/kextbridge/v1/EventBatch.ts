// Original file: proto/kextbridge/v1/bridge.proto

import type { BatchItem as _kextbridge_v1_BatchItem, BatchItem__Output as _kextbridge_v1_BatchItem__Output } from '../../kextbridge/v1/BatchItem';
import type { Long } from '@grpc/proto-loader';

export interface EventBatch {
  'items'?: (_kextbridge_v1_BatchItem)[];
  /**
   * Set in a Subscribe's first message (which may hold no items): the
   * daemon's epoch, to send back as since_epoch when resuming.
   */
  'epoch'?: (number | string | Long);
}

export interface EventBatch__Output {
  'items': (_kextbridge_v1_BatchItem__Output)[];
  /**
   * Set in a Subscribe's first message (which may hold no items): the
   * daemon's epoch, to send back as since_epoch when resuming.
   */
  'epoch': (string);
}
