// The protos the client speaks, loaded with the same conversions the
// generated types in ./generated describe (scripts/gen-ts-types.mjs):
// 64-bit integers as decimal strings, enums as names, bytes as Buffer,
// defaults filled in, oneof member names in a virtual field.
import { join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import type { ProtoGrpcType as BridgeProto } from './generated/bridge';
import type { ProtoGrpcType as ExampleProto } from './generated/example';

// From dist/clients/ts/src back to the package root.
export const PROTO_DIR = resolve(__dirname, '../../../../proto');

export const LOADER_OPTIONS: protoLoader.Options = { longs: String, enums: String, defaults: true, oneofs: true };

let loaded: (BridgeProto & ExampleProto) | undefined;

export function api(): BridgeProto & ExampleProto {
  loaded ??= grpc.loadPackageDefinition(
    protoLoader.loadSync([join('kextbridge/v1/bridge.proto'), 'example/v1/example.proto'], { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] }),
  ) as unknown as BridgeProto & ExampleProto;
  return loaded;
}
