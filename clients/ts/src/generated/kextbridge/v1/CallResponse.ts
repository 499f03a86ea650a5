// Original file: proto/kextbridge/v1/bridge.proto


export interface CallResponse {
  'payload'?: (Buffer | Uint8Array | string);
}

export interface CallResponse__Output {
  'payload': (Buffer);
}
