// Reads each method's (kextbridge.v1.kernel) option: which command, topic,
// upcall or option of the kext the method stands for, and whether the
// method's shape fits it. A binding that cannot work is an error at load
// time, named by service and method, so a bad .proto never starts serving.
import * as protobuf from 'protobufjs';

// What a catalog item is, by the kext's own catalog and by the (kernel)
// option of a typed method.
export type ItemKind = 'command' | 'topic' | 'option' | 'upcall';

export interface MethodBinding {
  // '/kextbridge.example.v1.Example/Echo', as grpc-js routes it.
  path: string;
  // 'kextbridge.example.v1.Example.Echo', for messages.
  label: string;
  kind: ItemKind;
  id: number;
  // The catalog name the option says the id carries; '' when it names none.
  name: string;
  request: protobuf.Type;
  response: protobuf.Type;
  // Option bindings: get (no request fields) or set (the request's one
  // field is the value); the value goes in the response's first field.
  access?: 'get' | 'set';
  // Topic bindings: a response field of type kextbridge.v1.Lost, if the
  // author gave the event message one; loss is then told in-band.
  lostField?: protobuf.Field;
}

const OPTION = '(kextbridge.v1.kernel)';
const KINDS: readonly ItemKind[] = ['command', 'topic', 'upcall', 'option'];
const SHAPES: Record<ItemKind, { req: boolean; res: boolean; text: string }> = {
  command: { req: false, res: false, text: 'unary: rpc M(Request) returns (Reply)' },
  option: { req: false, res: false, text: 'unary: rpc M(Request) returns (Value)' },
  topic: { req: false, res: true, text: 'server-streaming: rpc M(Request) returns (stream Event)' },
  upcall: { req: true, res: true, text: 'bidirectional: rpc M(stream Answer) returns (stream Question)' },
};
// Field types that can carry each kind of option value.
export const OPTION_FIELD_TYPES = new Set(['bool', 'int64', 'uint64', 'sint64', 'int32', 'uint32', 'sint32', 'fixed64', 'sfixed64', 'fixed32', 'sfixed32', 'string', 'bytes']);
const LOST_TYPE = '.kextbridge.v1.Lost';

function kernelOption(m: protobuf.Method): Record<string, unknown> | undefined {
  for (const o of m.parsedOptions ?? []) {
    const v = (o as Record<string, unknown>)[OPTION];
    if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
  }
  return undefined;
}

export function bindService(service: protobuf.Service): { bindings: MethodBinding[]; errors: string[] } {
  const bindings: MethodBinding[] = [];
  const errors: string[] = [];
  const serviceName = service.fullName.replace(/^\./, '');
  for (const m of service.methodsArray) {
    const label = `${serviceName}.${m.name}`;
    const opt = kernelOption(m);
    if (!opt) {
      errors.push(`${label}: no ${OPTION} option; say which command, topic, upcall or option of the kext it stands for`);
      continue;
    }
    const set = KINDS.filter((k) => opt[k] !== undefined);
    if (set.length !== 1) {
      errors.push(`${label}: ${OPTION} must set exactly one of command, topic, upcall, option`);
      continue;
    }
    const kind = set[0]!;
    const id = Number(opt[kind]);
    if (!Number.isInteger(id) || id < 1 || id > 0xffff) {
      errors.push(`${label}: ${OPTION} ${kind} id ${String(opt[kind])} is not a catalog id (1..65535)`);
      continue;
    }
    const shape = SHAPES[kind];
    if (Boolean(m.requestStream) !== shape.req || Boolean(m.responseStream) !== shape.res) {
      errors.push(`${label}: bound to ${kind} ${id}, so it must be ${shape.text}`);
      continue;
    }
    const request = m.resolvedRequestType!;
    const response = m.resolvedResponseType!;
    const b: MethodBinding = { path: `/${serviceName}/${m.name}`, label, kind, id, name: typeof opt['name'] === 'string' ? opt['name'] : '', request, response };
    if (kind === 'option') {
      const reqFields = request.fieldsArray;
      const value = response.fieldsArray[0];
      if (reqFields.length > 1) {
        errors.push(`${label}: an option method takes an empty request (get) or one with a single value field (set); ${request.name} has ${reqFields.length}`);
        continue;
      }
      if (!value || !OPTION_FIELD_TYPES.has(value.type) || value.repeated) {
        errors.push(`${label}: the reply ${response.name} needs a scalar value field first (bool, an integer, string or bytes)`);
        continue;
      }
      if (reqFields[0] && (!OPTION_FIELD_TYPES.has(reqFields[0].type) || reqFields[0].repeated)) {
        errors.push(`${label}: the value field ${request.name}.${reqFields[0].name} must be a scalar (bool, an integer, string or bytes)`);
        continue;
      }
      b.access = reqFields.length === 0 ? 'get' : 'set';
    }
    if (kind === 'topic') {
      const lost = response.fieldsArray.find((f) => f.resolvedType?.fullName === LOST_TYPE && !f.repeated);
      if (lost) b.lostField = lost;
    }
    bindings.push(b);
  }
  return { bindings, errors };
}
