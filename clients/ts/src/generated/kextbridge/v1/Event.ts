// Original file: proto/kextbridge/v1/bridge.proto

import type { Long } from '@grpc/proto-loader';

export interface Event {
  'seq'?: (number | string | Long);
  'timeNs'?: (number | string | Long);
  'topic'?: (number);
  'payload'?: (Buffer | Uint8Array | string);
}

export interface Event__Output {
  'seq': (string);
  'timeNs': (string);
  'topic': (number);
  'payload': (Buffer);
}
