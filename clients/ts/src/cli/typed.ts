// The CLI's view of the kext's typed API: given a command, topic or upcall
// name, the message types of the method bound to it (from the same .proto
// files the daemon serves), to turn JSON into request bytes and reply or
// event bytes back into JSON.
import type * as protobuf from 'protobufjs';

import { bindService, type ItemKind, type MethodBinding, loadSchema, typedServices } from '@kextbridge/protocol';

export class TypedApi {
  #bindings: MethodBinding[];

  constructor(protoFiles: readonly string[]) {
    const root = loadSchema(protoFiles);
    this.#bindings = typedServices(root).flatMap((s) => bindService(s).bindings);
  }

  find(kind: ItemKind, nameOrId: string | number): MethodBinding | undefined {
    return this.#bindings.find((b) => b.kind === kind && (b.name === String(nameOrId) || b.id === Number(nameOrId)));
  }

  // Another kind is named so: for messages ("watch echo": echo is a command).
  kindOf(name: string): ItemKind | undefined {
    return this.#bindings.find((b) => b.name === name)?.kind;
  }
}

export function encodeJson(type: protobuf.Type, json: string): Buffer {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new Error(`not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${type.name} must be given as a JSON object`);
  const problem = type.verify(type.fromObject(value as Record<string, unknown>));
  if (problem) throw new Error(`not a valid ${type.name}: ${problem}`);
  for (const key of Object.keys(value)) {
    if (!type.fields[key]) throw new Error(`${type.name} has no field "${key}"; it has: ${Object.keys(type.fields).join(', ') || 'none'}`);
  }
  return Buffer.from(type.encode(type.fromObject(value as Record<string, unknown>)).finish());
}

// proto3 JSON conventions: 64-bit integers as strings, enums by name,
// bytes as base64. Fields left at their defaults are shown unless
// `defaults` is false: scripts want every key, a one-line human view
// wants only what was set.
export function decodeToJson(type: protobuf.Type, bytes: Uint8Array, defaults = true): Record<string, unknown> {
  return type.toObject(type.decode(bytes), { longs: String, enums: String, bytes: String, defaults, oneofs: true });
}
