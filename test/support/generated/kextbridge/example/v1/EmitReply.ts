// Original file: proto/example/v1/example.proto

import type { Long } from '@grpc/proto-loader';

export interface EmitReply {
  'emitted'?: (number | string | Long);
  /**
   * Could not be queued: the daemon was not reading fast enough.
   */
  'lost'?: (number | string | Long);
  /**
   * Nobody was subscribed to the topic.
   */
  'unwanted'?: (number | string | Long);
  'cancelled'?: (boolean);
}

export interface EmitReply__Output {
  'emitted': (string);
  /**
   * Could not be queued: the daemon was not reading fast enough.
   */
  'lost': (string);
  /**
   * Nobody was subscribed to the topic.
   */
  'unwanted': (string);
  'cancelled': (boolean);
}
