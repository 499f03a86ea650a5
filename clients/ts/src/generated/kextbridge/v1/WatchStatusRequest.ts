// Original file: proto/kextbridge/v1/bridge.proto


export interface WatchStatusRequest {
  /**
   * Minimum interval between counter updates; 0 means link changes only.
   */
  'intervalMs'?: (number);
}

export interface WatchStatusRequest__Output {
  /**
   * Minimum interval between counter updates; 0 means link changes only.
   */
  'intervalMs': (number);
}
