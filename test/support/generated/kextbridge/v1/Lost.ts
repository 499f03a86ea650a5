// Original file: proto/kextbridge/v1/loss.proto

import type { LossSource as _kextbridge_v1_LossSource, LossSource__Output as _kextbridge_v1_LossSource__Output } from '../../kextbridge/v1/LossSource';
import type { Long } from '@grpc/proto-loader';

export interface Lost {
  'count'?: (number | string | Long);
  'firstSeq'?: (number | string | Long);
  'lastSeq'?: (number | string | Long);
  'source'?: (_kextbridge_v1_LossSource);
  /**
   * Topic the loss belongs to, when known.
   */
  'topic'?: (number);
  /**
   * Set when the count cannot be known (count is then 0): a since_seq
   * from another daemon epoch, or ahead of the newest seq. Says why.
   */
  'detail'?: (string);
}

export interface Lost__Output {
  'count': (string);
  'firstSeq': (string);
  'lastSeq': (string);
  'source': (_kextbridge_v1_LossSource__Output);
  /**
   * Topic the loss belongs to, when known.
   */
  'topic': (number);
  /**
   * Set when the count cannot be known (count is then 0): a since_seq
   * from another daemon epoch, or ahead of the newest seq. Says why.
   */
  'detail': (string);
}
