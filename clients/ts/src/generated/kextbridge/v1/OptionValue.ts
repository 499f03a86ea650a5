// Original file: proto/kextbridge/v1/bridge.proto

import type { Long } from '@grpc/proto-loader';

export interface OptionValue {
  'id'?: (number);
  'name'?: (string);
  'boolValue'?: (boolean);
  'int64Value'?: (number | string | Long);
  'stringValue'?: (string);
  'bytesValue'?: (Buffer | Uint8Array | string);
  'value'?: "boolValue"|"int64Value"|"stringValue"|"bytesValue";
}

export interface OptionValue__Output {
  'id': (number);
  'name': (string);
  'boolValue'?: (boolean);
  'int64Value'?: (string);
  'stringValue'?: (string);
  'bytesValue'?: (Buffer);
  'value'?: "boolValue"|"int64Value"|"stringValue"|"bytesValue";
}
