// google.protobuf.FieldDescriptorProto's type and label numbers, shared by
// the descriptor builder (descriptors.ts) and its reader
// (descriptor-schema.ts) so both sides name them the same way.
export const SCALAR_TYPES: Readonly<Record<string, number>> = {
  double: 1, float: 2, int64: 3, uint64: 4, int32: 5, fixed64: 6, fixed32: 7, bool: 8,
  string: 9, bytes: 12, uint32: 13, sfixed32: 15, sfixed64: 16, sint32: 17, sint64: 18,
};
export const SCALAR_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(SCALAR_TYPES).map(([name, n]) => [n, name]));
export const TYPE_GROUP = 10;
export const TYPE_MESSAGE = 11;
export const TYPE_ENUM = 14;
export const LABEL_OPTIONAL = 1;
export const LABEL_REQUIRED = 2;
export const LABEL_REPEATED = 3;
