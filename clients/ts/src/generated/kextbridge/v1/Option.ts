// Original file: proto/kextbridge/v1/bridge.proto

import type { ValueType as _kextbridge_v1_ValueType, ValueType__Output as _kextbridge_v1_ValueType__Output } from '../../kextbridge/v1/ValueType';
import type { Long } from '@grpc/proto-loader';

export interface Option {
  'id'?: (number);
  'name'?: (string);
  'privileged'?: (boolean);
  'readonly'?: (boolean);
  'type'?: (_kextbridge_v1_ValueType);
  /**
   * INT64: bounds. STRING, BYTES: max is the longest value.
   */
  'min'?: (number | string | Long);
  'max'?: (number | string | Long);
}

export interface Option__Output {
  'id': (number);
  'name': (string);
  'privileged': (boolean);
  'readonly': (boolean);
  'type': (_kextbridge_v1_ValueType__Output);
  /**
   * INT64: bounds. STRING, BYTES: max is the longest value.
   */
  'min': (string);
  'max': (string);
}
