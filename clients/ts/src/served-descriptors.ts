// The kext's typed API as the daemon serves it, read through standard
// server reflection (grpc.reflection.v1), the way grpcurl reads it: the
// services listed, then for each typed one FileContainingSymbol, whose
// answer is the file and everything it imports.
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import { KextBridgeError } from './errors';

export interface ServedDescriptors {
  // Typed services: every listed service but the bridge's and gRPC's own.
  services: string[];
  // Encoded FileDescriptorProtos, each file once.
  files: Buffer[];
}

interface ReflectionResponse {
  messageResponse?: 'fileDescriptorResponse' | 'listServicesResponse' | 'errorResponse' | 'allExtensionNumbersResponse';
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  listServicesResponse?: { service: { name: string }[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

const REFLECTION_PROTO_ROOT = join(dirname(require.resolve('@grpc/reflection')), '../proto');
const METHOD = '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo';

let method: grpc.MethodDefinition<object, ReflectionResponse> | undefined;

function reflectionMethod(): grpc.MethodDefinition<object, ReflectionResponse> {
  if (!method) {
    const definition = protoLoader.loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [REFLECTION_PROTO_ROOT], keepCase: false, oneofs: true, longs: Number });
    const service = definition['grpc.reflection.v1.ServerReflection'] as grpc.ServiceDefinition;
    method = service['ServerReflectionInfo'] as grpc.MethodDefinition<object, ReflectionResponse>;
  }
  return method;
}

export function isTypedService(name: string): boolean {
  return !name.startsWith('kextbridge.v1.') && !name.startsWith('grpc.');
}

// One reflection stream, its questions asked one after another.
export async function readServedDescriptors(client: grpc.Client, options: grpc.CallOptions): Promise<ServedDescriptors> {
  const m = reflectionMethod();
  const call = client.makeBidiStreamRequest(METHOD, m.requestSerialize, m.responseDeserialize, new grpc.Metadata(), options);
  const answers = call[Symbol.asyncIterator]() as AsyncIterator<ReflectionResponse>;
  const ask = async (request: object, what: string): Promise<ReflectionResponse> => {
    call.write(request);
    const next = await answers.next();
    if (next.done) throw new KextBridgeError(grpc.status.UNAVAILABLE, `the daemon ended reflection before answering ${what}`);
    const r = next.value;
    if (r.errorResponse) throw new KextBridgeError(r.errorResponse.errorCode, `reflection: ${what}: ${r.errorResponse.errorMessage}`);
    return r;
  };
  try {
    const listed = await ask({ listServices: '*' }, 'the list of services');
    const services = (listed.listServicesResponse?.service ?? []).map((s) => s.name).filter(isTypedService).sort();
    const files = new Map<string, Buffer>();
    for (const service of services) {
      const r = await ask({ fileContainingSymbol: service }, `the file of ${service}`);
      for (const bytes of r.fileDescriptorResponse?.fileDescriptorProto ?? []) files.set(bytes.toString('base64'), bytes);
    }
    return { services, files: [...files.values()] };
  } catch (err) {
    throw KextBridgeError.from(err);
  } finally {
    call.end();
    call.cancel();
  }
}
