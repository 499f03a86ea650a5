// Original file: proto/kextbridge/v1/bridge.proto

import type { Command as _kextbridge_v1_Command, Command__Output as _kextbridge_v1_Command__Output } from '../../kextbridge/v1/Command';
import type { Topic as _kextbridge_v1_Topic, Topic__Output as _kextbridge_v1_Topic__Output } from '../../kextbridge/v1/Topic';
import type { Option as _kextbridge_v1_Option, Option__Output as _kextbridge_v1_Option__Output } from '../../kextbridge/v1/Option';
import type { Upcall as _kextbridge_v1_Upcall, Upcall__Output as _kextbridge_v1_Upcall__Output } from '../../kextbridge/v1/Upcall';

export interface DescribeResponse {
  'kextIdentity'?: (string);
  'kextVersion'?: (string);
  'protocolVersion'?: (number);
  'maxDatagramToKext'?: (number);
  'maxDatagramFromKext'?: (number);
  'maxMessage'?: (number);
  'maxInflight'?: (number);
  'commands'?: (_kextbridge_v1_Command)[];
  'topics'?: (_kextbridge_v1_Topic)[];
  'options'?: (_kextbridge_v1_Option)[];
  'upcalls'?: (_kextbridge_v1_Upcall)[];
  'daemonVersion'?: (string);
}

export interface DescribeResponse__Output {
  'kextIdentity': (string);
  'kextVersion': (string);
  'protocolVersion': (number);
  'maxDatagramToKext': (number);
  'maxDatagramFromKext': (number);
  'maxMessage': (number);
  'maxInflight': (number);
  'commands': (_kextbridge_v1_Command__Output)[];
  'topics': (_kextbridge_v1_Topic__Output)[];
  'options': (_kextbridge_v1_Option__Output)[];
  'upcalls': (_kextbridge_v1_Upcall__Output)[];
  'daemonVersion': (string);
}
