// Original file: proto/example/v1/example.proto

import type { Decider as _kextbridge_example_v1_Decider, Decider__Output as _kextbridge_example_v1_Decider__Output } from '../../../kextbridge/example/v1/Decider';

export interface SimulateExecReply {
  'allowed'?: (boolean);
  'decidedBy'?: (_kextbridge_example_v1_Decider);
}

export interface SimulateExecReply__Output {
  'allowed': (boolean);
  'decidedBy': (_kextbridge_example_v1_Decider__Output);
}
