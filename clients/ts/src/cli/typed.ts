// JSON in and out of the kext's typed messages (see ../kext-types.ts for
// where the types come from), with proto3 JSON's conventions.
import type * as protobuf from 'protobufjs';

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

// A message given as plain values (Buffers for bytes), shown as JSON.
export function messageJson(type: protobuf.Type, value: Record<string, unknown>): Record<string, unknown> {
  return type.toObject(type.fromObject(value), { longs: String, enums: String, bytes: String, defaults: true, oneofs: true });
}

// proto3 JSON conventions: 64-bit integers as strings, enums by name,
// bytes as base64. Fields left at their defaults are shown unless
// `defaults` is false: scripts want every key, a one-line human view
// wants only what was set.
export function decodeToJson(type: protobuf.Type, bytes: Uint8Array, defaults = true): Record<string, unknown> {
  return type.toObject(type.decode(bytes), { longs: String, enums: String, bytes: String, defaults, oneofs: true });
}
