// Original file: proto/kextbridge/v1/bridge.proto


export interface Topic {
  'id'?: (number);
  'name'?: (string);
  'privileged'?: (boolean);
}

export interface Topic__Output {
  'id': (number);
  'name': (string);
  'privileged': (boolean);
}
