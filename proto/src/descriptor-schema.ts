// The reverse of descriptors.ts: encoded FileDescriptorProtos (as server
// reflection sends them) back into protobufjs reflection, shaped as
// loadSchema() shapes a .proto read from disk: field and oneof names in
// camelCase, each file's syntax, and each method's (kextbridge.v1.kernel)
// option as a parsed option, so bindService() binds it the same way.
import * as protobuf from 'protobufjs';

import { LABEL_REPEATED, LABEL_REQUIRED, SCALAR_NAMES, TYPE_ENUM, TYPE_GROUP, TYPE_MESSAGE } from './descriptor-constants';
import { loadSchema } from './schema';

interface FieldDesc {
  name: string;
  number: number;
  label?: number;
  type?: number;
  typeName?: string;
  extendee?: string;
  oneofIndex?: number;
  proto3Optional?: boolean;
}

interface MessageDesc {
  name: string;
  field?: FieldDesc[];
  nestedType?: MessageDesc[];
  enumType?: EnumDesc[];
  extension?: FieldDesc[];
  oneofDecl?: { name: string }[];
  options?: { mapEntry?: boolean };
}

interface EnumDesc {
  name: string;
  value?: { name: string; number: number }[];
}

interface MethodDesc {
  name: string;
  inputType: string;
  outputType: string;
  clientStreaming?: boolean;
  serverStreaming?: boolean;
  options?: Record<string, unknown>;
}

interface FileDesc {
  name: string;
  package?: string;
  syntax?: string;
  messageType?: MessageDesc[];
  enumType?: EnumDesc[];
  service?: { name: string; method?: MethodDesc[] }[];
  extension?: FieldDesc[];
}

type Json = Record<string, unknown>;

// Names become keys of the JSON tree: only protobuf identifiers, and not
// __proto__, which as a key would replace an object's prototype.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checked(name: string | undefined, what: string): string {
  if (name === undefined || !IDENTIFIER.test(name)) throw new Error(`${what}: "${String(name)}" is not a protobuf name`);
  if (name === '__proto__') throw new Error(`${what}: "__proto__" cannot be used as a name here`);
  return name;
}

const KERNEL_EXTENSION = '.kextbridge.v1.kernel';
const KERNEL_OPTION = '(kextbridge.v1.kernel)';

let fileType: protobuf.Type | undefined;

// FileDescriptorProto with MethodOptions knowing the kernel extension:
// this package's own descriptor.proto and options.proto.
function fileDescriptorType(): protobuf.Type {
  fileType ??= loadSchema(['kextbridge/v1/options.proto']).lookupType('google.protobuf.FileDescriptorProto');
  return fileType;
}

export function decodeFileDescriptor(bytes: Uint8Array): FileDesc {
  const type = fileDescriptorType();
  return type.toObject(type.decode(bytes), { longs: Number, enums: Number, defaults: false, arrays: false }) as FileDesc;
}

function fieldJson(f: FieldDesc, where: string, mapEntries: Map<string, MessageDesc>): Json {
  const out: Json = { id: f.number };
  if (f.type === TYPE_GROUP) throw new Error(`${where}.${f.name}: proto2 groups are not supported`);
  const entry = f.typeName ? mapEntries.get(f.typeName) : undefined;
  if (entry) {
    const [key, value] = entry.field ?? [];
    out.keyType = SCALAR_NAMES[key!.type!];
    out.type = value!.type === TYPE_MESSAGE || value!.type === TYPE_ENUM ? value!.typeName : SCALAR_NAMES[value!.type!];
    return out;
  }
  if (f.type === TYPE_MESSAGE || f.type === TYPE_ENUM) out.type = f.typeName;
  else {
    const scalar = f.type === undefined ? undefined : SCALAR_NAMES[f.type];
    if (!scalar) throw new Error(`${where}.${f.name}: unknown field type ${f.type}`);
    out.type = scalar;
  }
  if (f.label === LABEL_REPEATED) out.rule = 'repeated';
  else if (f.label === LABEL_REQUIRED) out.rule = 'required';
  if (f.proto3Optional) out.options = { proto3_optional: true };
  if (f.extendee) out.extend = f.extendee;
  return out;
}

function enumJson(e: EnumDesc): Json {
  return { values: Object.fromEntries((e.value ?? []).map((v) => [checked(v.name, `a value of ${e.name}`), v.number])) };
}

function messageJson(m: MessageDesc, fullName: string): Json {
  // Map fields point at a nested *Entry message that protobufjs folds into
  // the field itself.
  const mapEntries = new Map((m.nestedType ?? []).filter((n) => n.options?.mapEntry).map((n) => [`${fullName}.${n.name}`, n]));
  const fields: Json = {};
  const oneofs = (m.oneofDecl ?? []).map((o) => ({ name: protobuf.util.camelCase(checked(o.name, `a oneof of ${fullName}`)), members: [] as string[] }));
  for (const f of m.field ?? []) {
    const name = protobuf.util.camelCase(checked(f.name, `a field of ${fullName}`));
    fields[name] = fieldJson(f, fullName, mapEntries);
    if (f.oneofIndex !== undefined) oneofs[f.oneofIndex]?.members.push(name);
  }
  const nested: Json = {};
  for (const n of m.nestedType ?? []) if (!n.options?.mapEntry) nested[checked(n.name, `a message in ${fullName}`)] = messageJson(n, `${fullName}.${n.name}`);
  for (const e of m.enumType ?? []) nested[checked(e.name, `an enum in ${fullName}`)] = enumJson(e);
  for (const x of m.extension ?? []) nested[protobuf.util.camelCase(checked(x.name, `an extension in ${fullName}`))] = fieldJson(x, fullName, new Map());
  const out: Json = { fields };
  if (oneofs.length) out.oneofs = Object.fromEntries(oneofs.map((o) => [o.name, { oneof: o.members }]));
  if (Object.keys(nested).length) out.nested = nested;
  return out;
}

function methodJson(m: MethodDesc): Json {
  const out: Json = { requestType: m.inputType, responseType: m.outputType };
  if (m.clientStreaming) out.requestStream = true;
  if (m.serverStreaming) out.responseStream = true;
  const kernel = m.options?.[KERNEL_EXTENSION];
  if (kernel !== undefined) out.parsedOptions = [{ [KERNEL_OPTION]: kernel }];
  return out;
}

// The namespace object of a package inside a JSON tree, made as needed.
function packageNode(tree: Json, pkg: string | undefined): Json {
  let node = tree;
  for (const part of pkg ? pkg.split('.').map((p) => checked(p, `package ${pkg}`)) : []) {
    const nested = (node.nested ??= {}) as Json;
    node = (nested[part] ??= {}) as Json;
  }
  return node;
}

// Every file given (each once: reflection sends a file again with every
// symbol that needs it), resolved together.
export function schemaFromDescriptors(encoded: readonly Uint8Array[]): protobuf.Root {
  const tree: Json = {};
  const seen = new Set<string>();
  for (const bytes of encoded) {
    const file = decodeFileDescriptor(bytes);
    if (seen.has(file.name)) continue;
    seen.add(file.name);
    const edition = file.syntax === 'proto3' ? 'proto3' : 'proto2';
    const prefix = file.package ? `.${file.package}` : '';
    const node = packageNode(tree, file.package);
    const nested = (node.nested ??= {}) as Json;
    const put = (name: string, value: Json): void => {
      checked(name, `a definition in ${file.name}`);
      if (nested[name] !== undefined) throw new Error(`${file.name}: ${prefix.slice(1)}.${name} is defined twice`);
      nested[name] = { ...value, edition };
    };
    for (const m of file.messageType ?? []) put(m.name, messageJson(m, `${prefix}.${m.name}`));
    for (const e of file.enumType ?? []) put(e.name, enumJson(e));
    for (const s of file.service ?? []) put(s.name, { methods: Object.fromEntries((s.method ?? []).map((m) => [checked(m.name, `a method of ${s.name}`), methodJson(m)])) });
    for (const x of file.extension ?? []) put(protobuf.util.camelCase(x.name), fieldJson(x, prefix.slice(1), new Map()));
  }
  const root = protobuf.Root.fromJSON(tree as protobuf.INamespace);
  root.resolveAll();
  return root;
}
