// Original file: proto/example/v1/example.proto


export interface SimulateExecRequest {
  'pid'?: (number);
  'ppid'?: (number);
  'uid'?: (number);
  /**
   * At most 1023 bytes.
   */
  'path'?: (string);
}

export interface SimulateExecRequest__Output {
  'pid': (number);
  'ppid': (number);
  'uid': (number);
  /**
   * At most 1023 bytes.
   */
  'path': (string);
}
