// Original file: proto/kextbridge/v1/bridge.proto


export interface UpcallAnswer {
  'id'?: (number);
  /**
   * 0 (OK): payload is the answer. Anything else: no answer, the kext
   * applies its default.
   */
  'status'?: (number);
  'payload'?: (Buffer | Uint8Array | string);
}

export interface UpcallAnswer__Output {
  'id': (number);
  /**
   * 0 (OK): payload is the answer. Anything else: no answer, the kext
   * applies its default.
   */
  'status': (number);
  'payload': (Buffer);
}
