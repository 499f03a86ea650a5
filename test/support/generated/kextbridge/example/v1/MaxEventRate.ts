// Original file: proto/example/v1/example.proto

import type { Long } from '@grpc/proto-loader';

export interface MaxEventRate {
  'ratePerSec'?: (number | string | Long);
}

export interface MaxEventRate__Output {
  'ratePerSec': (string);
}
