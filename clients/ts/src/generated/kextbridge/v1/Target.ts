// Original file: proto/kextbridge/v1/bridge.proto


/**
 * Names a catalog item either way; exactly one must be set.
 */
export interface Target {
  'name'?: (string);
  'id'?: (number);
  'by'?: "name"|"id";
}

/**
 * Names a catalog item either way; exactly one must be set.
 */
export interface Target__Output {
  'name'?: (string);
  'id'?: (number);
  'by'?: "name"|"id";
}
