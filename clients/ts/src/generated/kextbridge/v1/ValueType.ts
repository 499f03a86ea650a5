// Original file: proto/kextbridge/v1/bridge.proto

export const ValueType = {
  VALUE_TYPE_UNSPECIFIED: 'VALUE_TYPE_UNSPECIFIED',
  VALUE_TYPE_BOOL: 'VALUE_TYPE_BOOL',
  VALUE_TYPE_INT64: 'VALUE_TYPE_INT64',
  VALUE_TYPE_STRING: 'VALUE_TYPE_STRING',
  VALUE_TYPE_BYTES: 'VALUE_TYPE_BYTES',
} as const;

export type ValueType =
  | 'VALUE_TYPE_UNSPECIFIED'
  | 0
  | 'VALUE_TYPE_BOOL'
  | 1
  | 'VALUE_TYPE_INT64'
  | 2
  | 'VALUE_TYPE_STRING'
  | 3
  | 'VALUE_TYPE_BYTES'
  | 4

export type ValueType__Output = typeof ValueType[keyof typeof ValueType]
