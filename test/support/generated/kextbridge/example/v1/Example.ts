// Original file: proto/example/v1/example.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { EchoReply as _kextbridge_example_v1_EchoReply, EchoReply__Output as _kextbridge_example_v1_EchoReply__Output } from '../../../kextbridge/example/v1/EchoReply';
import type { EchoRequest as _kextbridge_example_v1_EchoRequest, EchoRequest__Output as _kextbridge_example_v1_EchoRequest__Output } from '../../../kextbridge/example/v1/EchoRequest';
import type { EmitReply as _kextbridge_example_v1_EmitReply, EmitReply__Output as _kextbridge_example_v1_EmitReply__Output } from '../../../kextbridge/example/v1/EmitReply';
import type { EmitRequest as _kextbridge_example_v1_EmitRequest, EmitRequest__Output as _kextbridge_example_v1_EmitRequest__Output } from '../../../kextbridge/example/v1/EmitRequest';
import type { ExecAuthorization as _kextbridge_example_v1_ExecAuthorization, ExecAuthorization__Output as _kextbridge_example_v1_ExecAuthorization__Output } from '../../../kextbridge/example/v1/ExecAuthorization';
import type { ExecEvent as _kextbridge_example_v1_ExecEvent, ExecEvent__Output as _kextbridge_example_v1_ExecEvent__Output } from '../../../kextbridge/example/v1/ExecEvent';
import type { ExecVerdict as _kextbridge_example_v1_ExecVerdict, ExecVerdict__Output as _kextbridge_example_v1_ExecVerdict__Output } from '../../../kextbridge/example/v1/ExecVerdict';
import type { GetLogLevelRequest as _kextbridge_example_v1_GetLogLevelRequest, GetLogLevelRequest__Output as _kextbridge_example_v1_GetLogLevelRequest__Output } from '../../../kextbridge/example/v1/GetLogLevelRequest';
import type { GetMaxEventRateRequest as _kextbridge_example_v1_GetMaxEventRateRequest, GetMaxEventRateRequest__Output as _kextbridge_example_v1_GetMaxEventRateRequest__Output } from '../../../kextbridge/example/v1/GetMaxEventRateRequest';
import type { Heartbeat as _kextbridge_example_v1_Heartbeat, Heartbeat__Output as _kextbridge_example_v1_Heartbeat__Output } from '../../../kextbridge/example/v1/Heartbeat';
import type { LogLevel as _kextbridge_example_v1_LogLevel, LogLevel__Output as _kextbridge_example_v1_LogLevel__Output } from '../../../kextbridge/example/v1/LogLevel';
import type { MaxEventRate as _kextbridge_example_v1_MaxEventRate, MaxEventRate__Output as _kextbridge_example_v1_MaxEventRate__Output } from '../../../kextbridge/example/v1/MaxEventRate';
import type { SimulateExecReply as _kextbridge_example_v1_SimulateExecReply, SimulateExecReply__Output as _kextbridge_example_v1_SimulateExecReply__Output } from '../../../kextbridge/example/v1/SimulateExecReply';
import type { SimulateExecRequest as _kextbridge_example_v1_SimulateExecRequest, SimulateExecRequest__Output as _kextbridge_example_v1_SimulateExecRequest__Output } from '../../../kextbridge/example/v1/SimulateExecRequest';
import type { StatsReply as _kextbridge_example_v1_StatsReply, StatsReply__Output as _kextbridge_example_v1_StatsReply__Output } from '../../../kextbridge/example/v1/StatsReply';
import type { StatsRequest as _kextbridge_example_v1_StatsRequest, StatsRequest__Output as _kextbridge_example_v1_StatsRequest__Output } from '../../../kextbridge/example/v1/StatsRequest';
import type { WatchRequest as _kextbridge_example_v1_WatchRequest, WatchRequest__Output as _kextbridge_example_v1_WatchRequest__Output } from '../../../kextbridge/example/v1/WatchRequest';

export interface ExampleClient extends grpc.Client {
  /**
   * Returns the bytes it was given.
   */
  Echo(argument: _kextbridge_example_v1_EchoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_EchoReply__Output>): grpc.ClientUnaryCall;
  Echo(argument: _kextbridge_example_v1_EchoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_EchoReply__Output>): grpc.ClientUnaryCall;
  Echo(argument: _kextbridge_example_v1_EchoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_EchoReply__Output>): grpc.ClientUnaryCall;
  Echo(argument: _kextbridge_example_v1_EchoRequest, callback: grpc.requestCallback<_kextbridge_example_v1_EchoReply__Output>): grpc.ClientUnaryCall;
  /**
   * Returns the bytes it was given.
   */
  echo(argument: _kextbridge_example_v1_EchoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_EchoReply__Output>): grpc.ClientUnaryCall;
  echo(argument: _kextbridge_example_v1_EchoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_EchoReply__Output>): grpc.ClientUnaryCall;
  echo(argument: _kextbridge_example_v1_EchoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_EchoReply__Output>): grpc.ClientUnaryCall;
  echo(argument: _kextbridge_example_v1_EchoRequest, callback: grpc.requestCallback<_kextbridge_example_v1_EchoReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Privileged: publishes synthetic events, for load tests.
   */
  Emit(argument: _kextbridge_example_v1_EmitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_EmitReply__Output>): grpc.ClientUnaryCall;
  Emit(argument: _kextbridge_example_v1_EmitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_EmitReply__Output>): grpc.ClientUnaryCall;
  Emit(argument: _kextbridge_example_v1_EmitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_EmitReply__Output>): grpc.ClientUnaryCall;
  Emit(argument: _kextbridge_example_v1_EmitRequest, callback: grpc.requestCallback<_kextbridge_example_v1_EmitReply__Output>): grpc.ClientUnaryCall;
  /**
   * Privileged: publishes synthetic events, for load tests.
   */
  emit(argument: _kextbridge_example_v1_EmitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_EmitReply__Output>): grpc.ClientUnaryCall;
  emit(argument: _kextbridge_example_v1_EmitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_EmitReply__Output>): grpc.ClientUnaryCall;
  emit(argument: _kextbridge_example_v1_EmitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_EmitReply__Output>): grpc.ClientUnaryCall;
  emit(argument: _kextbridge_example_v1_EmitRequest, callback: grpc.requestCallback<_kextbridge_example_v1_EmitReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Privileged: the kext's log level, 0 (errors) .. 4 (trace).
   */
  GetLogLevel(argument: _kextbridge_example_v1_GetLogLevelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  GetLogLevel(argument: _kextbridge_example_v1_GetLogLevelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  GetLogLevel(argument: _kextbridge_example_v1_GetLogLevelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  GetLogLevel(argument: _kextbridge_example_v1_GetLogLevelRequest, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  /**
   * Privileged: the kext's log level, 0 (errors) .. 4 (trace).
   */
  getLogLevel(argument: _kextbridge_example_v1_GetLogLevelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  getLogLevel(argument: _kextbridge_example_v1_GetLogLevelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  getLogLevel(argument: _kextbridge_example_v1_GetLogLevelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  getLogLevel(argument: _kextbridge_example_v1_GetLogLevelRequest, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  
  /**
   * Privileged: the cap on Emit's rate, events per second (0: none).
   */
  GetMaxEventRate(argument: _kextbridge_example_v1_GetMaxEventRateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  GetMaxEventRate(argument: _kextbridge_example_v1_GetMaxEventRateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  GetMaxEventRate(argument: _kextbridge_example_v1_GetMaxEventRateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  GetMaxEventRate(argument: _kextbridge_example_v1_GetMaxEventRateRequest, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  /**
   * Privileged: the cap on Emit's rate, events per second (0: none).
   */
  getMaxEventRate(argument: _kextbridge_example_v1_GetMaxEventRateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  getMaxEventRate(argument: _kextbridge_example_v1_GetMaxEventRateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  getMaxEventRate(argument: _kextbridge_example_v1_GetMaxEventRateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  getMaxEventRate(argument: _kextbridge_example_v1_GetMaxEventRateRequest, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  
  /**
   * Privileged: answer exec authorizations. The daemon sends each
   * question; the client answers each, in the order asked. No answer in
   * time means the kext's default: allow (default_verdict 1 is
   * ExecVerdict.allow = true).
   */
  ServeAuthorizeExec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kextbridge_example_v1_ExecVerdict, _kextbridge_example_v1_ExecAuthorization__Output>;
  ServeAuthorizeExec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kextbridge_example_v1_ExecVerdict, _kextbridge_example_v1_ExecAuthorization__Output>;
  /**
   * Privileged: answer exec authorizations. The daemon sends each
   * question; the client answers each, in the order asked. No answer in
   * time means the kext's default: allow (default_verdict 1 is
   * ExecVerdict.allow = true).
   */
  serveAuthorizeExec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kextbridge_example_v1_ExecVerdict, _kextbridge_example_v1_ExecAuthorization__Output>;
  serveAuthorizeExec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kextbridge_example_v1_ExecVerdict, _kextbridge_example_v1_ExecAuthorization__Output>;
  
  /**
   * Privileged: sets the kext's log level.
   */
  SetLogLevel(argument: _kextbridge_example_v1_LogLevel, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  SetLogLevel(argument: _kextbridge_example_v1_LogLevel, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  SetLogLevel(argument: _kextbridge_example_v1_LogLevel, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  SetLogLevel(argument: _kextbridge_example_v1_LogLevel, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  /**
   * Privileged: sets the kext's log level.
   */
  setLogLevel(argument: _kextbridge_example_v1_LogLevel, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  setLogLevel(argument: _kextbridge_example_v1_LogLevel, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  setLogLevel(argument: _kextbridge_example_v1_LogLevel, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  setLogLevel(argument: _kextbridge_example_v1_LogLevel, callback: grpc.requestCallback<_kextbridge_example_v1_LogLevel__Output>): grpc.ClientUnaryCall;
  
  /**
   * Privileged: sets the cap, 0..10,000,000.
   */
  SetMaxEventRate(argument: _kextbridge_example_v1_MaxEventRate, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  SetMaxEventRate(argument: _kextbridge_example_v1_MaxEventRate, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  SetMaxEventRate(argument: _kextbridge_example_v1_MaxEventRate, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  SetMaxEventRate(argument: _kextbridge_example_v1_MaxEventRate, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  /**
   * Privileged: sets the cap, 0..10,000,000.
   */
  setMaxEventRate(argument: _kextbridge_example_v1_MaxEventRate, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  setMaxEventRate(argument: _kextbridge_example_v1_MaxEventRate, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  setMaxEventRate(argument: _kextbridge_example_v1_MaxEventRate, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  setMaxEventRate(argument: _kextbridge_example_v1_MaxEventRate, callback: grpc.requestCallback<_kextbridge_example_v1_MaxEventRate__Output>): grpc.ClientUnaryCall;
  
  /**
   * Privileged: behaves as if a process were executed: publishes an exec
   * event and asks authorize_exec for a verdict.
   */
  SimulateExec(argument: _kextbridge_example_v1_SimulateExecRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_SimulateExecReply__Output>): grpc.ClientUnaryCall;
  SimulateExec(argument: _kextbridge_example_v1_SimulateExecRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_SimulateExecReply__Output>): grpc.ClientUnaryCall;
  SimulateExec(argument: _kextbridge_example_v1_SimulateExecRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_SimulateExecReply__Output>): grpc.ClientUnaryCall;
  SimulateExec(argument: _kextbridge_example_v1_SimulateExecRequest, callback: grpc.requestCallback<_kextbridge_example_v1_SimulateExecReply__Output>): grpc.ClientUnaryCall;
  /**
   * Privileged: behaves as if a process were executed: publishes an exec
   * event and asks authorize_exec for a verdict.
   */
  simulateExec(argument: _kextbridge_example_v1_SimulateExecRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_SimulateExecReply__Output>): grpc.ClientUnaryCall;
  simulateExec(argument: _kextbridge_example_v1_SimulateExecRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_SimulateExecReply__Output>): grpc.ClientUnaryCall;
  simulateExec(argument: _kextbridge_example_v1_SimulateExecRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_SimulateExecReply__Output>): grpc.ClientUnaryCall;
  simulateExec(argument: _kextbridge_example_v1_SimulateExecRequest, callback: grpc.requestCallback<_kextbridge_example_v1_SimulateExecReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * The engine's counters.
   */
  Stats(argument: _kextbridge_example_v1_StatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_StatsReply__Output>): grpc.ClientUnaryCall;
  Stats(argument: _kextbridge_example_v1_StatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_StatsReply__Output>): grpc.ClientUnaryCall;
  Stats(argument: _kextbridge_example_v1_StatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_StatsReply__Output>): grpc.ClientUnaryCall;
  Stats(argument: _kextbridge_example_v1_StatsRequest, callback: grpc.requestCallback<_kextbridge_example_v1_StatsReply__Output>): grpc.ClientUnaryCall;
  /**
   * The engine's counters.
   */
  stats(argument: _kextbridge_example_v1_StatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_StatsReply__Output>): grpc.ClientUnaryCall;
  stats(argument: _kextbridge_example_v1_StatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kextbridge_example_v1_StatsReply__Output>): grpc.ClientUnaryCall;
  stats(argument: _kextbridge_example_v1_StatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kextbridge_example_v1_StatsReply__Output>): grpc.ClientUnaryCall;
  stats(argument: _kextbridge_example_v1_StatsRequest, callback: grpc.requestCallback<_kextbridge_example_v1_StatsReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Privileged: process executions.
   */
  WatchExec(argument: _kextbridge_example_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_example_v1_ExecEvent__Output>;
  WatchExec(argument: _kextbridge_example_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_example_v1_ExecEvent__Output>;
  /**
   * Privileged: process executions.
   */
  watchExec(argument: _kextbridge_example_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_example_v1_ExecEvent__Output>;
  watchExec(argument: _kextbridge_example_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_example_v1_ExecEvent__Output>;
  
  /**
   * One event a second while anyone watches.
   */
  WatchHeartbeat(argument: _kextbridge_example_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_example_v1_Heartbeat__Output>;
  WatchHeartbeat(argument: _kextbridge_example_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_example_v1_Heartbeat__Output>;
  /**
   * One event a second while anyone watches.
   */
  watchHeartbeat(argument: _kextbridge_example_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_example_v1_Heartbeat__Output>;
  watchHeartbeat(argument: _kextbridge_example_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kextbridge_example_v1_Heartbeat__Output>;
  
}

export interface ExampleHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Returns the bytes it was given.
   */
  Echo: grpc.handleUnaryCall<_kextbridge_example_v1_EchoRequest__Output, _kextbridge_example_v1_EchoReply>;
  
  /**
   * Privileged: publishes synthetic events, for load tests.
   */
  Emit: grpc.handleUnaryCall<_kextbridge_example_v1_EmitRequest__Output, _kextbridge_example_v1_EmitReply>;
  
  /**
   * Privileged: the kext's log level, 0 (errors) .. 4 (trace).
   */
  GetLogLevel: grpc.handleUnaryCall<_kextbridge_example_v1_GetLogLevelRequest__Output, _kextbridge_example_v1_LogLevel>;
  
  /**
   * Privileged: the cap on Emit's rate, events per second (0: none).
   */
  GetMaxEventRate: grpc.handleUnaryCall<_kextbridge_example_v1_GetMaxEventRateRequest__Output, _kextbridge_example_v1_MaxEventRate>;
  
  /**
   * Privileged: answer exec authorizations. The daemon sends each
   * question; the client answers each, in the order asked. No answer in
   * time means the kext's default: allow (default_verdict 1 is
   * ExecVerdict.allow = true).
   */
  ServeAuthorizeExec: grpc.handleBidiStreamingCall<_kextbridge_example_v1_ExecVerdict__Output, _kextbridge_example_v1_ExecAuthorization>;
  
  /**
   * Privileged: sets the kext's log level.
   */
  SetLogLevel: grpc.handleUnaryCall<_kextbridge_example_v1_LogLevel__Output, _kextbridge_example_v1_LogLevel>;
  
  /**
   * Privileged: sets the cap, 0..10,000,000.
   */
  SetMaxEventRate: grpc.handleUnaryCall<_kextbridge_example_v1_MaxEventRate__Output, _kextbridge_example_v1_MaxEventRate>;
  
  /**
   * Privileged: behaves as if a process were executed: publishes an exec
   * event and asks authorize_exec for a verdict.
   */
  SimulateExec: grpc.handleUnaryCall<_kextbridge_example_v1_SimulateExecRequest__Output, _kextbridge_example_v1_SimulateExecReply>;
  
  /**
   * The engine's counters.
   */
  Stats: grpc.handleUnaryCall<_kextbridge_example_v1_StatsRequest__Output, _kextbridge_example_v1_StatsReply>;
  
  /**
   * Privileged: process executions.
   */
  WatchExec: grpc.handleServerStreamingCall<_kextbridge_example_v1_WatchRequest__Output, _kextbridge_example_v1_ExecEvent>;
  
  /**
   * One event a second while anyone watches.
   */
  WatchHeartbeat: grpc.handleServerStreamingCall<_kextbridge_example_v1_WatchRequest__Output, _kextbridge_example_v1_Heartbeat>;
  
}

export interface ExampleDefinition extends grpc.ServiceDefinition {
  Echo: MethodDefinition<_kextbridge_example_v1_EchoRequest, _kextbridge_example_v1_EchoReply, _kextbridge_example_v1_EchoRequest__Output, _kextbridge_example_v1_EchoReply__Output>
  Emit: MethodDefinition<_kextbridge_example_v1_EmitRequest, _kextbridge_example_v1_EmitReply, _kextbridge_example_v1_EmitRequest__Output, _kextbridge_example_v1_EmitReply__Output>
  GetLogLevel: MethodDefinition<_kextbridge_example_v1_GetLogLevelRequest, _kextbridge_example_v1_LogLevel, _kextbridge_example_v1_GetLogLevelRequest__Output, _kextbridge_example_v1_LogLevel__Output>
  GetMaxEventRate: MethodDefinition<_kextbridge_example_v1_GetMaxEventRateRequest, _kextbridge_example_v1_MaxEventRate, _kextbridge_example_v1_GetMaxEventRateRequest__Output, _kextbridge_example_v1_MaxEventRate__Output>
  ServeAuthorizeExec: MethodDefinition<_kextbridge_example_v1_ExecVerdict, _kextbridge_example_v1_ExecAuthorization, _kextbridge_example_v1_ExecVerdict__Output, _kextbridge_example_v1_ExecAuthorization__Output>
  SetLogLevel: MethodDefinition<_kextbridge_example_v1_LogLevel, _kextbridge_example_v1_LogLevel, _kextbridge_example_v1_LogLevel__Output, _kextbridge_example_v1_LogLevel__Output>
  SetMaxEventRate: MethodDefinition<_kextbridge_example_v1_MaxEventRate, _kextbridge_example_v1_MaxEventRate, _kextbridge_example_v1_MaxEventRate__Output, _kextbridge_example_v1_MaxEventRate__Output>
  SimulateExec: MethodDefinition<_kextbridge_example_v1_SimulateExecRequest, _kextbridge_example_v1_SimulateExecReply, _kextbridge_example_v1_SimulateExecRequest__Output, _kextbridge_example_v1_SimulateExecReply__Output>
  Stats: MethodDefinition<_kextbridge_example_v1_StatsRequest, _kextbridge_example_v1_StatsReply, _kextbridge_example_v1_StatsRequest__Output, _kextbridge_example_v1_StatsReply__Output>
  WatchExec: MethodDefinition<_kextbridge_example_v1_WatchRequest, _kextbridge_example_v1_ExecEvent, _kextbridge_example_v1_WatchRequest__Output, _kextbridge_example_v1_ExecEvent__Output>
  WatchHeartbeat: MethodDefinition<_kextbridge_example_v1_WatchRequest, _kextbridge_example_v1_Heartbeat, _kextbridge_example_v1_WatchRequest__Output, _kextbridge_example_v1_Heartbeat__Output>
}
