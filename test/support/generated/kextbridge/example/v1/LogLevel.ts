// Original file: proto/example/v1/example.proto

import type { Long } from '@grpc/proto-loader';

export interface LogLevel {
  'level'?: (number | string | Long);
}

export interface LogLevel__Output {
  'level': (string);
}
