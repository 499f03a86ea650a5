// Original file: proto/kextbridge/v1/bridge.proto


export interface Upcall {
  'id'?: (number);
  'name'?: (string);
  'privileged'?: (boolean);
  'timeoutMs'?: (number);
  'defaultVerdict'?: (number);
}

export interface Upcall__Output {
  'id': (number);
  'name': (string);
  'privileged': (boolean);
  'timeoutMs': (number);
  'defaultVerdict': (number);
}
