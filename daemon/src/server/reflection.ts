// grpc.reflection.v1 and v1alpha answered from a DescriptorSet
// (@kextbridge/protocol's descriptor builder): real file names, each file sent with the files it
// imports (transitively, the asked-for file first), symbols looked up by
// fully qualified name, extensions by extendee and number. The two versions
// share one message layout, so one handler serves both.
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { DescriptorSet } from '@kextbridge/protocol';

export const REFLECTION_SERVICES = ['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'] as const;
export const REFLECTION_PROTO_ROOT = join(dirname(require.resolve('@grpc/reflection')), '../proto');
export const REFLECTION_PROTO_FILES = ['grpc/reflection/v1/reflection.proto', 'grpc/reflection/v1alpha/reflection.proto'] as const;

interface ExtensionRequest {
  containingType: string;
  extensionNumber: number;
}

interface ReflectionRequest {
  host?: string;
  messageRequest?: 'fileByFilename' | 'fileContainingSymbol' | 'fileContainingExtension' | 'allExtensionNumbersOfType' | 'listServices';
  fileByFilename?: string;
  fileContainingSymbol?: string;
  fileContainingExtension?: ExtensionRequest;
  allExtensionNumbersOfType?: string;
  listServices?: string;
}

type ReflectionResponse = Record<string, unknown>;

export class ReflectionIndex {
  readonly #byFile: DescriptorSet['files'];
  readonly #bySymbol = new Map<string, string>();
  readonly #byExtension = new Map<string, Map<number, string>>();
  readonly services: string[];

  constructor(set: DescriptorSet) {
    this.#byFile = set.files;
    this.services = [...set.services].sort();
    for (const file of set.files.values()) {
      for (const symbol of file.symbols) if (!this.#bySymbol.has(symbol)) this.#bySymbol.set(symbol, file.name);
      for (const { extendee, number } of file.extensions) {
        const numbers = this.#byExtension.get(extendee) ?? new Map<number, string>();
        numbers.set(number, file.name);
        this.#byExtension.set(extendee, numbers);
      }
    }
  }

  // The file and everything it imports, the file first, each once.
  fileWithDependencies(name: string): Buffer[] | undefined {
    if (!this.#byFile.has(name)) return undefined;
    const order: string[] = [];
    const visit = (n: string): void => {
      if (order.includes(n)) return;
      const file = this.#byFile.get(n);
      if (!file) return;
      order.push(n);
      file.dependencies.forEach(visit);
    };
    visit(name);
    return order.map((n) => this.#byFile.get(n)!.bytes);
  }

  fileOfSymbol(symbol: string): string | undefined {
    return this.#bySymbol.get(symbol.replace(/^\./, ''));
  }

  fileOfExtension(extendee: string, number: number): string | undefined {
    return this.#byExtension.get(extendee.replace(/^\./, ''))?.get(number);
  }

  extensionNumbers(extendee: string): number[] | undefined {
    const name = extendee.replace(/^\./, '');
    if (!this.#bySymbol.has(name)) return undefined;
    return [...(this.#byExtension.get(name)?.keys() ?? [])].sort((a, b) => a - b);
  }

  answer(request: ReflectionRequest): ReflectionResponse {
    const base: ReflectionResponse = { validHost: request.host ?? '', originalRequest: request };
    const error = (code: grpc.status, message: string): ReflectionResponse => ({ ...base, errorResponse: { errorCode: code, errorMessage: message } });
    const files = (name: string | undefined, what: string): ReflectionResponse => {
      const found = name === undefined ? undefined : this.fileWithDependencies(name);
      return found ? { ...base, fileDescriptorResponse: { fileDescriptorProto: found } } : error(grpc.status.NOT_FOUND, `${what} not found`);
    };
    switch (request.messageRequest) {
      case 'listServices':
        return { ...base, listServicesResponse: { service: this.services.map((name) => ({ name })) } };
      case 'fileByFilename':
        return files(request.fileByFilename, `file ${request.fileByFilename}`);
      case 'fileContainingSymbol':
        return files(this.fileOfSymbol(request.fileContainingSymbol ?? ''), `symbol ${request.fileContainingSymbol}`);
      case 'fileContainingExtension': {
        const ext = request.fileContainingExtension;
        return files(ext ? this.fileOfExtension(ext.containingType, ext.extensionNumber) : undefined, `extension ${ext?.containingType}(${ext?.extensionNumber})`);
      }
      case 'allExtensionNumbersOfType': {
        const type = request.allExtensionNumbersOfType ?? '';
        const numbers = this.extensionNumbers(type);
        return numbers
          ? { ...base, allExtensionNumbersResponse: { baseTypeName: type.replace(/^\./, ''), extensionNumber: numbers } }
          : error(grpc.status.NOT_FOUND, `type ${type} not found`);
      }
      default:
        return error(grpc.status.UNIMPLEMENTED, 'unknown reflection request');
    }
  }
}

let reflectionDefinition: protoLoader.PackageDefinition | undefined;

function definitions(): protoLoader.PackageDefinition {
  reflectionDefinition ??= protoLoader.loadSync([...REFLECTION_PROTO_FILES], {
    includeDirs: [REFLECTION_PROTO_ROOT],
    keepCase: false,
    oneofs: true,
    longs: Number,
  });
  return reflectionDefinition;
}

// Adds both reflection versions to the server; answers come from
// current(), so a new set takes effect for the next request.
export function addReflection(server: grpc.Server, current: () => ReflectionIndex): void {
  const defs = definitions();
  for (const name of REFLECTION_SERVICES) {
    const service = defs[name] as grpc.ServiceDefinition;
    server.addService(service, {
      ServerReflectionInfo: (call: grpc.ServerDuplexStream<ReflectionRequest, ReflectionResponse>) => {
        call.on('data', (request: ReflectionRequest) => {
          call.write(current().answer(request));
        });
        call.on('end', () => call.end());
        call.on('error', () => {});
      },
    });
  }
}
