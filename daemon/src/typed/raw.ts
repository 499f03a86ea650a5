import type * as grpc from '@grpc/grpc-js';

type Raw = Buffer;

// grpc-js definitions that hand the handlers raw request bytes and send
// raw reply bytes: the proxy decodes and encodes itself, once.
export function rawDefinition(definition: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<Raw, Raw>> = {};
  for (const [name, m] of Object.entries(definition)) {
    out[name] = { ...m, requestDeserialize: (b: Buffer) => b, responseSerialize: (v: Raw) => v, requestSerialize: (v: Raw) => v, responseDeserialize: (b: Buffer) => b };
  }
  return out as grpc.ServiceDefinition;
}
