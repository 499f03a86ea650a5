// Original file: proto/example/v1/example.proto


/**
 * The question authorize_exec asks.
 */
export interface ExecAuthorization {
  'pid'?: (number);
  'uid'?: (number);
  'path'?: (string);
}

/**
 * The question authorize_exec asks.
 */
export interface ExecAuthorization__Output {
  'pid': (number);
  'uid': (number);
  'path': (string);
}
