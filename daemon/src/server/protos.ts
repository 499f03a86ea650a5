// Loads the API the daemon serves: kextbridge.v1.Bridge, the typed
// services of the config's protoFiles, and grpc.health.v1 (so reflection
// lists it and grpcurl can call it by name), as one package definition for
// the server and for reflection.
//
// Convention for every message the handlers see (proto-loader options):
// camelCase field names (keepCase false), 64-bit integers as decimal
// strings (lossless for uint64 counters and seqs), enums as their names,
// bytes as Buffer, defaults filled in, and the name of the set member of
// each oneof in a virtual field of the oneof's name (e.g. `target.by`).
import { dirname, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { PROTO_ROOT, buildDescriptorSet, type DescriptorSet } from '@kextbridge/protocol';
import { REFLECTION_PROTO_FILES, REFLECTION_PROTO_ROOT } from './reflection';

export const BRIDGE_SERVICE = 'kextbridge.v1.Bridge';
export const HEALTH_SERVICE = 'grpc.health.v1.Health';

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

export interface LoadedApi {
  packageDefinition: protoLoader.PackageDefinition;
  // Subscribe's serializer passes a pre-encoded Buffer through (see
  // bridge/batch-encoding.ts); serializeBatch is the generated one.
  bridge: grpc.ServiceDefinition;
  serializeBatch: (batch: { items: unknown[] }) => Buffer;
  // The typed services of protoFiles, by fully qualified name.
  typed: Map<string, grpc.ServiceDefinition>;
  // What reflection serves: every file above (and grpc.reflection's own),
  // as protoc would describe it.
  descriptors: DescriptorSet;
}

// loadApi's descriptors by its packageDefinition, so a server given only
// the packageDefinition serves the real descriptors.
const descriptorsByDefinition = new WeakMap<protoLoader.PackageDefinition, DescriptorSet>();

export function descriptorsOf(packageDefinition: protoLoader.PackageDefinition): DescriptorSet | undefined {
  return descriptorsByDefinition.get(packageDefinition);
}

function isService(value: unknown): value is grpc.ServiceDefinition {
  if (typeof value !== 'object' || value === null || 'format' in value) return false;
  return Object.values(value).every((m) => typeof m === 'object' && m !== null && 'path' in m && 'requestStream' in m);
}

export function loadApi(protoFiles: readonly string[], includeDirs: readonly string[] = []): LoadedApi {
  // health.proto is found as health/v1/health.proto under its package's
  // proto/ directory; the path must be the same relative name grpc-health-
  // check itself loads so both agree on the file's identity.
  const healthRoot = resolve(dirname(healthProtoPath), '../..');
  const files = ['kextbridge/v1/bridge.proto', 'health/v1/health.proto', ...protoFiles];
  const allIncludeDirs = [PROTO_ROOT, healthRoot, ...includeDirs];
  const packageDefinition = protoLoader.loadSync(files, { ...LOADER_OPTIONS, includeDirs: allIncludeDirs });
  const descriptors = buildDescriptorSet([...files, ...REFLECTION_PROTO_FILES], [...allIncludeDirs, REFLECTION_PROTO_ROOT]);
  descriptorsByDefinition.set(packageDefinition, descriptors);
  const generated = packageDefinition[BRIDGE_SERVICE];
  if (!isService(generated)) throw new Error(`${BRIDGE_SERVICE} is missing from the loaded protos`);
  const subscribe = generated['Subscribe']!;
  const serializeBatch = subscribe.responseSerialize as (batch: { items: unknown[] }) => Buffer;
  const bridge = {
    ...generated,
    Subscribe: { ...subscribe, responseSerialize: (v: unknown) => (Buffer.isBuffer(v) ? v : serializeBatch(v as { items: unknown[] })) },
  } as grpc.ServiceDefinition;
  const typed = new Map<string, grpc.ServiceDefinition>();
  for (const [name, value] of Object.entries(packageDefinition)) {
    if (name !== BRIDGE_SERVICE && name !== HEALTH_SERVICE && isService(value)) typed.set(name, value);
  }
  return { packageDefinition, bridge, serializeBatch, typed, descriptors };
}
