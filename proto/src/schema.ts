// The kext's own .proto files as protobufjs reflection: what the typed
// proxy needs to check a request against its message type, re-encode it,
// and read each method's (kextbridge.v1.kernel) option. proto-loader builds
// the grpc-js service definitions from the same files; this is the second
// view of them that proto-loader does not expose.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as protobuf from 'protobufjs';
import { PROTO_ROOT } from './paths';

let commonRegistered = false;

// keepCase: field names as written (the kext's C generator); the daemon and
// clients use protobufjs's camelCase, as proto-loader does.
export function loadSchema(protoFiles: readonly string[], includeDirs: readonly string[] = [], keepCase = false): protobuf.Root {
  if (!commonRegistered) {
    // options.proto imports descriptor.proto; protobufjs ships it as JSON.
    const descriptor = require('protobufjs/google/protobuf/descriptor.json') as { nested: { google: { nested: { protobuf: { nested: Record<string, protobuf.AnyNestedObject> } } } } };
    protobuf.common('descriptor', descriptor.nested.google.nested.protobuf.nested);
    commonRegistered = true;
  }
  const dirs = [PROTO_ROOT, ...includeDirs];
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    if (isAbsolute(target)) return target;
    for (const dir of dirs) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    // Not ours: protobufjs falls back to its bundled google/protobuf files.
    return target;
  };
  for (const file of protoFiles) {
    try {
      root.loadSync(file, { keepCase });
    } catch (err) {
      throw new Error(parseError(file, err as Error));
    }
  }
  root.resolveAll();
  return root;
}

// protobufjs meets the end of a truncated file either as the token 'null'
// or, inside a block, with a TypeError of its own; neither says so.
export function parseError(file: string, err: Error): string {
  const truncated = 'unexpected end of file (is it truncated?)';
  if (err instanceof TypeError) return `${truncated} (${file})`;
  return err.message.replace(/^illegal token 'null'/, truncated);
}

// Every service in the loaded files except kextbridge.v1's own.
export function typedServices(root: protobuf.Root): protobuf.Service[] {
  const out: protobuf.Service[] = [];
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Service) {
        if (!child.fullName.startsWith('.kextbridge.v1.') && !child.fullName.startsWith('.grpc.')) out.push(child);
      } else if (child instanceof protobuf.Namespace) walk(child);
    }
  };
  walk(root);
  return out;
}
