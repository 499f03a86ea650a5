// Original file: proto/kextbridge/v1/bridge.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CallRequest as _kextbridge_v1_CallRequest, CallRequest__Output as _kextbridge_v1_CallRequest__Output } from '../../kextbridge/v1/CallRequest';
import type { CallResponse as _kextbridge_v1_CallResponse, CallResponse__Output as _kextbridge_v1_CallResponse__Output } from '../../kextbridge/v1/CallResponse';
import type { DescribeRequest as _kextbridge_v1_DescribeRequest, DescribeRequest__Output as _kextbridge_v1_DescribeRequest__Output } from '../../kextbridge/v1/DescribeRequest';
import type { DescribeResponse as _kextbridge_v1_DescribeResponse, DescribeResponse__Output as _kextbridge_v1_DescribeResponse__Output } from '../../kextbridge/v1/DescribeResponse';
import type { EventBatch as _kextbridge_v1_EventBatch, EventBatch__Output as _kextbridge_v1_EventBatch__Output } from '../../kextbridge/v1/EventBatch';
import type { GetOptionRequest as _kextbridge_v1_GetOptionRequest, GetOptionRequest__Output as _kextbridge_v1_GetOptionRequest__Output } from '../../kextbridge/v1/GetOptionRequest';
import type { GetStatusRequest as _kextbridge_v1_GetStatusRequest, GetStatusRequest__Output as _kextbridge_v1_GetStatusRequest__Output } from '../../kextbridge/v1/GetStatusRequest';
import type { ListSubscribersRequest as _kextbridge_v1_ListSubscribersRequest, ListSubscribersRequest__Output as _kextbridge_v1_ListSubscribersRequest__Output } from '../../kextbridge/v1/ListSubscribersRequest';
import type { ListSubscribersResponse as _kextbridge_v1_ListSubscribersResponse, ListSubscribersResponse__Output as _kextbridge_v1_ListSubscribersResponse__Output } from '../../kextbridge/v1/ListSubscribersResponse';
import type { OptionValue as _kextbridge_v1_OptionValue, OptionValue__Output as _kextbridge_v1_OptionValue__Output } from '../../kextbridge/v1/OptionValue';
import type { ServeRequest as _kextbridge_v1_ServeRequest, ServeRequest__Output as _kextbridge_v1_ServeRequest__Output } from '../../kextbridge/v1/ServeRequest';
import type { SetOptionRequest as _kextbridge_v1_SetOptionRequest, SetOptionRequest__Output as _kextbridge_v1_SetOptionRequest__Output } from '../../kextbridge/v1/SetOptionRequest';
import type { Status as _kextbridge_v1_Status, Status__Output as _kextbridge_v1_Status__Output } from '../../kextbridge/v1/Status';
import type { SubscribeRequest as _kextbridge_v1_SubscribeRequest, SubscribeRequest__Output as _kextbridge_v1_SubscribeRequest__Output } from '../../kextbridge/v1/SubscribeRequest';
import type { UpcallQuestion as _kextbridge_v1_UpcallQuestion, UpcallQuestion__Output as _kextbridge_v1_UpcallQuestion__Output } from '../../kextbridge/v1/UpcallQuestion';
import type { WatchStatusRequest as _kextbridge_v1_WatchStatusRequest, WatchStatusRequest__Output as _kextbridge_v1_WatchStatusRequest__Output } from '../../kextbridge/v1/WatchStatusRequest';

export interface BridgeClient extends grpc.Client {
  /**
   * Run a command of the kext.
   */
  Call(argument: _kextbridge_v1_CallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  Call(argument: _kextbridge_v1_CallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  Call(argument: _kextbridge_v1_CallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  Call(argument: _kextbridge_v1_CallRequest, callback: grpc.requestCallback<_kextbridge_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Run a command of the kext.
   */
  call(argument: _kextbridge_v1_CallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  call(argument: _kextbridge_v1_CallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  call(argument: _kextbridge_v1_CallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  call(argument: _kextbridge_v1_CallRequest, callback: grpc.requestCallback<_kextbridge_v1_CallResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The kext's identity, protocol version and catalog.
   */
  Describe(argument: _kextbridge_v1_DescribeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_DescribeResponse__Output>): grpc.ClientUnaryCall;
  Describe(argument: _kextbridge_v1_DescribeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_DescribeResponse__Output>): grpc.ClientUnaryCall;
  Describe(argument: _kextbridge_v1_DescribeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_DescribeResponse__Output>): grpc.ClientUnaryCall;
  Describe(argument: _kextbridge_v1_DescribeRequest, callback: grpc.requestCallback<_kextbridge_v1_DescribeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The kext's identity, protocol version and catalog.
   */
  describe(argument: _kextbridge_v1_DescribeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_DescribeResponse__Output>): grpc.ClientUnaryCall;
  describe(argument: _kextbridge_v1_DescribeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_DescribeResponse__Output>): grpc.ClientUnaryCall;
  describe(argument: _kextbridge_v1_DescribeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_DescribeResponse__Output>): grpc.ClientUnaryCall;
  describe(argument: _kextbridge_v1_DescribeRequest, callback: grpc.requestCallback<_kextbridge_v1_DescribeResponse__Output>): grpc.ClientUnaryCall;
  
  GetOption(argument: _kextbridge_v1_GetOptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  GetOption(argument: _kextbridge_v1_GetOptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  GetOption(argument: _kextbridge_v1_GetOptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  GetOption(argument: _kextbridge_v1_GetOptionRequest, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  getOption(argument: _kextbridge_v1_GetOptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  getOption(argument: _kextbridge_v1_GetOptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  getOption(argument: _kextbridge_v1_GetOptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  getOption(argument: _kextbridge_v1_GetOptionRequest, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  
  /**
   * Link state and counters for every pipeline stage.
   */
  GetStatus(argument: _kextbridge_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_Status__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _kextbridge_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_Status__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _kextbridge_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_Status__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _kextbridge_v1_GetStatusRequest, callback: grpc.requestCallback<_kextbridge_v1_Status__Output>): grpc.ClientUnaryCall;
  /**
   * Link state and counters for every pipeline stage.
   */
  getStatus(argument: _kextbridge_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_Status__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _kextbridge_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_Status__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _kextbridge_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_Status__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _kextbridge_v1_GetStatusRequest, callback: grpc.requestCallback<_kextbridge_v1_Status__Output>): grpc.ClientUnaryCall;
  
  /**
   * Every live subscriber with its lag, queue depth and losses, and every
   * upcall handler with its health.
   */
  ListSubscribers(argument: _kextbridge_v1_ListSubscribersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_ListSubscribersResponse__Output>): grpc.ClientUnaryCall;
  ListSubscribers(argument: _kextbridge_v1_ListSubscribersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_ListSubscribersResponse__Output>): grpc.ClientUnaryCall;
  ListSubscribers(argument: _kextbridge_v1_ListSubscribersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_ListSubscribersResponse__Output>): grpc.ClientUnaryCall;
  ListSubscribers(argument: _kextbridge_v1_ListSubscribersRequest, callback: grpc.requestCallback<_kextbridge_v1_ListSubscribersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Every live subscriber with its lag, queue depth and losses, and every
   * upcall handler with its health.
   */
  listSubscribers(argument: _kextbridge_v1_ListSubscribersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_ListSubscribersResponse__Output>): grpc.ClientUnaryCall;
  listSubscribers(argument: _kextbridge_v1_ListSubscribersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_ListSubscribersResponse__Output>): grpc.ClientUnaryCall;
  listSubscribers(argument: _kextbridge_v1_ListSubscribersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_ListSubscribersResponse__Output>): grpc.ClientUnaryCall;
  listSubscribers(argument: _kextbridge_v1_ListSubscribersRequest, callback: grpc.requestCallback<_kextbridge_v1_ListSubscribersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Register as the handler of an upcall: the first message names the
   * upcall, then each UpcallQuestion from the daemon is answered with an
   * UpcallAnswer carrying its id.
   */
  Serve(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kextbridge_v1_ServeRequest, _kextbridge_v1_UpcallQuestion__Output>;
  Serve(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kextbridge_v1_ServeRequest, _kextbridge_v1_UpcallQuestion__Output>;
  /**
   * Register as the handler of an upcall: the first message names the
   * upcall, then each UpcallQuestion from the daemon is answered with an
   * UpcallAnswer carrying its id.
   */
  serve(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kextbridge_v1_ServeRequest, _kextbridge_v1_UpcallQuestion__Output>;
  serve(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kextbridge_v1_ServeRequest, _kextbridge_v1_UpcallQuestion__Output>;
  
  SetOption(argument: _kextbridge_v1_SetOptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  SetOption(argument: _kextbridge_v1_SetOptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  SetOption(argument: _kextbridge_v1_SetOptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  SetOption(argument: _kextbridge_v1_SetOptionRequest, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  setOption(argument: _kextbridge_v1_SetOptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  setOption(argument: _kextbridge_v1_SetOptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  setOption(argument: _kextbridge_v1_SetOptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  setOption(argument: _kextbridge_v1_SetOptionRequest, callback: grpc.requestCallback<_kextbridge_v1_OptionValue__Output>): grpc.ClientUnaryCall;
  
  /**
   * Events of one or more topics, in batches, with loss told in-band.
   */
  Subscribe(argument: _kextbridge_v1_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_v1_EventBatch__Output>;
  Subscribe(argument: _kextbridge_v1_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_v1_EventBatch__Output>;
  /**
   * Events of one or more topics, in batches, with loss told in-band.
   */
  subscribe(argument: _kextbridge_v1_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_v1_EventBatch__Output>;
  subscribe(argument: _kextbridge_v1_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_v1_EventBatch__Output>;
  
  /**
   * The status now, then again on every link state change and at most
   * every interval_ms while counters change.
   */
  WatchStatus(argument: _kextbridge_v1_WatchStatusRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_v1_Status__Output>;
  WatchStatus(argument: _kextbridge_v1_WatchStatusRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_v1_Status__Output>;
  /**
   * The status now, then again on every link state change and at most
   * every interval_ms while counters change.
   */
  watchStatus(argument: _kextbridge_v1_WatchStatusRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_v1_Status__Output>;
  watchStatus(argument: _kextbridge_v1_WatchStatusRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_v1_Status__Output>;
  
}

export interface BridgeHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Run a command of the kext.
   */
  Call: grpc.handleUnaryCall<_kextbridge_v1_CallRequest__Output, _kextbridge_v1_CallResponse>;
  
  /**
   * The kext's identity, protocol version and catalog.
   */
  Describe: grpc.handleUnaryCall<_kextbridge_v1_DescribeRequest__Output, _kextbridge_v1_DescribeResponse>;
  
  GetOption: grpc.handleUnaryCall<_kextbridge_v1_GetOptionRequest__Output, _kextbridge_v1_OptionValue>;
  
  /**
   * Link state and counters for every pipeline stage.
   */
  GetStatus: grpc.handleUnaryCall<_kextbridge_v1_GetStatusRequest__Output, _kextbridge_v1_Status>;
  
  /**
   * Every live subscriber with its lag, queue depth and losses, and every
   * upcall handler with its health.
   */
  ListSubscribers: grpc.handleUnaryCall<_kextbridge_v1_ListSubscribersRequest__Output, _kextbridge_v1_ListSubscribersResponse>;
  
  /**
   * Register as the handler of an upcall: the first message names the
   * upcall, then each UpcallQuestion from the daemon is answered with an
   * UpcallAnswer carrying its id.
   */
  Serve: grpc.handleBidiStreamingCall<_kextbridge_v1_ServeRequest__Output, _kextbridge_v1_UpcallQuestion>;
  
  SetOption: grpc.handleUnaryCall<_kextbridge_v1_SetOptionRequest__Output, _kextbridge_v1_OptionValue>;
  
  /**
   * Events of one or more topics, in batches, with loss told in-band.
   */
  Subscribe: grpc.handleServerStreamingCall<_kextbridge_v1_SubscribeRequest__Output, _kextbridge_v1_EventBatch>;
  
  /**
   * The status now, then again on every link state change and at most
   * every interval_ms while counters change.
   */
  WatchStatus: grpc.handleServerStreamingCall<_kextbridge_v1_WatchStatusRequest__Output, _kextbridge_v1_Status>;
  
}

export interface BridgeDefinition extends grpc.ServiceDefinition {
  Call: MethodDefinition<_kextbridge_v1_CallRequest, _kextbridge_v1_CallResponse, _kextbridge_v1_CallRequest__Output, _kextbridge_v1_CallResponse__Output>
  Describe: MethodDefinition<_kextbridge_v1_DescribeRequest, _kextbridge_v1_DescribeResponse, _kextbridge_v1_DescribeRequest__Output, _kextbridge_v1_DescribeResponse__Output>
  GetOption: MethodDefinition<_kextbridge_v1_GetOptionRequest, _kextbridge_v1_OptionValue, _kextbridge_v1_GetOptionRequest__Output, _kextbridge_v1_OptionValue__Output>
  GetStatus: MethodDefinition<_kextbridge_v1_GetStatusRequest, _kextbridge_v1_Status, _kextbridge_v1_GetStatusRequest__Output, _kextbridge_v1_Status__Output>
  ListSubscribers: MethodDefinition<_kextbridge_v1_ListSubscribersRequest, _kextbridge_v1_ListSubscribersResponse, _kextbridge_v1_ListSubscribersRequest__Output, _kextbridge_v1_ListSubscribersResponse__Output>
  Serve: MethodDefinition<_kextbridge_v1_ServeRequest, _kextbridge_v1_UpcallQuestion, _kextbridge_v1_ServeRequest__Output, _kextbridge_v1_UpcallQuestion__Output>
  SetOption: MethodDefinition<_kextbridge_v1_SetOptionRequest, _kextbridge_v1_OptionValue, _kextbridge_v1_SetOptionRequest__Output, _kextbridge_v1_OptionValue__Output>
  Subscribe: MethodDefinition<_kextbridge_v1_SubscribeRequest, _kextbridge_v1_EventBatch, _kextbridge_v1_SubscribeRequest__Output, _kextbridge_v1_EventBatch__Output>
  WatchStatus: MethodDefinition<_kextbridge_v1_WatchStatusRequest, _kextbridge_v1_Status, _kextbridge_v1_WatchStatusRequest__Output, _kextbridge_v1_Status__Output>
}
