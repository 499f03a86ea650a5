// A grpc.reflection.v1 client, as grpcurl uses it: list services, fetch
// descriptors.
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

type Response = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Reflection {
  ask(request: object): Promise<Response>;
  close(): void;
}

// version: v1, or v1alpha (what older stock clients ask).
export function reflectionClient(socket: string, version: 'v1' | 'v1alpha' = 'v1'): Reflection {
  const reflectionProto = join(dirname(require.resolve('@grpc/reflection')), '../proto');
  const definition = protoLoader.loadSync(`grpc/reflection/${version}/reflection.proto`, { includeDirs: [reflectionProto], keepCase: false, oneofs: true });
  const Ctor = grpc.makeGenericClientConstructor(definition[`grpc.reflection.${version}.ServerReflection`] as grpc.ServiceDefinition, 'ServerReflection');
  const client = new Ctor(`unix://${socket}`, grpc.credentials.createInsecure()) as grpc.Client & Record<string, () => grpc.ClientDuplexStream<object, Response>>;
  return {
    ask: (request) =>
      new Promise<Response>((resolve, reject) => {
        const stream = client['serverReflectionInfo']!();
        stream.once('data', (response: Response) => {
          stream.end();
          resolve(response);
        });
        stream.once('error', reject);
        stream.write(request);
      }),
    close: () => client.close(),
  };
}

export async function listServices(socket: string, version: 'v1' | 'v1alpha' = 'v1'): Promise<string[]> {
  const r = reflectionClient(socket, version);
  try {
    const listed = await r.ask({ listServices: '*' });
    return (listed['listServicesResponse'].service as { name: string }[]).map((s) => s.name).sort();
  } finally {
    r.close();
  }
}
