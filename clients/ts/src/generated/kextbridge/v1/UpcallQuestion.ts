// Original file: proto/kextbridge/v1/bridge.proto


export interface UpcallQuestion {
  /**
   * Answer with this id.
   */
  'id'?: (number);
  'upcall'?: (number);
  'payload'?: (Buffer | Uint8Array | string);
  /**
   * Time left before the kext applies its default.
   */
  'timeoutMs'?: (number);
  'defaultVerdict'?: (number);
}

export interface UpcallQuestion__Output {
  /**
   * Answer with this id.
   */
  'id': (number);
  'upcall': (number);
  'payload': (Buffer);
  /**
   * Time left before the kext applies its default.
   */
  'timeoutMs': (number);
  'defaultVerdict': (number);
}
