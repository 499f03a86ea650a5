// Original file: proto/kextbridge/v1/bridge.proto


/**
 * The program behind a connection, as the daemon read it when the
 * connection was accepted (docs/security.md). Linux: path and, when the
 * policy names a program by contents, sha256. macOS: signature.
 */
export interface Program {
  'path'?: (string);
  /**
   * Lower-case hex of the executable's contents.
   */
  'sha256'?: (string);
  /**
   * What is known of its code signature.
   */
  'signature'?: (string);
}

/**
 * The program behind a connection, as the daemon read it when the
 * connection was accepted (docs/security.md). Linux: path and, when the
 * policy names a program by contents, sha256. macOS: signature.
 */
export interface Program__Output {
  'path': (string);
  /**
   * Lower-case hex of the executable's contents.
   */
  'sha256': (string);
  /**
   * What is known of its code signature.
   */
  'signature': (string);
}
