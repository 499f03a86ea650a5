// The bridge protocol as the client speaks it, loaded with the same
// conversions the generated types in ./generated describe
// (scripts/gen-ts-types.mjs): 64-bit integers as decimal strings, enums as
// names, bytes as Buffer, defaults filled in, oneof member names in a
// virtual field. A kext's own typed API is the caller's: see typedApi().
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_ROOT } from '@kextbridge/protocol';

import type { ProtoGrpcType as BridgeProto } from './generated/bridge';

export const LOADER_OPTIONS: protoLoader.Options = { longs: String, enums: String, defaults: true, oneofs: true };

let loaded: BridgeProto | undefined;

export function api(): BridgeProto {
  loaded ??= grpc.loadPackageDefinition(
    protoLoader.loadSync('kextbridge/v1/bridge.proto', { ...LOADER_OPTIONS, includeDirs: [PROTO_ROOT] }),
  ) as unknown as BridgeProto;
  return loaded;
}
