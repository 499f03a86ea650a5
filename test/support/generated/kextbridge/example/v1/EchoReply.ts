// Original file: proto/example/v1/example.proto


export interface EchoReply {
  'data'?: (Buffer | Uint8Array | string);
}

export interface EchoReply__Output {
  'data': (Buffer);
}
