import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BatchItem as _kextbridge_v1_BatchItem, BatchItem__Output as _kextbridge_v1_BatchItem__Output } from './kextbridge/v1/BatchItem';
import type { BridgeClient as _kextbridge_v1_BridgeClient, BridgeDefinition as _kextbridge_v1_BridgeDefinition } from './kextbridge/v1/Bridge';
import type { CallRequest as _kextbridge_v1_CallRequest, CallRequest__Output as _kextbridge_v1_CallRequest__Output } from './kextbridge/v1/CallRequest';
import type { CallResponse as _kextbridge_v1_CallResponse, CallResponse__Output as _kextbridge_v1_CallResponse__Output } from './kextbridge/v1/CallResponse';
import type { Command as _kextbridge_v1_Command, Command__Output as _kextbridge_v1_Command__Output } from './kextbridge/v1/Command';
import type { Counters as _kextbridge_v1_Counters, Counters__Output as _kextbridge_v1_Counters__Output } from './kextbridge/v1/Counters';
import type { DescribeRequest as _kextbridge_v1_DescribeRequest, DescribeRequest__Output as _kextbridge_v1_DescribeRequest__Output } from './kextbridge/v1/DescribeRequest';
import type { DescribeResponse as _kextbridge_v1_DescribeResponse, DescribeResponse__Output as _kextbridge_v1_DescribeResponse__Output } from './kextbridge/v1/DescribeResponse';
import type { Event as _kextbridge_v1_Event, Event__Output as _kextbridge_v1_Event__Output } from './kextbridge/v1/Event';
import type { EventBatch as _kextbridge_v1_EventBatch, EventBatch__Output as _kextbridge_v1_EventBatch__Output } from './kextbridge/v1/EventBatch';
import type { GetOptionRequest as _kextbridge_v1_GetOptionRequest, GetOptionRequest__Output as _kextbridge_v1_GetOptionRequest__Output } from './kextbridge/v1/GetOptionRequest';
import type { GetStatusRequest as _kextbridge_v1_GetStatusRequest, GetStatusRequest__Output as _kextbridge_v1_GetStatusRequest__Output } from './kextbridge/v1/GetStatusRequest';
import type { LinkChange as _kextbridge_v1_LinkChange, LinkChange__Output as _kextbridge_v1_LinkChange__Output } from './kextbridge/v1/LinkChange';
import type { ListSubscribersRequest as _kextbridge_v1_ListSubscribersRequest, ListSubscribersRequest__Output as _kextbridge_v1_ListSubscribersRequest__Output } from './kextbridge/v1/ListSubscribersRequest';
import type { ListSubscribersResponse as _kextbridge_v1_ListSubscribersResponse, ListSubscribersResponse__Output as _kextbridge_v1_ListSubscribersResponse__Output } from './kextbridge/v1/ListSubscribersResponse';
import type { Lost as _kextbridge_v1_Lost, Lost__Output as _kextbridge_v1_Lost__Output } from './kextbridge/v1/Lost';
import type { Option as _kextbridge_v1_Option, Option__Output as _kextbridge_v1_Option__Output } from './kextbridge/v1/Option';
import type { OptionValue as _kextbridge_v1_OptionValue, OptionValue__Output as _kextbridge_v1_OptionValue__Output } from './kextbridge/v1/OptionValue';
import type { Program as _kextbridge_v1_Program, Program__Output as _kextbridge_v1_Program__Output } from './kextbridge/v1/Program';
import type { ServeRegister as _kextbridge_v1_ServeRegister, ServeRegister__Output as _kextbridge_v1_ServeRegister__Output } from './kextbridge/v1/ServeRegister';
import type { ServeRequest as _kextbridge_v1_ServeRequest, ServeRequest__Output as _kextbridge_v1_ServeRequest__Output } from './kextbridge/v1/ServeRequest';
import type { SetOptionRequest as _kextbridge_v1_SetOptionRequest, SetOptionRequest__Output as _kextbridge_v1_SetOptionRequest__Output } from './kextbridge/v1/SetOptionRequest';
import type { Status as _kextbridge_v1_Status, Status__Output as _kextbridge_v1_Status__Output } from './kextbridge/v1/Status';
import type { SubscribeRequest as _kextbridge_v1_SubscribeRequest, SubscribeRequest__Output as _kextbridge_v1_SubscribeRequest__Output } from './kextbridge/v1/SubscribeRequest';
import type { Subscriber as _kextbridge_v1_Subscriber, Subscriber__Output as _kextbridge_v1_Subscriber__Output } from './kextbridge/v1/Subscriber';
import type { Target as _kextbridge_v1_Target, Target__Output as _kextbridge_v1_Target__Output } from './kextbridge/v1/Target';
import type { Topic as _kextbridge_v1_Topic, Topic__Output as _kextbridge_v1_Topic__Output } from './kextbridge/v1/Topic';
import type { Upcall as _kextbridge_v1_Upcall, Upcall__Output as _kextbridge_v1_Upcall__Output } from './kextbridge/v1/Upcall';
import type { UpcallAnswer as _kextbridge_v1_UpcallAnswer, UpcallAnswer__Output as _kextbridge_v1_UpcallAnswer__Output } from './kextbridge/v1/UpcallAnswer';
import type { UpcallHandler as _kextbridge_v1_UpcallHandler, UpcallHandler__Output as _kextbridge_v1_UpcallHandler__Output } from './kextbridge/v1/UpcallHandler';
import type { UpcallQuestion as _kextbridge_v1_UpcallQuestion, UpcallQuestion__Output as _kextbridge_v1_UpcallQuestion__Output } from './kextbridge/v1/UpcallQuestion';
import type { WatchStatusRequest as _kextbridge_v1_WatchStatusRequest, WatchStatusRequest__Output as _kextbridge_v1_WatchStatusRequest__Output } from './kextbridge/v1/WatchStatusRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kextbridge: {
    v1: {
      BatchItem: MessageTypeDefinition<_kextbridge_v1_BatchItem, _kextbridge_v1_BatchItem__Output>
      Bridge: SubtypeConstructor<typeof grpc.Client, _kextbridge_v1_BridgeClient> & { service: _kextbridge_v1_BridgeDefinition }
      CallRequest: MessageTypeDefinition<_kextbridge_v1_CallRequest, _kextbridge_v1_CallRequest__Output>
      CallResponse: MessageTypeDefinition<_kextbridge_v1_CallResponse, _kextbridge_v1_CallResponse__Output>
      Command: MessageTypeDefinition<_kextbridge_v1_Command, _kextbridge_v1_Command__Output>
      Counters: MessageTypeDefinition<_kextbridge_v1_Counters, _kextbridge_v1_Counters__Output>
      DescribeRequest: MessageTypeDefinition<_kextbridge_v1_DescribeRequest, _kextbridge_v1_DescribeRequest__Output>
      DescribeResponse: MessageTypeDefinition<_kextbridge_v1_DescribeResponse, _kextbridge_v1_DescribeResponse__Output>
      Event: MessageTypeDefinition<_kextbridge_v1_Event, _kextbridge_v1_Event__Output>
      EventBatch: MessageTypeDefinition<_kextbridge_v1_EventBatch, _kextbridge_v1_EventBatch__Output>
      GetOptionRequest: MessageTypeDefinition<_kextbridge_v1_GetOptionRequest, _kextbridge_v1_GetOptionRequest__Output>
      GetStatusRequest: MessageTypeDefinition<_kextbridge_v1_GetStatusRequest, _kextbridge_v1_GetStatusRequest__Output>
      LinkChange: MessageTypeDefinition<_kextbridge_v1_LinkChange, _kextbridge_v1_LinkChange__Output>
      LinkState: EnumTypeDefinition
      ListSubscribersRequest: MessageTypeDefinition<_kextbridge_v1_ListSubscribersRequest, _kextbridge_v1_ListSubscribersRequest__Output>
      ListSubscribersResponse: MessageTypeDefinition<_kextbridge_v1_ListSubscribersResponse, _kextbridge_v1_ListSubscribersResponse__Output>
      LossSource: EnumTypeDefinition
      Lost: MessageTypeDefinition<_kextbridge_v1_Lost, _kextbridge_v1_Lost__Output>
      Option: MessageTypeDefinition<_kextbridge_v1_Option, _kextbridge_v1_Option__Output>
      OptionValue: MessageTypeDefinition<_kextbridge_v1_OptionValue, _kextbridge_v1_OptionValue__Output>
      OverflowPolicy: EnumTypeDefinition
      Program: MessageTypeDefinition<_kextbridge_v1_Program, _kextbridge_v1_Program__Output>
      ServeRegister: MessageTypeDefinition<_kextbridge_v1_ServeRegister, _kextbridge_v1_ServeRegister__Output>
      ServeRequest: MessageTypeDefinition<_kextbridge_v1_ServeRequest, _kextbridge_v1_ServeRequest__Output>
      SetOptionRequest: MessageTypeDefinition<_kextbridge_v1_SetOptionRequest, _kextbridge_v1_SetOptionRequest__Output>
      Status: MessageTypeDefinition<_kextbridge_v1_Status, _kextbridge_v1_Status__Output>
      SubscribeRequest: MessageTypeDefinition<_kextbridge_v1_SubscribeRequest, _kextbridge_v1_SubscribeRequest__Output>
      Subscriber: MessageTypeDefinition<_kextbridge_v1_Subscriber, _kextbridge_v1_Subscriber__Output>
      Target: MessageTypeDefinition<_kextbridge_v1_Target, _kextbridge_v1_Target__Output>
      Topic: MessageTypeDefinition<_kextbridge_v1_Topic, _kextbridge_v1_Topic__Output>
      Upcall: MessageTypeDefinition<_kextbridge_v1_Upcall, _kextbridge_v1_Upcall__Output>
      UpcallAnswer: MessageTypeDefinition<_kextbridge_v1_UpcallAnswer, _kextbridge_v1_UpcallAnswer__Output>
      UpcallHandler: MessageTypeDefinition<_kextbridge_v1_UpcallHandler, _kextbridge_v1_UpcallHandler__Output>
      UpcallQuestion: MessageTypeDefinition<_kextbridge_v1_UpcallQuestion, _kextbridge_v1_UpcallQuestion__Output>
      ValueType: EnumTypeDefinition
      WatchStatusRequest: MessageTypeDefinition<_kextbridge_v1_WatchStatusRequest, _kextbridge_v1_WatchStatusRequest__Output>
    }
  }
}

