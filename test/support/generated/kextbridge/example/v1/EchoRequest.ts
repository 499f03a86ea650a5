// Original file: proto/example/v1/example.proto


export interface EchoRequest {
  'data'?: (Buffer | Uint8Array | string);
}

export interface EchoRequest__Output {
  'data': (Buffer);
}
