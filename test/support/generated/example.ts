import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { DescriptorProto as _google_protobuf_DescriptorProto, DescriptorProto__Output as _google_protobuf_DescriptorProto__Output } from './google/protobuf/DescriptorProto';
import type { EnumDescriptorProto as _google_protobuf_EnumDescriptorProto, EnumDescriptorProto__Output as _google_protobuf_EnumDescriptorProto__Output } from './google/protobuf/EnumDescriptorProto';
import type { EnumOptions as _google_protobuf_EnumOptions, EnumOptions__Output as _google_protobuf_EnumOptions__Output } from './google/protobuf/EnumOptions';
import type { EnumValueDescriptorProto as _google_protobuf_EnumValueDescriptorProto, EnumValueDescriptorProto__Output as _google_protobuf_EnumValueDescriptorProto__Output } from './google/protobuf/EnumValueDescriptorProto';
import type { EnumValueOptions as _google_protobuf_EnumValueOptions, EnumValueOptions__Output as _google_protobuf_EnumValueOptions__Output } from './google/protobuf/EnumValueOptions';
import type { ExtensionRangeOptions as _google_protobuf_ExtensionRangeOptions, ExtensionRangeOptions__Output as _google_protobuf_ExtensionRangeOptions__Output } from './google/protobuf/ExtensionRangeOptions';
import type { FeatureSet as _google_protobuf_FeatureSet, FeatureSet__Output as _google_protobuf_FeatureSet__Output } from './google/protobuf/FeatureSet';
import type { FeatureSetDefaults as _google_protobuf_FeatureSetDefaults, FeatureSetDefaults__Output as _google_protobuf_FeatureSetDefaults__Output } from './google/protobuf/FeatureSetDefaults';
import type { FieldDescriptorProto as _google_protobuf_FieldDescriptorProto, FieldDescriptorProto__Output as _google_protobuf_FieldDescriptorProto__Output } from './google/protobuf/FieldDescriptorProto';
import type { FieldOptions as _google_protobuf_FieldOptions, FieldOptions__Output as _google_protobuf_FieldOptions__Output } from './google/protobuf/FieldOptions';
import type { FileDescriptorProto as _google_protobuf_FileDescriptorProto, FileDescriptorProto__Output as _google_protobuf_FileDescriptorProto__Output } from './google/protobuf/FileDescriptorProto';
import type { FileDescriptorSet as _google_protobuf_FileDescriptorSet, FileDescriptorSet__Output as _google_protobuf_FileDescriptorSet__Output } from './google/protobuf/FileDescriptorSet';
import type { FileOptions as _google_protobuf_FileOptions, FileOptions__Output as _google_protobuf_FileOptions__Output } from './google/protobuf/FileOptions';
import type { GeneratedCodeInfo as _google_protobuf_GeneratedCodeInfo, GeneratedCodeInfo__Output as _google_protobuf_GeneratedCodeInfo__Output } from './google/protobuf/GeneratedCodeInfo';
import type { MessageOptions as _google_protobuf_MessageOptions, MessageOptions__Output as _google_protobuf_MessageOptions__Output } from './google/protobuf/MessageOptions';
import type { MethodDescriptorProto as _google_protobuf_MethodDescriptorProto, MethodDescriptorProto__Output as _google_protobuf_MethodDescriptorProto__Output } from './google/protobuf/MethodDescriptorProto';
import type { MethodOptions as _google_protobuf_MethodOptions, MethodOptions__Output as _google_protobuf_MethodOptions__Output } from './google/protobuf/MethodOptions';
import type { OneofDescriptorProto as _google_protobuf_OneofDescriptorProto, OneofDescriptorProto__Output as _google_protobuf_OneofDescriptorProto__Output } from './google/protobuf/OneofDescriptorProto';
import type { OneofOptions as _google_protobuf_OneofOptions, OneofOptions__Output as _google_protobuf_OneofOptions__Output } from './google/protobuf/OneofOptions';
import type { ServiceDescriptorProto as _google_protobuf_ServiceDescriptorProto, ServiceDescriptorProto__Output as _google_protobuf_ServiceDescriptorProto__Output } from './google/protobuf/ServiceDescriptorProto';
import type { ServiceOptions as _google_protobuf_ServiceOptions, ServiceOptions__Output as _google_protobuf_ServiceOptions__Output } from './google/protobuf/ServiceOptions';
import type { SourceCodeInfo as _google_protobuf_SourceCodeInfo, SourceCodeInfo__Output as _google_protobuf_SourceCodeInfo__Output } from './google/protobuf/SourceCodeInfo';
import type { UninterpretedOption as _google_protobuf_UninterpretedOption, UninterpretedOption__Output as _google_protobuf_UninterpretedOption__Output } from './google/protobuf/UninterpretedOption';
import type { EchoReply as _kextbridge_example_v1_EchoReply, EchoReply__Output as _kextbridge_example_v1_EchoReply__Output } from './kextbridge/example/v1/EchoReply';
import type { EchoRequest as _kextbridge_example_v1_EchoRequest, EchoRequest__Output as _kextbridge_example_v1_EchoRequest__Output } from './kextbridge/example/v1/EchoRequest';
import type { EmitReply as _kextbridge_example_v1_EmitReply, EmitReply__Output as _kextbridge_example_v1_EmitReply__Output } from './kextbridge/example/v1/EmitReply';
import type { EmitRequest as _kextbridge_example_v1_EmitRequest, EmitRequest__Output as _kextbridge_example_v1_EmitRequest__Output } from './kextbridge/example/v1/EmitRequest';
import type { ExampleClient as _kextbridge_example_v1_ExampleClient, ExampleDefinition as _kextbridge_example_v1_ExampleDefinition } from './kextbridge/example/v1/Example';
import type { ExecAuthorization as _kextbridge_example_v1_ExecAuthorization, ExecAuthorization__Output as _kextbridge_example_v1_ExecAuthorization__Output } from './kextbridge/example/v1/ExecAuthorization';
import type { ExecEvent as _kextbridge_example_v1_ExecEvent, ExecEvent__Output as _kextbridge_example_v1_ExecEvent__Output } from './kextbridge/example/v1/ExecEvent';
import type { ExecVerdict as _kextbridge_example_v1_ExecVerdict, ExecVerdict__Output as _kextbridge_example_v1_ExecVerdict__Output } from './kextbridge/example/v1/ExecVerdict';
import type { GetLogLevelRequest as _kextbridge_example_v1_GetLogLevelRequest, GetLogLevelRequest__Output as _kextbridge_example_v1_GetLogLevelRequest__Output } from './kextbridge/example/v1/GetLogLevelRequest';
import type { GetMaxEventRateRequest as _kextbridge_example_v1_GetMaxEventRateRequest, GetMaxEventRateRequest__Output as _kextbridge_example_v1_GetMaxEventRateRequest__Output } from './kextbridge/example/v1/GetMaxEventRateRequest';
import type { Heartbeat as _kextbridge_example_v1_Heartbeat, Heartbeat__Output as _kextbridge_example_v1_Heartbeat__Output } from './kextbridge/example/v1/Heartbeat';
import type { LogLevel as _kextbridge_example_v1_LogLevel, LogLevel__Output as _kextbridge_example_v1_LogLevel__Output } from './kextbridge/example/v1/LogLevel';
import type { MaxEventRate as _kextbridge_example_v1_MaxEventRate, MaxEventRate__Output as _kextbridge_example_v1_MaxEventRate__Output } from './kextbridge/example/v1/MaxEventRate';
import type { SimulateExecReply as _kextbridge_example_v1_SimulateExecReply, SimulateExecReply__Output as _kextbridge_example_v1_SimulateExecReply__Output } from './kextbridge/example/v1/SimulateExecReply';
import type { SimulateExecRequest as _kextbridge_example_v1_SimulateExecRequest, SimulateExecRequest__Output as _kextbridge_example_v1_SimulateExecRequest__Output } from './kextbridge/example/v1/SimulateExecRequest';
import type { StatsReply as _kextbridge_example_v1_StatsReply, StatsReply__Output as _kextbridge_example_v1_StatsReply__Output } from './kextbridge/example/v1/StatsReply';
import type { StatsRequest as _kextbridge_example_v1_StatsRequest, StatsRequest__Output as _kextbridge_example_v1_StatsRequest__Output } from './kextbridge/example/v1/StatsRequest';
import type { WatchRequest as _kextbridge_example_v1_WatchRequest, WatchRequest__Output as _kextbridge_example_v1_WatchRequest__Output } from './kextbridge/example/v1/WatchRequest';
import type { FieldBounds as _kextbridge_v1_FieldBounds, FieldBounds__Output as _kextbridge_v1_FieldBounds__Output } from './kextbridge/v1/FieldBounds';
import type { KernelBinding as _kextbridge_v1_KernelBinding, KernelBinding__Output as _kextbridge_v1_KernelBinding__Output } from './kextbridge/v1/KernelBinding';
import type { Lost as _kextbridge_v1_Lost, Lost__Output as _kextbridge_v1_Lost__Output } from './kextbridge/v1/Lost';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      DescriptorProto: MessageTypeDefinition<_google_protobuf_DescriptorProto, _google_protobuf_DescriptorProto__Output>
      Edition: EnumTypeDefinition
      EnumDescriptorProto: MessageTypeDefinition<_google_protobuf_EnumDescriptorProto, _google_protobuf_EnumDescriptorProto__Output>
      EnumOptions: MessageTypeDefinition<_google_protobuf_EnumOptions, _google_protobuf_EnumOptions__Output>
      EnumValueDescriptorProto: MessageTypeDefinition<_google_protobuf_EnumValueDescriptorProto, _google_protobuf_EnumValueDescriptorProto__Output>
      EnumValueOptions: MessageTypeDefinition<_google_protobuf_EnumValueOptions, _google_protobuf_EnumValueOptions__Output>
      ExtensionRangeOptions: MessageTypeDefinition<_google_protobuf_ExtensionRangeOptions, _google_protobuf_ExtensionRangeOptions__Output>
      FeatureSet: MessageTypeDefinition<_google_protobuf_FeatureSet, _google_protobuf_FeatureSet__Output>
      FeatureSetDefaults: MessageTypeDefinition<_google_protobuf_FeatureSetDefaults, _google_protobuf_FeatureSetDefaults__Output>
      FieldDescriptorProto: MessageTypeDefinition<_google_protobuf_FieldDescriptorProto, _google_protobuf_FieldDescriptorProto__Output>
      FieldOptions: MessageTypeDefinition<_google_protobuf_FieldOptions, _google_protobuf_FieldOptions__Output>
      FileDescriptorProto: MessageTypeDefinition<_google_protobuf_FileDescriptorProto, _google_protobuf_FileDescriptorProto__Output>
      FileDescriptorSet: MessageTypeDefinition<_google_protobuf_FileDescriptorSet, _google_protobuf_FileDescriptorSet__Output>
      FileOptions: MessageTypeDefinition<_google_protobuf_FileOptions, _google_protobuf_FileOptions__Output>
      GeneratedCodeInfo: MessageTypeDefinition<_google_protobuf_GeneratedCodeInfo, _google_protobuf_GeneratedCodeInfo__Output>
      MessageOptions: MessageTypeDefinition<_google_protobuf_MessageOptions, _google_protobuf_MessageOptions__Output>
      MethodDescriptorProto: MessageTypeDefinition<_google_protobuf_MethodDescriptorProto, _google_protobuf_MethodDescriptorProto__Output>
      MethodOptions: MessageTypeDefinition<_google_protobuf_MethodOptions, _google_protobuf_MethodOptions__Output>
      OneofDescriptorProto: MessageTypeDefinition<_google_protobuf_OneofDescriptorProto, _google_protobuf_OneofDescriptorProto__Output>
      OneofOptions: MessageTypeDefinition<_google_protobuf_OneofOptions, _google_protobuf_OneofOptions__Output>
      ServiceDescriptorProto: MessageTypeDefinition<_google_protobuf_ServiceDescriptorProto, _google_protobuf_ServiceDescriptorProto__Output>
      ServiceOptions: MessageTypeDefinition<_google_protobuf_ServiceOptions, _google_protobuf_ServiceOptions__Output>
      SourceCodeInfo: MessageTypeDefinition<_google_protobuf_SourceCodeInfo, _google_protobuf_SourceCodeInfo__Output>
      SymbolVisibility: EnumTypeDefinition
      UninterpretedOption: MessageTypeDefinition<_google_protobuf_UninterpretedOption, _google_protobuf_UninterpretedOption__Output>
    }
  }
  kextbridge: {
    example: {
      v1: {
        Decider: EnumTypeDefinition
        EchoReply: MessageTypeDefinition<_kextbridge_example_v1_EchoReply, _kextbridge_example_v1_EchoReply__Output>
        EchoRequest: MessageTypeDefinition<_kextbridge_example_v1_EchoRequest, _kextbridge_example_v1_EchoRequest__Output>
        EmitReply: MessageTypeDefinition<_kextbridge_example_v1_EmitReply, _kextbridge_example_v1_EmitReply__Output>
        EmitRequest: MessageTypeDefinition<_kextbridge_example_v1_EmitRequest, _kextbridge_example_v1_EmitRequest__Output>
        Example: SubtypeConstructor<typeof grpc.Client, _kextbridge_example_v1_ExampleClient> & { service: _kextbridge_example_v1_ExampleDefinition }
        ExecAuthorization: MessageTypeDefinition<_kextbridge_example_v1_ExecAuthorization, _kextbridge_example_v1_ExecAuthorization__Output>
        ExecEvent: MessageTypeDefinition<_kextbridge_example_v1_ExecEvent, _kextbridge_example_v1_ExecEvent__Output>
        ExecVerdict: MessageTypeDefinition<_kextbridge_example_v1_ExecVerdict, _kextbridge_example_v1_ExecVerdict__Output>
        GetLogLevelRequest: MessageTypeDefinition<_kextbridge_example_v1_GetLogLevelRequest, _kextbridge_example_v1_GetLogLevelRequest__Output>
        GetMaxEventRateRequest: MessageTypeDefinition<_kextbridge_example_v1_GetMaxEventRateRequest, _kextbridge_example_v1_GetMaxEventRateRequest__Output>
        Heartbeat: MessageTypeDefinition<_kextbridge_example_v1_Heartbeat, _kextbridge_example_v1_Heartbeat__Output>
        LogLevel: MessageTypeDefinition<_kextbridge_example_v1_LogLevel, _kextbridge_example_v1_LogLevel__Output>
        MaxEventRate: MessageTypeDefinition<_kextbridge_example_v1_MaxEventRate, _kextbridge_example_v1_MaxEventRate__Output>
        SimulateExecReply: MessageTypeDefinition<_kextbridge_example_v1_SimulateExecReply, _kextbridge_example_v1_SimulateExecReply__Output>
        SimulateExecRequest: MessageTypeDefinition<_kextbridge_example_v1_SimulateExecRequest, _kextbridge_example_v1_SimulateExecRequest__Output>
        StatsReply: MessageTypeDefinition<_kextbridge_example_v1_StatsReply, _kextbridge_example_v1_StatsReply__Output>
        StatsRequest: MessageTypeDefinition<_kextbridge_example_v1_StatsRequest, _kextbridge_example_v1_StatsRequest__Output>
        WatchRequest: MessageTypeDefinition<_kextbridge_example_v1_WatchRequest, _kextbridge_example_v1_WatchRequest__Output>
      }
    }
    v1: {
      FieldBounds: MessageTypeDefinition<_kextbridge_v1_FieldBounds, _kextbridge_v1_FieldBounds__Output>
      KernelBinding: MessageTypeDefinition<_kextbridge_v1_KernelBinding, _kextbridge_v1_KernelBinding__Output>
      LossSource: EnumTypeDefinition
      Lost: MessageTypeDefinition<_kextbridge_v1_Lost, _kextbridge_v1_Lost__Output>
    }
  }
}

