// Original file: proto/example/v1/example.proto


/**
 * The answer.
 */
export interface ExecVerdict {
  'allow'?: (boolean);
}

/**
 * The answer.
 */
export interface ExecVerdict__Output {
  'allow': (boolean);
}
