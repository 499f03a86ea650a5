// The typed services of the configured .proto files, each with the grpc-js
// definition to serve it under (raw bytes in and out) and its bindings;
// or every reason some method cannot be served.
import type * as grpc from '@grpc/grpc-js';
import type * as protobuf from 'protobufjs';
import type { Config } from '../config/schema';
import { loadApi, type LoadedApi } from '../server/protos';
import { bindService, type MethodBinding, loadSchema, typedServices } from '@kextbridge/protocol';
import { rawDefinition } from './raw';

export interface TypedService {
  name: string;
  definition: grpc.ServiceDefinition;
  bindings: MethodBinding[];
}

export type TypedLoad = { ok: true; services: TypedService[]; bindings: MethodBinding[] } | { ok: false; errors: string[] };

// root: loadSchema() of the same files api was loaded from.
export function loadTypedServices(api: LoadedApi, root: protobuf.Root): TypedLoad {
  const services: TypedService[] = [];
  const errors: string[] = [];
  for (const service of typedServices(root)) {
    const name = service.fullName.replace(/^\./, '');
    const definition = api.typed.get(name);
    if (!definition) {
      errors.push(`${name}: found by protobufjs but not by proto-loader`);
      continue;
    }
    const bound = bindService(service);
    errors.push(...bound.errors);
    services.push({ name, definition: rawDefinition(definition), bindings: bound.bindings });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, services, bindings: services.flatMap((s) => s.bindings) };
}

export type ServedApi = { ok: true; api: LoadedApi; typedServices: TypedService[]; bindings: MethodBinding[] } | { ok: false; errors: string[] };

// The API to serve: a .proto that does not parse, or a typed method that
// cannot be served, stops the daemon before it serves anything.
export function loadServedApi(config: Pick<Config, 'protoFiles' | 'protoIncludeDirs'>): ServedApi {
  let api: LoadedApi;
  let root: protobuf.Root;
  try {
    // protobufjs first: its parse errors name the file and line.
    root = loadSchema(config.protoFiles, config.protoIncludeDirs);
    api = loadApi(config.protoFiles, config.protoIncludeDirs);
  } catch (err) {
    return { ok: false, errors: [`protoFiles: cannot load ${config.protoFiles.join(', ')}: ${(err as Error).message}`] };
  }
  const typed = loadTypedServices(api, root);
  if (!typed.ok) return { ok: false, errors: typed.errors.map((e) => `protoFiles: ${e}`) };
  return { ok: true, api, typedServices: typed.services, bindings: typed.bindings };
}
