// Builds FileDescriptorProtos at run time and in JS (a daemon on macOS has
// no protoc): what the daemon's reflection serves, and what a test checks
// against protoc's own. Each .proto is parsed with protobufjs
// keeping field names as written, every object remembers its file, and a
// FileDescriptorProto is assembled per file the way protoc emits it (real
// file names, the file's own import list, snake_case fields with json_name,
// fully qualified type names, map fields as nested *Entry messages with
// map_entry, synthetic oneofs last, custom options encoded as extensions).
//
// google/protobuf/descriptor.proto comes from protobufjs's copy of the
// text file, so the options extension's defining chain is complete. Other
// well-known types not found in an include dir come from protobufjs's
// bundled JSON, which has no file options.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import * as protobuf from 'protobufjs';
import { LABEL_OPTIONAL, LABEL_REPEATED, LABEL_REQUIRED, SCALAR_TYPES, TYPE_ENUM, TYPE_GROUP, TYPE_MESSAGE } from './descriptor-constants';
import { parseError } from './schema';

export interface DescriptorFile {
  name: string;
  // The encoded FileDescriptorProto.
  bytes: Buffer;
  dependencies: string[];
  // Fully qualified names (no leading dot) of every message, enum, service,
  // method, field and extension the file defines.
  symbols: string[];
  // Extensions the file defines, as extendee (no leading dot) and number.
  extensions: { extendee: string; number: number }[];
}

export interface DescriptorSet {
  files: Map<string, DescriptorFile>;
  services: string[];
}

const PROTOBUFJS_ROOT = dirname(require.resolve('protobufjs/package.json'));

interface ParsedFile {
  name: string;
  syntax: string | undefined;
  pkg: string | undefined;
  imports: string[];
  weakImports: string[];
  // The file's text, read once: its file options are taken from it after
  // every file is parsed (protobufjs merges them per package).
  source?: string;
  // File options, when known without the text (protobufjs's bundled JSON).
  options?: Obj;
}

type Obj = Record<string, unknown>;

// protoc's ToJsonName: drop underscores, upper-case the letter after each.
export function jsonName(name: string): string {
  let out = '';
  let upper = false;
  for (const c of name) {
    if (c === '_') upper = true;
    else if (upper) {
      out += c.toUpperCase();
      upper = false;
    } else out += c;
  }
  return out;
}

function camelUpper(name: string): string {
  const j = jsonName(name);
  return j.charAt(0).toUpperCase() + j.slice(1);
}

// Every reflection object under root, nested ones included.
function allObjects(root: protobuf.Root): Set<protobuf.ReflectionObject> {
  const out = new Set<protobuf.ReflectionObject>();
  root.nestedArray.forEach(function collect(o) {
    out.add(o);
    if (o instanceof protobuf.Namespace) o.nestedArray.forEach(collect);
  });
  return out;
}

// Marks what an addition to root defined as the file's: protobufjs would
// take the name from a global (parse.filename) that every parse shares.
function markNew(root: protobuf.Root, before: Set<protobuf.ReflectionObject>, name: string): void {
  root.nestedArray.forEach(function mark(o) {
    if (!before.has(o) && !o.filename) o.filename = name;
    if (o instanceof protobuf.Namespace) o.nestedArray.forEach(mark);
  });
}

function loadFiles(entries: readonly string[], includeDirs: readonly string[]): { root: protobuf.Root; files: ParsedFile[] } {
  const root = new protobuf.Root();
  const dirs = [...includeDirs, PROTOBUFJS_ROOT];
  const files: ParsedFile[] = [];
  const seen = new Set<string>();
  const visit = (name: string, importedBy: string | undefined): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const dir = dirs.find((d) => existsSync(join(d, name)));
    const before = allObjects(root);
    if (dir === undefined) {
      const common = protobuf.common.get(name) as (protobuf.INamespace & { options?: Obj }) | null;
      if (!common?.nested) throw new Error(`${name} not found in ${dirs.join(', ')}${importedBy ? ` (imported by ${importedBy})` : ''}`);
      root.addJSON(common.nested);
      markNew(root, before, name);
      files.push({ name, syntax: 'proto3', pkg: 'google.protobuf', imports: [], weakImports: [], ...(common.options ? { options: common.options } : {}) });
      return;
    }
    const source = readFileSync(join(dir, name), 'utf8');
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(source, root, { keepCase: true, alternateCommentMode: false });
    } catch (err) {
      const message = parseError(name, err as Error);
      throw new Error(message.includes(name) ? message : `${name}: ${message}`);
    }
    markNew(root, before, name);
    const imports = parsed.imports ?? [];
    const weakImports = parsed.weakImports ?? [];
    for (const dep of [...imports, ...weakImports]) visit(dep, name);
    const syntax = /^\s*syntax\s*=\s*"(proto[23])"/m.exec(source)?.[1];
    files.push({ name, syntax, pkg: parsed.package, imports, weakImports, source });
  };
  for (const entry of entries) visit(entry, undefined);
  root.resolveAll();
  return { root, files };
}

function fq(o: protobuf.ReflectionObject): string {
  return o.fullName; // protobufjs: leading dot included
}

function fieldTypeOf(field: protobuf.Field): { type: number; type_name?: string } {
  const scalar = SCALAR_TYPES[field.type];
  if (scalar !== undefined) return { type: scalar };
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return { type: TYPE_ENUM, type_name: fq(resolved) };
  if (resolved instanceof protobuf.Type) return { type: (field as { delimited?: boolean }).delimited ? TYPE_GROUP : TYPE_MESSAGE, type_name: fq(resolved) };
  throw new Error(`${field.fullName}: unresolved type ${field.type}`);
}

// protobufjs keeps each option as written: `(ext).sub = v` or `name = v`.
// parsedOptions carries aggregate values ({ "(ext)": { ... } }).
function optionsObject(obj: protobuf.ReflectionObject, kind: string, skip: readonly string[] = []): Obj | undefined {
  const out: Obj = {};
  const optionsType = obj.root.lookup(`google.protobuf.${kind}Options`);
  const repeated = (name: string): boolean => optionsType instanceof protobuf.Type && Boolean(optionsType.fields[name]?.repeated);
  const parsed = (obj as { parsedOptions?: Obj[] }).parsedOptions ?? [];
  const plain = obj.options ?? {};
  const put = (key: string, value: unknown): void => {
    if (skip.includes(key)) return;
    if (key.startsWith('(')) {
      const close = key.indexOf(')');
      const extName = key.slice(1, close);
      const ext = obj.parent?.lookup(extName) ?? obj.root.lookup(extName);
      const name = ext ? fq(ext) : `.${extName}`;
      const rest = key.slice(close + 1);
      if (rest.startsWith('.')) {
        const prev = (out[name] as Obj | undefined) ?? {};
        setPath(prev, rest.slice(1).split('.'), value);
        out[name] = prev;
      } else out[name] = value;
    } else if (repeated(key)) out[key] = [...((out[key] as unknown[] | undefined) ?? []), ...(Array.isArray(value) ? value : [value])];
    else out[key] = value;
  };
  if (parsed.length > 0) for (const entry of parsed) for (const [k, v] of Object.entries(entry)) put(k, v);
  else for (const [k, v] of Object.entries(plain)) put(k, v);
  return Object.keys(out).length > 0 ? out : undefined;
}

function setPath(target: Obj, path: string[], value: unknown): void {
  let cur = target;
  for (const key of path.slice(0, -1)) cur = (cur[key] ??= {}) as Obj;
  cur[path[path.length - 1]!] = value;
}

interface FileCtx {
  symbols: string[];
  extensions: { extendee: string; number: number }[];
  syntax: string;
}

function fieldProto(field: protobuf.Field, oneofIndex: Map<protobuf.OneOf, number>, ctx: FileCtx): Obj {
  const out: Obj = { name: field.name, number: field.id, json_name: jsonName(field.name) };
  out.label = field.repeated ? LABEL_REPEATED : field.required ? LABEL_REQUIRED : LABEL_OPTIONAL;
  Object.assign(out, fieldTypeOf(field));
  if (field.partOf) out.oneof_index = oneofIndex.get(field.partOf);
  if (field.options?.['proto3_optional']) out.proto3_optional = true;
  if (ctx.syntax === 'proto2' && field.options && 'default' in field.options) out.default_value = String(field.options['default']);
  const opts = optionsObject(field, 'Field', ['proto3_optional', 'default']);
  if (opts) out.options = opts;
  if (field.extend !== undefined) {
    const extendee = field.extensionField?.parent ?? field.parent?.lookup(field.extend);
    if (extendee) {
      out.extendee = fq(extendee);
      ctx.extensions.push({ extendee: fq(extendee).slice(1), number: field.id });
    }
    ctx.symbols.push(fq(field).slice(1));
  }
  return out;
}

function enumProto(e: protobuf.Enum, ctx: FileCtx): Obj {
  ctx.symbols.push(fq(e).slice(1));
  const out: Obj = { name: e.name, value: Object.entries(e.values).map(([name, number]) => ({ name, number })) };
  const opts = optionsObject(e, 'Enum');
  if (opts) out.options = opts;
  if (e.reserved?.length) addReserved(out, e.reserved, false);
  return out;
}

// Message reserved ranges end exclusive in a descriptor, enum ones inclusive
// (as protobufjs keeps both).
function addReserved(out: Obj, reserved: (number[] | string)[], exclusiveEnd: boolean): void {
  const ranges = reserved.filter((r): r is number[] => Array.isArray(r)).map(([start, end]) => ({ start, end: exclusiveEnd ? end! + 1 : end }));
  const names = reserved.filter((r): r is string => typeof r === 'string');
  if (ranges.length) out.reserved_range = ranges;
  if (names.length) out.reserved_name = names;
}

function messageProto(type: protobuf.Type, ctx: FileCtx): Obj {
  ctx.symbols.push(fq(type).slice(1));
  // Real oneofs first, then proto3 optional's synthetic ones, as protoc.
  const isSynthetic = (o: protobuf.OneOf): boolean => o.fieldsArray.length === 1 && Boolean(o.fieldsArray[0]!.options?.['proto3_optional']);
  const oneofs = [...type.oneofsArray.filter((o) => !isSynthetic(o)), ...type.oneofsArray.filter(isSynthetic)];
  const oneofIndex = new Map(oneofs.map((o, i) => [o, i]));
  // Map entries after the declared nested messages: protoc keeps source
  // order, which protobufjs does not record; this is the order when nested
  // types are declared before the maps that use them.
  const mapEntries: Obj[] = [];
  const fields: Obj[] = [];
  for (const field of type.fieldsArray) {
    if (field.declaringField) continue; // an extension declared elsewhere
    ctx.symbols.push(fq(field).slice(1));
    if (field instanceof protobuf.MapField) {
      const entryName = `${camelUpper(field.name)}Entry`;
      const entryFq = `${fq(type)}.${entryName}`;
      const keyType = SCALAR_TYPES[field.keyType]!;
      const value = fieldTypeOf(field);
      mapEntries.push({
        name: entryName,
        field: [
          { name: 'key', number: 1, label: LABEL_OPTIONAL, type: keyType, json_name: 'key' },
          { name: 'value', number: 2, label: LABEL_OPTIONAL, ...value, json_name: 'value' },
        ],
        options: { map_entry: true },
      });
      fields.push({ name: field.name, number: field.id, label: LABEL_REPEATED, type: TYPE_MESSAGE, type_name: entryFq, json_name: jsonName(field.name) });
      continue;
    }
    fields.push(fieldProto(field, oneofIndex, ctx));
  }
  const out: Obj = { name: type.name, field: fields };
  const nested: Obj[] = [];
  const enums: Obj[] = [];
  const extensions: Obj[] = [];
  for (const child of type.nestedArray) {
    if (child instanceof protobuf.Type) nested.push(messageProto(child, ctx));
    else if (child instanceof protobuf.Enum) enums.push(enumProto(child, ctx));
    else if (child instanceof protobuf.Field) extensions.push(fieldProto(child, oneofIndex, ctx));
  }
  nested.push(...mapEntries);
  if (nested.length) out.nested_type = nested;
  if (enums.length) out.enum_type = enums;
  if (extensions.length) out.extension = extensions;
  if (oneofs.length) out.oneof_decl = oneofs.map((o) => ({ name: o.name }));
  for (const o of oneofs) ctx.symbols.push(fq(o).slice(1));
  if (type.extensions?.length) out.extension_range = type.extensions.map(([start, end]) => ({ start, end: end! >= 0x1fffffff ? 0x20000000 : end! + 1 }));
  if (type.reserved?.length) addReserved(out, type.reserved, true);
  const opts = optionsObject(type, 'Message');
  if (opts) out.options = opts;
  return out;
}

function serviceProto(service: protobuf.Service, ctx: FileCtx): Obj {
  ctx.symbols.push(fq(service).slice(1));
  const method = service.methodsArray.map((m) => {
    ctx.symbols.push(fq(m).slice(1));
    const out: Obj = {
      name: m.name,
      input_type: fq(m.resolvedRequestType!),
      output_type: fq(m.resolvedResponseType!),
    };
    const opts = optionsObject(m, 'Method');
    if (opts) out.options = opts;
    if (m.requestStream) out.client_streaming = true;
    if (m.responseStream) out.server_streaming = true;
    return out;
  });
  const out: Obj = { name: service.name, method };
  const opts = optionsObject(service, 'Service');
  if (opts) out.options = opts;
  return out;
}

// Top-level objects of a file: those whose filename is the file, reached
// through the namespaces of its package.
function topLevel(root: protobuf.Root, file: ParsedFile): protobuf.ReflectionObject[] {
  const pkgNs = file.pkg ? root.lookup(file.pkg) : root;
  if (!(pkgNs instanceof protobuf.Namespace)) return [];
  return pkgNs.nestedArray.filter((o) => o.filename === file.name && (o instanceof protobuf.Type || o instanceof protobuf.Enum || o instanceof protobuf.Service || o instanceof protobuf.Field));
}

// File-level options: protobufjs puts them on the package's namespace
// (shared by every file of the package); the file's own text says which.
function fileOptions(pkgNs: protobuf.ReflectionObject | null, source: string | undefined): Obj | undefined {
  if (!pkgNs || !source) return undefined;
  const out: Obj = {};
  for (const [key, value] of Object.entries(pkgNs.options ?? {})) {
    if (new RegExp(`^\\s*option\\s+${key.replace(/[().]/g, '\\$&')}\\s*=`, 'm').test(source)) out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

// An absolute path names the file relative to the include dir holding it
// (as protoc does), or to its own directory when none does: that directory
// is then searched too (extraDir).
function relativeName(file: string, includeDirs: readonly string[]): { name: string; extraDir?: string } {
  if (!isAbsolute(file)) return { name: file };
  const dir = includeDirs.find((d) => !relative(d, file).startsWith('..'));
  if (dir !== undefined) return { name: relative(dir, file).split(sep).join('/') };
  return { name: basename(file), extraDir: dirname(file) };
}

export function buildDescriptorSet(files: readonly string[], includeDirs: readonly string[]): DescriptorSet {
  const named = files.map((f) => relativeName(f, includeDirs));
  const extraDirs = named.flatMap((n) => (n.extraDir === undefined ? [] : [n.extraDir]));
  return build(named.map((n) => n.name), [...includeDirs, ...new Set(extraDirs)]);
}

function build(entries: readonly string[], includeDirs: readonly string[]): DescriptorSet {
  const { root, files } = loadFiles([...entries, 'google/protobuf/descriptor.proto'], includeDirs);
  const fileType = root.lookupType('google.protobuf.FileDescriptorProto');
  const out = new Map<string, DescriptorFile>();
  const services: string[] = [];
  for (const file of files) {
    const syntax = file.syntax ?? 'proto2';
    const ctx: FileCtx = { symbols: [], extensions: [], syntax };
    const messages: Obj[] = [];
    const enums: Obj[] = [];
    const svcs: Obj[] = [];
    const exts: Obj[] = [];
    for (const o of topLevel(root, file)) {
      if (o instanceof protobuf.Type) messages.push(messageProto(o, ctx));
      else if (o instanceof protobuf.Enum) enums.push(enumProto(o, ctx));
      else if (o instanceof protobuf.Service) {
        svcs.push(serviceProto(o, ctx));
        services.push(fq(o).slice(1));
      } else if (o instanceof protobuf.Field) exts.push(fieldProto(o, new Map(), ctx));
    }
    const proto: Obj = { name: file.name, dependency: [...file.imports, ...file.weakImports] };
    if (file.pkg) proto.package = file.pkg;
    if (file.weakImports.length) proto.weak_dependency = file.weakImports.map((_, i) => file.imports.length + i);
    if (messages.length) proto.message_type = messages;
    if (enums.length) proto.enum_type = enums;
    if (svcs.length) proto.service = svcs;
    if (exts.length) proto.extension = exts;
    const opts = file.options ?? fileOptions(file.pkg ? root.lookup(file.pkg) : null, file.source);
    if (opts) proto.options = opts;
    if (syntax !== 'proto2') proto.syntax = syntax;
    const bytes = Buffer.from(fileType.encode(fileType.fromObject(proto)).finish());
    out.set(file.name, { name: file.name, bytes, dependencies: proto.dependency as string[], symbols: ctx.symbols, extensions: ctx.extensions });
  }
  return { files: out, services };
}
