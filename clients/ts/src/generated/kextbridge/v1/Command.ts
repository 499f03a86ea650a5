// Original file: proto/kextbridge/v1/bridge.proto


export interface Command {
  'id'?: (number);
  'name'?: (string);
  'privileged'?: (boolean);
}

export interface Command__Output {
  'id': (number);
  'name': (string);
  'privileged': (boolean);
}
