// The kext's typed API as a client sees it: the method bound to each
// command, topic, option and upcall, with its message types, so payloads
// can be given and shown as JSON. Read from the daemon (reflection), or
// from local .proto files given as an override, in which case every place
// where they disagree with what the daemon serves is listed.
import { bindService, bindingDisagreements, loadSchema, schemaFromDescriptors, typedServices, type ItemKind, type MethodBinding } from '@kextbridge/protocol';
import type * as protobuf from 'protobufjs';

export interface KextTypesSource {
  // 'daemon': from reflection; 'proto': from the override files.
  from: 'daemon' | 'proto';
  // The override files, when from is 'proto'.
  protoFiles: readonly string[];
}

export class KextTypes {
  readonly source: KextTypesSource;
  readonly bindings: readonly MethodBinding[];
  // Where the override disagrees with the daemon, one line each; empty
  // when they agree or when there is no override.
  readonly disagreements: readonly string[];
  // Why the daemon's types could not be read ('' when they were).
  readonly unavailable: string;

  constructor(source: KextTypesSource, bindings: readonly MethodBinding[], disagreements: readonly string[] = [], unavailable = '') {
    this.source = source;
    this.bindings = bindings;
    this.disagreements = disagreements;
    this.unavailable = unavailable;
  }

  // The method bound to a catalog item, by its name or id. Options have a
  // get and a set method: access picks one (get by default).
  find(kind: ItemKind, nameOrId: string | number, access: 'get' | 'set' = 'get'): MethodBinding | undefined {
    const named = this.bindings.filter((b) => b.kind === kind && (b.name === String(nameOrId) || b.id === Number(nameOrId)));
    return named.find((b) => b.access === undefined || b.access === access) ?? named[0];
  }

  // Which kind of item a name is, for messages ("watch echo": echo is a command).
  kindOf(name: string): ItemKind | undefined {
    return this.bindings.find((b) => b.name === name)?.kind;
  }
}

export function bindingsOf(root: protobuf.Root): MethodBinding[] {
  return typedServices(root).flatMap((s) => bindService(s).bindings);
}

export function servedBindings(files: readonly Uint8Array[]): MethodBinding[] {
  return bindingsOf(schemaFromDescriptors(files));
}

// The override's bindings, checked against the daemon's (when known).
export function overrideTypes(protoFiles: readonly string[], includeDirs: readonly string[], served: readonly MethodBinding[] | undefined, unavailable: string): KextTypes {
  const local = bindingsOf(loadSchema(protoFiles, includeDirs));
  const disagreements = served ? bindingDisagreements(served, local, { served: 'the daemon', local: protoFiles.join(', ') }) : [];
  return new KextTypes({ from: 'proto', protoFiles }, local, disagreements, unavailable);
}
